"""Build resources/lm/: character n-gram counts of edited official prose, and the confusion sets.

    python tests/tools/build_ngrams.py --laws DIR [--official DIR] [--confusion DIR] [--out DIR]
    python tests/tools/build_ngrams.py --readings-only   (pinyin.txt alone, from the shipped ngrams.bin)
    python tests/tools/build_ngrams.py --sets-only       (confusion.txt and pinyin.txt, from the shipped ngrams.bin)

Sources (only counts derived from them are written; see resources/lm/README.md):
- the official prose corpus (`../shared/corpus/official/`), except every third file of each kind
  (sorted by name), which is held out to measure false alarms on text the counts never saw
  (`held_out_official`, used by tests/quality/eval_spelling_official.py too);
- the laws, regulations and judicial interpretations of LawRefBook/Laws (public domain under
  Article 5 of the Copyright Law): a checkout of commit 2f4c5c23716267af9dbebbbbd6cbbf732b101981,
  `git clone https://github.com/LawRefBook/Laws && git -C Laws checkout 2f4c5c2`;
- the sound and shape confusion sets of ECSpell (`../shared/corpus/typos/confusion/`, MIT licence),
  and, when the pypinyin package is installed (`pip install -e ".[data]"`), characters of the same
  toneless pinyin.

Nothing of the typo benchmark's sentences is read. The output is the same for the same inputs:
n-grams are sorted, and no time or path goes into the files.

Format of ngrams.bin (all little-endian): the magic line, one line of JSON (the header: order,
minimum counts, and per level the number of nodes), then per level n = 1..order: the characters of
its nodes as UTF-16, their counts (uint16, encoded by `encode_count`), and, for n < order, the
offsets of each node's children in level n + 1 (uint32, one more than the nodes). Level 1 is
sorted by character; the children of a node are contiguous and sorted by character.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from array import array
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.text.ngrams import BOS, EOS, MAGIC, encode_count, normalise  # noqa: E402

SHARED = ROOT.parent / "shared"
ORDER = 4
MIN_COUNT = {2: 2, 3: 2, 4: 2}  # n-grams seen once are dropped (the size halves; they say little)
MIN_CHAR = 3  # characters seen fewer times are left out of the model and of the confusion sets


def held_out_official(files: list[Path]) -> list[Path]:
    """Every third file of each kind (gwr, party …, from the name), sorted by name."""
    by_kind: dict[str, list[Path]] = {}
    for path in sorted(files, key=lambda p: p.name):
        by_kind.setdefault(path.name.split("_", 1)[0], []).append(path)
    return [p for kind in sorted(by_kind) for i, p in enumerate(by_kind[kind]) if i % 3 == 2]


def official_lines(folder: Path):
    files = sorted(folder.glob("*.txt"))
    held = set(held_out_official(files))
    for path in files:
        if path not in held:
            yield from path.read_text(encoding="utf-8").splitlines()


def law_lines(folder: Path):
    """The text of LawRefBook's Markdown files: heading marks and the info comment dropped."""
    for path in sorted(folder.rglob("*.md")):
        if path.parent == folder:
            continue  # the repository's own README and template
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip().lstrip("#").strip()
            if line and not line.startswith("<!--"):
                yield line


def count(lines, order: int) -> list[Counter]:
    counts = [Counter() for _ in range(order + 1)]
    seen: set[int] = set()
    for line in lines:
        line = line.strip()
        if not line:
            continue
        key = hash(line)
        if key in seen:
            continue  # a paragraph repeated across versions of one law counts once
        seen.add(key)
        s = BOS + normalise(line) + EOS
        for n in range(1, order + 1):
            c = counts[n]
            for i in range(len(s) - n + 1):
                c[s[i:i + n]] += 1
    return counts


def prune(counts: list[Counter], order: int) -> list[dict]:
    chars = {k for k, v in counts[1].items() if v >= MIN_CHAR or k in (BOS, EOS)}
    kept = [{}, {k: counts[1][k] for k in chars}]
    for n in range(2, order + 1):
        kept.append({k: v for k, v in counts[n].items()
                     if v >= MIN_COUNT[n] and all(ch in chars for ch in k) and k[:-1] in kept[n - 1]})
    return kept


def write_model(kept: list[dict], order: int, path: Path) -> dict:
    levels = [sorted(kept[n]) for n in range(order + 1)]
    index = [{g: i for i, g in enumerate(levels[n])} for n in range(order + 1)]
    sections = []
    header = {"order": order, "min_count": MIN_COUNT, "min_char": MIN_CHAR, "nodes": []}
    for n in range(1, order + 1):
        grams = levels[n]
        chars = "".join(g[-1] for g in grams)
        counts = array("H", (encode_count(kept[n][g]) for g in grams))
        sections += [chars.encode("utf-16-le"), counts.tobytes()]
        header["nodes"].append(len(grams))
        if n < order:
            # children of node i are the (n+1)-grams whose prefix is it: sorted order keeps them together
            offsets = array("I", [0] * (len(grams) + 1))
            for g in levels[n + 1]:
                offsets[index[n][g[:-1]] + 1] += 1
            for i in range(len(grams)):
                offsets[i + 1] += offsets[i]
            sections.append(offsets.tobytes())
    if sys.byteorder != "little":
        raise SystemExit("build on a little-endian machine")
    with path.open("wb") as out:
        out.write(MAGIC)
        out.write(json.dumps(header, sort_keys=True).encode("ascii") + b"\n")
        for s in sections:
            out.write(s)
    return header


