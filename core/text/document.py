"""Parse a report's text once into a `Document`: title, preamble, headings, paragraphs, sentences.

Every span is a pair of code-point offsets into `Document.text`, which is the input with a
leading BOM removed and every line ending turned into ``\\n`` (see `normalize`). Rules never
re-split the text; they read these spans.

Not every line is a sentence. Besides numbered headings the model knows the other kinds of line
official prose is made of (`Paragraph.role`, see `LINE_ROLES`): unnumbered headings (第X章, 4.4　应急终止,
a subhead ending in ——, a title printed over two lines), captions and editorial notes in brackets
(also over two lines), datelines, 文号, salutations (各位代表！), lead-ins and rows of a list or
table. Rules that judge sentences ask `Document.is_sentence_line` / `role_at` instead of guessing
from punctuation, and `Document.quoted` tells whether words are quoted from an authoritative text
(see core.text.voice) rather than the writer's own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from core import resources
from core.text.lines import CLAUSE_PUNCT as _CLAUSE_PUNCT
from core.text.lines import GENRE_WORD as _GENRE_WORD
from core.text.lines import SENTENCE_PUNCT as _SENTENCE_PUNCT
from core.text.lines import match_heading as _match_heading
from core.text.metadata import ReportMeta, detect_variants, infer_meta
from core.text.numerals import parse_number
from core.text.voice import quoted_mask
from core.text.wrapping import find_hard_wraps, logical_lines

# 一是……二是……（also 一要……二要……）inside running text, after any character ("工作一是强化…"),
# but not inside words that end in a numeral (统一是, 唯一是, 之一是, 第一是, 再三是).
ENUMERATION = re.compile(
    # (the look back comes after the first numeral: the re module then scans for numerals)
    r"(?P<num>[一二三四五六七八九十](?<![第统唯同单万专划归整合逐之其再十][一二三四五六七八九十])[一二三四五六七八九十]{0,2})"
    r"(?P<verb>是|要(?![素件点求义领害冲闻职]))")
# Where a heading's own title stops and its body text (on the same line) begins.
_TITLE_END = re.compile(r"[。！？!?]")
# a paragraph holds a newline only where a hard-wrapped line goes on (Document.soft_breaks): inside a sentence
_SENTENCE = re.compile(r"[^。！？!?]+(?:[。！？!?]+[”’」』）)]*)?|[。！？!?]+")
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
# Lines under the title before the text begins: subtitle, speaker, "（2022年10月16日）", "……通过".
_ISSUED = re.compile(r"(?:19|20)[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日[^\n]{0,40}"
                     r"(?:通过|发布|印发|批准|施行|修订|修正|公布|修改)$")

# The 版头 above a 公文's title (GB/T 9704): 份号, 密级, 紧急程度, 发文机关标志 (……文件), 发文字号, 签发人.
_HEADER_LINE = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,12}[〔\[［(（](?:19|20)[0-9]{2}[〕\]］)）][0-9]{1,4}号"
    r"|[\u4e00-\u9fff（）()、\s]{2,30}文件|签发人[：:][^\n]{1,20}|特急|加急|特提|平急"
    r"|(?:绝密|机密|秘密)(?:★[^\n]{0,8})?|[0-9]{6})$")

# What a line is, when it is not a sentence of the text (Paragraph.role).
LINE_ROLES = {
    "prose": "sentences of the text (the default; also a sentence missing its full stop)",
    "heading": "an unnumbered heading: 第X章, 4.4　应急终止, a short line of phrases, a title block",
    "lead-in": "a line that leads into the next one: a subhead ending in ——",
    "caption": "a note or caption in brackets, on one line or two: （此件公开发布）, （2024年1月18日……",
    "dateline": "a date on its own, or the date a text was passed or issued",
    "docno": "a document number: 国办发〔2018〕127号",
    "salutation": "an address to the audience: 各位代表！ 同志们：",
    "list": "a row of a list or table: 王　华　　教育部副部长",
}
_BRACKETED = re.compile(r"^(?:[（(][^\n]*[）)]|【[^\n]*】|〔[^\n]*〕|\[[^\n]*\])$")
_DOCNO = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（](?:19|20)[0-9]{2}[〕\]］)）][0-9]{1,4}号$")
_DATE_ONLY = re.compile(
    r"^[（(]?(?:[0-9]{4}|[〇零一二三四五六七八九]{4})年[0-9一二三四五六七八九十]{1,3}月"
    r"[0-9一二三四五六七八九十]{1,3}日[）)]?$")
# 第一章 总则, 第十章　党和共青团的关系, 第二节, 第三部分, 第一、…; 1　总则, 4.4　应急终止, 2.1.1　职责
_SECTION_MARK = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇0-9]{1,4}(?:章|节|编|篇|部分|单元|讲|课)|"
    r"第[一二三四五六七八九十]{1,3}[、，,]|"
    r"[0-9０-９]{1,2}(?:[.．][0-9０-９]{1,2}){0,3}[\s\u3000]+(?=\S))")
# "保护：把老祖宗留下的文化遗产精心守护好": a short label, a colon and a phrase — a heading
_LABELLED_HEADING = re.compile(r"^[^，,。；;：:！？!?]{1,6}[：:][^，,。；;：:！？!?]{2,24}$")
_LEAD_INTO = re.compile(r"(?:——|—|……|…)[”’」』）)]?$")
# two or more spaces (or a tab) between fields: a row of a list or a table, not a sentence
_FIELD_GAP = re.compile(r"\S(?:[ \u3000\xa0]{2,}|\t)\S")


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
    kind: str  # "preamble" | "body" | "signature" | "attachment" | "junk" | "heading-body" | "byline" | "front"
    sentences: list[Sentence] = field(default_factory=list)
    heading: int | None = None  # index into Document.headings of the innermost heading
    role: str = "prose"  # what kind of line it is (LINE_ROLES); "front" lines are never prose


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
    # offsets of the newlines of hard-wrapped lines (text copied from a PDF or a page that broke its
    # lines every N characters): not paragraph ends; their paragraph runs on over them (find_hard_wraps)
    soft_breaks: tuple[int, ...] = ()
    _quoted: bytearray | None = field(default=None, repr=False)
    _unwrapped: tuple[str, list[int]] | None = field(default=None, repr=False)

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

    def paragraph_at(self, offset: int) -> Paragraph | None:
        """The paragraph that holds `offset` (None on a heading line, the title or a blank line)."""
        lo, hi = 0, len(self.paragraphs)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.paragraphs[mid].end <= offset:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self.paragraphs) and self.paragraphs[lo].start <= offset < max(
                self.paragraphs[lo].end, self.paragraphs[lo].start + 1):
            return self.paragraphs[lo]
        return None

    def role_at(self, offset: int) -> str:
        """The kind of line at `offset` (LINE_ROLES): "prose" for a sentence of the text; "title"
        for the title, "heading" on a numbered heading's line, "front" under the title, else the
        paragraph's role. For rules that must not judge a heading, caption or salutation as a sentence."""
        if self.title is not None and self.title_start <= offset < self.title_end:
            return "title"
        p = self.paragraph_at(offset)
        if p is None:
            return "heading" if any(h.start <= offset < h.line_end for h in self.headings) else "prose"
        if p.kind == "front":
            return "front"
        return p.role

    @staticmethod
    def is_sentence_line(paragraph: Paragraph) -> bool:
        """True when the paragraph is prose, to be judged as sentences (not a heading, a caption,
        a dateline, a salutation, a row of a list, or a line of the title block)."""
        return paragraph.kind in ("body", "heading-body", "preamble") and paragraph.role == "prose"

    def quoted(self, start: int, end: int) -> bool:
        """True when text[start:end] lies in words quoted from an authoritative text — a quotation
        after 指出：, reported speech of 习近平/党中央 (习近平强调，……), or a whole text whose speaker is
        the authority (a 习近平 speech, a 党代会 report, a 中共中央 document) — rather than in the
        writer's own sentences. Wording rules judge only the writer's own words (core.text.voice)."""
        if self._quoted is None:
            self._quoted = quoted_mask(self)
        return any(self._quoted[start:max(end, start + 1)])

    def unwrapped(self) -> tuple[str, list[int]]:
        """The text without the newlines of hard-wrapped lines (soft_breaks), as its paragraphs read, and
        for each of its characters the offset in `text`; computed once."""
        if self._unwrapped is None:
            skip = set(self.soft_breaks)
            positions = [i for i in range(len(self.text)) if i not in skip]
            self._unwrapped = ("".join(self.text[i] for i in positions), positions)
        return self._unwrapped

    def quoted_mask(self) -> bytearray:
        """One byte per character of text: 1 where `quoted` is true (for scanning a whole text)."""
        self.quoted(0, 0)
        return self._quoted


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
        stripped = piece.strip(" \t\u3000\n")
        if not stripped:
            continue
        lead = len(piece) - len(piece.lstrip(" \t\u3000\n"))
        start = offset + m.start() + lead
        out.append(Sentence(start, start + len(stripped), stripped))
    return out


