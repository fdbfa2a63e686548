"""Tables in a .docx (issue 25, point 2): each paragraph is read once, in document order; a cell's
paragraphs are paragraphs; a table inside a table is read once. A report laid out inside one table
cell, at any depth, checks, counts and goes into the ledger exactly as the same report written as
plain paragraphs, and comments still land on their words."""
from __future__ import annotations

import copy

import docx
import pytest
from helpers import CLEAN, read_fixture
from lxml import etree
from test_annotate import _add_list, _comments, _numbered, _parts, _ranges

from core.check.engine import check
from core.files.textio import read_report, read_report_traced
from core.office.annotate import annotate_file
from core.office.report_ledger import ledger_rows

REPORT = read_fixture(next(p for p in CLEAN if p.name == "zhuti_2024_annual.txt"))
LINES = REPORT.rstrip("\n").split("\n")


def _fill(container, lines: list[str]) -> None:
    """The lines as paragraphs of a cell (which starts with one empty paragraph) or a document."""
    first = container.paragraphs[0] if container.paragraphs else container.add_paragraph()
    first.text = lines[0]
    for line in lines[1:]:
        container.add_paragraph(line)


def plain_docx(path, lines=LINES):
    document = docx.Document()
    _fill(document, lines)
    document.save(path)
    return path


def cell_docx(path, depth: int, lines=LINES):
    """The report inside one cell of a table `depth` levels deep, as Word lays it out: a nested
    table first in its cell, followed by the empty paragraph Word requires at a cell's end."""
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    for _ in range(depth - 1):
        inner = cell.add_table(rows=1, cols=1)
        leading = cell.paragraphs[0]._p
        leading.getparent().remove(leading)
        cell = inner.cell(0, 0)
    _fill(cell, lines)
    document.save(path)
    return path


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    path = plain_docx(tmp_path_factory.mktemp("plain") / "平铺.docx")
    text = read_report(path)
    assert text == REPORT.rstrip("\n")
    return text, check(text)


def _same_result(a, b) -> None:
    assert [(f.rule, f.severity, f.start, f.end, f.message) for f in a.findings] == \
        [(f.rule, f.severity, f.start, f.end, f.message) for f in b.findings]
    assert [(i.id, i.status, i.count) for i in a.checklist] == [(i.id, i.status, i.count) for i in b.checklist]
    assert [(s.kind, s.value, s.measure, s.qualifier, s.start, s.role) for s in a.stats] == \
        [(s.kind, s.value, s.measure, s.qualifier, s.start, s.role) for s in b.stats]
    assert ledger_rows(a, "市审计局", "2024年度") == ledger_rows(b, "市审计局", "2024年度")


@pytest.mark.parametrize("depth", [1, 2, 6])
def test_a_report_inside_a_table_cell_reads_checks_and_counts_as_plain_paragraphs(plain, tmp_path, depth):
    plain_text, plain_result = plain
    path = cell_docx(tmp_path / f"表格{depth}层.docx", depth)
    text = read_report(path)
    assert text == plain_text
    result = check(text)
    _same_result(result, plain_result)
    assert not [f for f in result.findings if f.severity == "error"]  # a clean report stays clean
    # the trace for comments reads the same text, every piece where the text says it is
    traced, _notes, trace = read_report_traced(path)
    assert traced == text
    for offset, piece, _kind, _el, _first in trace.pieces:
        assert text[offset:offset + len(piece)] == piece


def test_cells_paragraphs_are_lines_and_a_simple_row_stays_one_line(tmp_path):
    document = docx.Document()
    document.add_paragraph("表格前的一段。")
    table = document.add_table(rows=3, cols=3)
    for col, value in enumerate(["序号", "事项", "次数"]):
        table.cell(0, col).text = value
    for col, value in enumerate(["1", "书记讲党课", "3次"]):
        table.cell(1, col).text = value
    table.cell(2, 0).text = "2"
    table.cell(2, 1).text = "理论学习不够深入。"
    cell = table.cell(2, 2)
    cell.text = "措施一：每月专题研讨1次。"
    cell.add_paragraph("措施二：每季度警示教育1次。")
    document.add_paragraph("表格后的一段。")
    path = tmp_path / "数据表.docx"
    document.save(path)
    assert read_report(path).split("\n") == [
        "表格前的一段。",
        "序号\t事项\t次数",  # a row of one-paragraph cells is a line, its cells apart by tabs
        "1\t书记讲党课\t3次",
        "2", "理论学习不够深入。", "措施一：每月专题研讨1次。", "措施二：每季度警示教育1次。",
        "表格后的一段。",
    ]


