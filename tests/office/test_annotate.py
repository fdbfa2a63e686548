"""Review results back into Word: one comment per finding, anchored on exactly its text, in a copy
of the report whose every other part is byte for byte the original."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from helpers import SEEDS, read_fixture
from lxml import etree
from test_docx_export import docx_with_picture

from core.check.engine import check
from core.files.textio import read_report, read_report_traced
from core.office.annotate import AUTHOR, align, annotate_file, checklist_line, comment_groups, default_output
from core.office.docx_comments import COMMENTS_TYPE, TextMap
from main import main

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CHANGED_PARTS = {"word/document.xml", "word/comments.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


TITLE = "市审计局2024年第三季度全面从严治党主体责任落实情况报告"


def _add_list(document, fmt: str, text: str) -> int:
    """A numbering definition whose one level shows `text` (%1、 …); returns its numId."""
    numbering = document.part.numbering_part.element
    n = 90 + len(numbering.findall(q("num")))
    numbering.append(etree.fromstring(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="{n}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'))
    numbering.append(etree.fromstring(
        f'<w:num xmlns:w="{W}" w:numId="{n}"><w:abstractNumId w:val="{n}"/></w:num>'))
    return n


def _numbered(paragraph, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(etree.fromstring(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))


def rich_docx(tmp_path) -> Path:
    """Mixed formatting in one paragraph, a table, a picture, a header, and headings whose
    numbers exist only as Word's automatic numbering."""
    from docx.shared import Pt, RGBColor

    document, _ = docx_with_picture(tmp_path, TITLE)
    document.sections[0].header.paragraphs[0].text = "市审计局机关党委"
    document.add_paragraph("2024年第三季度，局党组认真落实全面从严治党主体责任，现将有关情况报告如下：")
    level1 = _add_list(document, "chineseCounting", "%1、")
    level3 = _add_list(document, "decimal", "%1、")
    _numbered(document.add_paragraph("工作落实情况"), level1)
    document.add_paragraph("（一）理论学习")
    p = document.add_paragraph()
    bold = p.add_run("本季度召开党组会")
    bold.bold = True
    red = p.add_run("*次，集中")
    red.italic = True
    red.font.color.rgb = RGBColor(0xC0, 0, 0)
    big = p.add_run("学习xjp重要讲话精神")
    big.font.size = Pt(14)
    p.add_run("。")
    # a second blank in its own paragraph: two blanks of one paragraph share a comment
    document.add_paragraph("本季度开展谈心谈话×次。")
    _numbered(document.add_paragraph("中心组学习情况"), level3)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "事项"
    table.cell(0, 1).text = "次数"
    table.cell(1, 0).text = "书记讲党课"
    table.cell(1, 1).text = "*次"
    _numbered(document.add_paragraph("存在的问题"), level1)
    document.add_paragraph("（一）理论学习不够深入。全年中心组学习仅2次，比如专题研讨只有1次。")
    document.add_paragraph("（二）组织生活不够规范。3个支部主题党日内容单一，例如以读文件为主。")
    document.add_paragraph("（三）廉政教育不够经常。本季度警示教育1次，覆盖干部不足一半。")
    _numbered(document.add_paragraph("下一步工作打算"), level1)
    document.add_paragraph("（一）深化理论学习，每月开展专题研讨1次。")
    document.add_paragraph("（二）规范组织生活，主题党日每月1次并记录内容。")
    document.add_paragraph("（三）经常开展廉政教育，每季度警示教育2次。")
    path = tmp_path / "市审计局报告.docx"
    document.save(path)
    return path


# --- reading the result back ---------------------------------------------------------------------

def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _comments(parts) -> dict[str, dict]:
    root = etree.fromstring(parts["word/comments.xml"])
    out = {}
    for c in root.iter(q("comment")):
        paragraphs = ["".join(t.text or "" for t in p.iter(q("t"))) for p in c.iter(q("p"))]
        out[c.get(q("id"))] = {"author": c.get(q("author")), "paragraphs": paragraphs,
                               "annotation_ref": c.find(f".//{q('annotationRef')}") is not None}
    return out


def _ranges(document_xml: bytes) -> dict[str, str]:
    """Comment id → the text between its commentRangeStart and commentRangeEnd, paragraphs
    joined by newlines, as the document shows it (automatic numbers are not text)."""
    root = etree.fromstring(document_xml)
    open_: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    first_paragraph = True
    for el in root.iter():
        if el.tag == q("p"):
            if not first_paragraph:
                for parts in open_.values():
                    parts.append("\n")
            first_paragraph = False
        elif el.tag == q("commentRangeStart"):
            open_[el.get(q("id"))] = []
        elif el.tag == q("commentRangeEnd"):
            done[el.get(q("id"))] = "".join(open_.pop(el.get(q("id"))))
        elif el.tag == q("t"):
            for parts in open_.values():
                parts.append(el.text or "")
        elif el.tag == q("tab"):
            for parts in open_.values():
                parts.append("\t")
    assert not open_, "every range is closed"
    return done


