"""The 台账 (Excel ledger) export: layout, append/replace, survival of the user's work, safety."""
from __future__ import annotations

import hashlib
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.office import ledger
from core.office.ledger import (
    DETAIL_HEADERS,
    FINDINGS_HEADERS,
    LedgerError,
    LedgerFinding,
    LedgerReport,
    LedgerRow,
    export_ledger,
    export_reports,
    format_period,
    parse_period,
    period_sort_key,
)
from core.office.ledger.workbook_io import load_ledger

UNIT = "市委宣传部"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# ------------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------------

def row(item, value, period="2023年第三季度", unit=UNIT, measure="次", qualifier=None,
        category="组织建设", source=None, location="第3行第5列"):
    source = source if source is not None else f"召开{item}{value if value is not None else '*'}{measure}。"
    return LedgerRow(period, unit, category, item, value, measure, qualifier, source, location)


def report_rows(period="2023年第三季度", unit=UNIT, base=0):
    return [
        row("党组会（党委会）", 12 + base, period, unit, qualifier="余"),
        row("中心组学习", 6 + base, period, unit),
        row("谈心谈话", None, period, unit, measure="人次", source="开展谈心谈话*人次。"),
        row("发展党员", 3 + base, period, unit, measure="名", category="党员队伍"),
    ]


def findings(n=2, tag=""):
    return [LedgerFinding("placeholder", "error", f"空白待填{tag}{i}", f"第{i + 4}行第8列", "*人次")
            for i in range(n)]


def export(path, period="2023年第三季度", unit=UNIT, rows=None, found=None, **kw):
    rows = report_rows(period, unit) if rows is None else rows
    found = findings() if found is None else found
    return export_ledger(path, rows, found, unit=unit, period=period, source_file="报告.docx", **kw)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


HR = 2  # the header row of a ledger made now: a title row above it
D = {h: get_column_letter(i) for i, h in enumerate(DETAIL_HEADERS, start=1)}  # 台账明细's column letters
F = {h: get_column_letter(i) for i, h in enumerate(FINDINGS_HEADERS, start=1)}  # 检查结果's
DETAIL_LAST, FINDINGS_LAST = D["位置"], F["来源文件"]
# The columns the row helpers give, in this order (the ledger's own order has 报告类型 and 口径 too).
OLD_ORDER = {"台账明细": ("报告期", "单位", "类别", "指标", "数值", "计量单位", "限定词", "状态", "原文", "位置"),
             "检查结果": ("报告期", "单位", "检查项", "级别", "说明", "位置", "原文", "来源文件", "规则")}


def header_row(ws) -> int:
    return next(r for r in (1, 2, 3) if ws.cell(r, 2).value in ("报告期", "单位") or ws.cell(r, 1).value == "报告期")


def detail_rows(ws, headers=None):
    """The data rows below the header as tuples of ``headers`` (default: the columns of OLD_ORDER,
    found by name, so 序号, 报告类型 and 口径 are checked on their own)."""
    hr = header_row(ws)
    names = [c.value for c in ws[hr]]
    wanted = headers or OLD_ORDER.get(ws.title) or tuple(n for n in names if n not in ("序号", None))
    cols = [names.index(h) if h in names else None for h in wanted]
    out = []
    for r in ws.iter_rows(min_row=hr + 1, values_only=True):
        picked = tuple(r[c] if c is not None and c < len(r) else None for c in cols)
        if any(v is not None for v in picked):
            out.append(picked)
    return out


def summary_rows(ws):
    """汇总's rows as (单位, 类别, 指标, 计量单位, periods…, 说明): 序号 and 报告类型 left out."""
    return [r[1:2] + r[3:] for r in ws.iter_rows(min_row=HR + 1, values_only=True) if r[3] is not None]


def summary_header(ws):
    return [c.value for c in ws[HR]][1:]


def sheet_xml(path: Path, sheet_title: str) -> str:
    """The raw XML of one worksheet, found through workbook.xml and its relationships."""
    with zipfile.ZipFile(path) as z:
        wb_xml = z.read("xl/workbook.xml").decode("utf-8")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        rid = re.search(rf'<sheet[^>]*name="{re.escape(sheet_title)}"[^>]*r:id="([^"]+)"', wb_xml)
        if rid is None:  # attribute order differs between writers
            rid = re.search(rf'<sheet[^>]*r:id="([^"]+)"[^>]*name="{re.escape(sheet_title)}"', wb_xml)
        target = re.search(rf'<Relationship[^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels)
        if target is None:
            target = re.search(rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
        name = target.group(1).lstrip("/")
        name = name if name.startswith("xl/") else "xl/" + name
        return z.read(name).decode("utf-8")


def cell_xml(xml: str, ref: str) -> str:
    m = re.search(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml, re.S)
    assert m, f"cell {ref} not found"
    return m.group(0)


@pytest.fixture
def book(tmp_path) -> Path:
    return tmp_path / "台账.xlsx"


def folder_listing(path: Path) -> list[str]:
    return sorted(os.listdir(path.parent))


# ------------------------------------------------------------------------------------------------
# 报告期
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2023年第三季度", (2023, 4, 3)),
    ("2023年第3季度", (2023, 4, 3)),
    ("2023年三季度", (2023, 4, 3)),
    ("2023年Q3", (2023, 4, 3)),
    ("２０２３年第一季度", (2023, 4, 1)),
    ("2023年上半年", (2023, 2, 1)),
    ("2023年下半年", (2023, 2, 2)),
    ("2023年度", (2023, 1, 1)),
    ("2023年年度", (2023, 1, 1)),
    ("2023年", (2023, 1, 1)),
    ("2023年全年", (2023, 1, 1)),
    ("二〇二三年度", (2023, 1, 1)),
    ("2023年3月", (2023, 12, 3)),
    ("2023年十二月", (2023, 12, 12)),
    ("2023年1-6月", (2023, 2, 1)),
    ("2023年7—9月", (2023, 4, 3)),
    (" 2023年 第四季度 ", (2023, 4, 4)),
    ("2023年1-9月", None),
    ("第三季度", None),
    ("", None),
    ("上半年工作", None),
])
def test_parse_period(text, expected):
    assert parse_period(text) == expected


def test_format_period_round_trips():
    for text in ("2023年第一季度", "2023年上半年", "2023年下半年", "2023年度", "2023年3月"):
        assert format_period(*parse_period(text)) == text


def test_period_sort_key_is_chronological():
    shuffled = ["2024年第一季度", "2023年度", "2023年下半年", "2023年第四季度", "2023年第三季度",
                "2023年上半年", "2023年第二季度", "2023年第一季度", "2023年3月", "其他", "2022年度"]
    assert sorted(shuffled, key=period_sort_key) == [
        "2022年度", "2023年3月", "2023年第一季度", "2023年第二季度", "2023年上半年", "2023年第三季度",
        "2023年第四季度", "2023年下半年", "2023年度", "2024年第一季度", "其他"]


# ------------------------------------------------------------------------------------------------
# a new ledger
# ------------------------------------------------------------------------------------------------

def test_new_ledger_layout(book):
    summary = export(book)
    assert summary["created"] is True
    assert summary["rows_written"] == 4 and summary["rows_replaced"] == 0
    assert summary["findings_written"] == 2
    assert summary["sheets"] == ["台账明细", "汇总", "汇总图表", "检查结果"]

    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["台账明细", "汇总", "汇总图表", "检查结果"]
    detail, total, checks = wb["台账明细"], wb["汇总"], wb["检查结果"]

    assert [c.value for c in detail[HR]] == list(DETAIL_HEADERS)
    assert [c.value for c in checks[HR]] == list(FINDINGS_HEADERS)
    assert detail.freeze_panes == checks.freeze_panes == "A3"
    assert total.freeze_panes == "G3"  # 序号 单位 报告类型 类别 指标 计量单位 | periods
    for ws in (detail, total, checks):
        assert all(c.font.bold for c in ws[HR] if c.value is not None)

    assert [(t.displayName, t.ref) for t in detail.tables.values()] == [("台账明细表", f"A2:{DETAIL_LAST}6")]
    assert [(t.displayName, t.ref) for t in checks.tables.values()] == [("检查结果表", f"A2:{FINDINGS_LAST}4")]
    chart_sheet = wb["汇总图表"]
    assert len(chart_sheet._charts) == 2 and not total._charts  # one per measure word: 次, 名
    assert all(chart.title is not None for chart in chart_sheet._charts)

    rows = detail_rows(detail)
    assert rows[0] == ("2023年第三季度", UNIT, "组织建设", "党组会（党委会）", 12, "次", "余", "已填",
                       "召开党组会（党委会）12次。", "第3行第5列")
    assert [detail.cell(r, 1).value for r in range(3, 7)] == [1, 2, 3, 4]  # 序号
    assert detail_rows(detail, ("报告类型", "口径")) == [("未识别类型", None)] * 4
    number = detail[f"{D['数值']}3"]
    assert number.data_type == "n" and isinstance(number.value, int) and number.number_format == "0"

    blank_value, blank_status = detail[f"{D['数值']}5"], detail[f"{D['状态']}5"]
    assert blank_value.value is None and blank_status.value == "待填"
    for cell in (blank_value, blank_status):
        assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("FFF2CC")
    assert number.fill.fill_type is None

    # 规则 and the file's path are for whoever keeps the ledger: last, and hidden from the office
    assert [c.value for c in checks[3]] == [1, "2023年第三季度", UNIT, "未识别类型", "空白待填", "错误", "空白待填0",
                                            "第4行第8列", "*人次", "placeholder", "报告.docx"]
    assert checks.column_dimensions[F["规则"]].hidden and checks.column_dimensions[F["来源文件"]].hidden
    assert not checks.column_dimensions[F["原文"]].hidden


def test_column_widths_count_cjk_as_two(book):
    long_source = "召开党组会议研究部署全面从严治党工作，听取专题汇报并提出具体要求"  # 32 CJK chars
    export(book, rows=[row("党组会（党委会）", 5, source=long_source)])
    ws = openpyxl.load_workbook(book)["台账明细"]
    assert ledger.display_width(long_source) == 64
    assert ws.column_dimensions[D["原文"]].width == 44  # 原文: capped, and wrapped
    assert ws.column_dimensions[D["指标"]].width == ledger.display_width("党组会（党委会）") + 2
    assert ws.column_dimensions["C"].width == ledger.display_width(UNIT) + 2


