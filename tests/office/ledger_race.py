"""Ledger writers that the race tests start as real processes (spawned: each imports this module).

They talk to the test through multiprocessing events only, never through timing: a writer stops at
a given step of its export until the test lets it go on, and says when it has reached a point.
"""
from __future__ import annotations

import sys
from pathlib import Path

from core.office.ledger import LedgerReport, LedgerRow, export_reports
from core.office.ledger.lock import ledger_lock

WAIT = 60  # seconds any event is waited for: a bound for a broken test, never reached when it passes


def report(unit: str, period: str = "2024年度", n: int = 3, report_type: str = "zhuti") -> LedgerReport:
    rows = tuple(LedgerRow(period, unit, "班子建设", f"指标{i}", i + 1, "次", None, f"召开会议{i + 1}次。", f"第{i + 1}段")
                 for i in range(n))
    return LedgerReport(unit, period, rows, (), f"{unit}.docx", report_type=report_type)


def write_pausing(path: str, units: list[str], ready, go) -> None:
    """Export the reports of ``units`` in one write; stop just before saving (``ready``) until ``go``."""
    def progress(_step, _total, label):
        if label == "保存台账":
            ready.set()
            if not go.wait(WAIT):
                sys.exit(3)

    export_reports(Path(path), [report(u) for u in units], progress=progress)


def write_after(path: str, unit: str, start, blocked) -> None:
    """Export once ``start`` is set; ``blocked`` when this writer waits for the lock, or (were there
    no lock) when it is about to save over the other writer."""
    if not start.wait(WAIT):
        sys.exit(3)

    def progress(_step, _total, label):
        if label.startswith("等待") or label == "保存台账":
            blocked.set()

    export_reports(Path(path), [report(unit)], progress=progress)


def hold_lock(path: str, ready, release) -> None:
    """Take the ledger's lock and keep it until ``release`` (or until killed)."""
    with ledger_lock(Path(path)):
        ready.set()
        release.wait(WAIT * 10)
