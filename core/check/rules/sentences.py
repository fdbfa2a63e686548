"""Rules on sentences and punctuation: truncated paragraphs, fragments, half-width marks."""
from __future__ import annotations

import re
from dataclasses import replace

from core import resources
from core.check.rules import Context, rule
from core.check.rules.messages import say
from core.text.document import INCOMPLETE_DATE_LINE

CLOSING = "。！？；：…—”’」』）)!?;:"  # a line ending in —— leads into the next one
_PUNCT = re.compile(r"[，。；：！？、“”‘’（）《》,.;:!?()]")
_CLOSING_MARKS = "。！？!?；;”’」』"


def _without_closing_marks(sentence: str) -> str:
    """The sentence without the marks and spaces that close it (。”, ！ …)."""
    end = len(sentence)
    while end and (sentence[end - 1] in _CLOSING_MARKS or sentence[end - 1].isspace()):
        end -= 1
    return sentence[:end]


@resources.data_cache
def _config() -> dict:
    return resources.load("rules/sentences.toml").get("truncated", {})


@resources.data_cache
def _group_from() -> int:
    """From this many half-width marks in one paragraph on, they are reported as one group."""
    return resources.load("rules/sentences.toml").get("punctuation", {}).get("group_from", 3)


@rule("truncated")
def check_truncated(ctx: Context):
    for p in ctx.doc.paragraphs:
        # a 落款 date cut short ("2021年1月18") is certainly incomplete
        if p.kind == "signature" and INCOMPLETE_DATE_LINE.match(p.text) and not p.text.rstrip().endswith("日"):
            fixed = p.text.strip() + "日" if re.search(r"月[0-9一二三四五六七八九十]{1,3}$", p.text.strip()) else None
            yield say("truncated.date", p.start, p.end, fixed, date=p.text.strip())
    yield from _hard_wrapped(ctx)
    cfg = _config()
    short_max = cfg.get("short_heading_max", 15)
    frag_max = cfg.get("fragment_max", 5)
    exceptions = tuple(cfg.get("fragment_exceptions", ()))
    doc = ctx.doc
    for p in doc.body_paragraphs:
        text = p.text
        if not text or not doc.is_sentence_line(p):
            continue  # a heading, caption, dateline, salutation or list row is not a sentence
        if text[-1] not in CLOSING and not text.endswith("..."):
            if len(text) <= short_max and not _PUNCT.search(text):
                continue  # an unnumbered subheading, not a cut sentence
            last = p.sentences[-1] if p.sentences else None
            start = last.start if last else p.start
            # sentences before the cut one show a paragraph of prose: certainly cut; a single clause
            # with commas may also be a subhead without a number
            case = "sentences" if len(p.sentences) > 1 else "clause"
            yield say("truncated.cut", start, p.end, case=case, tail=text[-8:].replace("\n", ""))
        cut_off = text[-1] not in CLOSING
        for i, s in enumerate(p.sentences):
            if cut_off and i == len(p.sentences) - 1:
                continue  # the cut end is the truncation above, not a fragment as well
            core = _without_closing_marks(s.text)
            if not core or len(core) > frag_max or core.startswith(exceptions):
                continue
            if re.fullmatch(r"[一二三四五六七八九十]+是.*|[0-9]+.*", core):
                continue
            if not _declarative(s.text, core):
                continue  # 各位代表！ 那是多少年？ 调查发现： （略）: complete as they stand
            if i == 0 and p.kind == "preamble":
                continue  # “市委：” and the like
            if i == 0 and p.kind == "body" and len(p.sentences) > 1:
                continue  # a run-in heading: "在教育方面。全国财政用于……", "制定金融法。完善……"
            yield say("truncated.fragment", s.start, s.end, sentence=s.text)