def test_empty_report_still_makes_a_valid_ledger(book):
    export(book, rows=[], found=[])
    wb = openpyxl.load_workbook(book)
    assert [t.ref for t in wb["台账明细"].tables.values()] == [f"A2:{DETAIL_LAST}3"]
    assert [t.ref for t in wb["检查结果"].tables.values()] == [f"A2:{FINDINGS_LAST}3"]
    assert len(wb["汇总图表"]._charts) == 0


def test_an_empty_file_becomes_a_new_ledger(book):
    book.write_bytes(b"")
    assert export(book)["rows_written"] == 4
    assert openpyxl.load_workbook(book).sheetnames == ["台账明细", "汇总", "汇总图表", "检查结果"]


# ------------------------------------------------------------------------------------------------
# adding and replacing
# ------------------------------------------------------------------------------------------------

def test_second_period_is_added_and_summary_is_chronological(book):
    export(book, period="2023年第三季度")
    summary = export(book, period="2023年第一季度", rows=report_rows("2023年第一季度", base=10))
    assert summary["created"] is False and summary["rows_replaced"] == 0
    assert summary["periods"] == ["2023年第一季度", "2023年第三季度"]
    assert summary["latest_period"] == "2023年第三季度"

    wb = openpyxl.load_workbook(book)
    detail = wb["台账明细"]
    periods = [r[0] for r in detail_rows(detail)]
    assert periods == ["2023年第三季度"] * 4 + ["2023年第一季度"] * 4
    assert [t.ref for t in detail.tables.values()] == [f"A2:{DETAIL_LAST}10"]
    assert [t.ref for t in wb["检查结果"].tables.values()] == [f"A2:{FINDINGS_LAST}6"]

    total = wb["汇总"]
    assert [c.value for c in total[HR]] == ["序号", "单位", "报告类型", "类别", "指标", "计量单位", "2023年第一季度",
                                           "2023年第三季度", "说明"]
    first = next(r for r in summary_rows(total) if r[2] == "党组会（党委会）")
    assert first[4:6] == (22, 12)


def test_reexport_same_unit_and_period_replaces(book):
    export(book, period="2023年第二季度")
    export(book, period="2023年第三季度")
    before = openpyxl.load_workbook(book)
    count = len(detail_rows(before["台账明细"]))
    findings_count = len(detail_rows(before["检查结果"]))

    summary = export(book, period="2023年第二季度", rows=report_rows("2023年第二季度", base=100),
                     found=findings(2, tag="新"))
    assert summary["rows_written"] == 4 and summary["rows_replaced"] == 4
    assert summary["findings_replaced"] == 2

    wb = openpyxl.load_workbook(book)
    rows = detail_rows(wb["台账明细"])
    assert len(rows) == count
    q2 = [r for r in rows if r[0] == "2023年第二季度"]
    assert [r[4] for r in q2] == [112, 106, None, 103]
    assert [r[0] for r in rows] == ["2023年第二季度"] * 4 + ["2023年第三季度"] * 4  # order kept
    checks = detail_rows(wb["检查结果"])
    assert len(checks) == findings_count
    assert [r[4] for r in checks if r[0] == "2023年第二季度"] == ["空白待填新0", "空白待填新1"]
    assert [t.ref for t in wb["台账明细"].tables.values()] == [f"A2:{DETAIL_LAST}10"]
    assert summary["replaced"] == [{"period": "2023年第二季度", "unit": UNIT, "type": "未识别类型", "rows": 4,
                                    "sources": ["报告.docx"]}]


def test_period_spelling_variants_count_as_the_same_period(book):
    export(book, period="2023年第三季度")
    summary = export(book, period="2023年第3季度", rows=report_rows("2023年第3季度", base=1))
    assert summary["rows_replaced"] == 4
    rows = detail_rows(openpyxl.load_workbook(book)["台账明细"])
    assert len(rows) == 4 and {r[0] for r in rows} == {"2023年第三季度"}


def test_different_unit_same_period_is_added(book):
    export(book, unit=UNIT)
    summary = export(book, unit="市纪委监委", rows=report_rows(unit="市纪委监委", base=1))
    assert summary["rows_replaced"] == 0
    wb = openpyxl.load_workbook(book)
    rows = detail_rows(wb["台账明细"])
    assert [r[1] for r in rows] == [UNIT] * 4 + ["市纪委监委"] * 4
    units = [r[0] for r in summary_rows(wb["汇总"])]
    assert units == [UNIT] * 4 + ["市纪委监委"] * 4


def test_replacing_with_fewer_rows_moves_later_rows_with_their_formatting_and_references(book):
    export(book, period="2023年第一季度")
    export(book, period="2023年第二季度")
    wb = openpyxl.load_workbook(book)
    detail = wb["台账明细"]
    # The user's own column beside the data, a highlighted row, a note and a formula elsewhere.
    v = D["数值"]
    detail["N2"] = "两倍"
    for r in range(3, 11):
        detail[f"N{r}"] = f"={v}{r}*2"
    detail["B8"].fill = PatternFill("solid", fgColor="FF00B0F0")
    detail.row_dimensions[8].height = 30
    mine = wb.create_sheet("我的统计")
    mine["A1"] = f"=台账明细!{v}8"
    mine["A2"] = f"=SUM(台账明细!{v}3:{v}10)"
    mine["A3"] = f"=台账明细!{v}4"
    wb.save(book)

    summary = export(book, period="2023年第一季度", rows=report_rows("2023年第一季度")[:2])
    assert summary["rows_written"] == 2 and summary["rows_replaced"] == 4

    wb = openpyxl.load_workbook(book)
    detail = wb["台账明细"]
    rows = detail_rows(detail)
    assert [r[0] for r in rows] == ["2023年第一季度"] * 2 + ["2023年第二季度"] * 4
    # Q2's second row was row 8 and is now row 6, with its fill, height and formula.
    assert detail[f"{D['指标']}6"].value == "中心组学习" and detail["B6"].value == "2023年第二季度"
    assert detail["B6"].fill.fgColor.rgb == "FF00B0F0"
    assert detail.row_dimensions[6].height == 30
    assert detail["N6"].value == f"={v}6*2"
    assert detail["N3"].value == f"={v}3*2" and detail["N4"].value == f"={v}4*2"  # reused slots keep theirs
    assert detail["N9"].value is None
    assert [detail.cell(r, 1).value for r in range(3, 9)] == [1, 2, 3, 4, 5, 6]  # 序号 follows
    mine = wb["我的统计"]
    assert mine["A1"].value == f"=台账明细!{v}6"
    assert mine["A2"].value == f"=SUM(台账明细!{v}3:{v}8)"
    assert mine["A3"].value == f"=台账明细!{v}4"
    assert [t.ref for t in detail.tables.values()] == [f"A2:{DETAIL_LAST}8"]


def test_replacing_with_more_rows_pushes_later_rows_down(book):
    export(book, period="2023年第一季度", rows=report_rows("2023年第一季度")[:2])
    export(book, period="2023年第二季度")
    wb = openpyxl.load_workbook(book)
    wb["台账明细"]["B5"].font = Font(italic=True, color="FFFF0000")
    wb.save(book)
    export(book, period="2023年第一季度")
    detail = openpyxl.load_workbook(book)["台账明细"]
    assert [r[0] for r in detail_rows(detail)] == ["2023年第一季度"] * 4 + ["2023年第二季度"] * 4
    assert detail["B7"].value == "2023年第二季度" and detail["B7"].font.italic
    assert detail["B7"].font.color.rgb == "FFFF0000"


def test_batch_export_of_many_reports(book):
    reports = [LedgerReport(UNIT, p, tuple(report_rows(p)), tuple(findings(1)), "x.docx")
               for p in ("2023年第一季度", "2023年第二季度", "2023年第一季度")]
    summary = export_reports(book, reports)
    assert summary["rows_written"] == 8
    rows = detail_rows(openpyxl.load_workbook(book)["台账明细"])
    assert [r[0] for r in rows] == ["2023年第二季度"] * 4 + ["2023年第一季度"] * 4


# ------------------------------------------------------------------------------------------------
# the user's own work survives
# ------------------------------------------------------------------------------------------------

def _style_of(cell):
    return (cell.value, cell.data_type, cell.font.name, cell.font.sz, cell.font.b, cell.font.i,
            cell.font.color.rgb if cell.font.color is not None else None,
            cell.fill.fill_type, cell.fill.fgColor.rgb, cell.number_format,
            cell.alignment.horizontal, cell.border.bottom.style)


def _snapshot(ws):
    return {
        "cells": {c.coordinate: _style_of(c) for row_ in ws.iter_rows() for c in row_},
        "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        "heights": {k: d.height for k, d in ws.row_dimensions.items()},
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
    }


def test_users_own_sheet_survives_a_round_trip(book):
    export(book, period="2023年第一季度")
    wb = openpyxl.load_workbook(book)
    mine = wb.create_sheet("我的统计")
    mine["A1"] = "党建工作统计"
    mine["A1"].font = Font(name="黑体", size=16, bold=True, color="FFC00000")
    mine["A1"].alignment = Alignment(horizontal="center")
    mine.merge_cells("A1:D2")
    mine["A3"], mine["B3"] = "党组会合计", "=SUM(台账明细!E2:E100)"
    mine["A4"], mine["B4"] = "比例", "=B3/4"
    mine["B4"].number_format = "0.00%"
    mine["A5"] = "=1+1 这是文字"
    mine["A5"].data_type = "s"
    mine["C3"].fill = PatternFill("solid", fgColor="FF92D050")
    mine.column_dimensions["A"].width = 25.5
    mine.column_dimensions["B"].width = 14
    mine.row_dimensions[3].height = 28
    mine.merge_cells("C5:D6")
    # The user also formats a row and adds a note column on 台账明细.
    detail = wb["台账明细"]
    detail["C4"].font = Font(name="楷体", bold=True)
    detail["M3"] = "已核实"
    wb.save(book)
    before = _snapshot(openpyxl.load_workbook(book)["我的统计"])
    detail_before = _style_of(openpyxl.load_workbook(book)["台账明细"]["C4"])

    export(book, period="2023年第二季度")
    export(book, period="2023年第二季度")  # and a replace

    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["台账明细", "汇总", "汇总图表", "检查结果", "我的统计"]
    after = _snapshot(wb["我的统计"])
    assert after == before
    assert wb["我的统计"]["B3"].value == "=SUM(台账明细!E2:E100)"
    assert wb["我的统计"]["A5"].data_type == "s"
    assert _style_of(wb["台账明细"]["C4"]) == detail_before
    assert wb["台账明细"]["M3"].value == "已核实"


