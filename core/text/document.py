"""Parse a report's text once into a `Document`: title, preamble, headings, paragraphs, sentences.

Every span is a pair of code-point offsets into `Document.text`, which is the input with a
leading BOM removed and every line ending turned into ``\\n`` (see `normalize`). Rules never
re-split the text; they read these spans.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from core import resources
from core.text.metadata import ReportMeta, detect_variants, infer_meta
from core.text.numerals import parse_number

# Headings as users type them. Group "num" is the number, "punct" what follows it; the
# numbering rule judges the punctuation, the parser accepts every variant it may meet.
_HEADING_PATTERNS = (
    (2, re.compile(r"[（(](?P<num>[一二三四五六七八九十]{1,3})[）)](?P<punct>[、，,.．]?)")),
    (4, re.compile(r"[（(](?P<num>[0-9０-９]{1,2})[）)](?P<punct>[、，,.．]?)")),
    (1, re.compile(r"(?P<num>[一二三四五六七八九十]{1,3})(?P<punct>[、，,.．])")),
    (3, re.compile(r"(?P<num>[0-9０-９]{1,2})(?P<punct>[.．、，,])(?![0-9０-９])")),
)
# 一是……二是……（also 一要……二要……）inside running text, after any character ("工作一是强化…"),
# but not inside words that end in a numeral (统一是, 唯一是, 之一是, 第一是, 再三是).
ENUMERATION = re.compile(
    r"(?<![第统唯同单万专划归整合逐之其再十])(?P<num>[一二三四五六七八九十]{1,3})(?P<verb>是|要(?![素件点求义领害冲闻职]))")
# Where a heading's own title stops and its body text (on the same line) begins.
_TITLE_END = re.compile(r"[。！？!?]")
_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」』）)]*)?|[。！？!?]+")
_LEADING_SPACE = re.compile(r"[ \t\u3000\xa0]*")
_DATE_LINE = re.compile(
    r"^\s*(?:\d{4}|[〇零一二三四五六七八九]{4})年[0-9一二三四五六七八九十]{1,3}月"
    r"[0-9一二三四五六七八九十]{1,3}日\s*$")
# A 落款 date with its day or month cut off ("2021年1月18", "2021年1月"): still the date line.
INCOMPLETE_DATE_LINE = re.compile(
    r"^\s*(?:\d{4}|[〇零一二三四五六七八九]{4})年[0-9一二三四五六七八九十]{1,3}月?(?:[0-9一二三四五六七八九十]{1,3})?\s*$")
# "附：《…清单》", "附件1：", "附2：": from here on the text lists or carries attachments.
_ATTACHMENT = re.compile(r"^附(?:件|表)?\s*[0-9０-９一二三四五六七八九十]{0,2}\s*(?:[：:.．、]|$)")
# Who wrote or delivers it, under the title: "孙洪亮", "3.俞奇弘（党委委员、副校长）",
# "市审计局党组书记 张三", "——在2024年度述职述廉会议上的报告".
_BYLINE = re.compile(
    r"^(?:[0-9０-９]{1,2}[.．、])?[\u4e00-\u9fff·]{2,4}(?:[（(][^（()）\n]{2,24}[）)])?$"
    r"|^[^\n，。；：]{0,24}(?:书记|局长|主任|校长|委员|部长|主席|院长|处长|科长|经理|成员)[\s\u3000]+[\u4e00-\u9fff·]{2,4}$"
    r"|^[—－-]{1,2}[^\n]{2,40}$"
    r"|^[（(][^（()）\n]{4,30}[）)]$")
_CLOSING_PUNCT = "。！？；：…”’」』）)!?;:"


def normalize(text: str) -> str:
    """Drop a BOM and turn CRLF/CR into LF, the only changes ever made to the input."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Paragraph:
    start: int
    end: int
    text: str
    kind: str  # "preamble" | "body" | "signature" | "attachment" | "junk" | "heading-body"
    sentences: list[Sentence] = field(default_factory=list)
    heading: int | None = None  # index into Document.headings of the innermost heading


