"""The GB/T 9704 .docx export (core.office.docx_export) and the .docx import (core.files.textio)."""
from __future__ import annotations

import datetime
import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from helpers import FIXTURES, read_fixture
from lxml import etree

from core import resources
from core.check.engine import check
from core.files.textio import ReadError, read_report, read_report_with_notes
from core.office.docx_export import ExportError, export_docx, split_title

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
SEED = FIXTURES / "seeds" / "001_c64cf84ad31af413.txt"
CLEAN = FIXTURES / "clean" / "zhuti_2024_annual.txt"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def wattr(el, name: str):
    return el.get(q(name))


def parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as zf:
        return {name: etree.fromstring(zf.read(name)) for name in zf.namelist() if name.endswith(".xml")}


def body_paragraphs(xml) -> list:
    return xml["word/document.xml"].findall(".//w:body/w:p", NS)


def para_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(q("t")))


def run_fonts(run) -> dict:
    fonts = run.find("w:rPr/w:rFonts", NS)
    return {k: wattr(fonts, k) for k in ("ascii", "hAnsi", "eastAsia", "cs")} if fonts is not None else {}


def run_size(run):
    sz = run.find("w:rPr/w:sz", NS)
    return int(wattr(sz, "val")) if sz is not None else None


def footer_parts(xml) -> dict[str, etree._Element]:
    """{"default": footer root, "even": footer root} via the section's footerReferences."""
    rels = xml.get("word/_rels/document.xml.rels")
    assert rels is not None
    targets = {r.get("Id"): r.get("Target") for r in rels}
    sect = xml["word/document.xml"].find(".//w:body/w:sectPr", NS)
    out = {}
    for ref in sect.findall("w:footerReference", NS):
        rid = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        out[wattr(ref, "type")] = xml["word/" + targets[rid]]
    return out


@pytest.fixture
def clean_docx(tmp_path):
    path = tmp_path / "年度报告.docx"
    info = export_docx(read_fixture(CLEAN), path, unit="市审计局党组", date=datetime.date(2025, 1, 5))
    return path, info


@pytest.fixture
def seed_docx(tmp_path):
    path = tmp_path / "seed.docx"
    export_docx(read_fixture(SEED), path)
    return path


def _xml_with_rels(path):
    with zipfile.ZipFile(path) as zf:
        out = {name: etree.fromstring(zf.read(name)) for name in zf.namelist()
               if name.endswith((".xml", ".rels"))}
    return out


# ---------------------------------------------------------------- page and defaults

def test_page_is_a4_with_gbt9704_margins_and_grid(clean_docx):
    xml = parts(clean_docx[0])
    sect = xml["word/document.xml"].find(".//w:body/w:sectPr", NS)
    size = sect.find("w:pgSz", NS)
    assert abs(int(wattr(size, "w")) - 11906) <= 2 and abs(int(wattr(size, "h")) - 16838) <= 2
    margins = sect.find("w:pgMar", NS)
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(int(wattr(margins, side)) - mm * 1440 / 25.4) <= 2, side
    grid = sect.find("w:docGrid", NS)
    assert wattr(grid, "type") == "lines"
    assert wattr(grid, "linePitch") == "579"


def test_character_grid_variant_fits_28_characters(tmp_path, monkeypatch):
    from core.office import docx_export

    monkeypatch.setattr(docx_export, "CHAR_GRID", True)
    path = tmp_path / "chars.docx"
    export_docx(read_fixture(CLEAN), path)
    grid = parts(path)["word/document.xml"].find(".//w:body/w:sectPr/w:docGrid", NS)
    assert wattr(grid, "type") == "linesAndChars" and wattr(grid, "linePitch") == "579"
    # 28 characters of 16 pt plus charSpace/4096 pt each fill the 156 mm text width
    pitch = 16 + int(wattr(grid, "charSpace")) / 4096
    assert abs(pitch * 28 - 156 / 25.4 * 72) < 0.5


