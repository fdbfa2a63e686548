"""False alarms on edited official prose: errors and warnings per 10,000 characters, per rule.

    python tests/quality/eval_official.py [--corpus DIR] [--part all|dev|held] [--show RULE[/SEVERITY]]
                                          [--kind KIND] [--json]

Reads the published texts in ../shared/corpus/official/ (never copied into the repository; its README
lists the sources), checks each the way the program does, and prints the rate of errors and of
warnings per 10,000 characters (characters counted without line breaks, as the corpus README counts
them), per rule and message and per kind of text (gwr, party, ccdi … from the file name). These texts
have almost nothing to correct: every finding is taken as a false alarm. The notice that a text is
none of the four report types (`title.unknown-type`) is not counted — it is true of all of them.
`--show term` (or `--show truncated/error`) prints every such finding with its context, to read.

`--part dev` / `--part held` split the corpus against overfitting: within each kind, files sorted by
name, every third one (the 3rd, 6th …) is held out. Rules are developed by reading the dev part only;
the held part is only ever measured, never read (`--show` refuses it).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from core.check.engine import check, line_column  # noqa: E402
from core.files.textio import read_report  # noqa: E402

# ../shared/corpus/official beside the checkout; OFFICIAL_CORPUS names another place
DEFAULT_CORPUS = Path(os.environ.get("OFFICIAL_CORPUS") or ROOT.parent / "shared" / "corpus" / "official")
JUDGED = ("error", "warning")
NOT_COUNTED = {"title.unknown-type"}  # true of every text here: none is one of the four report types


@dataclass
class Alarm:
    file: str
    rule: str
    severity: str
    message_id: str
    line: int
    context: str
    message: str


@dataclass
class OfficialRun:
    characters: int = 0
    characters_by_kind: Counter = field(default_factory=Counter)
    alarms: list[Alarm] = field(default_factory=list)

    def rate(self, severity: str, kind: str | None = None) -> float:
        chars = self.characters_by_kind[kind] if kind else self.characters
        n = sum(1 for a in self.alarms if a.severity == severity and (kind is None or kind_of(a.file) == kind))
        return n / chars * 10_000 if chars else 0.0


def corpus_available(corpus: Path = DEFAULT_CORPUS) -> bool:
    return corpus.is_dir() and any(corpus.glob("*.txt"))


def kind_of(file_name: str) -> str:
    return file_name.split("_", 1)[0]


def split(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(dev, held): within each kind, sorted by name, every third file is held out."""
    dev, held = [], []
    by_kind: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(paths, key=lambda p: p.name):
        by_kind[kind_of(path.name)].append(path)
    for files in by_kind.values():
        for n, path in enumerate(files):
            (held if n % 3 == 2 else dev).append(path)
    return sorted(dev), sorted(held)


def corpus_files(corpus: Path = DEFAULT_CORPUS, part: str = "all") -> list[Path]:
    paths = sorted(corpus.glob("*.txt"))
    if part == "all":
        return paths
    dev, held = split(paths)
    return dev if part == "dev" else held


def evaluate(corpus: Path = DEFAULT_CORPUS, part: str = "all") -> OfficialRun:
    run = OfficialRun()
    for path in corpus_files(corpus, part):
        text = read_report(path)
        size = len(text.replace("\n", ""))
        run.characters += size
        run.characters_by_kind[kind_of(path.name)] += size
        for f in check(text).findings:
            if f.severity not in JUDGED or f.message_id in NOT_COUNTED:
                continue
            lo, hi = max(0, f.start - 20), min(len(text), max(f.end, f.start + 1) + 20)
            context = (text[lo:f.start] + "【" + text[f.start:f.end] + "】" + text[f.end:hi]).replace("\n", "⏎")
            run.alarms.append(Alarm(path.name, f.rule, f.severity, f.message_id,
                                    line_column(text, f.start)[0], context, f.message))
    return run


def summary(run: OfficialRun) -> dict:
    per_rule = Counter((a.rule, a.severity, a.message_id) for a in run.alarms)
    return {
        "characters": run.characters,
        "errors_per_10k": round(run.rate("error"), 3),
        "warnings_per_10k": round(run.rate("warning"), 3),
        "by_kind": {k: {"characters": n, "errors_per_10k": round(run.rate("error", k), 3),
                        "warnings_per_10k": round(run.rate("warning", k), 3)}
                    for k, n in sorted(run.characters_by_kind.items())},
        "by_rule": [{"rule": r, "severity": s, "message_id": m, "count": n,
                     "per_10k": round(n / run.characters * 10_000, 3)}
                    for (r, s, m), n in per_rule.most_common()],
    }


def render(run: OfficialRun) -> str:
    s = summary(run)
    lines = [f"{s['characters']:,} characters: {s['errors_per_10k']:.2f} errors and "
             f"{s['warnings_per_10k']:.2f} warnings per 10,000 characters", "",
             "| kind | characters | errors /10k | warnings /10k |", "|---|---|---|---|"]
    for kind, k in s["by_kind"].items():
        lines.append(f"| {kind} | {k['characters']:,} | {k['errors_per_10k']:.2f} | {k['warnings_per_10k']:.2f} |")
    lines += ["", "| rule | severity | message | count | per 10k |", "|---|---|---|---|---|"]
    for r in s["by_rule"]:
        lines.append(f"| {r['rule']} | {r['severity']} | {r['message_id']} | {r['count']} | {r['per_10k']:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--show", help="print the findings of one rule (rule or rule/severity or a message id)")
    ap.add_argument("--kind", help="only with --show: one kind of text (gwr, party, ccdi …)")
    ap.add_argument("--part", choices=("all", "dev", "held"), default="all",
                    help="dev: two thirds to develop on; held: every third file per kind, measured only")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.show and args.part != "dev":
        ap.error("--show reads findings: only with --part dev (the held-out part is measured, not read)")
    if not corpus_available(args.corpus):
        print(f"official corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    run = evaluate(args.corpus, args.part)
    if args.show:
        rule, _, severity = args.show.partition("/")
        by_message = defaultdict(list)
        for a in run.alarms:
            if (rule in (a.rule, a.message_id)) and (not severity or a.severity == severity) \
                    and (not args.kind or kind_of(a.file) == args.kind):
                by_message[a.message_id].append(a)
        for mid, alarms in by_message.items():
            print(f"== {mid} ({len(alarms)})")
            for a in alarms:
                print(f"{a.file}:{a.line} {a.severity}: {a.context}")
        return 0
    print(json.dumps(summary(run), ensure_ascii=False, indent=1) if args.json else render(run))
    return 0


if __name__ == "__main__":
    sys.exit(main())
