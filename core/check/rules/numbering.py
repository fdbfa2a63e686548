"""Heading numbering after GB/T 9704-2012 7.3.3, and 一是/二是 runs inside the text."""
from __future__ import annotations

from core.check.rules import Context, rule
from core.check.rules.messages import say
from core.check.rules.sentences import ascii_punctuated
from core.text.document import ENUMERATION, Heading
from core.text.numerals import parse_chinese as chinese_to_int
from core.text.numerals import to_chinese as cn_numeral


def standard_marker(level: int, value: int) -> str:
    return {1: f"{cn_numeral(value)}、", 2: f"（{cn_numeral(value)}）",
            3: f"{value}.", 4: f"（{value}）"}[level]


LEVEL_NAMES = {1: "一级标题“一、”", 2: "二级标题“（一）”", 3: "三级标题“1.”", 4: "四级标题“（1）”"}


def _style_findings(h: Heading):
    """The marker as written against the standard one."""
    if h.value is None:
        return
    want = standard_marker(h.level, h.value)
    got = h.number
    if got == want:
        return
    span = (h.start, h.marker_end)
    if h.level in (2, 4) and h.punct:
        msg_id = "numbering.punct-after-bracket"
    elif h.level in (2, 4) and ("(" in got or ")" in got):
        msg_id = "numbering.half-width-bracket"
    elif h.level == 3 and h.punct == "、":
        msg_id = "numbering.level3-dunhao"
    elif h.level == 1:
        msg_id = "numbering.level1-style"
    else:
        msg_id = "numbering.style"
    yield say(msg_id, *span, want, got=got, want=want, punct=h.punct)


@rule("numbering")
def check_numbering(ctx: Context):
    doc = ctx.doc
    headings = doc.headings
    # in a text whose punctuation is ASCII throughout, "(一)" is the same copy artefact the
    # punctuation findings already report; not one warning more per heading
    ascii_text = ascii_punctuated(doc.text)
    for h in headings:
        for f in _style_findings(h):
            if not (ascii_text and f.message_id == "numbering.half-width-bracket"):
                yield f

    # Parents: a （一） needs an 一、 above it, a （1） needs a 1. above it.
    has_level = {h.level for h in headings}
    for h in headings:
        if h.level == 2 and h.parent is None:
            if 1 in has_level:
                yield say("numbering.no-level1-parent", h.start, h.marker_end, got=h.number)
            elif h is next(x for x in headings if x.level == 2):
                yield say("numbering.starts-at-level2", h.start, h.marker_end)
        if h.level == 4 and not any(headings[i].level == 3 for i in _ancestors(headings, h)):
            yield say("numbering.no-level3-parent", h.start, h.marker_end, got=h.number)

    # Numbers count 1, 2, 3 … under each parent and level. A list that starts again at 1 is a new
    # list (after a lead-in "主要如下：", under 附2), never a gap.
    last: dict[tuple[int | None, int], int] = {}
    for h in headings:
        if h.value is None:
            continue
        key = (h.parent, h.level)
        prev = last.get(key, 0)
        expected = prev + 1
        if h.value == 1:
            last[key] = 1
            continue
        want = standard_marker(h.level, expected)
        if h.value == prev:
            yield say("numbering.repeated", h.start, h.marker_end, want, got=h.number, want=want)
        elif h.value != expected:
            yield say("numbering.gap", h.start, h.marker_end, want, got=h.number, want=want)
        last[key] = max(h.value, prev) if h.value == prev else h.value

    yield from _enumerations(ctx)


def _ancestors(headings: list[Heading], h: Heading):
    i = h.parent
    while i is not None:
        yield i
        i = headings[i].parent


def _enumerations(ctx: Context):
    """一是…二是…三是 (and 一要…二要…) under one heading must count up without gaps; each 一是
    starts a new run. A gap inside one paragraph is certain; across paragraphs it is likely."""
    groups: dict[int | None, list] = {}
    for p in ctx.doc.body_paragraphs:
        groups.setdefault(p.heading, []).append(p)
    for paragraphs in groups.values():
        prev: dict[str, tuple[int, object]] = {}  # verb -> (last number, its paragraph)
        for p in paragraphs:
            for m in ENUMERATION.finditer(p.text):
                n = chinese_to_int(m.group("num"))
                verb = m.group("verb")
                if n is None:
                    continue
                if n == 1:
                    prev[verb] = (1, p)
                    continue
                if verb not in prev:
                    continue  # no 一是 before it under this heading: not a run we can judge
                last, last_paragraph = prev[verb]
                if n != last + 1:
                    start = p.start + m.start("num")
                    want = f"{cn_numeral(last + 1)}{verb}"
                    msg_id = "numbering.enumeration-repeated" if n == last else "numbering.enumeration-gap"
                    case = "same-paragraph" if last_paragraph is p else "across-paragraphs"
                    yield say(msg_id, start, p.start + m.end(), want, case=case,
                              verb=verb, want=want, got=m.group())
                prev[verb] = (max(last + 1, n) if n != last else last, p)