def _looks_like_title(line: str, longest: int = 80) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > longest:
        return False
    if stripped[-1] in "。；，、：:;,":
        return False
    return _match_heading(stripped) is None


def _is_first_line_title(line: str) -> bool:
    """The first line is the title when it looks like one; a news headline may run long, but then
    has no clause punctuation at all."""
    return _looks_like_title(line) or (_looks_like_title(line, 160) and not _CLAUSE_PUNCT.search(line))


def _title_continuation(title: str, following: list[str]) -> int:
    """How many of the next lines continue a title printed over several lines (0: none). The title
    goes on while it lacks its genre word and the lines are short and unpunctuated, up to a line
    that ends with a genre word ("国务院办公厅关于印发⏎…应急预案的函")."""
    if _GENRE_WORD.search(title):
        return 0
    for n, line in enumerate(following[:3], 1):
        line = line.strip()
        if not _looks_like_title(line) or len(line) > 40 or _CLAUSE_PUNCT.search(line):
            return 0
        if _GENRE_WORD.search(line):
            return n
    return 0


def _front_line(line: str) -> bool:
    """A line of the title block under the title: a subtitle, the speaker, a bracketed date, the
    date a text was passed — no sentence in it."""
    if _SENTENCE_PUNCT.search(line) or line[-1] in "：:，,、" or _match_heading(line):
        return False
    return not _CLAUSE_PUNCT.search(line) or bool(_ISSUED.search(line)) or bool(_BRACKETED.match(line))