def _without_comment_markup(document_xml: bytes):
    """The document part with comment marks and reference runs removed and adjacent runs of
    identical formatting merged: what a run split must leave unchanged."""
    root = etree.fromstring(document_xml)
    for tag in ("commentRangeStart", "commentRangeEnd"):
        for el in list(root.iter(q(tag))):
            el.getparent().remove(el)
    for ref in list(root.iter(q("commentReference"))):
        run = ref.getparent()
        run.getparent().remove(run)
    _merge_runs(root)
    return root


def _merge_runs(root) -> None:
    for parent in list(root.iter()):
        runs = list(parent)
        for prev, run in zip(runs, runs[1:]):
            if prev.tag != q("r") or run.tag != q("r") or prev.getparent() is None:
                continue
            if _rpr(prev) != _rpr(run) or not _only_text(prev) or not _only_text(run):
                continue
            prev_t, run_t = prev.find(q("t")), run.find(q("t"))
            prev_t.text = (prev_t.text or "") + (run_t.text or "")
            parent.remove(run)
            # the merged run now stands where `run` was: keep merging into it
            runs[runs.index(run)] = prev
    for t in root.iter(q("t")):
        t.attrib.pop("{http://www.w3.org/XML/1998/namespace}space", None)


def _rpr(run) -> bytes:
    rpr = run.find(q("rPr"))
    return b"" if rpr is None else etree.tostring(rpr, method="c14n")


def _only_text(run) -> bool:
    return [c.tag for c in run if c.tag != q("rPr")] == [q("t")]


def _expected_span_text(text: str, trace, start: int, end: int) -> str:
    """The finding's text without the characters that exist only as automatic numbering."""
    labels = set()
    for offset, piece, kind, _el, _first in trace.pieces:
        if kind == "label":
            labels.update(range(offset, offset + len(piece)))
    return "".join(ch for i, ch in enumerate(text[start:end], start) if i not in labels)


# --- the .docx ---------------------------------------------------------------------------------

@pytest.fixture
def annotated(tmp_path):
    source = rich_docx(tmp_path)
    before = _parts(source)
    out = tmp_path / "审阅" / "市审计局报告_审阅.docx"
    out.parent.mkdir()
    summary = annotate_file(source, out, info=True)
    text, _notes, trace = read_report_traced(source)
    return source, out, summary, check(text), trace, before


def test_the_reading_is_the_checked_text_and_numbering_is_text(tmp_path):
    source = rich_docx(tmp_path)
    text, _notes, trace = read_report_traced(source)
    assert text == read_report(source)
    assert "\n一、工作落实情况\n" in text and "\n1、中心组学习情况\n" in text and "\n二、存在的问题\n" in text
    # every traced piece is where the text says it is
    for offset, piece, _kind, _el, _first in trace.pieces:
        assert text[offset:offset + len(piece)] == piece
    labels = [piece for _o, piece, kind, _e, _f in trace.pieces if kind == "label"]
    assert labels == ["一、", "1、", "二、", "三、"]


def test_one_comment_per_finding_on_exactly_its_text(annotated):
    source, out, summary, result, trace, _before = annotated
    parts = _parts(out)
    comments = _comments(parts)
    ranges = _ranges(parts["word/document.xml"])
    text = result.document.text
    findings = result.findings
    # this report has no paragraph with two blanks or a repeated message: one comment each
    assert [len(g) for g in comment_groups(text, findings)] == [1] * len(findings)
    assert summary.comments == len(findings) == len(comments) - 1
    assert summary.on_heading == 0
    assert all(c["author"] == AUTHOR and c["annotation_ref"] for c in comments.values())
    titles = {rule: item.title for item in result.checklist for rule in item.rules}
    ids = sorted(comments, key=int)
    assert ranges[ids[0]] == TITLE  # the summary on the title
    for cid, f in zip(ids[1:], findings):
        body = comments[cid]["paragraphs"]
        assert body[0].startswith(titles[f.rule]) and f.message in body[0]
        if f.suggestion:
            assert body[1] == f"建议改为：{f.suggestion}"
        assert ranges[cid] == _expected_span_text(text, trace, f.start, f.end), f
    # the cases that matter: a split inside a formatted run, in a table, across run boundaries
    blank_in_run = next(f for f in findings if f.rule == "placeholder" and text[f.start:f.end] == "*"
                        and text[f.end:f.end + 4] == "次，集中")
    in_table = next(f for f in findings if f.rule == "placeholder" and text[f.start - 1] == "\t")
    term = next(f for f in findings if f.rule == "term" and text[f.start:f.end] == "xjp")
    for f in (blank_in_run, in_table, term):
        assert ranges[ids[1 + findings.index(f)]] == text[f.start:f.end]