def _hard_wrapped(ctx: Context):
    """One hint for a text whose lines were broken every N characters (copied from a PDF or a web
    page): the document model already reads them as paragraphs; the fix joins the lines."""
    breaks = ctx.doc.soft_breaks
    if not breaks:
        return
    text = ctx.text
    start = text.rfind("\n", 0, breaks[0]) + 1
    end = text.find("\n", breaks[-1] + 1)
    end = len(text) if end == -1 else end
    soft = set(breaks)
    joined = "".join(
        (" " if text[i - 1:i].isascii() and text[i - 1:i].isalnum() and text[i + 1:i + 2].isascii()
         and text[i + 1:i + 2].isalnum() else "") if i in soft else text[i]
        for i in range(start, end))
    paragraphs = sum(1 for i in range(start, end) if text[i] == "\n" and i not in soft) + 1
    yield say("truncated.hard-wrapped", start, end, joined, breaks=len(breaks), paragraphs=paragraphs)


def _declarative(sentence: str, core: str) -> bool:
    """A statement that ends with a full stop (or nothing). An exclamation, a question, a lead-in
    ending in a colon and a note in brackets are complete as they stand, however short."""
    end = sentence.rstrip("”’」』）) ")[-1:] if sentence.rstrip("”’」』）) ") else ""
    if end in "！？!?" or core[-1] in "：:":
        return False
    return not (core[0] in "（(" and core[-1] in "）)")


# --- punctuation ---------------------------------------------------------------------------

_CJK = "\u3400-\u9fff\uf900-\ufaff，。；：！？、“”‘’（）《》【】"
_HALF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_RE = re.compile(f"(?<=[{_CJK}])[,;:?!()]|[,;:?!()](?=[{_CJK}])")
_DOT_RE = re.compile("(?<=[\u4e00-\u9fff])\\.(?=[\u4e00-\u9fff]|$)", re.MULTILINE)
_SPACE_RE = re.compile("(?<=[\u4e00-\u9fff，。；：“”《》、])[ \u3000]+(?=[\u4e00-\u9fff“”《》])")
_DOUBLE_PUNCT = re.compile(r"([，。；：、])\1+")
_DUNHAO_BETWEEN_TITLES = re.compile(r"》、《")
# what any of the expressions above or _quotes needs: a paragraph without it is passed over at once
# (a class of rare marks for the re module, and plain substring tests for the doubled marks: one
# expression with both was tried at every 。 and ，)
_ANY_ASCII_MARK = re.compile('[,;:?!(). \u3000「」"]')
_DOUBLED_MARKS = ("，，", "。。", "；；", "：：", "、、", "》、《")


def _any_mark(seg: str) -> bool:
    return _ANY_ASCII_MARK.search(seg) is not None or any(m in seg for m in _DOUBLED_MARKS)


# the mark first, then a look at its neighbours: the re module then scans for the marks alone
_ASCII_MARKS = re.compile(f"[,;:()](?:(?<=[{_CJK}].)|(?=[{_CJK}]))")
_FULL_MARKS = re.compile(r"[，；：（）]")


def ascii_punctuated(text: str) -> bool:
    """Most of the text's punctuation is ASCII: it was copied from a web page that converted it."""
    ascii_marks = len(_ASCII_MARKS.findall(text))
    return ascii_marks >= 10 and ascii_marks >= 3 * len(_FULL_MARKS.findall(text))  # (counted only then)


@rule("punctuation")
def check_punctuation(ctx: Context):
    doc = ctx.doc
    text = ctx.text
    markers = [(h.start, h.marker_end) for h in doc.headings]
    urls = [(m.start(), m.end()) for m in re.finditer(r"(https?://|www\.)\S+", text)]
    skip = markers + urls

    def skipped(pos: int) -> bool:
        return any(s <= pos < e for s, e in skip)

    found = []
    for p in doc.paragraphs:
        if p.kind in ("junk", "signature", "byline"):
            continue  # a byline spaces its role from the name on purpose: 副局长　李华
        seg = text[p.start:p.end]
        found.extend(_half_width(seg, p.start, skipped))
    for h in doc.headings:
        seg = text[h.marker_end:h.title_end]
        found.extend(_half_width(seg, h.marker_end, skipped))
    if doc.title:
        found.extend(_half_width(doc.title, doc.title_start, skipped))
    found = list(_judge_dunhao(ctx, found))
    if not ascii_punctuated(text):
        yield from found
        return
    # Copied from a web page that turned all punctuation into ASCII: one warning says so for the whole
    # text, the paragraphs' own findings stay as hints (their fixes still apply with 全部修正).
    half = [f for f in found if f.message_id.startswith("punctuation.half-width")]
    first = min(half, key=lambda f: f.start, default=None)
    # each half-width fix swaps marks one for one: the marks are where text and fix differ
    total = sum(a != b for f in half for a, b in zip(ctx.text[f.start:f.end], f.suggestion or ""))
    for f in found:
        if f is first:
            yield say("punctuation.half-width-copied", f.start, f.end, f.suggestion, total=total,
                      paragraphs=len(half))
        elif f in half:
            yield replace(f, severity="info")
        else:
            yield f