def parse(text: str, report_type: str | None = None) -> Document:
    """Parse normalised text. `report_type` overrides the detected type."""
    text = normalize(text)
    junk = resources.junk_line_patterns()
    soft_breaks, _ = find_hard_wraps(text)
    lines = [(s, e, raw) for s, e, raw in logical_lines(text, soft_breaks) if raw.strip()]

    def is_junk(raw: str) -> bool:
        stripped = raw.strip()
        return any(p.search(stripped) for p in junk)

    # Title: the first line that is not site junk, if it looks like one; a second short
    # line is joined when the first does not yet end with the genre word.
    title = None
    title_start = title_end = 0
    body_from = 0
    header: list[Paragraph] = []  # 版头 lines above the title: never the title itself
    first_header = None
    for i, (s, _e, raw) in enumerate(lines):
        if is_junk(raw):
            continue
        if title is None and _HEADER_LINE.match(raw.strip()):
            lead = len(raw) - len(raw.lstrip())
            header.append(Paragraph(s + lead, s + lead + len(raw.strip()), raw.strip(), "front"))
            first_header = i if first_header is None else first_header
            continue
        if _is_first_line_title(raw):
            lead = len(raw) - len(raw.lstrip())
            title = raw.strip().replace("\n", "")  # a title hard-wrapped over two lines is one title
            title_start, title_end = s + lead, s + lead + len(title)
            body_from = i + 1
            more = _title_continuation(title, [line for _, _, line in lines[i + 1:i + 4]])
            for ns, _ne, nraw in lines[i + 1:i + 1 + more]:
                title += nraw.strip()
                title_end = ns + len(nraw.rstrip())
                body_from += 1
        else:
            body_from = i if first_header is None else first_header
        break
    else:
        body_from = len(lines) if first_header is None else first_header

    headings: list[Heading] = []
    paragraphs: list[Paragraph] = header if title is not None else []
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
        if not seen_heading and not any(p.kind == "preamble" for p in paragraphs) and title is not None:
            if _BYLINE.match(content):
                paragraphs.append(Paragraph(start, end, content, "byline"))
                continue
            if _front_line(content):
                paragraphs.append(Paragraph(start, end, content, "front"))
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
    _mark_roles(paragraphs)
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

    doc = Document(text, title, title_start, title_end, headings, paragraphs, ReportMeta(), soft_breaks)
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