def test_a_table_inside_a_table_is_read_once_in_document_order(tmp_path):
    document = docx.Document()
    outer = document.add_table(rows=2, cols=1)
    outer.cell(0, 0).text = "外层第一行。"
    cell = outer.cell(1, 0)
    cell.text = "嵌套表格之前。"
    inner = cell.add_table(rows=2, cols=2)
    inner.cell(0, 0).text = "甲"
    inner.cell(0, 1).text = "乙"
    inner.cell(1, 0).text = "丙"
    inner.cell(1, 1).text = "丁"
    cell.paragraphs[-1].text = "嵌套表格之后。"  # the paragraph Word keeps after a nested table
    path = tmp_path / "嵌套.docx"
    document.save(path)
    assert read_report(path).split("\n") == ["外层第一行。", "嵌套表格之前。", "甲\t乙", "丙\t丁", "嵌套表格之后。"]


def test_automatic_numbers_inside_nested_cells_count_each_paragraph_once(tmp_path):
    document = docx.Document()
    level1 = _add_list(document, "chineseCounting", "%1、")
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    for _ in range(2):
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "关于落实主体责任情况的报告"
    for heading in ("工作落实情况", "存在的问题", "下一步工作打算"):
        _numbered(cell.add_paragraph(heading), level1)
    path = tmp_path / "编号.docx"
    document.save(path)
    lines = read_report(path).split("\n")
    assert [ln for ln in lines if ln] == ["关于落实主体责任情况的报告", "一、工作落实情况", "二、存在的问题",
                                          "三、下一步工作打算"]


def test_comments_land_on_their_words_in_a_report_six_tables_deep(tmp_path):
    lines = list(LINES)
    lines[5] = lines[5] + "本年度召开党组会*次。"  # a blank and a finding inside the innermost cell
    source = cell_docx(tmp_path / "六层.docx", 6, lines)
    out = tmp_path / "六层_审阅.docx"
    summary = annotate_file(source, out)
    text = read_report(source)
    findings = check(text).findings
    assert findings and summary.comments == len(findings)
    parts = _parts(out)
    comments = _comments(parts)
    ranges = _ranges(parts["word/document.xml"])
    ids = sorted(comments, key=int)
    assert len(ids) == len(findings) + 1 and ranges[ids[0]] == LINES[0]  # the summary on the title
    for cid, f in zip(ids[1:], findings):
        assert ranges[cid] == text[f.start:f.end], f
    blank = next(f for f in findings if f.rule == "placeholder")
    assert text[blank.start - 5:blank.end] == "召开党组会*"


def test_the_empty_paragraph_after_a_nested_table_is_not_a_line_but_a_written_one_is(tmp_path):
    path = cell_docx(tmp_path / "尾段.docx", 2, ["第一段。", "第二段。"])
    assert read_report(path) == "第一段。\n第二段。"
    document = docx.Document(str(path))
    outer_cell = document.tables[0].cell(0, 0)
    outer_cell.paragraphs[-1].text = "表格后写的一段。"
    document.save(path)
    assert read_report(path) == "第一段。\n第二段。\n表格后写的一段。"


def test_rows_and_cells_inside_content_controls_are_read(tmp_path):
    """A row wrapped in a content control (w:sdt) is still a row of the table."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    for r, values in enumerate([["事项", "次数"], ["党组会", "12次"]]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    tbl = table._tbl
    row = tbl.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tr")[1]
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    sdt = etree.SubElement(tbl, f"{{{w}}}sdt")
    content = etree.SubElement(sdt, f"{{{w}}}sdtContent")
    content.append(copy.deepcopy(row))
    tbl.remove(row)
    path = tmp_path / "控件.docx"
    document.save(path)
    assert read_report(path) == "事项\t次数\n党组会\t12次"
