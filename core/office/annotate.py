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

import io
import os
import re
import zipfile
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path, PurePosixPath

from core import resources
from core.check.checklist import ChecklistItem, rules_with
from core.check.engine import CheckResult, check, excerpt
from core.check.findings import SEVERITY_LABELS, Finding
from core.files.atomic import lock_files
from core.files.textio import read_report_traced, trace_docx_bytes
from core.office.docx_comments import (
    AUTHOR,
    AnnotateError,
    Comment,
    TextMap,
    place_comments,
    used_ids,
    write_package,
)
from core.office.docx_export import build_document
from core.office.report_ledger import report_period
from core.text.stats import report_totals

SUFFIX = "_审阅"  # REPORT.docx → REPORT_审阅.docx
AROUND_BEFORE, AROUND_AFTER = 8, 2  # characters of context around each place in a shared comment




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
    lines = [f"{title}（{SEVERITY_LABELS[f.severity]}）：{f.message}"]
    if f.suggestion is not None:
        lines.append("建议删除。" if f.suggestion == "" else f"建议改为：{f.suggestion}")
    return lines


def summary_comment(result: CheckResult, when: datetime | None = None) -> list[str]:
    """The comment on the title: the checklist and the 统计 counts. ✓ only for an item with
    nothing at all; an item with only hints is ○ (a hint is not a pass with a count)."""
    doc = result.document
    profile = resources.profile(doc.meta.type)
    infos = len(result.findings) - result.errors - result.warnings
    lines = [f"{AUTHOR}审阅意见（{_date_text(when or datetime.now())}）",
             f"类型：{profile.name if profile else '未能识别'}；报告期：{report_period(doc.meta) or '未注明'}；"
             f"字数：{result.word_count}",
             f"共有错误{result.errors}处、警告{result.warnings}处、提示{infos}处。",
             "检查清单（✓ 未发现问题，○ 仅有提示，! 有警告，✗ 有错误）："]
    for item in result.checklist:
        lines.append(checklist_line(item))
    totals = report_totals(result.stats)
    if totals:
        shown = "；".join(f"{t.item}{t.display()}" for t in totals.values())
        lines.append(f"统计：{shown}")
    else:
        lines.append("统计：报告中没有找到可统计的事项（党组会、中心组学习、谈心谈话等的次数）。")
    return lines


def checklist_line(item: ChecklistItem) -> str:
    """One checklist item in the summary: its mark and what it holds, by severity."""
    counts = {s: sum(1 for f in item.findings if f.severity == s) for s in ("error", "warning", "info")}
    if not any(counts.values()):
        return f"✓ {item.title}"
    mark = "✗" if counts["error"] else "!" if counts["warning"] else "○"
    held = "、".join(f"{SEVERITY_LABELS[s]}{n}处" for s, n in counts.items() if n)
    return f"{mark} {item.title}（{held}）"


def _date_text(when: datetime) -> str:
    return f"{when.year}年{when.month}月{when.day}日"



def comment_groups(text: str, findings: list[Finding]) -> list[list[Finding]]:
    """The findings, one comment each, except that repeats within one paragraph share one: a
    paragraph's blanks (seed 000 has 23 single “*” on eight lines), and the same message on the
    same words (帐 → 账 three times in one sentence). Findings covering no text stay alone."""
    groups: dict[tuple, list[Finding]] = {}
    out: list[list[Finding]] = []
    # a table row is read as one line, its cells apart by tabs: a cell is a paragraph of its own
    bounds = [m.start() for m in re.finditer("[\n\t]", text)]
    merged = rules_with("merge_comments")
    for f in findings:
        if f.end <= f.start:
            out.append([f])
            continue
        line = bisect_right(bounds, f.start - 1)
        if bisect_right(bounds, f.end - 1) != line:
            out.append([f])  # a finding across paragraphs is not grouped
            continue
        # all of a paragraph's findings of a rule declared merge_comments share one comment
        key = (line, f.rule) if f.rule in merged else (line, f.rule, f.message, f.suggestion)
        if key in groups:
            groups[key].append(f)
            continue
        groups[key] = [f]
        out.append(groups[key])
    return out


