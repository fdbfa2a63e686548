"""Rules on the report's frame: title, preamble, required parts and their order."""
from __future__ import annotations

import re

from core.check.rules import Context, rule
from core.check.rules.messages import fragment, say

# A title ends with its genre word; "…情况报告和下一步打算" and a trailing （讨论稿） are fine too.
_GENRE_END = re.compile(r"(报告|通报|汇报)(?:(?:和|及|暨|与)(?:下一步|下步|今后|明年|(?:19|20)[0-9]{2}年)"
                        r"[^\n]{0,12}(?:打算|计划|思路|安排|措施))?(?:[（(][^（()）]{1,8}[）)])?$")
# The sentence that hands the report over: 现将……报告如下：, 现报告如下：, 汇报如下，请审议。
_FORMULA = re.compile(r"(?:报告|通报|汇报|述职|说明|情况)(?:如下|于后)(?P<punct>[：:。，,]?)(?P<request>请[^。：:\n]{1,10})?")
# A 述职 delivered to a meeting opens by addressing it: 下面，我就……向大家报告; 各位领导、同志们：
_ORAL_FORMULA = re.compile(r"下面[，,]?\s*我[^。\n]{0,60}(?:报告|汇报|述职|述责述廉)|^(?:尊敬的)?各位[^。\n]{0,20}[：:]")
_ORAL_TITLE = re.compile(r"述职|发言|讲话")


def _first_line(ctx: Context) -> tuple[int, int]:
    text = ctx.text
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    return start, (end if end != -1 else len(text))


def is_report_title(title: str | None) -> bool:
    return bool(title and _GENRE_END.search(title))


@rule("title")
def check_title(ctx: Context):
    doc = ctx.doc
    known = doc.meta.type != "unknown"
    if not doc.title:
        s, e = _first_line(ctx)
        # a text of no known genre may be a part of a report or a copied web page: only a hint
        yield say("title.missing", s, e, case="known" if known else "unknown")
        return
    span = (doc.title_start, doc.title_end)
    if not known:
        yield say("title.unknown-type", *span)
        return
    if not is_report_title(doc.title):
        yield say("title.no-genre", *span)
    # a span (2019—2023年, a 通报 on several years' reports) names years too, though it dates nothing
    if not re.search(r"(19|20)[0-9]{2}", doc.title):
        yield say("title.no-year", *span)
    elif not re.search(r"季度|半年|年度|全年|年", doc.title):
        yield say("title.no-period", *span)


def is_oral(doc) -> bool:
    """A 述职 or a speech delivered to a meeting: its opening is free, no 现将……报告如下 needed."""
    if doc.title and _ORAL_TITLE.search(doc.title):
        return True
    first = next((p for p in doc.paragraphs if p.kind in ("preamble", "body", "heading-body")), None)
    # a speech opens by addressing its audience: 同志们： 各位代表：
    return bool(first and (_ORAL_FORMULA.search(first.text) or first.role == "salutation"))


@rule("preamble")
def check_preamble(ctx: Context):
    doc = ctx.doc
    report_type = doc.meta.type
    # A text of no known genre is judged only when its title says it is a report (not a 通报 notice).
    if report_type == "unknown" and not (is_report_title(doc.title) and re.search(r"(报告|汇报)", doc.title)):
        return
    oral = is_oral(doc)
    preamble = [p for p in doc.preamble if p.text.strip()]
    if not doc.headings:
        preamble = preamble[:1]  # no parts: the opening paragraph is all that can be the preamble
    if not preamble:
        at = doc.headings[0] if doc.headings else None
        start = at.start if at else doc.title_end
        end = at.line_end if at else doc.title_end
        # a formal report without any opening is sent back; a 述职 may start with its first part
        case = "oral" if oral else ("notice" if report_type in ("tongbao", "unknown") else "formal")
        yield say("preamble.missing", start, end, case=case)
        return
    for p in preamble:
        m = _FORMULA.search(p.text)
        if m:
            punct = m.group("punct")
            # "报告如下。" is common in published reports: a colon is better, but only a hint;
            # an ASCII ":" is the punctuation rule's finding, not a second one here
            if punct not in ("：", ":") and not m.group("request"):
                at = p.start + m.end("punct") - len(punct)
                yield say("preamble.colon", at, at + len(punct), "：")
            return
        if _ORAL_FORMULA.search(p.text) or re.search(r"现将[^。\n]{0,60}(?:公开|公示|印发)", p.text):
            return
    if oral:
        return
    last = preamble[-1]
    last_sentence = last.sentences[-1] if last.sentences else None
    start, end = (last_sentence.start, last_sentence.end) if last_sentence else (last.start, last.end)
    kind = report_type if report_type in ("tongbao", "shuze") else "report"
    yield say("preamble.no-formula", start, end, case="tongbao" if report_type == "tongbao" else "report",
              what=fragment("preamble-what", kind))


def _heading_line(ctx: Context, index: int) -> tuple[int, int]:
    h = ctx.doc.headings[index]
    return h.start, h.title_end


@rule("section-missing")
def check_sections(ctx: Context):
    if ctx.profile is None:
        return
    parts = ctx.profile.parts
    for n, part in enumerate(parts):
        loc = ctx.parts[part.id]
        if loc.found:
            continue
        later = next((ctx.parts[p.id] for p in parts[n + 1:] if ctx.parts[p.id].headings), None)
        hint = fragment("section-closing-hint") if part.closing else ""
        if later:
            start, end = _heading_line(ctx, later.headings[0])
            yield say("section-missing.before", start, end, severity=part.severity, profile=ctx.profile.name,
                      part=part.name, hint=hint, heading=ctx.doc.headings[later.headings[0]].title)
        else:
            end = len(ctx.text.rstrip())
            start = ctx.text.rfind("\n", 0, end) + 1
            yield say("section-missing.at-end", start, end, severity=part.severity, profile=ctx.profile.name,
                      part=part.name, hint=hint)


@rule("section-order")
def check_order(ctx: Context):
    if ctx.profile is None:
        return
    found = [(ctx.parts[p.id].start, p) for p in ctx.profile.parts if ctx.parts[p.id].found]
    latest_name, latest_start = None, -1
    for start, part in found:
        if start < latest_start:
            loc = ctx.parts[part.id]
            if loc.headings:
                s, e = _heading_line(ctx, loc.headings[0])
            else:
                s, e = loc.spans[0]
            yield say("section-order.order", s, e, part=part.name, before=latest_name)
        else:
            latest_name, latest_start = part.name, start