def test_user_widened_columns_are_not_narrowed(book):
    export(book)
    wb = openpyxl.load_workbook(book)
    wb["台账明细"].column_dimensions["C"].width = 40
    wb.save(book)
    export(book, period="2023年第四季度")
    assert openpyxl.load_workbook(book)["台账明细"].column_dimensions["C"].width == 40


def test_grouped_column_widths_from_excel_do_not_overlap(book):
    export(book)
    wb = openpyxl.load_workbook(book)
    dims = wb["台账明细"].column_dimensions
    for letter in ("H", "I", "J", "K"):  # 数值 计量单位 限定词 状态
        del dims[letter]
    dims["H"].width = 9
    dims["H"].min, dims["H"].max = 8, 11  # how Excel writes four columns of equal width
    wb.save(book)
    export(book, period="2023年第四季度", rows=[row("党组会（党委会）", 3, "2023年第四季度",
                                                  measure="次次次次次次次次次次次次")])
    xml = sheet_xml(book, "台账明细")
    spans = [(int(a), int(b)) for a, b in re.findall(r'<col [^>]*?min="(\d+)" max="(\d+)"', xml)]
    covered = [c for a, b in spans for c in range(a, b + 1)]
    assert len(covered) == len(set(covered)), spans
    ws = openpyxl.load_workbook(book)["台账明细"]
    assert ws.column_dimensions["I"].width > 9  # 计量单位 widened for the long measure
    assert ws.column_dimensions["J"].width == 9


def test_existing_table_is_updated_not_duplicated(book):
    export(book)
    for period in ("2023年第四季度", "2024年第一季度"):
        export(book, period=period)
    wb = openpyxl.load_workbook(book)
    assert [(t.displayName, t.ref) for t in wb["台账明细"].tables.values()] == [("台账明细表", f"A2:{DETAIL_LAST}14")]
    assert [(t.displayName, t.ref) for t in wb["检查结果"].tables.values()] == [("检查结果表", f"A2:{FINDINGS_LAST}8")]


def test_a_foreign_summary_sheet_is_not_overwritten(book):
    wb = openpyxl.Workbook()
    wb.active.title = "汇总"
    wb.active["A1"] = "我们自己的汇总表"
    wb.save(book)
    digest = sha(book)
    with pytest.raises(LedgerError, match="汇总"):
        export(book)
    assert sha(book) == digest


def test_a_changed_detail_header_is_refused(book):
    export(book)
    wb = openpyxl.load_workbook(book)
    wb["台账明细"]["F2"] = "数量"
    wb.save(book)
    digest = sha(book)
    with pytest.raises(LedgerError, match="数值"):
        export(book, period="2023年第四季度")
    assert sha(book) == digest


# ------------------------------------------------------------------------------------------------
# text stays text
# ------------------------------------------------------------------------------------------------

FORMULA_LIKE = ["=1+1", "+86 010 12345678", "-3", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "\t=2"]


def test_formula_like_text_is_stored_as_text(book):
    rows = [row("党组会", i, source=text, location=text) for i, text in enumerate(FORMULA_LIKE)]
    export(book, rows=rows, found=[LedgerFinding("x", "warning", "=说明", "-1", "=原文")],
           unit="=单位")
    export(book, period="2023年第四季度", unit="=单位", rows=rows)  # and once more through a load

    wb = openpyxl.load_workbook(book)
    detail = wb["台账明细"]
    xml = sheet_xml(book, "台账明细")
    assert "<f>" not in xml and "<f " not in xml
    for r, text in enumerate(FORMULA_LIKE, start=3):
        for col in (D["原文"], D["位置"]):
            cell = detail[f"{col}{r}"]
            assert cell.value == text and cell.data_type == "s", (cell.coordinate, cell.value)
            assert 't="inlineStr"' in cell_xml(xml, cell.coordinate) or 't="s"' in cell_xml(xml, cell.coordinate)
        assert detail[f"C{r}"].value == "=单位"
    assert detail[f"{D['原文']}3"].quotePrefix  # Excel keeps it text when the user edits the cell
    checks_xml = sheet_xml(book, "检查结果")
    assert "<f>" not in checks_xml and "<f " not in checks_xml
    said = wb["检查结果"][f"{F['说明']}3"]
    assert said.value == "=说明" and said.data_type == "s"
    assert "<f>" not in sheet_xml(book, "汇总")


def test_control_characters_from_documents_are_dropped(book):
    export(book, rows=[row("党组会", 1, source="第一行\x0b第二行\x07")])
    assert openpyxl.load_workbook(book)["台账明细"][f"{D['原文']}3"].value == "第一行第二行"


# ------------------------------------------------------------------------------------------------
# 汇总: quarters against the year
# ------------------------------------------------------------------------------------------------

def _year_of_reports(book, items):
    """items: {指标: ([four quarterly values], annual value)} -> five reports of one unit."""
    periods = [format_period(2023, 4, i) for i in range(1, 5)] + ["2023年度"]
    reports = []
    for i, period in enumerate(periods):
        rows = tuple(row(item, (quarters + [annual])[i], period) for item, (quarters, annual) in items.items())
        reports.append(LedgerReport(UNIT, period, rows))
    return reports


def test_quarters_that_do_not_add_up_to_the_year_are_marked(book):
    reports = _year_of_reports(book, {"党组会（党委会）": ([10, 10, 10, 10], 45),
                                      "中心组学习": ([3, 3, 3, 3], 12)})
    summary = export_reports(book, reports)
    assert len(summary["mismatches"]) == 1 and "党组会" in summary["mismatches"][0]

    ws = openpyxl.load_workbook(book)["汇总"]
    header = [c.value for c in ws[HR]]
    assert header == ["序号", "单位", "报告类型", "类别", "指标", "计量单位", "2023年第一季度", "2023年第二季度",
                      "2023年第三季度", "2023年第四季度", "2023年度", "说明"]
    year_col = header.index("2023年度") + 1
    note_col = header.index("说明") + 1
    bad = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 5).value == "党组会（党委会）")
    good = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 5).value == "中心组学习")

    marked = ws.cell(bad, year_col)
    assert marked.value == 45
    assert marked.fill.fill_type == "solid" and marked.fill.fgColor.rgb.endswith("FFC7CE")
    assert marked.comment is not None and "40" in marked.comment.text and "45" in marked.comment.text
    assert "不一致" in ws.cell(bad, note_col).value

    clean = ws.cell(good, year_col)
    assert clean.value == 12 and clean.fill.fill_type is None and clean.comment is None
    assert ws.cell(good, note_col).value is None


def test_no_mark_without_all_four_quarters_or_with_a_blank(book):
    reports = _year_of_reports(book, {"党组会（党委会）": ([10, 10, None, 10], 45)})
    summary = export_reports(book, reports[:2] + reports[3:])  # Q3 missing entirely
    assert summary["mismatches"] == []
    summary = export_reports(book, reports)  # Q3 present but 待填
    assert summary["mismatches"] == []


def test_halves_are_checked_too_and_fixing_the_figure_clears_the_mark(book):
    export_reports(book, [LedgerReport(UNIT, "2023年上半年", (row("党组会", 6, "2023年上半年"),)),
                          LedgerReport(UNIT, "2023年下半年", (row("党组会", 6, "2023年下半年"),)),
                          LedgerReport(UNIT, "2023年度", (row("党组会", 13, "2023年度"),))])
    ws = openpyxl.load_workbook(book)["汇总"]
    assert ws["I3"].value == 13 and ws["I3"].comment is not None
    summary = export(book, period="2023年度", rows=[row("党组会", 12, "2023年度")])
    assert summary["mismatches"] == []
    ws = openpyxl.load_workbook(book)["汇总"]
    assert ws["I3"].value == 12 and ws["I3"].comment is None and ws["I3"].fill.fill_type is None


def test_summary_shows_qualifiers_and_blanks(book):
    export(book)
    ws = openpyxl.load_workbook(book)["汇总"]
    rows = {r[2]: r for r in summary_rows(ws)}
    assert rows["党组会（党委会）"][4] == 12
    assert ws["G3"].number_format == '0"余"'
    assert rows["谈心谈话"][4] == "待填"


def test_summary_follows_the_users_edits_in_the_detail_sheet(book):
    export(book)
    wb = openpyxl.load_workbook(book)
    wb["台账明细"][f"{D['数值']}5"] = 30  # the user fills in the blank 谈心谈话 by hand
    wb.save(book)
    export(book, period="2023年第四季度")
    ws = openpyxl.load_workbook(book)["汇总"]
    talk = next(r for r in summary_rows(ws) if r[2] == "谈心谈话")
    assert talk[4] == 30


