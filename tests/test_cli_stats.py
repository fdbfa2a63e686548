"""`main.py stats` and `main.py ledger` on the command line."""
from __future__ import annotations

import hashlib
import json

from conftest import CLEAN, SEEDS
from test_cli import run


def test_stats_json_lists_the_items():
    proc = run("stats", SEEDS[1], "--json")
    assert proc.returncode == 0, proc.stderr
    obj = json.loads(proc.stdout)
    items = [(s["item"], s["value"], s["unit"], s["qualifier"]) for s in obj["stats"]]
    assert ("党组会（党委会）", 60, "次", "余") in items
    assert ("预备党员转正", 5, "名", None) in items


def test_stats_text_output():
    proc = run("stats", SEEDS[0])
    assert "讲党课：（待填）次" in proc.stdout


def test_ledger_appends_and_replaces(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "台账 2024.xlsx"
    proc = run("ledger", SEEDS[1], CLEAN[0], "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "已将" in proc.stdout
    rows_first = load_workbook(out)["台账明细"].max_row
    proc = run("ledger", SEEDS[1], "--out", out)  # the same unit and period again
    assert proc.returncode == 0, proc.stderr
    wb = load_workbook(out)
    assert wb["台账明细"].max_row == rows_first
    periods = {row[0] for row in wb["台账明细"].iter_rows(min_row=2, values_only=True)}
    assert periods == {"2023年度"}
    units = {row[1] for row in wb["台账明细"].iter_rows(min_row=2, values_only=True)}
    assert units == {"市局", "县农业农村局"}


def test_ledger_needs_a_period_when_the_report_has_none(tmp_path):
    report = tmp_path / "无年份.txt"
    report.write_text("关于落实全面从严治党主体责任情况通报\n一、工作开展情况\n召开党组会12次。\n", encoding="utf-8")
    out = tmp_path / "台账.xlsx"
    proc = run("ledger", report, "--out", out)
    assert proc.returncode == 2 and "--period" in proc.stderr
    assert not out.exists()
    proc = run("ledger", report, "--out", out, "--period", "2019年度", "--unit", "市直机关工委")
    assert proc.returncode == 0, proc.stderr


def test_seed_period_comes_from_the_preamble_when_the_title_has_no_year(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "台账.xlsx"
    proc = run("ledger", SEEDS[3], "--out", out, "--unit", "某市")
    assert proc.returncode == 0, proc.stderr
    periods = {row[0] for row in load_workbook(out)["台账明细"].iter_rows(min_row=2, values_only=True)}
    assert periods == {"2019年度"}


def test_ledger_refuses_a_corrupt_workbook_and_leaves_it(tmp_path):
    out = tmp_path / "坏台账.xlsx"
    out.write_bytes(b"this is not a workbook")
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    proc = run("ledger", SEEDS[1], "--out", out)
    assert proc.returncode == 2
    assert "坏台账.xlsx" in proc.stderr and "Traceback" not in proc.stderr
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before
