"""`main.py stats` and `main.py ledger` on the command line."""
from __future__ import annotations

import hashlib
import json

from helpers import CLEAN, SEEDS
from test_cli import run


def test_stats_json_lists_the_items():
    proc = run("stats", SEEDS[1], "--json")
    assert proc.returncode == 0, proc.stderr
    obj = json.loads(proc.stdout)
    items = [(s["item"], s["value"], s["measure"], s["qualifier"]) for s in obj["stats"]]
    assert ("党组会（党委会）", 60, "次", "余") in items
    assert ("预备党员转正", 5, "名", None) in items


def test_stats_text_output():
    proc = run("stats", SEEDS[0])
    assert "讲党课：（待填）次" in proc.stdout


def test_ledger_appends_and_replaces(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "台账 2024.xlsx"
    proc = run("ledger", SEEDS[1], CLEAN[0], "--out", out)
    # seed 001 names its unit "市局": a blank left by the site it was copied from, never filed as is
    assert proc.returncode == 2 and "市局" in proc.stderr and "--unit" in proc.stderr
    assert "县农业农村局" in proc.stdout
    proc = run("ledger", SEEDS[1], "--out", out, "--unit", "市城管局")
    assert proc.returncode == 0, proc.stderr
    assert "已将" in proc.stdout
    rows_first = load_workbook(out)["台账明细"].max_row
    proc = run("ledger", SEEDS[1], "--out", out, "--unit", "市城管局")  # the same unit and period again
    assert proc.returncode == 0, proc.stderr
    wb = load_workbook(out)
    assert wb["台账明细"].max_row == rows_first
    periods = {row[1] for row in wb["台账明细"].iter_rows(min_row=3, values_only=True)}
    assert periods == {"2023年度"}
    units = {row[2] for row in wb["台账明细"].iter_rows(min_row=3, values_only=True)}
    assert units == {"市城管局", "县农业农村局"}


def test_ledger_files_under_the_unit_the_report_states(tmp_path):
    from openpyxl import load_workbook

    report = tmp_path / "报告.txt"
    report.write_text("2024年度全面从严治党主体责任落实情况报告\n一、工作落实情况\n召开党组会12次。\n"
                      "中共市统计局党组\n2025年1月6日\n", encoding="utf-8")
    out = tmp_path / "台账.xlsx"
    proc = run("ledger", report, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "市统计局 2024年度" in proc.stdout
    assert {r[2] for r in load_workbook(out)["台账明细"].iter_rows(min_row=3, values_only=True)} == {"市统计局"}


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
    periods = {row[1] for row in load_workbook(out)["台账明细"].iter_rows(min_row=3, values_only=True)}
    assert periods == {"2019年度"}


def test_ledger_refuses_a_corrupt_workbook_and_leaves_it(tmp_path):
    out = tmp_path / "坏台账.xlsx"
    out.write_bytes(b"this is not a workbook")
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    proc = run("ledger", CLEAN[0], "--out", out)
    assert proc.returncode == 2
    assert "坏台账.xlsx" in proc.stderr and "Traceback" not in proc.stderr
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before
