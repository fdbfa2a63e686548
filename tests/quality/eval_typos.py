"""Misspellings found on a published benchmark: sentence-level detection and correction figures.

    python tests/quality/eval_typos.py [--split tune|test|all] [--rules typo,spelling] [--info] [--json]
    python tests/quality/eval_typos.py --sweep   (the spelling rule's gains, for setting its thresholds)
    python tests/quality/eval_typos.py --official [--part A|B|all] [--show]

Reads ../shared/corpus/typos/odw_train.jsonl (the train part of ECSpell-ODW, misspellings in official
document writing; never copied into the repository — its README gives source, citation and licence)
and checks every source sentence as its own text, the way the program checks a report. Figures, as
the benchmark's README defines them:
- detection: a sentence is flagged when a finding (error or warning; --info adds hints) of the
  counted rules lies in it; an erroneous sentence is detected when a finding covers one of its
  changed characters. Precision = detected / flagged, recall = detected / erroneous sentences;
- correction: applying every suggestion gives exactly the target. Precision = exact corrections /
  sentences the suggestions changed, recall = exact corrections / erroneous sentences.

The file is split in two halves by distinct target sentence (the same sentence comes back with
different misspellings; all its variants go to one half): `tune` is where the thresholds were set,
`test` is the half they were never looked at on. Report the `test` figures.

`--official`: false alarms of the spelling rule on edited official prose it never counted: the
files of ../shared/corpus/official/ that tests/tools/build_ngrams.py holds out (every third of each
kind), errors and warnings per 10,000 characters. Part A (every other held-out file) is where the
thresholds were set, part B the rest; `--show` prints each alarm with its context.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

OFFICIAL = Path(os.environ.get("OFFICIAL_CORPUS") or ROOT.parent / "shared" / "corpus" / "official")
DEFAULT_FILE = Path(os.environ.get("TYPO_BENCHMARK") or ROOT.parent / "shared" / "corpus" / "typos" / "odw_train.jsonl")
RULES = ("typo", "spelling")


@dataclass
class Pair:
    source: str
    target: str

    @property
    def changed(self) -> set[int]:
        if len(self.source) != len(self.target):
            return set(range(len(self.source)))  # one pair rewrites a phrase: any finding in it counts
        return {i for i, (a, b) in enumerate(zip(self.source, self.target)) if a != b}


def available(path: Path = DEFAULT_FILE) -> bool:
    return path.is_file()


def half(target: str) -> str:
    return "tune" if hashlib.sha1(target.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def load(path: Path = DEFAULT_FILE, split: str = "all") -> list[Pair]:
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if split == "all" or half(d["target"]) == split:
                pairs.append(Pair(d["source"], d["target"]))
    return pairs


def score(pairs: list[Pair], findings_of) -> dict:
    """`findings_of(pair)`: the counted findings (start, end, suggestion) in its source sentence."""
    from core.check.examples import apply_suggestions  # the one way the program applies fixes
    flagged = detected = erroneous = changed = exact = clean_flagged = 0
    for pair in pairs:
        bad = pair.changed
        found = findings_of(pair)
        erroneous += bool(bad)
        if found:
            flagged += 1
            clean_flagged += not bad
            if bad and any(bad & set(range(f.start, max(f.end, f.start + 1))) for f in found):
                detected += 1
        fixed = apply_suggestions(pair.source, found)
        if fixed != pair.source:
            changed += 1
            exact += bool(bad) and fixed == pair.target
    return {"pairs": len(pairs), "erroneous": erroneous, "flagged": flagged, "detected": detected,
            "correct_sentences_flagged": clean_flagged, "correct": len(pairs) - erroneous,
            "detection": _prf(detected, flagged, erroneous), "correction": _prf(exact, changed, erroneous)}


def _prf(hits: int, claimed: int, relevant: int) -> dict:
    p = hits / claimed if claimed else 0.0
    r = hits / relevant if relevant else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def checker_findings(rules=RULES, severities=("error", "warning")):
    from core.check.engine import check

    def findings_of(pair: Pair):
        return [f for f in check(pair.source, rules=list(rules)).findings
                if f.rule in rules and f.severity in severities]
    return findings_of


def render(s: dict, label: str) -> str:
    d, c = s["detection"], s["correction"]
    return (f"{label}: {s['pairs']} sentences, {s['erroneous']} with errors; flagged {s['flagged']} "
            f"({s['correct_sentences_flagged']} of {s['correct']} correct ones), detected {s['detected']}\n"
            f"  detection  P {d['precision']:.1%}  R {d['recall']:.1%}  F1 {d['f1']:.3f}\n"
            f"  correction P {c['precision']:.1%}  R {c['recall']:.1%}  F1 {c['f1']:.3f}")


def sweep(pairs: list[Pair]) -> None:
    """Detection figures of the spelling rule alone at a range of thresholds of its score."""
    from core.check.rules import spelling

    class F:
        def __init__(self, s):
            self.start, self.end, self.suggestion = s.start, s.start + len(s.char), s.correction

    gains = [(pair, spelling.suspects(pair.source)) for pair in pairs]
    for threshold in (4, 6, 8, 9, 10, 12, 14, 16, 20, 22, 24, 26, 30):
        by_pair = {id(p): [F(s) for s in found if s.score >= threshold] for p, found in gains}
        s = score(pairs, lambda p, by_pair=by_pair: by_pair[id(p)])
        print(f"score >= {threshold:>2}: " + render(s, "").replace("\n", " |").strip(": "))


def official_parts(corpus: Path = OFFICIAL) -> dict[str, list[Path]]:
    sys.path.insert(0, str(ROOT / "tests" / "tools"))
    from build_ngrams import held_out_official

    held = held_out_official(sorted(corpus.glob("*.txt")))
    return {"A": held[0::2], "B": held[1::2]}


def official_rates(files: list[Path], rules=("spelling",)) -> dict:
    """Errors and warnings per 10,000 characters (without line breaks) of `rules` on `files`."""
    from core.check.engine import check
    from core.files.textio import read_report

    chars, alarms = 0, []
    for path in files:
        text = read_report(path)
        chars += len(text.replace("\n", ""))
        for f in check(text, rules=list(rules)).findings:
            if f.rule in rules and f.severity in ("error", "warning"):
                context = text[max(0, f.start - 12):f.start] + "【" + text[f.start:f.end] + "】" + text[f.end:f.end + 12]
                alarms.append((path.name, f.severity, context.replace("\n", "⏎"), f.suggestion))
    per = {sev: sum(1 for a in alarms if a[1] == sev) / chars * 10_000 if chars else 0.0 for sev in ("error", "warning")}
    return {"files": len(files), "characters": chars, "errors_per_10k": round(per["error"], 3),
            "warnings_per_10k": round(per["warning"], 3), "alarms": alarms}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--split", choices=("tune", "test", "all"), default="test")
    ap.add_argument("--rules", help="rules counted (default typo,spelling; with --official spelling)")
    ap.add_argument("--info", action="store_true", help="count hints (info) too")
    ap.add_argument("--sweep", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--official", action="store_true", help="false alarms on held-out official prose")
    ap.add_argument("--part", choices=("A", "B", "all"), default="all")
    ap.add_argument("--show", action="store_true", help="with --official: print every alarm")
    args = ap.parse_args(argv)
    if args.official:
        if not OFFICIAL.is_dir():
            print(f"official corpus not found at {OFFICIAL}", file=sys.stderr)
            return 2
        parts = official_parts()
        files = parts["A"] + parts["B"] if args.part == "all" else parts[args.part]
        r = official_rates(files, tuple((args.rules or "spelling").split(",")))
        if args.show:
            for name, severity, context, suggestion in r["alarms"]:
                print(f"{name} {severity}: {context} → {suggestion}")
        r.pop("alarms")
        print(json.dumps(r, ensure_ascii=False) if args.json else
              f"held-out official prose, part {args.part}: {r['files']} files, {r['characters']:,} characters, "
              f"{r['errors_per_10k']:.2f} errors and {r['warnings_per_10k']:.2f} warnings per 10,000 characters")
        return 0
    if not available(args.file):
        print(f"benchmark not found at {args.file}", file=sys.stderr)
        return 2
    pairs = load(args.file, args.split)
    if args.sweep:
        sweep(pairs)
        return 0
    severities = ("error", "warning", "info") if args.info else ("error", "warning")
    rules = tuple((args.rules or ",".join(RULES)).split(","))
    s = score(pairs, checker_findings(rules, severities))
    print(json.dumps(s, ensure_ascii=False) if args.json else render(s, f"{args.split} half, rules {','.join(rules)}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
