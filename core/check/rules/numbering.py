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
    # 1． with a full-width dot throughout is a house style (新华社, 中央 documents); mixed with 1. it is a slip
    mixed_dots = {h.punct for h in headings if h.level == 3} >= {".", "．"}
    for h in headings:
        if h.level == 3 and h.punct == "．" and not mixed_dots:
            continue
        for f in _style_findings(h):
            if not (ascii_text and f.message_id == "numbering.half-width-bracket"):
                yield f

    # Parents: a （一） needs an 一、 above it, a （1） needs a 1. above it. Official texts often
    # skip a level (（1） right under 一、) or put （一） on top with 一、 lists inside: worth a look,
    # not an error.
    has_level = {h.level for h in headings}
    for n, h in enumerate(headings):
        if h.level == 2 and h.parent is None:
            if 1 in has_level:
                case = "inverted" if _continues_above(headings, n) else "missing"
                yield say("numbering.no-level1-parent", h.start, h.marker_end, case=case, got=h.number)
            elif h is next(x for x in headings if x.level == 2):
                yield say("numbering.starts-at-level2", h.start, h.marker_end)
        if h.level == 4 and not any(headings[i].level == 3 for i in _ancestors(headings, h)):
            yield say("numbering.no-level3-parent", h.start, h.marker_end, got=h.number)

    yield from _sequences(headings)
    yield from _enumerations(ctx)


class _Run:
    """An open sequence of one marker style: its last number and the heading it sits under."""
    __slots__ = ("last", "parent")

    def __init__(self, last: int, parent: int | None):
        self.last, self.parent = last, parent


def _sequences(headings: list[Heading]):
    """Numbers are judged as the real sequences they form, not as one ladder. Each style (一、 （一）
    1. （1）) may have several sequences open at once: a list restarted at 1 inside a part, after
    which the outer list goes on (四、 [一、二、三、] 五、); and a sequence may run straight through its
    parts (一、（一）（二）二、（三）…, as 中央 and 国务院 documents number). Only a number that continues
    no open sequence is a gap, and only the last number again is a repeat."""
    runs: dict[int, list[_Run]] = {}
    first_under: set[int] = set()  # headings that are the first of their level under their parent
    seen: set[tuple[int | None, int]] = set()
    for n, h in enumerate(headings):
        if (h.parent, h.level) not in seen:
            seen.add((h.parent, h.level))
            first_under.add(n)
    for n, h in enumerate(headings):
        if h.value is None:
            continue
        stack = runs.setdefault(h.level, [])
        if h.value == 1:
            stack.append(_Run(1, h.parent))
            continue
        k = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].last == h.value - 1), None)
        if k is not None and (stack[k].parent == h.parent or _straight_through(headings, n, first_under)):
            del stack[k + 1:]
            stack[k].last, stack[k].parent = h.value, h.parent
            continue
        top = stack[-1] if stack else None
        same = top is not None and top.parent == h.parent
        expected = top.last + 1 if same else 1
        want = standard_marker(h.level, expected)
        if same and h.value == top.last:
            yield say("numbering.repeated", h.start, h.marker_end, want, got=h.number, want=want)
            continue
        yield say("numbering.gap", h.start, h.marker_end, want, got=h.number, want=want)
        stack.append(_Run(h.value, h.parent))


def _straight_through(headings: list[Heading], n: int, first_under: set[int]) -> bool:
    """（三） continuing the （一）（二） of the part before: numbered straight through the parts. Only
    the first of its level under its parent can do that, and its part must not start again at 1."""
    if n not in first_under:
        return False
    h = headings[n]
    later = next((x for x in headings[n + 1:] if x.level == h.level and x.parent == h.parent), None)
    return later is None or later.value != 1


def _continues_above(headings: list[Heading], n: int) -> bool:
    """A top-level （一） in a text that puts （一） above 一、 (an older convention: 一、 lists inside
    its parts), rather than one that nests （一） under 一、 elsewhere and left one 一、 out here."""
    return not any(x.level == 2 and x.value == 1 and x.parent is not None
                   and headings[x.parent].level == 1 for x in headings[n + 1:])


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
        # verb -> (last number written, its paragraph, the number suggested for it when it was wrong)
        prev: dict[str, tuple[int, object, int | None]] = {}
        for p in paragraphs:
            for m in ENUMERATION.finditer(p.text):
                n = chinese_to_int(m.group("num"))
                verb = m.group("verb")
                if n is None:
                    continue
                if n == 1:
                    prev[verb] = (1, p, None)
                    continue
                if verb not in prev:
                    continue  # no 一是 before it under this heading: not a run we can judge
                last, last_paragraph, suggested = prev[verb]
                if n == last + 1 or (suggested is not None and n == suggested + 1):
                    # right after the number written, or after the one suggested for it: with both
                    # fixes applied the run counts up (一是三是三是 → 二是 only; fixing the last 三是
                    # too would make the first fix's number wrong again)
                    prev[verb] = (n, p, None)
                    continue
                start = p.start + m.start("num")
                want = f"{cn_numeral(last + 1)}{verb}"
                msg_id = "numbering.enumeration-repeated" if n == last else "numbering.enumeration-gap"
                case = "same-paragraph" if last_paragraph is p else "across-paragraphs"
                yield say(msg_id, start, p.start + m.end(), want, case=case,
                          verb=verb, want=want, got=m.group())
                prev[verb] = (max(last + 1, n) if n != last else last, p, last + 1)