def _judge_dunhao(ctx: Context, found: list):
    """A 顿号 between 书名号 is "usually" left out (GB/T 15834-2011), not wrong: in the writer's own
    sentence of one of our report types a reviewer asks for it (warning); in an authority's text as
    issued, in a text written before the standard, or in a text of another kind (a regulation, a
    notice: their house style decides) it is only worth a look (info)."""
    since = resources.load("rules/sentences.toml").get("punctuation", {}).get("dunhao_between_titles_from", 2012)
    old = ctx.written is not None and ctx.written < since
    report = ctx.doc.meta.type != "unknown"
    for f in found:
        if f.message_id == "punctuation.dunhao-between-titles":
            if old or ctx.doc.quoted(f.start, f.end):
                f = say("punctuation.dunhao-between-titles", f.start, f.end, f.suggestion, case="quoted")
            elif not report:
                f = say("punctuation.dunhao-between-titles", f.start, f.end, f.suggestion, case="other")
        yield f


def _half_width(seg: str, offset: int, skipped):
    if not _any_mark(seg):
        return
    marks = [m for m in _HALF_RE.finditer(seg) if not skipped(offset + m.start())]
    if len(marks) >= _group_from():
        # Text pasted from a web page often has ASCII punctuation throughout: one finding for the
        # paragraph, whose fix turns all of them at once, instead of one per mark.
        first, last = marks[0].start(), marks[-1].end()
        fixed = list(seg[first:last])
        for m in marks:
            fixed[m.start() - first] = _HALF[m.group()]
        kinds = "".join(dict.fromkeys(m.group() for m in marks))
        yield say("punctuation.half-width-group", offset + first, offset + last, "".join(fixed),
                  count=len(marks), marks=kinds, full="".join(_HALF[c] for c in kinds))
    else:
        for m in marks:
            at = offset + m.start()
            ch = m.group()
            yield say("punctuation.half-width", at, at + 1, _HALF[ch], mark=ch, full=_HALF[ch])
    for m in _DOT_RE.finditer(seg):
        at = offset + m.start()
        if not skipped(at):
            yield say("punctuation.dot", at, at + 1, "。")
    for m in _SPACE_RE.finditer(seg):
        at = offset + m.start()
        yield say("punctuation.space", at, offset + m.end(), "")
    for m in _DOUBLE_PUNCT.finditer(seg):
        at = offset + m.start()
        yield say("punctuation.doubled", at, offset + m.end(), m.group(1), marks=m.group())
    for m in _DUNHAO_BETWEEN_TITLES.finditer(seg):
        at = offset + m.start() + 1
        yield say("punctuation.dunhao-between-titles", at, at + 1, "", case="own")
    yield from _quotes(seg, offset)


def _quotes(seg: str, offset: int):
    """Straight quotes in Chinese text become “ ” (alternating), and mixing styles is flagged."""
    for m in re.finditer("[「」]", seg):
        want = "“" if m.group() == "「" else "”"
        yield say("punctuation.corner-quote", offset + m.start(), offset + m.end(), want, mark=m.group(), want=want)
    straight = [m.start() for m in re.finditer('"', seg)]
    if not straight or not re.search("[\u4e00-\u9fff]", seg):
        return
    mixed = "“" in seg or "”" in seg
    for n, pos in enumerate(straight):
        want = "“" if n % 2 == 0 else "”"
        msg_id = "punctuation.mixed-quotes" if mixed else "punctuation.straight-quote"
        yield say(msg_id, offset + pos, offset + pos + 1, want, want=want)