def _chart_parts(book) -> list[str]:
    with zipfile.ZipFile(book) as z:
        return [z.read(n).decode("utf-8") for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")]


def _chart_block(ws) -> list[tuple]:
    """The numbers under the charts: (项目, 数量, 计量单位) rows."""
    rows = list(ws.iter_rows(min_row=1, values_only=True))
    top = next(i for i, r in enumerate(rows) if r[:3] == ("项目", "数量", "计量单位"))
    return [r[:3] for r in rows[top + 1:] if r[0] and r[1] is not None]


def test_chart_shows_the_latest_period(book):
    export(book, period="2023年第四季度", rows=report_rows("2023年第四季度", base=5))
    export(book, period="2023年第一季度")
    ws = openpyxl.load_workbook(book)["汇总图表"]
    assert len(ws._charts) == 2
    charts = _chart_parts(book)
    assert all("barChart" in xml and "2023年第四季度" in xml for xml in charts)
    assert _chart_block(ws) == [("党组会（党委会）", 17, "次"), ("中心组学习", 11, "次"), ("发展党员", 8, "名")]


def test_no_chart_puts_two_measure_words_on_one_axis_or_a_note_in_its_title(book):
    export(book)
    ws = openpyxl.load_workbook(book)["汇总图表"]
    assert ws["A1"].value == f"{UNIT}2023年第三季度各项工作数量"
    assert "（" not in ws["A1"].value  # no "（图表和数据随每次导出重新生成）"
    charts = _chart_parts(book)
    titles = sorted(re.search(r"<a:t>([^<]*)</a:t>", xml).group(1) for xml in charts)
    assert titles == ["2023年第三季度（计量单位：名）", "2023年第三季度（计量单位：次）"]
    block = _chart_block(ws)
    for xml in charts:  # each chart draws a run of rows of one measure word
        ref = re.search(r"<(?:c:)?val><(?:c:)?numRef><(?:c:)?f>'?汇总图表'?!\$B\$(\d+)(?::\$B\$(\d+))?</", xml)
        first, last = int(ref.group(1)), int(ref.group(2) or ref.group(1))
        measures = {ws.cell(r, 3).value for r in range(first, last + 1)}
        assert len(measures) == 1, measures
    assert {m for _l, _v, m in block} == {"次", "名"}


# ------------------------------------------------------------------------------------------------
# the target cannot be written: nothing changes, nothing is left behind
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lock_name", ["~$台账.xlsx", ".~lock.台账.xlsx#"])
def test_locked_by_excel(book, lock_name):
    export(book)
    lock = book.with_name(lock_name)
    lock.write_bytes(b"\x00" * 165)
    digest, listing = sha(book), folder_listing(book)
    with pytest.raises(LedgerError) as info:
        export(book, period="2023年第四季度")
    message = str(info.value)
    assert str(book) in message and "打开" in message
    assert sha(book) == digest and folder_listing(book) == listing


def test_read_only_file(book, monkeypatch):
    export(book)
    digest = sha(book)
    os.chmod(book, 0o444)
    listing = folder_listing(book)
    try:
        if IS_ROOT:  # root writes through chmod: simulate Windows refusing the replace instead
            def refuse(src, dst):
                raise PermissionError(13, "Permission denied", str(dst))
            monkeypatch.setattr(os, "replace", refuse)
        with pytest.raises(LedgerError) as info:
            export(book, period="2023年第四季度")
    finally:
        os.chmod(book, 0o644)
    assert str(book) in str(info.value)
    assert "只读" in str(info.value) or "权限" in str(info.value)
    assert sha(book) == digest and folder_listing(book) == listing


def test_replace_refused_while_open_elsewhere(book, monkeypatch):
    export(book)
    digest, listing = sha(book), folder_listing(book)

    def refuse(src, dst):
        raise PermissionError(13, "The process cannot access the file", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(LedgerError, match="占用") as info:
        export(book, period="2023年第四季度")
    assert str(book) in str(info.value)
    assert sha(book) == digest and folder_listing(book) == listing


def test_new_file_that_cannot_be_placed_leaves_nothing(book, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "denied", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(LedgerError):
        export(book)
    assert folder_listing(book) == []


@pytest.mark.skipif(IS_ROOT, reason="root can write into a read-only folder")
def test_read_only_folder(tmp_path):
    folder = tmp_path / "只读文件夹"
    folder.mkdir()
    book = folder / "台账.xlsx"
    export(book)
    digest = sha(book)
    os.chmod(folder, 0o555)
    try:
        with pytest.raises(LedgerError, match="权限"):
            export(book, period="2023年第四季度")
        assert sha(book) == digest and os.listdir(folder) == ["台账.xlsx"]
    finally:
        os.chmod(folder, 0o755)


def test_disk_full_while_saving(book, monkeypatch):
    export(book)
    digest, listing = sha(book), folder_listing(book)

    def full(self, filename):
        filename.write(b"PK partial")
        raise OSError(28, "No space left on device")

    from openpyxl.writer.excel import ExcelWriter

    def full_writer(self):
        full(None, self._archive.fp)

    monkeypatch.setattr(openpyxl.Workbook, "save", full)
    monkeypatch.setattr(ExcelWriter, "save", full_writer)
    with pytest.raises(LedgerError, match="磁盘空间不足"):
        export(book, period="2023年第四季度")
    assert sha(book) == digest and folder_listing(book) == listing


def _xlsx_without(tmp_path, part_pattern):
    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    wb.create_sheet("第二张")["A1"] = "y"
    wb.save(good)
    out = tmp_path / "broken.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if not re.fullmatch(part_pattern, item.filename):
                dst.writestr(item, src.read(item.filename))
    data = out.read_bytes()
    good.unlink()
    out.unlink()
    return data


@pytest.mark.parametrize("kind", ["random", "text", "truncated", "no-workbook", "no-sheet", "no-content-types"])
def test_corrupt_target(tmp_path, kind):
    book = tmp_path / "台账.xlsx"
    if kind == "random":
        data = os.urandom(4096)
    elif kind == "text":
        data = "这是一个文本文件，被改成了xlsx。\n".encode() * 20
    elif kind == "truncated":
        wb = openpyxl.Workbook()
        wb.save(book)
        data = book.read_bytes()[:-200]
    elif kind == "no-workbook":
        data = _xlsx_without(tmp_path, r"xl/workbook\.xml")
    elif kind == "no-sheet":
        data = _xlsx_without(tmp_path, r"xl/worksheets/sheet2\.xml")
    else:
        data = _xlsx_without(tmp_path, r"\[Content_Types\]\.xml")
    book.write_bytes(data)
    digest, listing = sha(book), folder_listing(book)
    with pytest.raises(LedgerError) as info:
        export(book)
    message = str(info.value)
    assert str(book) in message
    assert re.search("损坏|不是有效|缺少", message), message
    assert sha(book) == digest and folder_listing(book) == listing


def test_wrong_extension_and_missing_folder(tmp_path):
    with pytest.raises(LedgerError, match=r"\.xlsx"):
        export(tmp_path / "台账.xls")
    with pytest.raises(LedgerError, match="不存在"):
        export(tmp_path / "没有这个文件夹" / "台账.xlsx")
    assert os.listdir(tmp_path) == []


def test_chinese_path_with_spaces(tmp_path):
    folder = tmp_path / "党建 工作" / "2023 年 台账"
    folder.mkdir(parents=True)
    book = folder / "市委 宣传部 台账.xlsx"
    export(book)
    export(book, period="2023年第四季度")
    wb = openpyxl.load_workbook(book)
    assert len(detail_rows(wb["台账明细"])) == 8
    assert os.listdir(folder) == ["市委 宣传部 台账.xlsx"]


def test_file_permissions_are_kept(book):
    export(book)
    os.chmod(book, 0o640)
    export(book, period="2023年第四季度")
    assert (os.stat(book).st_mode & 0o777) == 0o640


# ------------------------------------------------------------------------------------------------
# the faster loader reads exactly what openpyxl reads
# ------------------------------------------------------------------------------------------------

def test_fast_loader_matches_openpyxl(book):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    export(book, rows=[row("党组会", 1, source="  前后有空格  "), row("谈心", None, source="")])
    wb = openpyxl.load_workbook(book, rich_text=True)
    wb["台账明细"]["O3"] = CellRichText("普通", TextBlock(InlineFont(b=True), "加粗"))
    wb["台账明细"]["O4"] = "=1+2"
    wb["台账明细"]["O5"] = __import__("datetime").date(2024, 1, 5)  # a number with a date format: a date
    wb["台账明细"]["O6"] = 2.5
    wb["台账明细"]["O7"].fill = PatternFill("solid", fgColor="FFFF0000")  # styled, empty
    wb.save(book)
    plain = openpyxl.load_workbook(book, rich_text=True)
    fast, _data = load_ledger(book)
    for ws in plain.worksheets:
        other = fast[ws.title]
        for r in ws.iter_rows():
            for c in r:
                o = other[c.coordinate]
                assert (str(c.value), c.data_type, c.style_id) == (str(o.value), o.data_type, o.style_id)
    assert isinstance(fast["台账明细"]["O3"].value, CellRichText)
    assert fast["台账明细"]["O5"].is_date and fast["台账明细"]["O6"].value == 2.5


def test_fast_loader_steps_aside_for_a_parser_it_was_not_made_for(book, monkeypatch):
    from openpyxl.worksheet import _reader as reader

    export(book, rows=[row("党组会", 1, source="=看似公式"), row("谈心", None, source="")])
    original = reader.WorkSheetParser.parse_cell
    calls = []

    def other_parse_cell(self, element, extra=None):  # a signature the loader does not know
        calls.append(1)
        return original(self, element)

    monkeypatch.setattr(reader.WorkSheetParser, "parse_cell", other_parse_cell)
    loaded, _data = load_ledger(book)
    assert calls, "openpyxl's own parser did the work"
    assert reader.WorkSheetParser.parse_cell is other_parse_cell
    plain = openpyxl.load_workbook(book, rich_text=True)
    for ws in plain.worksheets:
        for r in ws.iter_rows():
            for c in r:
                o = loaded[ws.title][c.coordinate]
                assert (c.value, c.data_type, c.style_id) == (o.value, o.data_type, o.style_id)


def test_ledger_write_pauses_the_garbage_collector_only_while_it_runs(book):
    import gc

    during = []
    assert gc.isenabled()
    export_ledger(book, [row("党组会", 3)], [], unit=UNIT, period="2023年第三季度",
                  progress=lambda i, n, label: during.append(gc.isenabled()))
    # the first step is announced at once, before the ledger's lock is taken and anything is read
    assert during and not any(during[1:])
    assert gc.isenabled()
    damaged = book.with_name("损坏.xlsx")
    damaged.write_bytes(b"not a workbook")
    with pytest.raises(LedgerError):  # a load that fails inside the pause gives it back too
        export_ledger(damaged, [row("党组会", 3)], [], unit=UNIT, period="2023年第三季度")
    assert gc.isenabled()
    gc.disable()
    try:  # a process that had it off keeps it off
        export_ledger(book, [row("党组会", 4)], [], unit=UNIT, period="2023年第四季度")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_summary_takes_a_restated_total_once_but_adds_per_activity_counts(tmp_path):
    from openpyxl import load_workbook

    from core.office.ledger import LedgerRow, export_ledger

    def row(item, value, category="组织建设"):
        return LedgerRow(period="2024年度", unit="市审计局", category=category, item=item, value=value,
                         measure="个", qualifier=None, source="原文。", location="第1行第1列")

    path = tmp_path / "台账.xlsx"
    # 党组会 is a period total stated twice; 发现问题 is counted per inspection
    export_ledger(path, [row("党组会（党委会）", 15), row("党组会（党委会）", 15),
                         row("发现问题", 19, "监督检查"), row("发现问题", 13, "监督检查")], [],
                  unit="市审计局", period="2024年度")
    ws = load_workbook(path)["汇总"]
    figures = {r[2]: r[4] for r in summary_rows(ws)}
    assert figures["党组会（党委会）"] == 15
    assert figures["发现问题"] == 32


# ------------------------------------------------------------------------------------------------
# a ledger that prints
# ------------------------------------------------------------------------------------------------

LONG_SOURCE = ("全年召开党组会26次，研究全面从严治党议题32项，干部任免、审计项目计划、大额资金使用等“三重一大”"
               "事项全部经党组集体研究决定，会后逐项明确责任领导和完成时限，由办公室跟踪督办并按月通报进展情况。")


def test_each_sheet_prints_as_an_office_ledger(book):
    export(book, rows=[row("党组会（党委会）", 26, source=LONG_SOURCE), *report_rows()[1:]])
    export(book, period="2024年度", rows=report_rows("2024年度"))
    wb = openpyxl.load_workbook(book)
    detail, total, checks = wb["台账明细"], wb["汇总"], wb["检查结果"]

    assert detail["A1"].value == f"{UNIT}全面从严治党统计台账（2023—2024年）"
    assert total["A1"].value == f"{UNIT}全面从严治党统计台账汇总（2023—2024年）"
    assert checks["A1"].value == f"{UNIT}报告检查结果（2023—2024年）"
    assert f"A1:{DETAIL_LAST}1" in {str(r) for r in detail.merged_cells.ranges}
    for ws in (detail, total, checks):
        assert ws["A1"].font.b and ws["A1"].font.sz >= 14
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$2:$2"  # the header row on every page
        assert "&P" in ws.oddFooter.center.text
    # borders round every cell of the data rows (one conditional format: per-cell styles cost time
    # in a big ledger); 原文 wraps inside a capped width, and its row is tall enough
    for ws, last in ((detail, f"{DETAIL_LAST}10"), (checks, f"{FINDINGS_LAST}6")):
        grid = [(str(cf.sqref), rule) for cf in ws.conditional_formatting for rule in cf.rules]
        assert [(area, rule.formula) for area, rule in grid] == [(f"A3:{last}", ["LEN($B3)>0"])]
        assert grid[0][1].dxf.border.left.style == grid[0][1].dxf.border.bottom.style == "thin"
    assert detail[f"{D['原文']}3"].alignment.wrap_text and detail.column_dimensions[D["原文"]].width <= 50
    # fitted to the width of a landscape A4 page, 11 pt text stays at 8.5 pt or more: about 175
    # character widths at most across the printed columns
    for ws in (detail, checks):
        widths = [d.width for k, d in ws.column_dimensions.items() if not d.hidden and d.width]
        assert sum(widths) <= 180, (ws.title, sum(widths))
    lines = -(-ledger.display_width(LONG_SOURCE) // 43)
    assert lines >= 4 and detail.row_dimensions[3].height >= lines * 14
    assert detail.row_dimensions[4].height is None  # one line: the default height
    assert [detail.cell(r, 1).value for r in range(3, 11)] == list(range(1, 9))
    assert total["A3"].value == 1 and total["A3"].border.top.style == "thin"


def test_the_chart_has_a_sheet_of_its_own(book):
    export(book)
    wb = openpyxl.load_workbook(book)
    sheet = wb["汇总图表"]
    assert len(sheet._charts) == 2 and not wb["汇总"]._charts
    assert sheet["A1"].value.startswith(f"{UNIT}2023年第三季度各项工作数量")
    assert sheet.page_setup.orientation == "landscape"
    assert ("党组会（党委会）", 12, "次") in _chart_block(sheet)


def test_a_foreign_chart_sheet_is_not_overwritten(book):
    export(book)
    wb = openpyxl.load_workbook(book)
    wb["汇总图表"].title = "旧图表"
    wb.create_sheet("汇总图表")["A1"] = "我自己画的图"
    wb.save(book)
    digest = sha(book)
    with pytest.raises(LedgerError, match="汇总图表"):
        export(book, period="2023年第四季度")
    assert sha(book) == digest


def test_findings_name_the_checklist_item_and_keep_the_rule_id_last(book):
    found = [LedgerFinding("count-norm", "warning", "讲党课次数低于常规要求。", "第5行第1列", "讲党课1次"),
             LedgerFinding("term", "warning", "提法不规范。", "第6行第2列", "一岗两责", group="规范提法"),
             LedgerFinding("my-own-rule", "info", "自定义。", "第7行第1列", "")]
    export(book, found=found)
    ws = openpyxl.load_workbook(book)["检查结果"]
    assert [c.value for c in ws[HR]][-2:] == ["规则", "来源文件"]
    assert detail_rows(ws, ("检查项", "规则")) == [
        ("统计数据", "count-norm"), ("规范提法", "term"), ("my-own-rule", "my-own-rule")]
    assert ws.column_dimensions[F["规则"]].width <= 12  # narrow
    assert ws.column_dimensions[F["检查项"]].width >= ledger.display_width("统计数据") + 2


def test_progress_is_reported_step_by_step(book):
    steps = []
    export(book, progress=lambda i, n, label: steps.append((i, n, label)))
    assert [s[0] for s in steps] == list(range(len(ledger.EXPORT_STEPS)))
    assert {s[1] for s in steps} == {len(ledger.EXPORT_STEPS)} and steps[-1][2] == "保存台账"


OLD_DETAIL = ("报告期", "单位", "类别", "指标", "数值", "计量单位", "限定词", "状态", "原文", "位置")
OLD_FINDINGS = ("报告期", "单位", "规则", "级别", "说明", "位置", "原文", "来源文件")


def _ledger_of_the_previous_version(path):
    """A ledger as the version before the title row wrote it: headers in row 1, no 序号/检查项."""
    from openpyxl.worksheet.table import Table

    wb = openpyxl.Workbook()
    detail = wb.active
    detail.title = "台账明细"
    detail.append(OLD_DETAIL)
    detail.append(["2023年第二季度", UNIT, "组织建设", "党组会（党委会）", 9, "次", None, "已填", "召开党组会9次。", "第3行第1列"])
    detail.append(["2023年第二季度", UNIT, "理论学习", "中心组学习", 3, "次", None, "已填", "学习3次。", "第4行第1列"])
    detail.add_table(Table(displayName="台账明细表", ref="A1:J3"))
    total = wb.create_sheet("汇总")
    total.append(["单位", "类别", "指标", "计量单位", "2023年第二季度", "说明"])
    checks = wb.create_sheet("检查结果")
    checks.append(OLD_FINDINGS)
    checks.append(["2023年第二季度", UNIT, "placeholder", "错误", "数字空白", "第5行第2列", "*次", "旧.docx"])
    wb.save(path)


def test_a_ledger_of_the_previous_version_keeps_its_layout(book):
    _ledger_of_the_previous_version(book)
    summary = export(book, found=[LedgerFinding("count-norm", "warning", "低于要求。", "第1行第1列", "x")])
    assert summary["rows_written"] == 4 and summary["rows_replaced"] == 0
    wb = openpyxl.load_workbook(book)
    detail, checks = wb["台账明细"], wb["检查结果"]
    # no title row pushed in, no 序号 added; 报告类型 and 口径 added after the last column (the old
    # rows keep them blank: of an unknown type, they are never replaced by a typed report)
    assert [c.value for c in detail[1]] == [*OLD_DETAIL, "报告类型", "口径"]
    assert [r[0] for r in detail_rows(detail)] == ["2023年第二季度"] * 2 + ["2023年第三季度"] * 4
    assert [r[10] for r in detail.iter_rows(min_row=2, values_only=True)] == [None] * 2 + ["未识别类型"] * 4
    assert [t.ref for t in detail.tables.values()] == ["A1:L7"]
    assert [c.value for c in checks[1]] == [*OLD_FINDINGS, "报告类型"]
    assert [r[2] for r in checks.iter_rows(min_row=2, values_only=True)] == ["placeholder", "count-norm"]
    # printed all the same: the title in the page header, the header row repeated
    assert detail.oddHeader.center.text == f"{UNIT}全面从严治党统计台账（2023年）"
    assert detail.print_title_rows == "$1:$1" and detail.page_setup.orientation == "landscape"
    # 汇总 is ours and rebuilt in the new layout
    assert summary_header(wb["汇总"])[:7] == ["单位", "报告类型", "类别", "指标", "计量单位", "2023年第二季度",
                                             "2023年第三季度"]
    # and the next export of the same period replaces its rows there
    again = export(book, rows=report_rows(base=1))
    assert again["rows_replaced"] == 4
    assert len(detail_rows(openpyxl.load_workbook(book)["台账明细"])) == 6


def test_print_settings_the_user_changed_are_kept(book):
    export(book)
    wb = openpyxl.load_workbook(book)
    wb["台账明细"].page_setup.orientation = "portrait"
    wb["台账明细"].print_title_rows = "1:2"
    wb.save(book)
    export(book, period="2023年第四季度")
    detail = openpyxl.load_workbook(book)["台账明细"]
    assert detail.page_setup.orientation == "portrait" and detail.print_title_rows == "$1:$2"


def test_the_users_conditional_formats_stay_beside_the_grid(book):
    from openpyxl.formatting.rule import CellIsRule

    export(book)
    wb = openpyxl.load_workbook(book)
    wb["台账明细"].conditional_formatting.add(
        "H3:H100", CellIsRule(operator="greaterThan", formula=["10"], fill=PatternFill("solid", fgColor="FFFF0000")))
    wb.save(book)
    export(book, period="2023年第四季度")
    export(book, period="2023年第四季度")
    rules = [(str(cf.sqref), r.type, r.formula) for cf in openpyxl.load_workbook(book)["台账明细"].conditional_formatting
             for r in cf.rules]
    assert ("H3:H100", "cellIs", ["10"]) in rules
    assert [r for r in rules if r[1] == "expression"] == [(f"A3:{DETAIL_LAST}10", "expression", ["LEN($B3)>0"])]


# ------------------------------------------------------------------------------------------------
# one writer at a time (two real processes; they meet at events, never at a time)
# ------------------------------------------------------------------------------------------------

def _spawn():
    import multiprocessing

    return multiprocessing.get_context("spawn")


def _units_in(book: Path) -> set[str]:
    return {r[1] for r in detail_rows(openpyxl.load_workbook(book)["台账明细"])}


def test_two_writers_at_once_both_keep_their_rows(book):
    import ledger_race

    export(book, unit="市统计局")  # both writers read the same existing ledger
    ctx = _spawn()
    ready, go, blocked = ctx.Event(), ctx.Event(), ctx.Event()
    first = ctx.Process(target=ledger_race.write_pausing, args=(str(book), ["市审计局", "区司法局"], ready, go))
    second = ctx.Process(target=ledger_race.write_after, args=(str(book), "县教育局", ready, blocked))
    first.start()
    second.start()
    try:
        # The first writer has read the ledger and stops before saving it; the second is then
        # either waiting for the lock, or (were there none) has read the same old ledger and is
        # about to save it over the first writer's rows.
        assert blocked.wait(ledger_race.WAIT), "the second writer never got going"
        go.set()
        first.join(ledger_race.WAIT)
        second.join(ledger_race.WAIT)
    finally:
        for p in (first, second):
            if p.is_alive():
                p.kill()
    assert (first.exitcode, second.exitcode) == (0, 0)
    assert _units_in(book) == {"市统计局", "市审计局", "区司法局", "县教育局"}
    assert not book.with_name("~$" + book.name).exists()
    assert folder_listing(book) == [book.name]


def test_a_writer_that_died_holding_the_lock_does_not_block_the_next(book):
    import ledger_race

    export(book)
    ctx = _spawn()
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=ledger_race.hold_lock, args=(str(book), ready, release))
    holder.start()
    assert ready.wait(ledger_race.WAIT)
    lock = book.with_name("~$" + book.name)
    text = lock.read_text(encoding="utf-8")
    assert text.startswith("主体责任报告助手正在写入这个台账") and f"进程：{holder.pid}" in text
    assert "用户：" in text and "开始时间：20" in text
    holder.kill()  # as a crash or a kill -9 would: the lock file stays behind
    holder.join(ledger_race.WAIT)
    assert lock.exists()
    summary = export(book, period="2023年第四季度", wait=0)  # taken over at once, no waiting
    assert summary["rows_written"] == 4
    assert not lock.exists() and folder_listing(book) == [book.name]


def test_a_live_holder_is_waited_for_then_named(book):
    import ledger_race

    export(book)
    digest = sha(book)
    ctx = _spawn()
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=ledger_race.hold_lock, args=(str(book), ready, release))
    holder.start()
    try:
        assert ready.wait(ledger_race.WAIT)
        told = []
        with pytest.raises(LedgerError) as info:
            export(book, period="2023年第四季度", wait=0,
                   progress=lambda i, n, label: told.append(label))
    finally:
        release.set()
        holder.join(ledger_race.WAIT)
    message = str(info.value)
    assert str(book) in message and "正在写入这个台账" in message and "~$台账.xlsx" in message
    assert "计算机" in message and "起" in message  # who, where and since when
    assert any(label.startswith("等待") for label in told)
    assert sha(book) == digest
    assert export(book, period="2023年第四季度")["rows_written"] == 4  # free again once it is done


def test_an_office_programs_owner_file_is_not_mistaken_for_our_lock(book):
    from core.office.ledger.lock import is_our_lock

    export(book)
    lock = book.with_name("~$" + book.name)
    lock.write_bytes(b"\x06zhangsan" + b" " * 48 + b"\x00" * 107)  # Excel's owner-file layout
    assert not is_our_lock(lock)
    with pytest.raises(LedgerError, match="正在Excel、WPS或LibreOffice中打开"):
        export(book, period="2023年第四季度", wait=0)
    assert lock.read_bytes().startswith(b"\x06zhangsan")  # left as it was


# ------------------------------------------------------------------------------------------------
# a ledger saved by LibreOffice or Excel: rich text read as plain text
# ------------------------------------------------------------------------------------------------

def test_a_ledger_with_rich_text_cells_is_read_as_plain_text(book):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    export(book)
    export(book, period="2023年第四季度", rows=report_rows("2023年第四季度", base=1))
    wb = openpyxl.load_workbook(book, rich_text=True)
    ws = wb["台账明细"]
    bold = InlineFont(b=True)
    for r in range(3, 11):  # as LibreOffice saves cells that mix scripts: runs of formatted text
        for header in ("报告期", "单位", "报告类型", "指标", "计量单位", "原文"):
            cell = ws[f"{D[header]}{r}"]
            text = str(cell.value)
            cell.value = CellRichText(text[:1], TextBlock(bold, text[1:])) if len(text) > 1 else cell.value
        value = ws[f"{D['数值']}{r}"].value
        if value is not None:
            ws[f"{D['数值']}{r}"].value = CellRichText(str(value))
    wb.save(book)
    summary = export(book, rows=report_rows(base=2))  # replaces 2023年第三季度's rows
    assert summary["rows_replaced"] == 4 and summary["rows_written"] == 4
    wb = openpyxl.load_workbook(book)
    rows = detail_rows(wb["台账明细"])
    assert [r[0] for r in rows] == ["2023年第三季度"] * 4 + ["2023年第四季度"] * 4
    totals = {r[2]: r for r in summary_rows(wb["汇总"])}
    assert totals["党组会（党委会）"][4:6] == (14, 13)  # the rich-text 13 of the fourth quarter, read as a number


# ------------------------------------------------------------------------------------------------
# nothing of the user's is dropped: text boxes, Excel 2010 drop-downs, data bars, sparklines
# (hand-built XML, as Excel writes it)
# ------------------------------------------------------------------------------------------------

X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DV_URI, CF_URI, SPARK_URI = ("{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}", "{78C0D931-6437-407d-A8EE-F0AAD7539E65}",
                             "{05C60535-1F16-4fd2-B633-F4F36F0B64E0}")
BAR_ID = "{6A1D3E2B-0000-4C5D-9E8F-0123456789AB}"


def _text_box(text: str, row: int) -> str:
    return (f'<xdr:twoCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row>'
            f'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff>'
            f'<xdr:row>{row + 3}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro="" textlink="">'
            f'<xdr:nvSpPr><xdr:cNvPr id="2" name="文本框 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr>'
            f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="1828800" cy="571500"/></a:xfrm><a:prstGeom prst="rect">'
            f'<a:avLst/></a:prstGeom></xdr:spPr><xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>{text}</a:t>'
            f'</a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>')


def _drawing(body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
            f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">{body}</xdr:wsDr>')


def _dropdown(source: str, sqref: str) -> str:
    return (f'<ext uri="{DV_URI}" xmlns:x14="{X14}"><x14:dataValidations count="1" xmlns:xm="{XM}">'
            f'<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
            f'<x14:formula1><xm:f>{source}</xm:f></x14:formula1><xm:sqref>{sqref}</xm:sqref>'
            f'</x14:dataValidation></x14:dataValidations></ext>')


def _sparkline(data: str, cell: str) -> str:
    return (f'<ext uri="{SPARK_URI}" xmlns:x14="{X14}"><x14:sparklineGroups xmlns:xm="{XM}">'
            f'<x14:sparklineGroup displayEmptyCellsAs="gap"><x14:colorSeries rgb="FF376092"/>'
            f'<x14:sparklines><x14:sparkline><xm:f>{data}</xm:f><xm:sqref>{cell}</xm:sqref></x14:sparkline>'
            f'</x14:sparklines></x14:sparklineGroup></x14:sparklineGroups></ext>')


def _data_bar_x14(sqref: str) -> str:
    return (f'<ext uri="{CF_URI}" xmlns:x14="{X14}"><x14:conditionalFormattings>'
            f'<x14:conditionalFormatting xmlns:xm="{XM}"><x14:cfRule type="dataBar" id="{BAR_ID}">'
            f'<x14:dataBar minLength="0" maxLength="100" gradient="0"><x14:cfvo type="autoMin"/>'
            f'<x14:cfvo type="autoMax"/><x14:negativeFillColor rgb="FFFF0000"/><x14:axisColor rgb="FF000000"/>'
            f'</x14:dataBar></x14:cfRule><xm:sqref>{sqref}</xm:sqref></x14:conditionalFormatting>'
            f'</x14:conditionalFormattings></ext>')


def _add_user_features(book: Path) -> None:
    """Give the ledger what openpyxl cannot keep: a sheet of the user's with a text box, a data bar
    (2007 rule + its Excel 2010 part), a drop-down listing 台账明细's 指标, a sparkline, shared
    strings and a formula; and in 台账明细 itself a drop-down, a sparkline and a text box."""
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    detail_part = "xl/worksheets/sheet1.xml"
    assert b"\xe5\x8f\xb0" in parts["xl/workbook.xml"] or "台账明细" in parts["xl/workbook.xml"].decode()
    v, item = D["数值"], D["指标"]
    mine = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{REL}" '
            f'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
            f'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            f'<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><f>SUM(台账明细!{v}7:{v}10)</f><v>0</v></c>'
            f'<c r="C2"><v>3</v></c></row><row r="3"><c r="C3"><v>7</v></c></row><row r="4"><c r="C4"><v>5</v></c>'
            f'</row></sheetData>'
            f'<conditionalFormatting sqref="C2:C4"><cfRule type="dataBar" priority="1"><dataBar><cfvo type="min"/>'
            f'<cfvo type="max"/><color rgb="FF638EC6"/></dataBar><extLst><ext uri="{{B025F937-C7B1-47D3-B67F-A62EFF666E3E}}" '
            f'xmlns:x14="{X14}"><x14:id>{BAR_ID}</x14:id></ext></extLst></cfRule></conditionalFormatting>'
            f'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            f'<drawing r:id="rId1"/>'
            f'<extLst>{_data_bar_x14("C2:C4")}{_dropdown(f"台账明细!${item}$3:${item}$10", "D2:D4")}'
            f'{_sparkline("我的表!C2:C4", "E2")}</extLst></worksheet>')
    parts["xl/worksheets/sheetmine.xml"] = mine.encode("utf-8")
    parts["xl/worksheets/_rels/sheetmine.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{REL}/drawing" Target="../drawings/drawingmine.xml"/>'
        f'</Relationships>').encode()
    parts["xl/drawings/drawingmine.xml"] = _drawing(_text_box("我的说明：数字以办公室核对为准", 6)).encode("utf-8")
    parts["xl/sharedStrings.xml"] = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                                     'openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">'
                                     '<si><t>名称</t></si><si><t>合计</t></si><si><r><t>党组会</t></r>'
                                     '<r><rPr><b/></rPr><t>（本表）</t></r></si></sst>').encode()
    # 台账明细: a drop-down in the user's column N, a sparkline of 数值 rows 7-10, a text box at row 8
    detail = parts[detail_part].decode("utf-8")
    detail = detail.replace("<tableParts", f'<drawing xmlns:r="{REL}" r:id="rId9"/><tableParts', 1)
    detail = detail.replace("</worksheet>", f'<extLst>{_dropdown("我的表!$A$1:$A$2", "N7:N10")}'
                                            f'{_sparkline(f"台账明细!{v}7:{v}10", "O8")}</extLst></worksheet>')
    detail = detail.replace("<worksheet ", f'<worksheet xmlns:xm="{XM}" ', 1)
    parts[detail_part] = detail.encode("utf-8")
    rels = parts["xl/worksheets/_rels/sheet1.xml.rels"].decode("utf-8")
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = rels.replace(
        "</Relationships>", f'<Relationship Id="rId9" Type="{REL}/drawing" Target="../drawings/drawingdetail.xml"/>'
                            f'</Relationships>').encode("utf-8")
    parts["xl/drawings/drawingdetail.xml"] = _drawing(_text_box("请各单位核对本行", 7)).encode("utf-8")
    wbxml = parts["xl/workbook.xml"].decode("utf-8")
    wbxml = wbxml.replace("</sheets>", f'<sheet xmlns:r="{REL}" name="我的表" sheetId="9" r:id="rId90"/></sheets>')
    parts["xl/workbook.xml"] = wbxml.encode("utf-8")
    wbrels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    parts["xl/_rels/workbook.xml.rels"] = wbrels.replace("</Relationships>", (
        f'<Relationship Id="rId90" Type="{REL}/worksheet" Target="worksheets/sheetmine.xml"/>'
        f'<Relationship Id="rId91" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')).encode()
    types = parts["[Content_Types].xml"].decode("utf-8")
    ss = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts["[Content_Types].xml"] = types.replace("</Types>", (
        f'<Override PartName="/xl/worksheets/sheetmine.xml" ContentType="{ss}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ss}.sharedStrings+xml"/>'
        f'<Override PartName="/xl/drawings/drawingmine.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.drawing+xml"/><Override PartName="/xl/drawings/drawingdetail.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.drawing+xml"/></Types>')).encode("utf-8")
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", parts.pop("[Content_Types].xml"))
        for name, data in parts.items():
            z.writestr(name, data)


def _all_xml(book: Path) -> dict[str, str]:
    with zipfile.ZipFile(book) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def _sheet_and_drawing(book: Path, title: str) -> tuple[str, str]:
    xml = sheet_xml(book, title)
    parts = _all_xml(book)
    drawings = [t for n, t in parts.items() if n.startswith("xl/drawings/") and n.endswith(".xml")
                and "文本框" in t]
    return xml, "".join(drawings)


def test_the_users_text_boxes_dropdowns_data_bars_and_sparklines_are_kept(book):
    export(book, period="2023年第一季度")
    export(book, period="2023年第二季度")
    _add_user_features(book)
    assert openpyxl.load_workbook(book)["我的表"]["A2"].value is not None  # a valid workbook to start with

    # Replace the first quarter with fewer rows: 台账明细's rows 7-10 (the second quarter) move up to 5-8.
    export(book, period="2023年第一季度", rows=report_rows("2023年第一季度")[:2])
    v, item = D["数值"], D["指标"]

    mine, mine_drawing = _sheet_and_drawing(book, "我的表")
    assert "我的说明：数字以办公室核对为准" in mine_drawing  # the text box
    assert f'<x14:cfRule type="dataBar" id="{BAR_ID}">' in mine  # the data bar's Excel 2010 part
    assert f"<x14:id>{BAR_ID}</x14:id>" in mine  # ... still linked from the 2007 rule
    assert f"<xm:f>台账明细!${item}$3:${item}$8</xm:f>" in mine  # the drop-down's list, moved with the rows
    assert "<xm:f>我的表!C2:C4</xm:f><xm:sqref>E2</xm:sqref>" in mine  # the sparkline
    assert f"SUM(台账明细!{v}5:{v}8)" in mine  # the formula follows the rows it adds up
    wb = openpyxl.load_workbook(book, rich_text=True)
    assert [str(wb["我的表"][c].value) for c in ("A1", "B1", "A2")] == ["名称", "合计", "党组会（本表）"]

    detail, detail_drawing = _sheet_and_drawing(book, "台账明细")
    assert "<xm:sqref>N5:N8</xm:sqref>" in detail and "<xm:f>我的表!$A$1:$A$2</xm:f>" in detail
    assert f"<xm:f>台账明细!{v}5:{v}8</xm:f><xm:sqref>O6</xm:sqref>" in detail
    assert "请各单位核对本行" in detail_drawing and "<xdr:row>5</xdr:row>" in detail_drawing  # row 8 -> 6
    assert len(detail_rows(openpyxl.load_workbook(book)["台账明细"])) == 6

    export(book, period="2023年第三季度")  # and once more: nothing piles up or goes missing
    parts = _all_xml(book)
    assert sum("我的说明" in t for t in parts.values()) == 1
    assert sum(f'id="{BAR_ID}"' in t for t in parts.values()) == 1
    assert openpyxl.load_workbook(book).sheetnames == ["台账明细", "汇总", "汇总图表", "检查结果", "我的表"]


def test_what_cannot_be_kept_is_named_and_nothing_is_written(book):
    export(book)
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    wbxml = parts["xl/workbook.xml"].decode("utf-8")
    parts["xl/workbook.xml"] = wbxml.replace("</workbook>", (
        '<extLst><ext uri="{BBE1A952-AA13-448e-AADC-164F8A28A991}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:slicerCaches>'
        f'<x14:slicerCache xmlns:r="{REL}" r:id="rId99"/></x14:slicerCaches></ext></extLst></workbook>')).encode("utf-8")
    with zipfile.ZipFile(book, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    digest = sha(book)
    with pytest.raises(LedgerError) as info:
        export(book, period="2023年第四季度")
    assert "切片器" in str(info.value) and "台账未改动" in str(info.value)
    assert sha(book) == digest and folder_listing(book) == [book.name]


# ------------------------------------------------------------------------------------------------
# a report's rows are never replaced by another report's
# ------------------------------------------------------------------------------------------------

def test_a_units_report_and_its_secretarys_of_the_same_year_keep_their_rows(book):
    export(book, period="2024年度", rows=report_rows("2024年度"), report_type="zhuti")
    summary = export(book, period="2024年度", rows=report_rows("2024年度", base=20), report_type="shuze")
    assert summary["rows_replaced"] == 0 and summary["replaced"] == []
    rows = detail_rows(openpyxl.load_workbook(book)["台账明细"], ("报告类型", "指标", "数值"))
    assert [r[0] for r in rows] == ["主体责任落实情况报告"] * 4 + ["述责述廉报告"] * 4
    # the same report again replaces its own rows, and says whose
    again = export(book, period="2024年度", rows=report_rows("2024年度", base=1), report_type="shuze")
    assert again["replaced"] == [{"period": "2024年度", "unit": UNIT, "type": "述责述廉报告", "rows": 4,
                                  "sources": ["报告.docx"]}]
    rows = detail_rows(openpyxl.load_workbook(book)["台账明细"], ("报告类型", "数值"))
    assert rows[:4] == [("主体责任落实情况报告", v) for v in (12, 6, None, 3)]
    assert rows[4:] == [("述责述廉报告", v) for v in (13, 7, None, 4)]
    # a person's figures and a unit's are never one row of 汇总
    total = openpyxl.load_workbook(book)["汇总"]
    kinds = [(r[1], r[2], r[4], r[6]) for r in total.iter_rows(min_row=3, values_only=True) if r[4] == "党组会（党委会）"]
    assert kinds == [(UNIT, "主体责任落实情况报告", "党组会（党委会）", 12), (UNIT, "述责述廉报告", "党组会（党委会）", 13)]


def test_older_rows_without_a_type_are_kept_and_counted_not_replaced(book):
    _ledger_of_the_previous_version(book)
    summary = export(book, period="2023年第二季度", rows=report_rows("2023年第二季度"), report_type="zhuti")
    assert summary["rows_replaced"] == 0 and summary["untyped_kept"] == 2
    assert len(detail_rows(openpyxl.load_workbook(book)["台账明细"])) == 6


def test_a_report_without_a_unit_is_refused_not_filed_as_unnamed(book):
    with pytest.raises(ValueError, match="单位不能为空"):
        export(book, unit="  ")
    assert not book.exists()


SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
CLEAN = Path(__file__).resolve().parents[1] / "fixtures" / "clean"


def _checked(path: Path):
    from core.check.engine import check

    return check(path.read_text(encoding="utf-8"))


def test_seed_004_and_another_report_without_a_unit_never_replace_each_other(book):
    from core.office.report_ledger import UnitBlank, export_to_ledger

    seed = _checked(SEEDS / "004_1c1ceef0f029ea66.txt")
    other = _checked(CLEAN / "zhuti_2024_annual.txt")
    with pytest.raises(UnitBlank, match="没有写明单位"):
        export_to_ledger(book, seed)
    assert not book.exists()
    export_to_ledger(book, seed, unit="县直机关工委")
    summary = export_to_ledger(book, other, unit="县委组织部", period="2023年度")
    assert summary["rows_replaced"] == 0
    rows = detail_rows(openpyxl.load_workbook(book)["台账明细"], ("单位", "指标", "口径", "数值"))
    assert ("县直机关工委", "发现问题", "专项检查", 164) in rows


# ------------------------------------------------------------------------------------------------
# 汇总 adds only what can be added, and shows a contradiction
# ------------------------------------------------------------------------------------------------

def _summary_by_item(book) -> dict[str, tuple]:
    ws = openpyxl.load_workbook(book)["汇总"]
    header = [c.value for c in ws[HR]]
    return {r[4]: dict(zip(header, r)) for r in ws.iter_rows(min_row=3, values_only=True) if r[4]}


def test_summary_adds_only_figures_of_one_kind_keeps_yu_and_shows_contradictions(book):
    period = "2024年度"

    def fig(item, value, source, qualifier=None, basis="", measure="次"):
        return LedgerRow(period, UNIT, "组织建设", item, value, measure, qualifier, source, "第1段", basis)

    rows = [fig("发现问题", 19, "检视梳理问题19个。", measure="个", basis="主题教育检视"),
            fig("发现问题", 13, "专项治理发现问题13个。", measure="个", basis="专项治理"),
            fig("发现问题", 21, "巡察反馈21个问题。", measure="个", basis="巡视巡察"),
            fig("整改问题", 19, "已完成整改19个。", measure="个", basis="巡视巡察"),
            fig("调研", 20, "班子成员下基层调研20余次。", "余", basis="班子成员"),
            fig("调研", 8, "第二批主题教育开展以来调研8次。", basis="时段：第二批主题教育开展以来"),
            fig("专题培训", 60, "举办专题培训60余期。", "余", measure="期"),
            fig("专题培训", 24, "举办读书班24期。", measure="期"),
            fig("主题党日", 3, "每个支部开展主题党日3次。", basis="每个：每个支部"),
            fig("党组会（党委会）", 12, "召开党组会12次。"),
            fig("党组会（党委会）", 15, "全年召开党组会15次。"),
            fig("中心组学习", 12, "中心组学习12次。"),
            fig("中心组学习", 12, "开展中心组集中学习12次。")]
    summary = export(book, period=period, rows=rows)
    got = _summary_by_item(book)
    # problems of different sources are never one figure, nor a part added to its total
    assert got["发现问题（主题教育检视）"][period] == 19 and got["发现问题（巡视巡察）"][period] == 21
    assert got["发现问题（专项治理）"][period] == 13 and "发现问题" not in got
    assert got["调研（班子成员）"][period] == 20 and got["调研（时段：第二批主题教育开展以来）"][period] == 8
    assert got["主题党日（每个：每个支部）"][period] == 3 and "主题党日" not in got
    # activities of one kind add up, and 60余 + 24 is 84余
    assert got["专题培训"][period] == 84 and "合计（60余＋24）" in got["专题培训"]["说明"]
    ws = openpyxl.load_workbook(book)["汇总"]
    cell = next(r for r in ws.iter_rows(min_row=3) if r[4].value == "专题培训")[6]
    assert cell.number_format == '0"余"'
    # a total stated twice with two numbers is shown as such, not as the larger
    assert got["党组会（党委会）"][period] == "12／15"
    assert "前后不一致" in got["党组会（党委会）"]["说明"] and "12次、15次" in got["党组会（党委会）"]["说明"]
    assert summary["conflicts"] and "党组会" in summary["conflicts"][0]
    # 合计 only where figures were added
    assert got["中心组学习"][period] == 12 and got["中心组学习"]["说明"] is None
    assert all("合计" not in (r["说明"] or "") for k, r in got.items() if k != "专题培训")
    # the chart draws what the 汇总 says, and leaves the contradiction out, saying so
    block = _chart_block(openpyxl.load_workbook(book)["汇总图表"])
    assert ("专题培训", 84, "期") in block and not any(r[0] == "党组会（党委会）" for r in block)
    texts = [c for r in openpyxl.load_workbook(book)["汇总图表"].iter_rows(values_only=True) for c in r if c]
    assert any(isinstance(t, str) and "党组会（党委会）（12／15次，前后不一致）" in t for t in texts)


def test_a_checked_report_s_problems_of_three_sources_stay_three_figures(book):
    from core.office.report_ledger import export_to_ledger

    export_to_ledger(book, _checked(CLEAN / "diyi_2023.txt"))
    got = _summary_by_item(book)
    assert {k: v["2023年度"] for k, v in got.items() if k.startswith(("发现问题", "整改问题"))} == {
        "发现问题（主题教育检视）": 19, "发现问题（专项治理）": 13, "发现问题（巡视巡察）": 21,
        "整改问题（巡视巡察）": 19}


# ------------------------------------------------------------------------------------------------
# titles name the unit(s) the user chooses
# ------------------------------------------------------------------------------------------------

def test_titles_name_the_units_chosen_and_keep_them(book):
    export(book, unit="市审计局")
    export(book, unit="市统计局", rows=report_rows(unit="市统计局"))
    wb = openpyxl.load_workbook(book)
    assert wb["台账明细"]["A1"].value == "全面从严治党统计台账（2023年）"  # several units, none chosen
    assert "等" not in wb["汇总"]["A1"].value and "未注明单位" not in wb["汇总"]["A1"].value
    summary = export(book, unit="市人社局", rows=report_rows(unit="市人社局"), title="市直机关工委")
    assert summary["title"] == "市直机关工委"
    export(book, unit="市财政局", rows=report_rows(unit="市财政局"))  # kept for later exports
    wb = openpyxl.load_workbook(book)
    assert wb["台账明细"]["A1"].value == "市直机关工委全面从严治党统计台账（2023年）"
    assert wb["汇总"]["A1"].value == "市直机关工委全面从严治党统计台账汇总（2023年）"
    assert wb["检查结果"]["A1"].value == "市直机关工委报告检查结果（2023年）"
    assert wb["汇总图表"]["A1"].value == "市直机关工委2023年第三季度各项工作数量"
    assert ledger.preview_ledger(book).title == "市直机关工委"


def test_the_command_line_takes_a_title_and_names_what_it_replaced(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "台账.xlsx"
    main = Path(__file__).resolve().parents[2] / "main.py"
    report = SEEDS / "000_a5a28f043e4b9936.txt"

    def run(*args):
        return subprocess.run([sys.executable, str(main), "ledger", *map(str, args)], capture_output=True,
                              text=True, encoding="utf-8", timeout=120)

    first = run(report, "--out", out, "--title", "市直机关工委")
    assert first.returncode == 0, first.stderr
    again = run(report, "--out", out)
    assert again.returncode == 0, again.stderr
    assert ("替换了台账中“市委宣传部 2023年第三季度 主体责任落实情况报告”原有的9行（上次导出自"
            "“000_a5a28f043e4b9936.txt”）") in again.stdout
    assert openpyxl.load_workbook(out)["台账明细"]["A1"].value.startswith("市直机关工委")
    unnamed = run(SEEDS / "004_1c1ceef0f029ea66.txt", "--out", out)
    assert unnamed.returncode == 2 and "没有写明单位" in unnamed.stderr and "--unit" in unnamed.stderr


def test_the_people_of_threaded_comments_stay_with_the_users_sheets(book):
    export(book)
    wb = openpyxl.load_workbook(book)
    wb.create_sheet("我的表")["A1"] = "批注在这里"
    wb.save(book)
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    person = "http://schemas.microsoft.com/office/2017/10/relationships/person"
    parts["xl/persons/person.xml"] = ('<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
                                      'threadedcomments"><person displayName="张三" id="{00000000-0000-0000-0000-'
                                      '000000000001}" userId="张三" providerId="None"/></personList>').encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>", f'<Relationship Id="rId77" Type="{person}" Target="persons/person.xml"/></Relationships>'
    ).encode()
    types = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/xl/persons/person.xml" '
        'ContentType="application/vnd.ms-excel.person+xml"/></Types>')).encode()
    with zipfile.ZipFile(book, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    export(book, period="2023年第四季度")
    parts = _all_xml(book)
    kept = [n for n, t in parts.items() if "张三" in t and n.startswith("xl/persons/")]
    assert len(kept) == 1
    assert person in parts["xl/_rels/workbook.xml.rels"] and kept[0].split("/")[-1] in parts["xl/_rels/workbook.xml.rels"]
    assert "application/vnd.ms-excel.person+xml" in parts["[Content_Types].xml"]
    assert openpyxl.load_workbook(book)["我的表"]["A1"].value == "批注在这里"


def test_the_command_line_says_whom_it_waits_for_then_writes(book):
    import subprocess
    import sys

    import ledger_race

    export(book)
    ctx = _spawn()
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=ledger_race.hold_lock, args=(str(book), ready, release))
    holder.start()
    main = Path(__file__).resolve().parents[2] / "main.py"
    try:
        assert ready.wait(ledger_race.WAIT)
        cli = subprocess.Popen([sys.executable, str(main), "ledger", str(SEEDS / "000_a5a28f043e4b9936.txt"),
                                "--out", str(book)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, encoding="utf-8")
        said = cli.stderr.readline()  # blocks until the command line says it waits
        assert "正由别人写入" in said and "等待" in said and "写完" in said
        release.set()
        out, err = cli.communicate(timeout=120)
    finally:
        release.set()
        holder.join(ledger_race.WAIT)
    assert cli.returncode == 0, err
    assert "市委宣传部" in _units_in(book)


def test_the_fast_save_writes_what_openpyxl_writes(book):
    import io

    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    from core.office.ledger.fast_load import fast_style_ids

    export(book, rows=[row("党组会", 1, source="  前后有空格  "), row("谈心", None, source="")])
    export(book, period="2023年第四季度")
    wb, _data = load_ledger(book)
    ws = wb["台账明细"]
    ws["O3"] = CellRichText("普通", TextBlock(InlineFont(b=True), "加粗"))
    ws["O4"] = "=1+2"
    ws["O5"] = 2.5
    ws["O6"].hyperlink = "https://example.org/"
    import datetime

    ws["O7"] = datetime.date(2024, 1, 5)
    plain_save, fast_save = io.BytesIO(), io.BytesIO()
    wb.save(io.BytesIO())  # a first save settles a few attributes openpyxl fills in (outlineLevelCol)
    wb.save(plain_save)
    with fast_style_ids(wb):
        wb.save(fast_save)
    with zipfile.ZipFile(plain_save) as a, zipfile.ZipFile(fast_save) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != "docProps/core.xml":  # holds the time of saving
                assert a.read(name) == b.read(name), name