def test_a_finding_on_an_automatic_number_is_anchored_at_its_paragraph_start(annotated):
    _source, out, _summary, result, _trace, _before = annotated
    findings = result.findings
    number = next(f for f in findings if f.rule == "numbering" and "1、" in f.message)
    cid = str(sorted(int(c) for c in _comments(_parts(out)))[1 + findings.index(number)])
    root = etree.fromstring(_parts(out)["word/document.xml"])
    start = next(el for el in root.iter(q("commentRangeStart")) if el.get(q("id")) == cid)
    paragraph = start.getparent()
    assert paragraph.tag == q("p") and paragraph.index(start) == 1  # right after pPr
    assert paragraph[0].tag == q("pPr") and paragraph[0].find(q("numPr")) is not None
    end = paragraph[2]
    assert end.tag == q("commentRangeEnd") and end.get(q("id")) == cid
    # a heading finding starting in a number covers the heading's own text
    coverage = next(f for f in findings if f.rule == "coverage")
    cov_id = str(sorted(int(c) for c in _comments(_parts(out)))[1 + findings.index(coverage)])
    assert _ranges(_parts(out)["word/document.xml"])[cov_id] == "工作落实情况"


def test_reference_run_follows_each_range_end(annotated):
    _source, out, _summary, _result, _trace, _before = annotated
    root = etree.fromstring(_parts(out)["word/document.xml"])
    ends = list(root.iter(q("commentRangeEnd")))
    assert ends
    for end in ends:
        ref_run = end.getnext()
        assert ref_run.tag == q("r")
        ref = ref_run.find(q("commentReference"))
        assert ref is not None and ref.get(q("id")) == end.get(q("id"))
    assert len(list(root.iter(q("commentReference")))) == len(ends) == len(list(root.iter(q("commentRangeStart"))))


