"""How right the checker is on real reports: per-rule precision and recall, and the counts' accuracy.

    python tests/quality/eval_real.py [--corpus DIR] [--unjudged] [--json]

Reads the real texts from ../shared/corpus/real/ (never copied into the repository) and the verdicts
in tests/quality/real_labels.toml, checks every text the way the program does, and prints:
- per rule and severity: findings judged TP / FP / D / A, precision (D and A wrong), and the
  strict precision where the copy artefacts (A) are left out of the count;
- recall: the labelled defects (TP verdicts and misses) caught by an error or warning;
- counts: extracted counts that are right, and the labelled countable items found.
`--unjudged` lists findings and counts with no verdict yet (judge them and add them to the labels).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from core.check.engine import check, line_column  # noqa: E402
from core.files.textio import read_report  # noqa: E402

LABELS = HERE / "real_labels.toml"
# ../shared/corpus/real beside the checkout; REAL_CORPUS names another place (a git worktree elsewhere)
DEFAULT_CORPUS = Path(os.environ.get("REAL_CORPUS") or ROOT.parent / "shared" / "corpus" / "real")
CLEAN = ROOT / "tests" / "fixtures" / "clean"
JUDGED = ("error", "warning")  # info-level findings are hints: not judged


@dataclass
class Judged:
    file: str
    rule: str
    severity: str
    text: str
    message: str
    line: int
    verdict: str | None  # None: nobody has judged it yet
    defect: str | None = None


@dataclass
class CountRow:
    file: str
    kind: str
    value: int | None
    measure: str
    sentence: str
    verdict: str | None


@dataclass
class Evaluation:
    findings: list[Judged] = field(default_factory=list)
    defects: dict[str, bool] = field(default_factory=dict)  # defect id -> caught
    defect_rules: dict[str, str] = field(default_factory=dict)  # defect id -> rule(s) for the table
    counts: list[CountRow] = field(default_factory=list)
    expected_counts: list[tuple[dict, bool]] = field(default_factory=list)  # (label, found)
    files: list[str] = field(default_factory=list)

    @property
    def unjudged(self) -> list[Judged]:
        return [f for f in self.findings if f.verdict is None]

    @property
    def unjudged_counts(self) -> list[CountRow]:
        return [c for c in self.counts if c.verdict is None]


def load_labels(path: Path = LABELS) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def resolve(file_id: str, corpus: Path) -> Path | None:
    """'01' → the corpus text whose name starts with 01_; 'clean/x' → tests/fixtures/clean/x.txt."""
    if file_id.startswith("clean/"):
        path = CLEAN / f"{file_id[6:]}.txt"
        return path if path.exists() else None
    matches = sorted(corpus.glob(f"{file_id}_*.txt"))
    return matches[0] if matches else None


def corpus_available(corpus: Path = DEFAULT_CORPUS) -> bool:
    return corpus.is_dir() and any(corpus.glob("*.txt"))


def _label_matches(label: dict, rule: str, text: str, message: str) -> bool:
    if label["rule"] != rule:
        return False
    if label["text"] != "*" and label["text"] != text:
        return False
    return label.get("message", "") in message


def _overlaps(text: str, needle: str, finding) -> bool:
    at = text.find(needle)
    while at >= 0:
        if finding.start < at + len(needle) and finding.end > at:
            return True
        at = text.find(needle, at + 1)
    return False


def _count_matches(label: dict, kind: str, value, measure: str, sentence: str) -> bool:
    kinds = label["kind"] if isinstance(label["kind"], list) else [label["kind"]]
    return (kind in kinds and value == label["value"] and measure == label["measure"]
            and label.get("context", "") in sentence)


def evaluate(corpus: Path = DEFAULT_CORPUS, labels: dict | None = None) -> Evaluation:
    labels = labels or load_labels()
    by_file: dict[str, dict[str, list]] = {}
    for key in ("label", "miss", "count"):
        for entry in labels.get(key, []):
            by_file.setdefault(entry["file"], {"label": [], "miss": [], "count": []})[key].append(entry)
    result = Evaluation()
    for file_id in sorted(by_file):
        path = resolve(file_id, corpus)
        if path is None:
            continue
        result.files.append(file_id)
        entries = by_file[file_id]
        checked = check(read_report(path))
        text = checked.document.text
        for f in checked.findings:
            if f.severity not in JUDGED:
                continue
            span = text[f.start:f.end]
            label = next((lb for lb in entries["label"] if _label_matches(lb, f.rule, span, f.message)), None)
            verdict = label["verdict"] if label else None
            defect = None
            if label is None:
                # a finding on a labelled miss, of one of the rules that may catch it, is that defect
                miss = next((m for m in entries["miss"] if f.rule in m["rules"] and _overlaps(text, m["text"], f)),
                            None)
                if miss is not None:
                    verdict, label = "TP", {"defect": miss["id"]}
            if verdict == "TP":
                defect = label.get("defect") or f"{file_id}:{f.rule}:{span}"
                result.defects[defect] = True
                result.defect_rules.setdefault(defect, f.rule)
            result.findings.append(Judged(file_id, f.rule, f.severity, span, f.message,
                                          line_column(text, f.start)[0], verdict, defect))
        # labelled TP defects that no finding caught this time are lost
        for lb in entries["label"]:
            if lb["verdict"] == "TP":
                defect = lb.get("defect") or f"{file_id}:{lb['rule']}:{lb['text']}"
                result.defects.setdefault(defect, False)
                result.defect_rules.setdefault(defect, lb["rule"])
        for miss in entries["miss"]:
            caught = any(f.rule in miss["rules"] and f.severity in JUDGED and _overlaps(text, miss["text"], f)
                         for f in checked.findings)
            result.defects[miss["id"]] = result.defects.get(miss["id"], False) or caught
            result.defect_rules.setdefault(miss["id"], miss["rules"][0])
        for item in checked.stats:
            label = next((c for c in entries["count"]
                          if _count_matches(c, item.kind, item.value, item.measure, item.sentence)), None)
            result.counts.append(CountRow(file_id, item.kind, item.value, item.measure, item.sentence,
                                          label["verdict"] if label else None))
        for c in entries["count"]:
            if c["verdict"] == "right":
                found = any(_count_matches(c, i.kind, i.value, i.measure, i.sentence) for i in checked.stats)
                result.expected_counts.append((c, found))
    return result


def _ratio(n: int, d: int) -> str:
    return f"{100 * n / d:.0f} %" if d else "—"


def table(ev: Evaluation) -> list[dict]:
    """One row per (rule, severity): the verdict counts and precision; plus the defects per rule."""
    rows: dict[tuple[str, str], dict] = {}
    for f in ev.findings:
        row = rows.setdefault((f.rule, f.severity), {"rule": f.rule, "severity": f.severity, "TP": 0,
                                                      "FP": 0, "D": 0, "A": 0, "?": 0})
        row[f.verdict or "?"] += 1
    recall: dict[str, list[bool]] = {}
    for defect, caught in ev.defects.items():
        recall.setdefault(ev.defect_rules[defect], []).append(caught)
    out = sorted(rows.values(), key=lambda r: (r["rule"], r["severity"]))
    for row in out:
        judged = row["TP"] + row["FP"] + row["D"] + row["A"]
        row["precision"] = _ratio(row["TP"], judged)
        row["precision_no_A"] = _ratio(row["TP"], judged - row["A"])
    for rule, caught in sorted(recall.items()):
        target = next((r for r in out if r["rule"] == rule), None)
        entry = {"defects": len(caught), "caught": sum(caught)}
        if target is None:
            out.append({"rule": rule, "severity": "—", "TP": 0, "FP": 0, "D": 0, "A": 0, "?": 0,
                        "precision": "—", "precision_no_A": "—", **entry})
        else:
            target.update(entry)
    return out


def summary(ev: Evaluation) -> dict:
    out = {}
    for severity in JUDGED:
        fs = [f for f in ev.findings if f.severity == severity]
        tp = sum(f.verdict == "TP" for f in fs)
        a = sum(f.verdict == "A" for f in fs)
        out[severity] = {"findings": len(fs), "TP": tp, "A": a,
                         "precision": tp / len(fs) if fs else 1.0,
                         "precision_no_A": tp / (len(fs) - a) if len(fs) > a else 1.0}
    caught = sum(ev.defects.values())
    out["recall"] = {"defects": len(ev.defects), "caught": caught,
                     "recall": caught / len(ev.defects) if ev.defects else 1.0}
    out["counts"] = _count_summary(ev.counts, ev.expected_counts)
    own = lambda file: file.startswith("clean/")  # noqa: E731
    out["counts_real"] = _count_summary([c for c in ev.counts if not own(c.file)],
                                        [e for e in ev.expected_counts if not own(e[0]["file"])])
    out["counts_own"] = _count_summary([c for c in ev.counts if own(c.file)],
                                       [e for e in ev.expected_counts if own(e[0]["file"])])
    return out


def _count_summary(counts: list[CountRow], expected: list[tuple[dict, bool]]) -> dict:
    right = sum(c.verdict == "right" for c in counts)
    found = sum(f for _, f in expected)
    return {"extracted": len(counts), "right": right, "accuracy": right / len(counts) if counts else 1.0,
            "expected": len(expected), "found": found, "found_share": found / len(expected) if expected else 1.0}


def render(ev: Evaluation) -> str:
    lines = ["| rule | severity | TP | FP | D | A | unjudged | precision | precision without A | defects caught |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in table(ev):
        defects = f"{r['caught']}/{r['defects']}" if "defects" in r else ""
        lines.append(f"| {r['rule']} | {r['severity']} | {r['TP']} | {r['FP']} | {r['D']} | {r['A']} | {r['?']} "
                     f"| {r['precision']} | {r['precision_no_A']} | {defects} |")
    s = summary(ev)
    lines.append("")
    for severity in JUDGED:
        x = s[severity]
        lines.append(f"{severity}s: {x['findings']}, right {x['TP']} = {x['precision']:.0%}"
                     f" (without the {x['A']} copy artefacts: {x['precision_no_A']:.0%})")
    r = s["recall"]
    lines.append(f"defects caught (error or warning): {r['caught']}/{r['defects']} = {r['recall']:.0%}")
    for key, what in (("counts_real", "real texts"), ("counts_own", "own fixtures"), ("counts", "all")):
        c = s[key]
        lines.append(f"counts ({what}): {c['right']}/{c['extracted']} extracted are right = {c['accuracy']:.0%}; "
                     f"{c['found']}/{c['expected']} countable items found = {c['found_share']:.0%}")
    lost = [d for d, caught in ev.defects.items() if not caught]
    if lost:
        lines.append("not caught: " + ", ".join(sorted(lost)))
    missed_counts = [f"{c['file']}:{c['kind']}={c['value']}{c['measure']}" for c, found in ev.expected_counts
                     if not found]
    if missed_counts:
        lines.append("counts not found: " + ", ".join(missed_counts))
    wrong = [f"{c.file}:{c.kind}={c.value}{c.measure}" for c in ev.counts if c.verdict == "wrong"]
    if wrong:
        lines.append("wrong counts: " + ", ".join(wrong))
    return "\n".join(lines)


def pin_caught(ev: Evaluation, path: Path = LABELS) -> list[str]:
    """Add `caught = true` to every [[miss]] the checker catches now and that is not marked yet."""
    lines = path.read_text(encoding="utf-8").split("\n")
    misses = {m["id"]: m for m in load_labels(path).get("miss", [])}
    pinned = []
    for n, line in enumerate(list(lines)):
        if not line.startswith("id = "):
            continue
        ident = tomllib.loads(line)["id"]
        if ident in misses and ev.defects.get(ident) and not misses[ident].get("caught"):
            lines[n] = f"{line}\ncaught = true"
            pinned.append(ident)
    path.write_text("\n".join(lines), encoding="utf-8")
    return pinned


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--unjudged", action="store_true", help="list findings and counts with no verdict")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--pin", action="store_true",
                        help="mark the misses caught now as caught in the labels (the test then requires them)")
    args = parser.parse_args(argv)
    if not corpus_available(args.corpus):
        print(f"没有找到真实报告语料：{args.corpus}", file=sys.stderr)
        return 2
    ev = evaluate(args.corpus)
    if args.json:
        print(json.dumps({"table": table(ev), "summary": summary(ev)}, ensure_ascii=False, indent=1))
    else:
        print(f"corpus: {args.corpus} ({', '.join(ev.files)})")
        print(render(ev))
    if args.pin:
        pinned = pin_caught(ev)
        print(f"pinned as caught: {', '.join(pinned) or 'none'}")
    if args.unjudged:
        for f in ev.unjudged:
            print(f"UNJUDGED {f.file} L{f.line} {f.rule} {f.severity}: {f.text[:60]!r} — {f.message[:60]}")
        for c in ev.unjudged_counts:
            print(f"UNJUDGED COUNT {c.file} {c.kind}={c.value}{c.measure}: {c.sentence[:60]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