@dataclass(slots=True)
class Heading:
    level: int  # 1 一、  2 （一）  3 1.  4 （1）
    number: str  # the number marker exactly as written, e.g. "（一）、" or "1、"
    value: int | None  # the number's value, e.g. 1
    punct: str  # what followed the number: "、", ".", "" …
    start: int  # start of the marker (after any indentation)
    marker_end: int
    title: str  # the heading's own words, up to its first full stop
    title_end: int
    line_end: int
    section_end: int = 0  # end of everything under this heading
    parent: int | None = None  # index of the nearest heading of a higher level

    @property
    def title_start(self) -> int:
        return self.marker_end


@dataclass(slots=True)
class Document:
    text: str
    title: str | None
    title_start: int
    title_end: int
    headings: list[Heading]
    paragraphs: list[Paragraph]  # in text order; heading lines themselves are not paragraphs
    meta: ReportMeta

    @property
    def preamble(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.kind == "preamble"]

    @property
    def body_paragraphs(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.kind in ("body", "heading-body", "preamble")]

    def sentences(self):
        for paragraph in self.body_paragraphs:
            yield from paragraph.sentences

    def paragraphs_in(self, start: int, end: int) -> list[Paragraph]:
        return [p for p in self.body_paragraphs if p.start >= start and p.end <= end]

    def children(self, index: int | None, level: int | None = None) -> list[int]:
        """Indices of headings whose parent is `index` (None: top level)."""
        return [i for i, h in enumerate(self.headings)
                if h.parent == index and (level is None or h.level == level)]


def _match_heading(line: str):
    for level, pattern in _HEADING_PATTERNS:
        m = pattern.match(line)
        if m:
            return level, m
    return None


def heading_level(line: str) -> int | None:
    """The level a line's numbering gives it as a heading (1 一、 2 （一） 3 1. 4 （1）), read as
    `parse` reads heading lines; None when it is not numbered like one. `parse` also looks at the
    context: a title, a byline or an attachment list is not a heading whatever its numbering."""
    found = _match_heading(line[len(_LEADING_SPACE.match(line).group()):])
    return found[0] if found else None


def _split_sentences(text: str, offset: int) -> list[Sentence]:
    out = []
    for m in _SENTENCE.finditer(text):
        piece = m.group()
        stripped = piece.strip(" \t\u3000")
        if not stripped:
            continue
        lead = len(piece) - len(piece.lstrip(" \t\u3000"))
        start = offset + m.start() + lead
        out.append(Sentence(start, start + len(stripped), stripped))
    return out


