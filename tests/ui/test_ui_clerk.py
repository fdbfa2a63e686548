"""The window as a county-office clerk uses it all afternoon (issue 23): where dialogs start,
what a new report is filled with, what the panes show after one report gives way to another."""
from __future__ import annotations

from conftest import SEEDS, read_fixture
from PySide6.QtWidgets import QFileDialog


def test_the_first_ledger_export_starts_beside_the_report(window, tmp_path, monkeypatch):
    report = tmp_path / "报告" / "三季度报告.txt"
    report.parent.mkdir()
    report.write_text(read_fixture(SEEDS[1]), encoding="utf-8")
    assert window.open_file(report)
    offered = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: offered.append(a[2]) or ("", ""))
    window.export_ledger()
    assert offered == [str(report.parent / "台账.xlsx")]
