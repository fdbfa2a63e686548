"""Benchmark: batch review throughput and memory, and the comparison with last period's report.

    python tests/benchmarks/bench_batch.py [--reports 1000] [--workers 2] [--runs 15] [--json]

Targets (issue 6): at least 20 reports of 6,000 characters a second on two cores; memory flat over
1,000 reports; comparing two 6,000-character reports under 200 ms. Memory is read from /proc
(Linux); elsewhere those columns are left out. Figures are medians; the machine is shared and noisy.
--json adds one JSON line at the end for run_all.py; --reports 40 --runs 3 is the quick mode.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_check import report_of_size  # noqa: E402

UNITS = ("市审计局", "市统计局", "县农业农村局", "区司法局", "市财政局", "市交通运输局", "市商务局", "县教育局")


def write_reports(folder: Path, count: int, chars: int = 6000) -> None:
    """`count` different 6,000-character reports: other units, years and numbers."""
    base = report_of_size(chars)
    for i in range(count):
        unit = UNITS[i % len(UNITS)]
        text = base.replace("市审计局", unit).replace("26次", f"{20 + i % 13}次").replace("132人次", f"{100 + i % 50}人次")
        # the defects reviewers meet, so 明细 fills up as it would: blanks, short forms, typos
        text = text.replace("12次", "*次").replace("党的二十大", "二十大").replace("部署", "布署")
        (folder / f"{i:04d}_{unit}.txt").write_text(text, encoding="utf-8")


def rss_mb(pid: int | str = "self") -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def bench_batch(count: int, workers: int, results) -> None:
    from core.review.batch import run_batch

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        write_reports(folder, count)
        marks = sorted({m for m in (50, 100, 250, 500, 750, 1000, count) if m <= count})
        samples: list[tuple[int, float, float | None, float | None]] = []
        started = time.perf_counter()

        def progress(done: int, total: int, _file: str) -> None:
            if done in marks:
                children = [rss_mb(p.pid) for p in multiprocessing.active_children()]
                children = [c for c in children if c is not None]
                samples.append((done, time.perf_counter() - started, rss_mb(),
                                max(children) if children else None))

        summary = run_batch(folder, Path(tmp) / "审查结果.xlsx", workers=workers, progress=progress)
        total = time.perf_counter() - started
        print(f"batch: {count} reports of 6,000 chars, {workers} workers: {total:.1f} s in all "
              f"= {count / total:.1f} reports/s (incl. start-up and writing the workbook; target >= 20)")
        label = f"batch review, {count:,} reports of 6,000 characters, {workers} workers"
        results.add(f"{label}, throughput", count / total, "reports/s", ">= 20 reports/s")
        results.add(f"{label}, time in all", total, "s")
        # memory at the first and the last mark shows whether it stays flat; /proc may be missing
        ends = [samples[0], samples[-1]] if len(samples) > 1 else samples[:1]
        for done, _at, parent, child in ends:
            if parent is not None:
                results.add(f"main process memory after {done:,} reports", parent, "MB",
                            "flat over 1,000 reports")
            if child is not None:
                results.add(f"largest worker memory after {done:,} reports", child, "MB",
                            "flat over 1,000 reports")
        previous = None
        for done, at, parent, child in samples:
            rate = ""
            if previous is not None:
                rate = f"  {(done - previous[0]) / (at - previous[1]):5.1f} reports/s since last mark"
            print(f"  after {done:5d}: {at:6.1f} s  parent RSS {parent or 0:6.1f} MB  largest worker RSS "
                  f"{child or 0:6.1f} MB{rate}")
            previous = (done, at)
        size = (Path(tmp) / "审查结果.xlsx").stat().st_size / 1024
        print(f"  workbook {size:.0f} KB, {summary.reviewed} rows in 总览")


def bench_compare(runs: int, results) -> None:
    from core.check.compare import PreviousReport, compare
    from core.text import segment
    from core.text.document import parse

    segment.ensure_loaded()
    old = report_of_size(6000)
    new = old.replace("2024", "2025").replace("26次", "24次")
    new = new.replace("（一）", "（一）今年以来，").replace("坚持", "始终坚持")  # near copies, not exact
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = compare(PreviousReport(old), parse(new))
        times.append((time.perf_counter() - t0) * 1000)
    print(f"compare: two {len(old):,}-char reports, parsing both included: median {statistics.median(times):.1f} ms, "
          f"max {max(times):.1f} ms (target < 200); reused {result.share:.0%}")
    results.add("compare two 6,000-character reports, parsing both, median", statistics.median(times), "ms",
                "< 200 ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line, last")
    args = parser.parse_args()
    from json_results import Results
    results = Results("batch", args.json)
    os.environ["REPORT_ASSISTANT_HOME"] = tempfile.mkdtemp(prefix="bench-home-")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    bench_compare(args.runs, results)
    bench_batch(args.reports, args.workers, results)
    results.emit()


if __name__ == "__main__":
    main()
