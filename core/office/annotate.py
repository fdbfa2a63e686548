"""Review results back into Word: a copy of the report with one comment (批注) per finding.

A .docx is copied part for part: only the main document part (comment marks added, runs split
where a finding starts or ends inside one), the comments part, its relationship and the content
types change; every other part — styles, numbering, headers, images — is copied byte for byte.
A .txt report becomes the GB/T 9704 export (core.office.docx_export) with the same comments.

Offsets: the checker's offsets are into the text core.files.textio reads from the .docx, and
`read_report_traced` records where each character of that reading comes from, so a finding is
anchored on exactly the characters it covers. Text that exists only as Word's automatic list
numbering has no characters in the document: a finding starting there is anchored at the start
of its paragraph. A finding that covers no text at all (a missing part) goes on the nearest
heading before it, or on the title.

python-docx 1.2 has `add_comment`, but it anchors on whole runs and saving through python-docx
writes every XML part anew; the comments part is therefore written here with lxml.
"""
from __future__ import annotations

import copy
import io
import os
import zipfile
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from core.check.checklist import ChecklistItem
from core.check.engine import CheckResult, check, excerpt
from core.check.findings import Finding

AUTHOR = "报告助手"
INITIALS = "助手"
SUFFIX = "_审阅"  # REPORT.docx → REPORT_审阅.docx
STATUS_MARK = {"pass": "✓", "warn": "!", "fail": "✗"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


class AnnotateError(Exception):
    """The annotated copy cannot be written; str() is one Chinese sentence naming the file."""

    def __init__(self, path: str | os.PathLike, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"无法写入带批注的文档“{self.path}”：{reason}")


@dataclass
class AnnotateSummary:
    path: str
    comments: int  # finding comments, the summary comment not counted
    on_heading: int  # findings covering no text, put on the nearest heading or the title
    errors: int
    warnings: int


def default_output(source: str | os.PathLike) -> Path:
    p = Path(source)
    return p.with_name(p.stem + SUFFIX + ".docx")


# --- the comments' words -----------------------------------------------------------------------

def _item_titles(checklist: list[ChecklistItem]) -> dict[str, str]:
    return {rule: item.title for item in checklist for rule in item.rules}


def finding_comment(f: Finding, title: str) -> list[str]:
    """Paragraphs of one finding's comment: checklist item and severity, message, suggestion."""
    lines = [f"{title}（{SEVERITY_NAMES[f.severity]}）：{f.message}"]
    if f.suggestion is not None:
        lines.append("建议删除。" if f.suggestion == "" else f"建议改为：{f.suggestion}")
    return lines


def summary_comment(result: CheckResult, when: datetime | None = None) -> list[str]:
    """The comment on the title: the checklist with ✓/!/✗ and counts, and the 统计 counts."""
    from core import resources
    from core.office.report_ledger import report_period
    from core.text.stats import report_totals

    doc = result.document
    profile = resources.profile(doc.meta.type)
    infos = len(result.findings) - result.errors - result.warnings
    lines = [f"{AUTHOR}审阅意见（{_date_text(when or datetime.now())}）",
             f"类型：{profile.name if profile else '未能识别'}；报告期：{report_period(doc.meta) or '未注明'}；"
             f"字数：{result.word_count}",
             f"共有错误{result.errors}处、警告{result.warnings}处、提示{infos}处。",
             "检查清单："]
    for item in result.checklist:
        count = f"（{item.count}处）" if item.count else ""
        lines.append(f"{STATUS_MARK[item.status]} {item.title}{count}")
    totals = report_totals(result.stats)
    if totals:
        shown = "；".join(f"{t.item}{t.display()}" for t in totals.values())
        lines.append(f"统计：{shown}")
    else:
        lines.append("统计：报告中没有找到可统计的事项（党组会、中心组学习、谈心谈话等的次数）。")
    return lines


def _date_text(when: datetime) -> str:
    return f"{when.year}年{when.month}月{when.day}日"


# --- where each character comes from -----------------------------------------------------------

class TextMap:
    """From offsets into the checked text to places in the document part (see DocxTrace)."""

    def __init__(self, pieces: list):
        seen = set()
        kept = []
        for piece in pieces:
            key = (id(piece[3]), piece[4])
            if key in seen:
                continue  # a nested table is read twice; its text is anchored where it is first read
            seen.add(key)
            kept.append(piece)
        kept.sort(key=lambda p: p[0])
        self.pieces = kept
        self.starts = [p[0] for p in kept]

    def first_in(self, start: int, end: int) -> tuple[int, int] | None:
        """(piece index, index in piece) of the first character in [start, end) that has a place."""
        i = bisect_right(self.starts, start) - 1
        if i >= 0 and start < self.starts[i] + len(self.pieces[i][1]):
            return i, start - self.starts[i]
        i += 1
        if i < len(self.pieces) and self.starts[i] < end:
            return i, 0
        return None

    def last_in(self, start: int, end: int) -> tuple[int, int] | None:
        i = bisect_right(self.starts, end - 1) - 1
        if i < 0:
            return None
        piece_end = self.starts[i] + len(self.pieces[i][1])
        at = min(end, piece_end) - 1
        if at < start or at < self.starts[i]:
            return None
        return i, at - self.starts[i]

    def span(self, start: int, end: int):
        """(start position, end position) for [start, end), or None when no character of it has
        a place in the document. A position is (sort key, kind, element, index)."""
        first = self.first_in(start, end)
        last = self.last_in(start, end) if first is not None else None
        if first is None or last is None:
            return None
        return self._position(*first, before=True), self._position(*last, before=False)

    def _position(self, index: int, at: int, *, before: bool):
        _offset, _text, kind, el, first = self.pieces[index]
        if kind == "label":
            return (index, 0), "pstart", el, 0
        k = first + at + (0 if before else 1)
        return (index, at + (0 if before else 1)), "char", el, k


# --- changing the document part ----------------------------------------------------------------

def _element_length(el) -> int:
    return len(el.text or "") if el.tag == w("t") else 1


def _split_point(el, k: int):
    """Where to put marks before character k of `el` (a w:t, or a w:tab/w:br of length 1):
    ("before"|"after", element). Splits the run in two, both keeping its formatting, when the
    point is inside it."""
    run = el.getparent()
    length = _element_length(el)
    if run is None or run.tag != w("r"):
        return ("before", el) if k <= 0 or length == 0 else ("after", el)
    content = [c for c in run if c.tag != w("rPr")]
    index = content.index(el)
    if k <= 0 and index == 0:
        return "before", run
    if k >= length and index == len(content) - 1:
        return "after", run
    second = run.makeelement(run.tag, dict(run.attrib))
    rpr = run.find(w("rPr"))
    if rpr is not None:
        second.append(copy.deepcopy(rpr))
    following = content[index + 1:]
    if 0 < k < length:  # inside a w:t: its text in two
        text = el.text
        tail = second.makeelement(w("t"), {})
        tail.text = text[k:]
        el.text = text[:k]
        for t in (el, tail):
            if t.text[:1].isspace() or t.text[-1:].isspace():
                t.set(_XML_SPACE, "preserve")
        second.append(tail)
    elif k <= 0:
        following = [el, *following]
    for child in following:
        second.append(child)  # moved, not copied
    run.addnext(second)
    return "after", run


def _insert(where: tuple[str, object], marks: list) -> None:
    side, anchor = where
    if side == "before":
        for m in marks:
            anchor.addprevious(m)
    else:
        for m in marks:
            anchor.addnext(m)
            anchor = m


def _paragraph_start(p):
    ppr = p.find(w("pPr"))
    if ppr is not None:
        return "after", ppr
    if len(p):
        return "before", p[0]
    return "inside", p


@dataclass
class _Comment:
    id: int
    paragraphs: list[str]
    start: tuple
    end: tuple


def _mark(root, tag: str, cid: int):
    return root.makeelement(w(tag), {w("id"): str(cid)})


def _reference_run(root, cid: int):
    run = root.makeelement(w("r"), {})
    ref = run.makeelement(w("commentReference"), {w("id"): str(cid)})
    run.append(ref)
    return run


def place_comments(root, comments: list[_Comment]) -> None:
    """Put commentRangeStart/End and the reference run of every comment into the part."""
    at: dict[tuple, dict] = {}
    for c in comments:
        for pos, role in ((c.start, "start"), (c.end, "end")):
            slot = at.setdefault(pos[0], {"pos": pos, "start": [], "end": [], "point": []})
            if c.start[0] == c.end[0]:
                if role == "start":
                    slot["point"].append(c.id)
            else:
                slot[role].append(c.id)
    # Last place first: splitting a run keeps the earlier text in the original run, so the
    # places still to do stay valid.
    for key in sorted(at, reverse=True):
        slot = at[key]
        marks = []
        for cid in slot["end"]:
            marks += [_mark(root, "commentRangeEnd", cid), _reference_run(root, cid)]
        for cid in slot["point"]:
            marks += [_mark(root, "commentRangeStart", cid), _mark(root, "commentRangeEnd", cid),
                      _reference_run(root, cid)]
        for cid in slot["start"]:
            marks.append(_mark(root, "commentRangeStart", cid))
        _key, kind, el, k = slot["pos"]
        if kind == "pstart":
            where = _paragraph_start(el)
            if where[0] == "inside":
                for m in marks:
                    el.append(m)
                continue
        else:
            where = _split_point(el, k)
        _insert(where, marks)


def comments_part(existing: bytes | None, comments: list[_Comment], when: datetime):
    """The comments part: the existing one with ours appended, or a new one."""
    from lxml import etree

    if existing is not None:
        root = etree.fromstring(existing, etree.XMLParser(resolve_entities=False))
    else:
        root = etree.Element(w("comments"), nsmap={"w": W_NS})
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for c in comments:
        comment = etree.SubElement(root, w("comment"), {w("id"): str(c.id), w("author"): AUTHOR,
                                                        w("date"): stamp, w("initials"): INITIALS})
        for n, line in enumerate(c.paragraphs):
            p = etree.SubElement(comment, w("p"))
            if n == 0:
                etree.SubElement(etree.SubElement(p, w("r")), w("annotationRef"))
            r = etree.SubElement(p, w("r"))
            t = etree.SubElement(r, w("t"))
            t.text = line
            if line[:1].isspace() or line[-1:].isspace():
                t.set(_XML_SPACE, "preserve")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _used_ids(*roots) -> int:
    """The first comment id not used in any of the given parts."""
    top = -1
    for root in roots:
        if root is None:
            continue
        for tag in ("comment", "commentRangeStart", "commentRangeEnd", "commentReference"):
            for el in root.iter(w(tag)):
                try:
                    top = max(top, int(el.get(w("id"), "-1")))
                except ValueError:
                    continue
    return top + 1


# --- the package -------------------------------------------------------------------------------

def _rels_name(part_name: str) -> str:
    p = PurePosixPath(part_name)
    return str(p.parent / "_rels" / (p.name + ".rels"))


def _resolve(part_name: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = []
    for seg in (str(PurePosixPath(part_name).parent) + "/" + target).split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if parts:
                parts.pop()
        else:
            parts.append(seg)
    return "/".join(parts)


def write_package(source: bytes | str | os.PathLike, out: Path, part_name: str, root,
                  comments: list[_Comment], when: datetime) -> None:
    """Copy the package `source` to `out` with the changed main part and the comments."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zin:
        infos = zin.infolist()
        names = {i.filename for i in infos}
        rels_name = _rels_name(part_name)
        parser = etree.XMLParser(resolve_entities=False)
        rels = etree.fromstring(zin.read(rels_name), parser) if rels_name in names else \
            etree.Element(f"{{{_REL_NS}}}Relationships", nsmap={None: _REL_NS})
        comments_name = None
        for rel in rels:
            if rel.get("Type") == COMMENTS_REL and rel.get("TargetMode") != "External":
                comments_name = _resolve(part_name, rel.get("Target", ""))
        existing = zin.read(comments_name) if comments_name in names else None
        new_rels = None
        if comments_name is None or existing is None:
            if comments_name is None:
                comments_name = _resolve(part_name, "comments.xml")
                n = 1
                while comments_name in names:
                    n += 1
                    comments_name = _resolve(part_name, f"comments{n}.xml")
                ids = {rel.get("Id") for rel in rels}
                rid = next(f"rId{n}" for n in range(len(ids) + 1, len(ids) + 1000) if f"rId{n}" not in ids)
                target = str(PurePosixPath(comments_name).relative_to(PurePosixPath(part_name).parent)) \
                    if comments_name.startswith(str(PurePosixPath(part_name).parent)) else "/" + comments_name
                etree.SubElement(rels, f"{{{_REL_NS}}}Relationship",
                                 {"Id": rid, "Type": COMMENTS_REL, "Target": target})
                new_rels = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
        types = etree.fromstring(zin.read("[Content_Types].xml"), parser)
        new_types = None
        override = f"/{comments_name}"
        if not any(o.get("PartName") == override for o in types.iter(f"{{{_CT_NS}}}Override")):
            etree.SubElement(types, f"{{{_CT_NS}}}Override", {"PartName": override, "ContentType": COMMENTS_TYPE})
            new_types = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
        replaced = {part_name: etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
                    comments_name: comments_part(existing, comments, when)}
        if new_rels is not None:
            replaced[rels_name] = new_rels
        if new_types is not None:
            replaced["[Content_Types].xml"] = new_types

        def write(fh) -> None:
            with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zout:
                for info in infos:
                    data = replaced.pop(info.filename, None)
                    if data is None:
                        data = zin.read(info)
                    copy_info = zipfile.ZipInfo(info.filename, info.date_time)
                    copy_info.compress_type = info.compress_type
                    copy_info.external_attr = info.external_attr
                    copy_info.create_system = info.create_system
                    zout.writestr(copy_info, data)
                for name, data in replaced.items():  # parts that are new
                    zout.writestr(zipfile.ZipInfo(name, when.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)

        _save(out, write)


def _save(out: Path, write) -> None:
    from core.files.drafts import SaveError, save_with

    try:
        save_with(out, write)
    except SaveError as exc:
        raise AnnotateError(out, exc.reason) from None


# --- from a checked report to comments ---------------------------------------------------------

def _anchor_spans(result: CheckResult, f: Finding) -> Iterable[tuple[int, int]]:
    """Where to try to anchor a finding: its own span, then the nearest heading before it, then
    the title, then the first line."""
    doc = result.document
    yield f.start, f.end
    before = [h for h in doc.headings if h.start <= f.start]
    if before:
        h = before[-1]
        yield h.start, h.title_end
    if doc.title:
        yield doc.title_start, doc.title_end
    text = doc.text
    first = len(text) - len(text.lstrip())
    line_end = text.find("\n", first)
    yield first, line_end if line_end != -1 else len(text)


def build_comments(result: CheckResult, text_map: TextMap, first_id: int, *, info: bool,
                   translate=None, when: datetime) -> tuple[list[_Comment], int]:
    """The summary comment and one comment per finding; how many went on a heading instead."""
    translate = translate or (lambda s, e: (s, e))
    titles = _item_titles(result.checklist)
    doc = result.document
    comments: list[_Comment] = []
    moved = 0

    def place(spans) -> tuple | None:
        for n, (s, e) in enumerate(spans):
            mapped = translate(s, e)
            if mapped is None:
                continue
            span = text_map.span(*mapped)
            if span is not None:
                return span, n
        return None

    title_spans = ([(doc.title_start, doc.title_end)] if doc.title else []) + list(
        _anchor_spans(result, Finding("title", "info", "", 0, 0)))[1:]
    summary = place(title_spans)
    next_id = first_id
    if summary is not None:
        (start, end), _n = summary
        comments.append(_Comment(next_id, summary_comment(result, when), start, end))
        next_id += 1
    for f in result.findings:
        if f.severity == "info" and not info:
            continue
        found = place(_anchor_spans(result, f))
        if found is None:
            continue  # a document with no text at all: nothing to anchor on
        (start, end), n = found
        paragraphs = finding_comment(f, titles.get(f.rule, f.rule))
        if n > 0:
            moved += 1
            if f.end > f.start:
                paragraphs.append(f"（原文“{excerpt(doc.text, f.start, f.end, 0)}”在本文档中没有对应的文字，"
                                  f"批注标在最近的标题上。）")
        comments.append(_Comment(next_id, paragraphs, start, end))
        next_id += 1
    return comments, moved


# --- the two entry points ----------------------------------------------------------------------

def check_output(source: Path | None, out: Path) -> None:
    """Refuse before any work: a wrong suffix, the input itself, a file open in Word."""
    from core.office.docx_export import _lock_files

    if out.suffix.lower() != ".docx":
        raise AnnotateError(out, "带批注的文档只能保存为 Word 文档（.docx）。")
    if out.is_dir():
        raise AnnotateError(out, "这是一个文件夹，不是文件。")
    same = False
    try:
        same = source is not None and out.exists() and source.exists() and os.path.samefile(out, source)
    except OSError:
        pass
    if same or (source is not None and out.resolve() == source.resolve()):
        raise AnnotateError(out, "不能覆盖原文件，请另选一个文件名（如“原文件名_审阅.docx”）。")
    if not out.parent.is_dir():
        raise AnnotateError(out, f"文件夹“{out.parent}”不存在。")
    for lock in _lock_files(out):
        if lock.exists():
            raise AnnotateError(out, "该文件正在 Word/WPS 等程序中打开，请先关闭它。")


def annotate_docx(source: Path, out: Path, result: CheckResult, trace, *, info: bool = False,
                  when: datetime | None = None) -> AnnotateSummary:
    """Comments for `result` (a check of the text traced in `trace`) in a copy of `source`."""
    when = when or datetime.now()
    first_id = max(_used_ids(trace.root), _existing_comment_ids(source))
    comments, moved = build_comments(result, TextMap(trace.pieces), first_id, info=info, when=when)
    place_comments(trace.root, comments)
    write_package(source, out, trace.part_name, trace.root, comments, when)
    return _summary(out, comments, moved, result)


def _existing_comment_ids(source) -> int:
    """The first id after those in an existing comments part (a reviewer's own comments)."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as z:
        for name in z.namelist():
            if PurePosixPath(name).name.startswith("comments") and name.endswith(".xml") and name.startswith("word/"):
                try:
                    return _used_ids(etree.fromstring(z.read(name), etree.XMLParser(resolve_entities=False)))
                except etree.XMLSyntaxError:
                    continue
    return 0


def _summary(out: Path, comments: list[_Comment], moved: int, result: CheckResult) -> AnnotateSummary:
    return AnnotateSummary(str(out), max(0, len(comments) - 1), moved, result.errors, result.warnings)


def annotate_text(text: str, out: Path, result: CheckResult | None = None, *, info: bool = False,
                  report_type: str | None = None, when: datetime | None = None) -> AnnotateSummary:
    """A .txt report: the GB/T 9704 export of `text` with the comments of its check."""
    from core.office.docx_export import build_document
    from core.files.textio import trace_docx_bytes

    when = when or datetime.now()
    result = result or check(text, report_type=report_type)
    document, _counts = build_document(text, report_type=result.document.meta.type)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    exported, trace = trace_docx_bytes(data, document)
    mapping = align(text, exported)
    comments, moved = build_comments(result, TextMap(trace.pieces), 0, info=info, when=when,
                                     translate=mapping.translate)
    place_comments(trace.root, comments)
    write_package(data, out, trace.part_name, trace.root, comments, when)
    return _summary(out, comments, moved, result)


def annotate_file(source: str | os.PathLike, out: str | os.PathLike | None = None, *, info: bool = False,
                  report_type: str | None = None, when: datetime | None = None) -> AnnotateSummary:
    """Read, check and annotate one report. Raises core.files.textio.ReadError when it cannot be read,
    AnnotateError when the copy cannot be written."""
    from core.files.textio import read_report_traced

    source = Path(source)
    out = Path(out) if out is not None else default_output(source)
    check_output(source, out)
    text, _notes, trace = read_report_traced(source)
    result = check(text, report_type=report_type)
    if trace is None:
        return annotate_text(text, out, result, info=info, when=when)
    return annotate_docx(source, out, result, trace, info=info, when=when)


# --- the text of a .txt against its export ------------------------------------------------------

class Alignment:
    """Offsets into the original text → offsets into the exported document's text (-1: dropped,
    as web residue lines and blank lines are)."""

    def __init__(self, to_new):
        self.to_new = to_new

    def translate(self, start: int, end: int) -> tuple[int, int] | None:
        mapped = [self.to_new[i] for i in range(start, min(end, len(self.to_new))) if self.to_new[i] >= 0]
        if not mapped:
            return None
        return mapped[0], mapped[-1] + 1


def align(old: str, new: str) -> Alignment:
    """Line by line, then character by character inside lines that changed."""
    from array import array
    from difflib import SequenceMatcher

    to_new = array("i", [-1]) * len(old)
    old_lines, new_lines = old.split("\n"), new.split("\n")
    old_starts, new_starts = _line_starts(old_lines), _line_starts(new_lines)
    lines = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in lines.get_opcodes():
        if op == "equal":
            for k in range(a2 - a1):
                o, n = old_starts[a1 + k], new_starts[b1 + k]
                for i in range(len(old_lines[a1 + k]) + (1 if a1 + k + 1 < len(old_lines) else 0)):
                    if n + i < len(new):
                        to_new[o + i] = n + i
        elif op == "replace":
            a_text = "\n".join(old_lines[a1:a2])
            b_text = "\n".join(new_lines[b1:b2])
            chars = SequenceMatcher(None, a_text, b_text, autojunk=False)
            for block in chars.get_matching_blocks():
                for i in range(block.size):
                    to_new[old_starts[a1] + block.a + i] = new_starts[b1] + block.b + i
    return Alignment(to_new)


def _line_starts(lines: list[str]) -> list[int]:
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    return starts