def test_doc_defaults_use_chinese_fonts_not_theme_fonts(clean_docx):
    xml = parts(clean_docx[0])
    fonts = xml["word/styles.xml"].find(".//w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert wattr(fonts, "ascii") == wattr(fonts, "hAnsi") == "Times New Roman"
    assert wattr(fonts, "eastAsia") == "仿宋_GB2312"
    assert not [k for k in fonts.attrib if "heme" in k]


def test_every_run_sets_east_asian_and_latin_fonts(clean_docx):
    xml = parts(clean_docx[0])
    runs = list(xml["word/document.xml"].iter(q("r")))
    assert runs
    for run in runs:
        fonts = run_fonts(run)
        assert fonts["eastAsia"], para_text(run)
        assert fonts["ascii"] == fonts["hAnsi"] == fonts["cs"] == "Times New Roman"


# ---------------------------------------------------------------- title, body, headings

def test_title_is_centred_2hao_xiaobiaosong_on_two_balanced_lines(clean_docx):
    xml = parts(clean_docx[0])
    title = body_paragraphs(xml)[0]
    assert wattr(title.find("w:pPr/w:jc", NS), "val") == "center"
    ind = title.find("w:pPr/w:ind", NS)
    assert ind is None or wattr(ind, "firstLine") in (None, "0")
    runs = title.findall("w:r", NS)
    assert all(run_size(r) == 44 and run_fonts(r)["eastAsia"] == "方正小标宋简体" for r in runs)
    assert len(title.findall(".//w:br", NS)) == 1
    lines = [para_text(r) for r in runs if para_text(r)]
    assert "".join(lines) == "市审计局2024年度全面从严治党主体责任落实情况报告"
    assert len(lines) == 2 and abs(len(lines[0]) - len(lines[1])) <= 6
    assert para_text(body_paragraphs(xml)[1]) == ""  # a blank line after the title


@pytest.mark.parametrize("title,first", [
    ("市局党组书记2023年履行全面从严治党主体责任工作情况报告", "市局党组书记2023年履行"),
    ("关于2024年上半年落实全面从严治党主体责任情况的报告", "关于2024年上半年落实"),
])
def test_long_title_breaks_between_words(title, first):
    assert split_title(title) == [first, title[len(first):]]


def test_short_title_is_one_line():
    assert split_title("2024年度述责述廉报告") == ["2024年度述责述廉报告"]


def test_body_paragraphs_are_3hao_fangsong_indented_two_characters_exact_pitch(clean_docx):
    xml = parts(clean_docx[0])
    paragraphs = body_paragraphs(xml)
    preamble = next(p for p in paragraphs if para_text(p).startswith("2024年，市审计局党组"))
    ppr = preamble.find("w:pPr", NS)
    ind = ppr.find("w:ind", NS)
    assert wattr(ind, "firstLineChars") == "200" and wattr(ind, "firstLine") == "640"
    spacing = ppr.find("w:spacing", NS)
    assert (wattr(spacing, "line"), wattr(spacing, "lineRule")) == ("579", "exact")
    assert wattr(spacing, "before") == wattr(spacing, "after") == "0"
    assert wattr(ppr.find("w:jc", NS), "val") == "both"
    for run in preamble.findall("w:r", NS):
        assert run_size(run) == 32 and run_fonts(run)["eastAsia"] == "仿宋_GB2312"


def test_heading_fonts_by_level_and_same_line_body_stays_in_the_paragraph(clean_docx):
    xml = parts(clean_docx[0])
    paragraphs = {para_text(p)[:6]: p for p in body_paragraphs(xml)}
    level1 = paragraphs["一、工作落实"]
    assert [run_fonts(r)["eastAsia"] for r in level1.findall("w:r", NS)] == ["黑体"]
    level2 = paragraphs["（一）坚持把"]
    runs = level2.findall("w:r", NS)
    assert para_text(runs[0]) == "（一）坚持把党的政治建设摆在首位。"
    assert run_fonts(runs[0])["eastAsia"] == "楷体_GB2312"
    assert para_text(runs[1]).startswith("局党组深刻领悟") and run_fonts(runs[1])["eastAsia"] == "仿宋_GB2312"
    level3 = paragraphs["1.规范党支"]
    assert run_fonts(level3.findall("w:r", NS)[0])["eastAsia"] == "仿宋_GB2312"
    for p in (level1, level2, level3):
        ind = p.find("w:pPr/w:ind", NS)
        assert wattr(ind, "firstLine") == "640" and wattr(ind, "firstLineChars") == "200"
        assert all(run_size(r) == 32 for r in p.findall("w:r", NS))


def test_export_reports_counts(clean_docx):
    path, info = clean_docx
    assert info["path"] == str(path)
    assert info["headings"] == len(check(read_fixture(CLEAN)).document.headings)
    assert info["paragraphs"] > 20


# ---------------------------------------------------------------- footers

def test_even_and_odd_footers_with_page_field(clean_docx):
    xml = _xml_with_rels(clean_docx[0])
    settings = xml["word/settings.xml"]
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    footers = footer_parts(xml)
    assert set(footers) >= {"default", "even"}
    for kind, align, side in (("default", "right", "right"), ("even", "left", "left")):
        p = footers[kind].find("w:p", NS)
        assert wattr(p.find("w:pPr/w:jc", NS), "val") == align
        ind = p.find("w:pPr/w:ind", NS)
        assert wattr(ind, side) == "280" and wattr(ind, side + "Chars") == "100"
        chars = [wattr(f, "fldCharType") for f in p.iter(q("fldChar"))]
        assert chars == ["begin", "separate", "end"]
        assert [i.text for i in p.iter(q("instrText"))] == [" PAGE "]
        texts = [t.text for t in p.iter(q("t"))]
        assert texts[0] == "— " and texts[-1] == " —"
        for run in p.findall("w:r", NS):
            assert run_size(run) == 28 and run_fonts(run)["eastAsia"] == "宋体"


# ---------------------------------------------------------------- content decisions

def test_web_residue_is_not_exported(seed_docx):
    data = zipfile.ZipFile(seed_docx).read("word/document.xml").decode("utf-8")
    assert "##paidbegin##" not in data and "##paidend##" not in data
    assert "巩固提高的工作闭环" in data  # the marker inside a sentence is cut out, the sentence kept


@pytest.mark.parametrize("line", ["仅供参考，请勿照搬照抄！", "(阅读全部内容,请先登录!)", "仅供学习参考，严禁抄袭。",
                                  "本文系作者原创投稿，仅供学习参考，请勿照搬照抄！"])
def test_a_line_of_web_residue_alone_is_not_exported(tmp_path, line):
    """Issue 22.12: such lines stayed in the export (also with --force) though the README said
    they go. A line that is only residue goes; residue inside a sentence is the user's to keep."""
    text = read_fixture(CLEAN).replace("二、存在的问题\n", f"二、存在的问题\n{line}\n", 1)
    assert line in text
    path = tmp_path / "r.docx"
    export_docx(text, path)
    texts = [para_text(p) for p in body_paragraphs(parts(path))]
    assert line not in texts and not any("请勿照搬" in t or "请先登录" in t for t in texts)
    assert "二、存在的问题" in texts
    kept = read_fixture(CLEAN).replace("全年召开党组会26次", "全年召开党组会26次（详见www.example.com）", 1)
    export_docx(kept, path)
    assert any("www.example.com" in para_text(p) for p in body_paragraphs(parts(path)))


@pytest.mark.parametrize(("unit", "date", "expected"), [
    ("", datetime.date(2025, 1, 5), "落款单位是空的"),
    (None, None, "没有落款"),
    ("市审计局党组", None, "没有成文日期"),
    ("市审计局党组", datetime.date(2025, 1, 5), None),
])
def test_signature_warning_says_what_the_export_will_lack(unit, date, expected):
    """Issue 23.3 and 22.12: an empty 落款单位 exported only a date, without a word."""
    from core.office.docx_export import signature_warning

    text = "关于某事的报告\n一、情况\n正文。\n"
    warning = signature_warning(text, unit, date)
    assert (warning is None) if expected is None else (expected in warning)
    # a report that ends with its own 落款 is exported as written: nothing to warn about
    signed = read_fixture(CLEAN).rstrip() + "\n\n中共某某市审计局党组\n2025年1月8日\n"
    assert signature_warning(signed, unit, date) is None


def _start_and_end(p) -> tuple[int, int]:
    """Where a one-line paragraph's text starts and ends across the text block (twips), from its
    alignment and indents, as Word and LibreOffice set it."""
    from core.office.docx_export import CONDENSE
    from core.office.docx_layout import TEXT_WIDTH, text_twips

    ind = p.find("w:pPr/w:ind", NS)
    left, right = int(wattr(ind, "left") or 0), int(wattr(ind, "right") or 0)
    width = text_twips(para_text(p), CONDENSE)
    if wattr(p.find("w:pPr/w:jc", NS), "val") == "right":
        return TEXT_WIDTH - right - width, TEXT_WIDTH - right
    return left, left + width


def test_signature_added_with_date_without_leading_zeros(clean_docx):
    """GB/T 9704 7.3.5.2 (no seal): one empty line under the text, the unit 右空二字, the date on the
    next line starting two characters right of the unit's first character."""
    xml = parts(clean_docx[0])
    paragraphs = body_paragraphs(xml)
    assert [para_text(p) for p in paragraphs[-3:]] == ["", "市审计局党组", "2025年1月5日"]
    unit, date = paragraphs[-2:]
    # 市审计局党组 (6 characters) is shorter than two characters and the date: the date is
    # 右空二字 and the unit starts two characters left of it
    from core.office.docx_layout import CHAR, TEXT_WIDTH

    unit_start, unit_end = _start_and_end(unit)
    date_start, date_end = _start_and_end(date)
    assert date_end == TEXT_WIDTH - 2 * CHAR
    assert date_start - unit_start == 2 * CHAR and unit_end <= date_end


@pytest.mark.parametrize("unit", ["中共某某市审计局党组", "中共某某市某某区人民政府办公室机关党委"])
def test_a_long_unit_is_set_right_two_characters_and_the_date_two_in(tmp_path, unit):
    from core.office.docx_layout import CHAR, TEXT_WIDTH

    path = tmp_path / "s.docx"
    export_docx(read_fixture(CLEAN), path, unit=unit, date=datetime.date(2025, 11, 25))
    unit_p, date_p = body_paragraphs(parts(path))[-2:]
    assert [para_text(unit_p), para_text(date_p)] == [unit, "2025年11月25日"]
    unit_start, unit_end = _start_and_end(unit_p)
    date_start, date_end = _start_and_end(date_p)
    assert unit_end == TEXT_WIDTH - 2 * CHAR
    assert date_start - unit_start == 2 * CHAR and date_end <= unit_end


def test_the_signature_is_kept_with_the_last_lines_of_the_text(clean_docx):
    """Issue 23.2: when the text filled the last page, the 落款 stood alone on a new page."""
    paragraphs = body_paragraphs(parts(clean_docx[0]))
    last_body, gap, unit, date = paragraphs[-4:]
    assert para_text(last_body) and not para_text(gap)
    for p in (last_body, gap, unit):
        assert p.find("w:pPr/w:keepNext", NS) is not None, para_text(p)
    assert date.find("w:pPr/w:keepNext", NS) is None
    # keepNext sits in its schema place: first in pPr, before spacing and ind
    names = [el.tag.split("}")[1] for el in last_body.find("w:pPr", NS)]
    assert names.index("keepNext") < names.index("spacing")


def test_headings_carry_outline_levels(clean_docx):
    """Word's navigation pane lists paragraphs with an outline level."""
    from core.text.document import parse

    doc = parse(read_fixture(CLEAN))
    paragraphs = body_paragraphs(parts(clean_docx[0]))
    levels = {}
    for p in paragraphs:
        lvl = p.find("w:pPr/w:outlineLvl", NS)
        if lvl is not None:
            levels[para_text(p)[:6]] = int(wattr(lvl, "val"))
            names = [el.tag.split("}")[1] for el in p.find("w:pPr", NS)]
            assert names.index("outlineLvl") > names.index("jc")
    assert len(levels) == len(doc.headings) > 3
    for h in doc.headings:
        assert levels[doc.text[h.start:h.start + 6]] == h.level - 1


def test_document_properties_name_the_unit_and_today(clean_docx, tmp_path):
    """Issue 22.12: every file said "generated by python-docx", created 2013-12-23."""
    import docx

    props = docx.Document(str(clean_docx[0])).core_properties
    today = datetime.datetime.now(datetime.UTC).date()
    assert props.author == props.last_modified_by == "市审计局党组"
    assert props.created.date() in (today, today - datetime.timedelta(days=1)) and props.modified == props.created
    assert "python-docx" not in (props.comments or "") and props.title.startswith("市审计局2024年度")
    # no unit anywhere: the program
    path = tmp_path / "n.docx"
    export_docx("关于某事的报告\n一、情况\n正文。\n", path)
    props = docx.Document(str(path)).core_properties
    assert props.author == "主体责任报告助手"
    assert b"python-docx" not in zipfile.ZipFile(path).read("docProps/core.xml")


def test_footer_puts_the_page_number_dashes_7mm_below_the_text_block(clean_docx):
    """GB/T 9704 7.5. Measured in LibreOffice's PDF (tests/tools/docx_layout_check.py): 25.3 mm
    from the page edge to the footer line's bottom puts the 一字线 7.0 mm below the text block
    (28 mm put them 4.3 mm below)."""
    sect = parts(clean_docx[0])["word/document.xml"].find(".//w:body/w:sectPr", NS)
    footer = int(wattr(sect.find("w:pgMar", NS), "footer"))
    assert abs(footer / 1440 * 25.4 - 25.3) < 0.05


def test_existing_signature_is_reused_not_duplicated(tmp_path):
    text = read_fixture(CLEAN).rstrip() + "\n\n中共某某市审计局党组\n2025年1月8日\n"
    path = tmp_path / "s.docx"
    export_docx(text, path, unit="别的单位", date=datetime.date(2025, 2, 1))
    texts = [para_text(p) for p in body_paragraphs(parts(path))]
    assert texts[-3:] == ["", "中共某某市审计局党组", "2025年1月8日"]
    assert "别的单位" not in texts


def test_attachment_line_has_hanging_indent(tmp_path):
    text = "关于某事的报告\n一、情况\n正文。\n附件：1.某某清单\n"
    path = tmp_path / "a.docx"
    export_docx(text, path)
    p = next(p for p in body_paragraphs(parts(path)) if para_text(p).startswith("附件"))
    ind = p.find("w:pPr/w:ind", NS)
    assert int(wattr(ind, "left")) - int(wattr(ind, "hanging")) == 640


# ---------------------------------------------------------------- failures

def test_missing_folder_is_a_chinese_error(tmp_path):
    target = tmp_path / "没有" / "r.docx"
    with pytest.raises(ExportError) as info:
        export_docx("标题\n正文。", target)
    assert str(target) in str(info.value) and "文件夹不存在" in str(info.value)


@pytest.mark.parametrize("name,lock", [("报告.docx", "~$报告.docx"),
                                       ("2024年度主体责任报告.docx", "~$24年度主体责任报告.docx")])
def test_file_open_in_word_is_refused_and_target_unchanged(tmp_path, name, lock):
    target = tmp_path / name
    target.write_bytes(b"old")
    (tmp_path / lock).write_bytes(b"owner")
    with pytest.raises(ExportError) as info:
        export_docx(read_fixture(CLEAN), target)
    assert name in str(info.value) and "打开" in str(info.value)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, lock])