def _lines(text: str):
    """(start, end, content) of each line, content without the newline."""
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def _looks_like_title(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > 80:
        return False
    if stripped[-1] in "。；，、：:;,":
        return False
    return _match_heading(stripped) is None


def parse(text: str, report_type: str | None = None) -> Document:
    """Parse normalised text. `report_type` overrides the detected type."""
    text = normalize(text)
    junk = resources.junk_line_patterns()
    lines = [(s, e, raw) for s, e, raw in _lines(text) if raw.strip()]

    def is_junk(raw: str) -> bool:
        stripped = raw.strip()
        return any(p.search(stripped) for p in junk)

    # Title: the first line that is not site junk, if it looks like one; a second short
    # line is joined when the first does not yet end with the genre word.
    title = None
    title_start = title_end = 0
    body_from = 0
    for i, (s, _e, raw) in enumerate(lines):
        if is_junk(raw):
            continue
        if _looks_like_title(raw):
            lead = len(raw) - len(raw.lstrip())
            title = raw.strip()
            title_start, title_end = s + lead, s + lead + len(title)
            body_from = i + 1
            if i + 1 < len(lines) and not re.search(r"(报告|通报|汇报)$", title):
                ns, ne, nraw = lines[i + 1]
                if (_looks_like_title(nraw) and len(nraw.strip()) <= 40
                        and re.search(r"(报告|通报|汇报)$", nraw.strip())):
                    title += nraw.strip()
                    title_end = ns + len(nraw) - (len(nraw) - len(nraw.rstrip()))
                    body_from = i + 2
        else:
            body_from = i
        break
    else:
        body_from = len(lines)

    headings: list[Heading] = []
    paragraphs: list[Paragraph] = []
    last_at_level: dict[int, int] = {}
    seen_heading = False
    in_attachments = False
    for s, _e, raw in lines[body_from:]:
        lead = len(_LEADING_SPACE.match(raw).group())
        content = raw[lead:].rstrip(" \t\u3000\xa0")
        start = s + lead
        end = start + len(content)
        if is_junk(content):
            paragraphs.append(Paragraph(start, end, content, "junk"))
            continue
        if in_attachments or _ATTACHMENT.match(content):
            # an attachment list is not part of the report's own numbering or sentences
            in_attachments = True
            paragraphs.append(Paragraph(start, end, content, "attachment"))
            continue
        if (not seen_heading and not any(p.kind == "preamble" for p in paragraphs)
                and title is not None and _BYLINE.match(content)):
            paragraphs.append(Paragraph(start, end, content, "byline"))
            continue
        found = _match_heading(content)
        if found:
            level, m = found
            marker_end = start + m.end()
            rest = content[m.end():]
            stop = _TITLE_END.search(rest)
            title_len = stop.end() if stop else len(rest)
            title_text = rest[:title_len].strip()
            parent = None
            for higher in range(level - 1, 0, -1):
                if higher in last_at_level:
                    parent = last_at_level[higher]
                    break
            heading = Heading(level=level, number=m.group(0), value=parse_number(m.group("num")),
                              punct=m.group("punct"), start=start, marker_end=marker_end,
                              title=title_text, title_end=marker_end + title_len,
                              line_end=end, parent=parent)
            headings.append(heading)
            index = len(headings) - 1
            last_at_level[level] = index
            for deeper in [lv for lv in last_at_level if lv > level]:
                del last_at_level[deeper]
            seen_heading = True
            body = rest[title_len:]
            body_lead = len(body) - len(body.lstrip(" \t\u3000"))
            if body.strip():
                bstart = marker_end + title_len + body_lead
                paragraphs.append(Paragraph(bstart, end, content[bstart - start:], "heading-body",
                                            heading=index))
            continue
        kind = "body" if seen_heading else "preamble"
        paragraphs.append(Paragraph(start, end, content, kind,
                                    heading=len(headings) - 1 if headings else None))

    _mark_signature(paragraphs)
    for p in paragraphs:
        if p.kind in ("body", "heading-body", "preamble"):
            p.sentences = _split_sentences(p.text, p.start)

    # A section runs to the next heading of the same or a higher level.
    text_end = len(text.rstrip())
    signature_start = min((p.start for p in paragraphs if p.kind == "signature"), default=text_end)
    for i, h in enumerate(headings):
        h.section_end = signature_start
        for later in headings[i + 1:]:
            if later.level <= h.level:
                h.section_end = later.start
                break
        # trailing blank lines and junk do not belong to the section
        h.section_end = max(h.line_end, len(text[:h.section_end].rstrip()))

    doc = Document(text, title, title_start, title_end, headings, paragraphs, ReportMeta())
    doc.meta = infer_meta(doc)
    if report_type:
        doc.meta.type = report_type
        doc.meta.type_source = "given"
        doc.meta.variants = detect_variants(doc)
    return doc


def _mark_signature(paragraphs: list[Paragraph]) -> None:
    """The closing 落款: a date line at the end (a cut-off one too: the date rule reports it), and
    the short unit line just above it."""
    tail = [p for p in paragraphs if p.kind != "junk"]
    if not tail or not (_DATE_LINE.match(tail[-1].text) or INCOMPLETE_DATE_LINE.match(tail[-1].text)):
        return
    tail[-1].kind = "signature"
    if len(tail) >= 2:
        above = tail[-2]
        if (len(above.text) <= 30 and above.text[-1] not in _CLOSING_PUNCT
                and not _ATTACHMENT.match(above.text) and not above.text.endswith("》")):
            above.kind = "signature"
