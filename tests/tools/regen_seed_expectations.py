"""Rewrite tests/fixtures/seeds_expected.json and seeds_stats_expected.json from the checker's output.

Run it after a deliberate change to rules or word lists, then read the diff of the JSON: every
added or removed finding on a real report should be one you meant.

    python tests/tools/regen_seed_expectations.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.check.engine import check, line_column  # noqa: E402


def snapshot(text: str) -> list[list]:
    result = check(text)
    doc = result.document
    rows = []
    for f in result.findings:
        line, column = line_column(doc.text, f.start)
        rows.append([f.rule, f.severity, line, column, doc.text[f.start:f.end][:40], f.suggestion])
    return rows


def stats_snapshot(text: str) -> list[list]:
    result = check(text)
    text = result.document.text
    return [[i.item, i.value, i.measure, i.qualifier, i.placeholder, text[i.start:i.end]] for i in result.stats]


def main() -> None:
    seeds = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))
    write(ROOT / "tests" / "fixtures" / "seeds_expected.json",
          {p.name: snapshot(p.read_text(encoding="utf-8")) for p in seeds})
    write(ROOT / "tests" / "fixtures" / "seeds_stats_expected.json",
          {p.name: stats_snapshot(p.read_text(encoding="utf-8")) for p in seeds})


def write(target: Path, out: dict) -> None:
    lines = ["{"]
    for n, (name, rows) in enumerate(out.items()):
        lines.append(f"  {json.dumps(name)}: [")
        lines.extend(f"    {json.dumps(r, ensure_ascii=False)}{',' if i < len(rows) - 1 else ''}"
                     for i, r in enumerate(rows))
        lines.append("  ]" + ("," if n < len(out) - 1 else ""))
    lines.append("}")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {target} ({sum(len(r) for r in out.values())} rows)")


if __name__ == "__main__":
    main()