def test_permission_error_on_replace_leaves_target_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "r.docx"
    target.write_bytes(b"old")

    def denied(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(ExportError) as info:
        export_docx(read_fixture(CLEAN), target)
    assert str(target) in str(info.value) and "权限" in str(info.value)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]


def test_failure_while_writing_leaves_no_temp_file(tmp_path, monkeypatch):
    import docx.document

    def broken(self, stream):
        stream.write(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", broken)
    target = tmp_path / "r.docx"
    with pytest.raises(ExportError):
        export_docx("标题\n正文。", target)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- round trip

def _findings(result):
    text = result.document.text
    return [(f.rule, f.severity, text[f.start:f.end]) for f in result.findings]


def _stats(result):
    return [(s.kind, s.item, s.value, s.measure, s.qualifier, s.placeholder) for s in result.stats]


def test_round_trip_clean_report_keeps_findings_and_statistics(clean_docx, tmp_path):
    original = read_fixture(CLEAN)
    path = tmp_path / "clean.docx"
    export_docx(original, path)
    back = read_report(path)
    before, after = check(original), check(back)
    assert after.document.title == before.document.title
    assert [(h.level, h.number, h.title) for h in after.document.headings] == \
        [(h.level, h.number, h.title) for h in before.document.headings]
    assert _findings(after) == _findings(before)
    assert _stats(after) == _stats(before)
    assert after.document.meta == before.document.meta


def test_round_trip_seed_keeps_findings_and_statistics_except_residue(seed_docx):
    """Residue is not exported: compare with the seed minus its junk lines, and leave rule
    `residue` out (the in-line ##paidbegin## is stripped by the export, so it is gone too)."""
    original = read_fixture(SEED)
    junk = resources.junk_line_patterns()
    without_junk = "\n".join(line for line in original.split("\n")
                             if not any(p.search(line.strip()) for p in junk))
    back = read_report(seed_docx)
    assert "##paid" not in back
    before, after = check(without_junk), check(back)
    assert any(f.rule == "residue" for f in before.findings)  # the in-line marker
    assert not any(f.rule == "residue" for f in after.findings)
    def keep(fs):
        return [f for f in fs if f[0] != "residue"]
    assert keep(_findings(after)) == keep(_findings(before))
    assert _stats(after) == _stats(before)


# ---------------------------------------------------------------- import

def _add_numbering(document, abstract_id: int, num_id: int, levels: list[tuple[str, str]]) -> None:
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels))
    abstract = parse_xml(f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    num = parse_xml(f'<w:num xmlns:w="{W}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    first_num = numbering.find(q("num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)


def _numbered(paragraph, num_id: int, ilvl: int) -> None:
    from docx.oxml import parse_xml

    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def test_import_turns_automatic_numbering_into_text(tmp_path):
    import docx

    document = docx.Document()
    _add_numbering(document, 90, 90, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"),
                                      ("decimal", "%3."), ("decimalEnclosedParen", "%4")])
    _add_numbering(document, 91, 91, [("decimal", "%1、")])
    document.add_paragraph("关于落实主体责任情况的报告")
    plan = [(0, "工作落实情况"), (1, "强化政治建设。"), (2, "规范组织生活。"), (3, "按月开展。"),
            (3, "按季开展。"), (2, "发展党员。"), (1, "强化理论武装。"), (0, "存在的问题"),
            (1, "学习不够深入。")]
    for ilvl, text in plan:
        _numbered(document.add_paragraph(text), 90, ilvl)
    for text in ("第一项", "第二项"):
        _numbered(document.add_paragraph(text), 91, 0)
    path = tmp_path / "numbered.docx"
    document.save(path)
    lines = read_report(path).split("\n")
    assert lines[1:] == ["一、工作落实情况", "（一）强化政治建设。", "1.规范组织生活。", "（1）按月开展。",
                         "（2）按季开展。", "2.发展党员。", "（二）强化理论武装。", "二、存在的问题",
                         "（一）学习不够深入。", "1、第一项", "2、第二项"]
    levels = [h.level for h in check("\n".join(lines)).document.headings]
    assert levels[:9] == [1, 2, 3, 4, 4, 3, 2, 1, 2]


def _tiny_png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def docx_with_picture(tmp_path, title: str | None = None, body: str | None = None):
    """A Word document: a title paragraph if given, a 1×1 picture, a body paragraph if given.
    Returns the document and the body paragraph."""
    import docx

    image = tmp_path / "dot.png"
    image.write_bytes(_tiny_png())
    document = docx.Document()
    if title:
        document.add_paragraph(title)
    document.add_picture(str(image))
    return document, (document.add_paragraph(body) if body else None)


_TEXT_BOX = f'''<w:r xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
  xmlns:v="urn:schemas-microsoft-com:vml"
  xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
  xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
  xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
 <mc:AlternateContent>
  <mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>
   <wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框里的批注</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>
  </a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
  <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>文本框里的批注</w:t></w:r></w:p>
  </w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
 </mc:AlternateContent></w:r>'''


def test_import_reports_images_and_text_boxes_and_does_not_merge_their_text(tmp_path):
    from docx.oxml import parse_xml

    document, p = docx_with_picture(tmp_path, "关于落实主体责任情况的报告", "正文第一段。")
    p._p.append(parse_xml(_TEXT_BOX))
    path = tmp_path / "boxes.docx"
    document.save(path)
    text, notes = read_report_with_notes(path)
    assert "文本框里的批注" not in text
    assert "正文第一段。" in text
    assert any("1 张图片" in n for n in notes)
    box_notes = [n for n in notes if "文本框" in n]
    assert len(box_notes) == 1 and "文本框里的批注" in box_notes[0]
    assert read_report(path) == text


def test_import_of_an_exported_title_joins_its_two_lines(clean_docx):
    text = read_report(clean_docx[0])
    assert text.split("\n")[0] == "市审计局2024年度全面从严治党主体责任落实情况报告"


def test_docx_without_text_is_a_clear_error(tmp_path):
    import docx

    path = tmp_path / "empty.docx"
    docx.Document().save(path)
    with pytest.raises(ReadError) as info:
        read_report(path)
    assert "文档里没有文字内容" in str(info.value) and str(path) in str(info.value)


def test_docx_with_only_an_image_says_so(tmp_path):
    document, _ = docx_with_picture(tmp_path)
    path = tmp_path / "image.docx"
    document.save(path)
    with pytest.raises(ReadError) as info:
        read_report(path)
    assert "文档里没有文字内容" in str(info.value) and "图片" in str(info.value)


def test_corrupt_and_encrypted_docx_still_refused(tmp_path):
    corrupt = tmp_path / "bad.docx"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ReadError, match="不是有效的 Word 文档"):
        read_report(corrupt)
    encrypted = tmp_path / "locked.docx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ReadError, match="加密"):
        read_report(encrypted)


def test_title_is_off_the_character_grid(clean_docx):
    title = body_paragraphs(parts(clean_docx[0]))[0]
    assert wattr(title.find("w:pPr/w:snapToGrid", NS), "val") == "0"


def test_line_grid_condenses_body_runs(tmp_path):
    path = tmp_path / "lines.docx"
    export_docx(read_fixture(CLEAN), path)
    xml = parts(path)
    grid = xml["word/document.xml"].find(".//w:body/w:sectPr/w:docGrid", NS)
    assert wattr(grid, "type") == "lines" and wattr(grid, "linePitch") == "579"
    body = [r for r in xml["word/document.xml"].iter(q("r")) if run_size(r) == 32]
    assert body and all(wattr(r.find("w:rPr/w:spacing", NS), "val") == "-5" for r in body)