def group_comment(text: str, group: list[Finding], title: str) -> list[str]:
    """One comment for several findings in one paragraph: where each is (a few words around it),
    then each distinct message and suggestion once."""
    worst = min(group, key=lambda f: ("error", "warning", "info").index(f.severity))
    places = "、".join(dict.fromkeys(f"“{_around(text, f)}”" for f in group))
    lines = [f"{title}（{SEVERITY_LABELS[worst.severity]}）：本段有{len(group)}处：{places}。"]
    lines += list(dict.fromkeys(f.message for f in group))
    suggestions = list(dict.fromkeys(f.suggestion for f in group if f.suggestion is not None))
    if len(suggestions) == 1:
        lines.append("建议删除。" if suggestions[0] == "" else f"建议改为：{suggestions[0]}")
    return lines


def _around(text: str, f: Finding) -> str:
    """The finding's text with a few words either side, within its clause: 召开党组会*次."""
    stops = "，。；：！？、\n“”（）《》"
    start = f.start
    while start > 0 and f.start - start < AROUND_BEFORE and text[start - 1] not in stops:
        start -= 1
    end = f.end
    while end < len(text) and end - f.end < AROUND_AFTER and text[end] not in stops:
        end += 1
    return text[start:end]


# --- from a checked report to comments ---------------------------------------------------------

def _anchor_spans(result: CheckResult, f: Finding, end: int | None = None) -> Iterable[tuple[int, int]]:
    """Where to try to anchor a finding (or a paragraph's group of findings, up to `end`): its own
    span, then the nearest heading before it, then the title, then the first line."""
    doc = result.document
    yield f.start, max(f.end, end or 0)
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
                   translate=None, when: datetime) -> tuple[list[Comment], int]:
    """The summary comment and one comment per finding; how many went on a heading instead."""
    translate = translate or (lambda s, e: (s, e))
    titles = _item_titles(result.checklist)
    doc = result.document
    comments: list[Comment] = []
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
        comments.append(Comment(next_id, summary_comment(result, when), start, end))
        next_id += 1
    shown = [f for f in result.findings if f.severity != "info" or info]
    for group in comment_groups(doc.text, shown):
        f = group[0]
        found = place(_anchor_spans(result, f, group[-1].end))
        if found is None:
            continue  # a document with no text at all: nothing to anchor on
        (start, end), n = found
        title = titles.get(f.rule, f.rule)
        paragraphs = finding_comment(f, title) if len(group) == 1 else group_comment(doc.text, group, title)
        if n > 0:
            moved += 1
            if f.end > f.start:
                paragraphs.append(f"（原文“{excerpt(doc.text, f.start, f.end, 0)}”在本文档中没有对应的文字，"
                                  f"批注标在最近的标题上。）")
        comments.append(Comment(next_id, paragraphs, start, end))
        next_id += 1
    return comments, moved


# --- the two entry points ----------------------------------------------------------------------

def check_output(source: Path | None, out: Path) -> None:
    """Refuse before any work: a wrong suffix, the input itself, a file open in Word."""
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
    for lock in lock_files(out):
        if lock.exists():
            raise AnnotateError(out, "该文件正在 Word/WPS 等程序中打开，请先关闭它。")


def annotate_docx(source: Path, out: Path, result: CheckResult, trace, *, info: bool = False,
                  when: datetime | None = None) -> AnnotateSummary:
    """Comments for `result` (a check of the text traced in `trace`) in a copy of `source`."""
    when = when or datetime.now()
    first_id = max(used_ids(trace.root), _existing_comment_ids(source))
    comments, moved = build_comments(result, TextMap(trace.pieces), first_id, info=info, when=when)
    place_comments(trace.root, comments)
    write_package(source, out, trace.part_name, trace.root, comments, when)
    return _summary(out, comments, moved, result)


def _existing_comment_ids(source) -> int:
    """The first id after those in an existing comments part (a reviewer's own comments)."""
    from lxml import etree  # deferred: lxml loads only when a document is written (start-up speed)

    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as z:
        for name in z.namelist():
            if PurePosixPath(name).name.startswith("comments") and name.endswith(".xml") and name.startswith("word/"):
                try:
                    return used_ids(etree.fromstring(z.read(name), etree.XMLParser(resolve_entities=False)))
                except etree.XMLSyntaxError:
                    continue
    return 0


def _summary(out: Path, comments: list[Comment], moved: int, result: CheckResult) -> AnnotateSummary:
    return AnnotateSummary(str(out), max(0, len(comments) - 1), moved, result.errors, result.warnings)


def annotate_text(text: str, out: Path, result: CheckResult | None = None, *, info: bool = False,
                  report_type: str | None = None, when: datetime | None = None) -> AnnotateSummary:
    """A .txt report: the GB/T 9704 export of `text` with the comments of its check."""
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