def _opens_bracket(text: str) -> bool:
    return text[:1] in "（(【〔" and text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _closes_bracket(text: str) -> bool:
    return text[-1:] in "）)】〕" and text.count("）") + text.count(")") > text.count("（") + text.count("(")


def line_role(text: str) -> str:
    """The kind of line `text` is by itself (LINE_ROLES); a caption over two lines needs its
    neighbour and is found by `_mark_roles`."""
    if not text:
        return "prose"
    if _DATE_ONLY.match(text) or _DATE_LINE.match(text) or _ISSUED.search(text) and not _SENTENCE_PUNCT.search(text):
        return "dateline"
    if _BRACKETED.match(text) and not _SENTENCE_PUNCT.search(text[1:-1]):
        return "caption"
    if _salutation(text):
        return "salutation"
    if text[-1] in "。！？；…”’」』!?;." and not text.endswith(("——”", "—”")):
        return "prose"
    if _DOCNO.match(text):
        return "docno"
    if _LEAD_INTO.search(text) and not _SENTENCE_PUNCT.search(text[:-2]):
        return "lead-in"
    if _SENTENCE_PUNCT.search(text):
        return "prose"  # sentences in it, the last one without its mark: cut off
    if _FIELD_GAP.search(text) and not _SECTION_MARK.match(text):
        return "list"
    if _SECTION_MARK.match(text) or _LABELLED_HEADING.match(text):
        return "heading"
    if not _CLAUSE_PUNCT.search(text) and len(text) <= _heading_max():
        return "heading"
    if _unnumbered_heading(text):
        return "heading"
    return "prose"


def _unnumbered_heading(text: str) -> bool:
    """A short line of parallel phrases with no sentence punctuation and no figures: a sub-heading
    whose automatic number was lost on copying ("强化理论武装，筑牢思想根基"), not a sentence cut short
    (those run long, carry counts, or end on a function word). Limits in rules/sentences.toml."""
    cfg = resources.load("rules/sentences.toml").get("truncated", {})
    if len(text) > cfg.get("heading_max", 24) or re.search(r"[。；！？0-9０-９]", text):
        return False
    if text[-1] in cfg.get("cut_endings", "的和与及在对把被将等了是"):
        return False
    segments = re.split(r"[，,、：:]", text)
    return len(segments) <= 4 and all(0 < len(seg) <= cfg.get("heading_segment_max", 10) for seg in segments)


@resources.data_cache
def _salutation_words() -> tuple[re.Pattern, int]:
    cfg = resources.load("rules/sentences.toml").get("lines", {})
    words = "|".join(re.escape(w) for w in cfg.get("address_words", []))
    return re.compile(f"(?:{words})$") if words else re.compile(r"(?!)"), cfg.get("address_max", 10)


@resources.data_cache
def _heading_max() -> int:
    return resources.load("rules/sentences.toml").get("lines", {}).get("unpunctuated_heading_max", 50)


def _salutation(text: str) -> bool:
    """各位代表！ 同志们： 各位同学，各位老师，同志们：: every part an address, the line ending in ！ or ："""
    if text[-1] not in "！!：:" or len(text) > 40:
        return False
    pattern, longest = _salutation_words()
    parts = [x for x in re.split(r"[，,、]", text[:-1]) if x]
    return bool(parts) and all(len(x) <= longest and pattern.search(x) for x in parts)


def _mark_roles(paragraphs: list[Paragraph]) -> None:
    """Give each body line its role; a bracket opened on one line and closed on the next is a caption
    printed over two lines."""
    lines = [p for p in paragraphs if p.kind in ("body", "preamble")]
    for p in lines:
        p.role = line_role(p.text)
    for a, b in zip(lines, lines[1:]):
        if (_opens_bracket(a.text) and _closes_bracket(b.text)
                and not _SENTENCE_PUNCT.search(a.text + b.text[:-1])):
            a.role = b.role = "caption"
