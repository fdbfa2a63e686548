"""Build resources/rules/traditional.txt: traditional characters that have no place in a simplified
report, each with its simplified form (rule `typo`, message typo.traditional).

    python tests/tools/build_traditional.py --opencc DIR

DIR holds OpenCC's data/dictionary/TSCharacters.txt and STCharacters.txt (BYVoid/OpenCC, Apache
License 2.0; the commit is written into the output). A character is kept when it converts to
another character only (乾 → 干 or 乾 is left out: it is also simplified), no simplified character
converts to it (著, 麽 …), and the counts of official prose (resources/lm/ngrams.bin) hold it at
most one time in a thousand as often as its simplified form: a character simplified prose uses
itself is not a copy from a traditional text. The output is the same for the same inputs.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.text.ngrams import Model  # noqa: E402


def read_table(path: Path) -> dict[str, list[str]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "\t" in line:
            key, values = line.split("\t", 1)
            out[key] = values.split()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--opencc", type=Path, required=True, help="folder with TSCharacters.txt and STCharacters.txt")
    ap.add_argument("--commit", default="5249273a3e5606852f088c9a8b23522145d94f78", help="OpenCC commit they came from")
    ap.add_argument("--out", type=Path, default=ROOT / "resources" / "rules" / "traditional.txt")
    args = ap.parse_args(argv)
    to_simplified = read_table(args.opencc / "TSCharacters.txt")
    to_traditional = read_table(args.opencc / "STCharacters.txt")
    simplified_forms = {v for values in to_simplified.values() for v in values} | set(to_traditional)
    model = Model((ROOT / "resources" / "lm" / "ngrams.bin").read_bytes())
    kept = []
    for t, values in sorted(to_simplified.items()):
        if len(t) != 1 or not "\u4e00" <= t <= "\u9fff" or t in values or t in simplified_forms:
            continue
        s = values[0]
        if len(s) != 1 or model.count(t) * 1000 > max(model.count(s), 1):
            continue
        kept.append(f"{t}\t{s}")
    header = [
        "# 繁体字（简体公文里不该出现的）<TAB>对应的简体字。tests/tools/build_traditional.py 生成，勿手改。",
        f"# 来源：OpenCC（BYVoid/OpenCC，Apache License 2.0）data/dictionary/TSCharacters.txt，commit {args.commit}；",
        "# 只收只对应另一个字、本身不是简体字、在公文语料里几乎不出现的繁体字。",
    ]
    args.out.write_text("\n".join(header + kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} characters -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
