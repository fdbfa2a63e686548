"""Benchmark of the 台账 export (not a pytest test): python tests/benchmarks/bench_ledger.py [runs] [--json]

Builds a ledger that already holds 10,000 detail rows (20 units x 20 periods x 25 items) and 2,000
findings, then times, on a fresh copy each run:

* appending one new report (30 rows, 8 findings) — the everyday case, target under 3 s;
* the same append to a ledger that also holds a sheet of the user's with a text box, a data bar, a
  drop-down and a sparkline (which openpyxl cannot keep: that sheet is copied from the original file);
* re-exporting a report in the middle of the ledger with fewer rows (every later row moves);
* creating a fresh ledger from one report.

Prints the median (and min/max) of several runs and the file sizes. --json adds one JSON line at the
end for run_all.py; `1` run is the quick mode (the 10,000-row base is always built in full, since
appending to it is what is measured).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.office.ledger import (  # noqa: E402
    LedgerFinding,
    LedgerReport,
    LedgerRow,
    export_ledger,
    export_reports,
    format_period,
)

ITEMS = [
    ("组织建设", "党组会（党委会）", "次"), ("组织建设", "研究议题", "项"), ("思想建设", "中心组学习", "次"),
    ("思想建设", "第一议题", "次"), ("思想建设", "讲党课", "次"), ("组织建设", "主题党日", "次"),
    ("组织建设", "支部党员大会", "次"), ("组织建设", "支委会", "次"), ("组织建设", "党小组会", "次"),
    ("组织建设", "组织生活会", "次"), ("组织建设", "民主生活会", "次"), ("监督执纪", "谈心谈话", "人次"),
    ("监督执纪", "廉政谈话", "人次"), ("监督执纪", "提醒谈话", "人次"), ("监督执纪", "诫勉谈话", "人次"),
    ("监督执纪", "警示教育", "次"), ("队伍建设", "专题培训", "期"), ("作风建设", "调研", "次"),
    ("党员队伍", "发展党员", "名"), ("党员队伍", "入党积极分子", "名"), ("党员队伍", "预备党员转正", "名"),
    ("作风建设", "志愿服务", "次"), ("监督执纪", "发现问题", "个"), ("监督执纪", "整改问题", "个"),
    ("监督执纪", "督查检查", "次"), ("监督执纪", "处分", "人"), ("监督执纪", "巡察", "个"),
    ("作风建设", "清廉文化活动", "次"), ("思想建设", "读书班", "期"), ("队伍建设", "年轻干部培养", "名"),
]
UNITS = [f"市第{i + 1}局" for i in range(20)]
PERIODS = [format_period(y, 4, q) for y in range(2020, 2024) for q in range(1, 5)] + \
          [format_period(y, 1, 1) for y in range(2020, 2024)]


def report(unit: str, period: str, n_items: int, n_findings: int, seed: int = 0) -> LedgerReport:
    rows = []
    for i, (category, item, measure) in enumerate(ITEMS[:n_items]):
        value = None if (i + seed) % 9 == 0 else (i * 7 + seed) % 60 + 1
        qualifier = "余" if (i + seed) % 5 == 0 else None
        source = (f"{period}，{unit}召开{item}{value if value is not None else '*'}"
                  f"{qualifier or ''}{measure}，认真落实全面从严治党主体责任。")
        rows.append(LedgerRow(period, unit, category, item, value, measure, qualifier, source,
                              f"第{10 + i}行第{3 + i % 7}列"))
    findings = [LedgerFinding("placeholder", "error", f"第{k + 1}处数字空白，请填写实际数字", f"第{20 + k}行第5列",
                              f"开展谈心谈话*人次{k}") for k in range(n_findings)]
    return LedgerReport(unit, period, tuple(rows), tuple(findings), f"{unit}{period}报告.docx")


def build_base(path: Path) -> float:
    reports = [report(u, p, 25, 5, seed=i) for i, (u, p) in
               enumerate((u, p) for u in UNITS for p in PERIODS)]
    t0 = time.perf_counter()
    summary = export_reports(path, reports)
    elapsed = time.perf_counter() - t0
    assert summary["rows_written"] == 10_000, summary["rows_written"]
    return elapsed


def with_user_sheet(path: Path) -> None:
    """Add the sheet of the user's that tests/office/test_ledger.py builds by hand (text box, data
    bar, drop-down, sparkline, shared strings)."""
    sys.path.insert(0, str(ROOT / "tests" / "office"))
    try:
        from test_ledger import _add_user_features
    finally:
        sys.path.pop(0)
    _add_user_features(path)


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def show(label: str, times: list[float], size: int | None = None) -> None:
    extra = f", file {size / 1024:.0f} KiB" if size is not None else ""
    print(f"{label:<58} median {statistics.median(times):6.3f} s  "
          f"(min {min(times):.3f}, max {max(times):.3f}, n={len(times)}){extra}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", type=int, nargs="?", default=5)  # positional, as before
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line, last")
    args = parser.parse_args()
    runs = args.runs
    from json_results import Results
    results = Results("ledger", args.json)
    with tempfile.TemporaryDirectory(prefix="bench_ledger_") as tmp:
        folder = Path(tmp)
        base = folder / "base.xlsx"
        build = build_base(base)
        print(f"{'building the 10,000-row ledger (one batch write)':<58} {build:6.3f} s, "
              f"file {base.stat().st_size / 1024:.0f} KiB")
        results.add("build a 10,000-row ledger in one batch write", build, "s")

        new = report("市委宣传部", "2024年第一季度", 30, 8)
        append_times, replace_times, fresh_times = [], [], []
        size = 0
        for i in range(runs):
            target = folder / f"append{i}.xlsx"
            shutil.copyfile(base, target)
            append_times.append(timed(lambda: export_ledger(
                target, list(new.rows), list(new.findings), unit=new.unit, period=new.period,
                source_file=new.source_file)))
            size = target.stat().st_size
            target.unlink()
        show("append one report (30 rows) to 10,000 rows", append_times, size)
        results.add("append one report (30 rows) to a 10,000-row ledger, median",
                    statistics.median(append_times), "s", "< 3 s")

        kept = folder / "kept.xlsx"
        shutil.copyfile(base, kept)
        with_user_sheet(kept)
        keep_times = []
        for i in range(runs):
            target = folder / f"keep{i}.xlsx"
            shutil.copyfile(kept, target)
            keep_times.append(timed(lambda: export_ledger(
                target, list(new.rows), list(new.findings), unit=new.unit, period=new.period,
                source_file=new.source_file)))
            target.unlink()
        show("the same, the ledger holding a sheet of the user's", keep_times)
        results.add("the same append, the ledger holding a sheet of the user's with shapes (copied), median",
                    statistics.median(keep_times), "s")

        middle = report(UNITS[0], PERIODS[1], 20, 3, seed=99)  # 25 -> 20 rows near the top
        for i in range(runs):
            target = folder / f"replace{i}.xlsx"
            shutil.copyfile(base, target)
            replace_times.append(timed(lambda: export_ledger(
                target, list(middle.rows), list(middle.findings), unit=middle.unit, period=middle.period)))
            target.unlink()
        show("replace a report near the top (every later row moves)", replace_times)
        results.add("replace a report near the top of that ledger, median", statistics.median(replace_times), "s")

        for i in range(runs):
            target = folder / f"fresh{i}.xlsx"
            fresh_times.append(timed(lambda: export_ledger(
                target, list(new.rows), list(new.findings), unit=new.unit, period=new.period)))
            size = target.stat().st_size
            target.unlink()
        show("create a fresh ledger from one report (30 rows)", fresh_times, size)
        results.add("create a fresh ledger from one report, median", statistics.median(fresh_times), "s")

        verdict = "OK" if statistics.median(append_times) < 3.0 else "SLOWER THAN TARGET"
        print(f"target: append under 3 s -> {verdict}")
    results.emit()


if __name__ == "__main__":
    main()