def test_every_other_part_is_byte_identical(annotated):
    _source, out, _summary, _result, _trace, before = annotated
    after = _parts(out)
    assert set(after) == set(before) | {"word/comments.xml"}
    for name in set(before) - CHANGED_PARTS:
        assert after[name] == before[name], name
    assert any(n.startswith("word/media/") for n in before) and "word/header1.xml" in before
    # relationships and content types: the originals kept, the comments part added
    def rels(data):
        return {(r.get("Id"), r.get("Type"), r.get("Target")) for r in etree.fromstring(data)}
    old_rels, new_rels = rels(before["word/_rels/document.xml.rels"]), rels(after["word/_rels/document.xml.rels"])
    assert old_rels < new_rels and [t for _i, t, _g in new_rels - old_rels] == [
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"]
    def types(data):
        return {(o.get("PartName"), o.get("ContentType"), o.get("Extension")) for o in etree.fromstring(data)}
    assert types(before["[Content_Types].xml"]) < types(after["[Content_Types].xml"])
    assert ("/word/comments.xml", COMMENTS_TYPE, None) in types(after["[Content_Types].xml"])


def test_removing_the_comment_markup_gives_back_the_original_document(annotated):
    _source, out, _summary, _result, _trace, before = annotated
    after = _parts(out)["word/document.xml"]
    original = etree.fromstring(before["word/document.xml"])
    _merge_runs(original)
    restored = _without_comment_markup(after)
    assert etree.tostring(restored, method="c14n") == etree.tostring(original, method="c14n")
    # and the runs were really split (formatting kept on both halves)
    root = etree.fromstring(after)
    red = [r for r in root.iter(q("r")) if r.find(f"{q('rPr')}/{q('color')}") is not None]
    assert ["".join(t.text for t in r.iter(q("t"))) for r in red] == ["*", "次，集中"]


def test_the_annotated_copy_reads_as_the_same_report(annotated):
    source, out, _summary, _result, _trace, _before = annotated
    assert read_report(out) == read_report(source)
    import docx

    document = docx.Document(str(out))  # python-docx opens it
    assert len(document.tables) == 1 and len(document.inline_shapes) == 1


def test_summary_comment_lists_the_checklist_and_counts(annotated):
    _source, out, _summary, result, _trace, _before = annotated
    comments = _comments(_parts(out))
    summary = comments[min(comments, key=int)]["paragraphs"]
    assert summary[0].startswith(AUTHOR + "审阅意见")
    for item in result.checklist:
        assert checklist_line(item) in summary
    assert any(line.startswith("统计：") and "党组会" in line for line in summary)
    assert f"共有错误{result.errors}处、警告{result.warnings}处" in "".join(summary)


def test_hints_only_with_info(tmp_path):
    source = rich_docx(tmp_path)
    result = check(read_report(source))
    infos = sum(1 for f in result.findings if f.severity == "info")
    with_info = annotate_file(source, tmp_path / "a.docx", info=True)
    without = annotate_file(source, tmp_path / "b.docx")
    assert with_info.comments - without.comments == infos
    assert without.comments == result.errors + result.warnings


def test_existing_comments_are_kept_and_ids_do_not_collide(tmp_path):
    import docx

    source = rich_docx(tmp_path)
    document = docx.Document(str(source))
    if not hasattr(document, "add_comment"):
        pytest.skip("python-docx without the comments API")
    document.add_comment(document.paragraphs[2].runs, text="审核人：请补充数据来源。", author="张三")
    document.save(source)
    out = tmp_path / "out.docx"
    annotate_file(source, out)
    comments = _comments(_parts(out))
    authors = [c["author"] for c in comments.values()]
    assert authors.count("张三") == 1 and authors.count(AUTHOR) == len(comments) - 1
    root = etree.fromstring(_parts(out)["word/document.xml"])
    starts = [el.get(q("id")) for el in root.iter(q("commentRangeStart"))]
    assert len(starts) == len(set(starts)) == len(comments)


# --- a .txt report -------------------------------------------------------------------------------

def test_text_report_becomes_the_gbt9704_export_with_comments(tmp_path):
    seed = next(p for p in SEEDS if p.name.startswith("001_"))
    text = read_fixture(seed)
    source = tmp_path / "报告.txt"
    source.write_text(text, encoding="utf-8")
    summary = annotate_file(source)
    out = default_output(source)
    assert out == tmp_path / "报告_审阅.docx" and out.is_file()
    result = check(read_report(source))
    parts = _parts(out)
    assert "仿宋_GB2312" in parts["word/document.xml"].decode("utf-8")  # the export's layout
    comments = _comments(parts)
    ranges = _ranges(parts["word/document.xml"])
    shown = [f for f in result.findings if f.severity != "info"]
    groups = comment_groups(result.document.text, shown)
    assert summary.comments == len(groups) == len(comments) - 1
    # web residue lines are not exported: their comments go on the nearest heading, saying so
    moved = [c for c in comments.values() if "批注标在最近的标题上" in c["paragraphs"][-1]]
    assert len(moved) == summary.on_heading > 0
    # everything else is on exactly its text (a paragraph's blanks: from the first to the last)
    ids = sorted(comments, key=int)[1:]
    plain = text.replace("\r\n", "\n")
    for cid, group in zip(ids, groups):
        if group[0].rule == "placeholder":
            # the export cuts the paid-site markers out of a line
            assert ranges[cid] == plain[group[0].start:group[-1].end].replace("##paidbegin##", "")


def test_alignment_maps_around_dropped_lines():
    old = "标题\n##paidbegin##\n第一段*次。\n\n第二段。"
    new = "标题\n\n第一段*次。\n第二段。"
    mapping = align(old, new)
    star = old.index("*")
    assert mapping.translate(star, star + 1) == (new.index("*"), new.index("*") + 1)
    marker = old.index("##paid")
    assert mapping.translate(marker, marker + 13) is None
    second = old.index("第二段")
    assert mapping.translate(second, second + 3) == (new.index("第二段"), new.index("第二段") + 3)


def test_text_map_finds_characters_around_gaps():
    pieces = [(0, "ab", "t", "x", 0), (3, "cd", "t", "y", 0)]  # offset 2 is a paragraph join
    m = TextMap(pieces)
    assert m.first_in(2, 4) == (1, 0) and m.last_in(0, 3) == (0, 1)
    assert m.first_in(2, 3) is None and m.span(2, 3) is None
    assert m.last_in(1, 5) == (1, 1)


# --- bad input and the command line ------------------------------------------------------------

def test_command_line_writes_beside_and_never_over_the_input(tmp_path, capsys):
    source = rich_docx(tmp_path)
    before = source.read_bytes()
    assert main(["annotate", str(source)]) == 1  # written; the report has errors
    out = default_output(source)
    assert out.is_file() and source.read_bytes() == before
    assert "条批注" in capsys.readouterr().out
    assert main(["annotate", str(source), "--out", str(source)]) == 2
    err = capsys.readouterr().err
    assert "不能覆盖原文件" in err and str(source) in err
    assert source.read_bytes() == before


@pytest.mark.parametrize("case", ["missing", "not-docx-out", "no-folder", "read-only", "locked", "corrupt"])
def test_command_line_bad_input(tmp_path, capsys, case):
    source = rich_docx(tmp_path)
    out = tmp_path / "out.docx"
    if case == "missing":
        source = tmp_path / "没有这个文件.docx"
        reason = "文件不存在"
    elif case == "not-docx-out":
        out = tmp_path / "out.pdf"
        reason = "只能保存为 Word 文档"
    elif case == "no-folder":
        out = tmp_path / "没有" / "out.docx"
        reason = "不存在"
    elif case == "read-only":
        out.write_bytes(b"old")
        out.chmod(0o444)
        reason = "只读"
    elif case == "locked":
        (tmp_path / "~$out.docx").write_bytes(b"lock")
        reason = "正在 Word/WPS"
    else:
        source.write_bytes(b"PK\x03\x04 not really a zip")
        reason = "不是有效的 Word 文档"
    assert main(["annotate", str(source), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert reason in err
    assert (str(out) in err) or (str(source) in err)
    if case == "read-only":
        assert out.read_bytes() == b"old"
    assert not [p for p in out.parent.glob(".*.tmp")] if out.parent.is_dir() else True


def test_no_temporary_file_left_when_writing_fails(tmp_path, monkeypatch):
    from core.office import annotate

    source = rich_docx(tmp_path)
    out = tmp_path / "out.docx"

    def broken(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", broken)
    with pytest.raises(annotate.AnnotateError) as info:
        annotate_file(source, out)
    assert "磁盘空间不足" in str(info.value) or "写入" in str(info.value)
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_paragraphs_blanks_share_one_comment(tmp_path):
    """Issue 22.13: seed 000 has 24 blanks, 23 of them a single “*”, on eight lines: one comment
    per paragraph that lists where each blank is, not one per asterisk."""
    seed = next(p for p in SEEDS if p.name.startswith("000_"))
    text = read_fixture(seed)
    source = tmp_path / "报告.txt"
    source.write_text(text, encoding="utf-8")
    summary = annotate_file(source)
    result = check(read_report(source))
    blanks = [f for f in result.findings if f.rule == "placeholder"]
    lines = {result.document.text.count("\n", 0, f.start) for f in blanks}
    assert len(blanks) == 24 and len(lines) == 10
    comments = _comments(_parts(default_output(source)))
    on_blanks = [c["paragraphs"] for c in comments.values() if c["paragraphs"][0].startswith("空白待填")]
    assert len(on_blanks) == len(lines)
    assert summary.comments == len(lines) + result.warnings
    seven = next(c for c in on_blanks if "本段有5处" in c[0])
    assert "“第三季度召开中心组学习共*次”" not in seven[0]  # a few words, within the clause
    assert "“书记讲党课*次”" in seven[0] and "“参观红色教育基地*次”" in seven[0]
    assert seven.count("数字空白“*”：请填写实际数字。") == 1  # each message once


def test_the_same_message_repeated_in_a_paragraph_is_one_comment():
    text = "市审计局2024年度全面从严治党主体责任落实情况报告\n努力做到帐实相符和帐帐相符。\n另一段帐目清楚。"
    from core.check.findings import Finding

    first = text.index("帐实")
    same = [Finding("typo", "error", "“帐”应为“账”。", i, i + 1, "账")
            for i in (first, first + 5, first + 6)]
    other = Finding("typo", "error", "“帐”应为“账”。", text.index("帐目"), text.index("帐目") + 1, "账")
    groups = comment_groups(text, [*same, other])
    assert [len(g) for g in groups] == [3, 1]


def test_summary_never_shows_a_pass_mark_with_a_count():
    """Issue 22.13: “✓ 内容覆盖（1处）” said pass while the item had a finding (a hint)."""
    seed = next(p for p in SEEDS if p.name.startswith("000_"))
    result = check(read_fixture(seed))
    from core.office.annotate import summary_comment

    lines = summary_comment(result)
    items = [line for line in lines if line[:2] in ("✓ ", "○ ", "! ", "✗ ")]
    assert len(items) == len(result.checklist)
    assert not [line for line in items if line.startswith("✓") and "处" in line]
    coverage = next(i for i in result.checklist if i.id == "coverage")
    assert coverage.findings and all(f.severity == "info" for f in coverage.findings)
    assert f"○ {coverage.title}（提示1处）" in lines
    assert "✗ 空白待填（错误24处）" in lines