def confusion_sets(folder: Path, chars: set[str]) -> dict[str, tuple[str, str]]:
    """For each character: (characters of like sound, characters of like shape) one may have meant.
    ECSpell lists, for a character, those written in its place; a slip can go either way, so both
    directions are taken. The character meant must be one the counts hold (`chars`); the one written
    may be any Chinese character, one official prose never uses too (茨金 for 资金, 禾它 for 和它): such a
    character is itself a sign of a slip."""
    def han(ch: str) -> bool:
        return "\u4e00" <= ch <= "\u9fff"

    sound: dict[str, set[str]] = {}
    shape: dict[str, set[str]] = {}
    for name, target in (("soundConfusion.json", sound), ("shapeConfusion.json", shape)):
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        for a, others in data.items():
            for b in others:
                if a == b:
                    continue
                if b in chars and han(a):
                    target.setdefault(a, set()).add(b)
                if a in chars and han(b):
                    target.setdefault(b, set()).add(a)
    try:
        import pypinyin  # deferred: only this build uses it; the program reads the sets it produced
    except ImportError:
        pypinyin = None
    if pypinyin is not None:
        by_sound: dict[str, set[str]] = {}
        for ch in chars | set(sound) | set(shape):
            if han(ch):
                for reading in pypinyin.pinyin(ch, style=pypinyin.Style.NORMAL, heteronym=True)[0]:
                    by_sound.setdefault(reading, set()).add(ch)
        for group in by_sound.values():
            counted = {ch for ch in group if ch in chars}
            for ch in group:
                sound.setdefault(ch, set()).update(counted - {ch})
    return {ch: ("".join(sorted(sound.get(ch, ()))), "".join(sorted(shape.get(ch, ()))))
            for ch in sorted(set(sound) | set(shape))}


def write_readings(chars: set[str], path: Path) -> None:
    """The characters of each toneless pinyin reading: the spelling rule tries a word of the same sound
    where pinyin input put in the wrong word. Only a character's usual reading (pypinyin's first):
    its rare ones (邓 shan, 体 ben) would make most words sound like some other word."""
    import pypinyin  # deferred: only this build uses it

    groups: dict[str, set[str]] = {}
    for ch in chars:
        if "\u4e00" <= ch <= "\u9fff":
            reading = pypinyin.pinyin(ch, style=pypinyin.Style.NORMAL, heteronym=False)[0][0]
            if reading.isascii() and reading.isalpha():
                groups.setdefault(reading, set()).add(ch)
    lines = ["# 同音字：每行 拼音（不计声调）<TAB>读这个音的字（tests/tools/build_ngrams.py 用 pypinyin 生成）"]
    lines += [f"{reading}\t{''.join(sorted(group))}" for reading, group in sorted(groups.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_confusion(sets: dict[str, tuple[str, str]], path: Path) -> None:
    lines = ["# 易混字：每行 字<TAB>音近字<TAB>形近字（tests/tools/build_ngrams.py 生成；来源见 README.md）"]
    lines += [f"{ch}\t{sound}\t{shape}" for ch, (sound, shape) in sets.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--laws", type=Path, help="a checkout of LawRefBook/Laws at 2f4c5c2")
    ap.add_argument("--readings-only", action="store_true",
                    help="only (re)write pinyin.txt for the characters of the existing ngrams.bin")
    ap.add_argument("--sets-only", action="store_true",
                    help="only (re)write confusion.txt and pinyin.txt for the characters of the existing ngrams.bin")
    ap.add_argument("--official", type=Path, default=SHARED / "corpus" / "official")
    ap.add_argument("--confusion", type=Path, default=SHARED / "corpus" / "typos" / "confusion")
    ap.add_argument("--out", type=Path, default=ROOT / "resources" / "lm")
    args = ap.parse_args(argv)
    if args.readings_only or args.sets_only:
        from core.text.ngrams import Model

        model = Model((args.out / "ngrams.bin").read_bytes())
        if args.sets_only:
            write_confusion(confusion_sets(args.confusion, set(model.chars[1])), args.out / "confusion.txt")
        write_readings(set(model.chars[1]), args.out / "pinyin.txt")
        return 0
    if args.laws is None:
        ap.error("--laws is needed to count (or --readings-only)")
    t0 = time.perf_counter()
    lines = [*official_lines(args.official), *law_lines(args.laws)]
    counts = count(lines, ORDER)
    total = sum(v for k, v in counts[1].items() if k not in (BOS, EOS))
    kept = prune(counts, ORDER)
    args.out.mkdir(parents=True, exist_ok=True)
    header = write_model(kept, ORDER, args.out / "ngrams.bin")
    sets = confusion_sets(args.confusion, set(kept[1]))
    write_confusion(sets, args.out / "confusion.txt")
    write_readings(set(kept[1]), args.out / "pinyin.txt")
    size = (args.out / "ngrams.bin").stat().st_size
    print(f"{total:,} characters counted; nodes per level {header['nodes']}; ngrams.bin {size / 1e6:.1f} MB; "
          f"{len(sets):,} characters with confusion sets; {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
