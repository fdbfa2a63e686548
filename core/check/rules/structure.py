"""Rules on the report's frame: title, preamble, required parts and their order."""
from __future__ import annotations

import re

from core.check.findings import Finding
from core.check.rules import Context, rule

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
        yield Finding("title", "error" if known else "info",
                      "缺少标题。第一行应为“单位＋年份＋时段＋全面从严治党主体责任落实情况报告”一类的标题。",
                      s, e)
        return
    span = (doc.title_start, doc.title_end)
    if not known:
        yield Finding("title", "warning",
                      "从标题看不出是主体责任落实情况报告、第一责任人履责报告、述责述廉报告、情况通报中的哪一类："
                      "若是其中一类，请规范标题或在工具栏选择类型；若是其他文种，这里只做通用检查。", *span)
        return
    if not is_report_title(doc.title):
        yield Finding("title", "error", "标题缺少文种：应以“报告”或“通报”结尾。", *span)
    if doc.meta.year is None or not re.search(r"(19|20)[0-9]{2}", doc.title):
        yield Finding("title", "warning", "标题中没有年份，请写明报告所属年度（如“2024年”）。", *span)
    elif not re.search(r"季度|半年|年度|全年|年", doc.title):
        yield Finding("title", "warning", "标题中没有写明时段（季度、上半年、年度）。", *span)


def is_oral(doc) -> bool:
    """A 述职 or a speech delivered to a meeting: its opening is free, no 现将……报告如下 needed."""
    if doc.title and _ORAL_TITLE.search(doc.title):
        return True
    first = next((p for p in doc.paragraphs if p.kind in ("preamble", "body", "heading-body")), None)
    return bool(first and _ORAL_FORMULA.search(first.text))


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
        severity = "info" if oral else ("warning" if report_type in ("tongbao", "unknown") else "error")
        yield Finding("preamble", severity,
                      "缺少导语：标题之后、“一、”之前应有一段概述，并以“现将……情况报告如下：”结尾。",
                      start, end)
        return
    for p in preamble:
        m = _FORMULA.search(p.text)
        if m:
            punct = m.group("punct")
            # "报告如下。" is common in published reports: a colon is better, but only a hint;
            # an ASCII ":" is the punctuation rule's finding, not a second one here
            if punct not in ("：", ":") and not m.group("request"):
                at = p.start + m.end("punct") - len(punct)
                yield Finding("preamble", "info", "“报告如下”之后宜用冒号“：”。",
                              at, at + len(punct), "：")
            return
        if _ORAL_FORMULA.search(p.text) or re.search(r"现将[^。\n]{0,60}(?:公开|公示|印发)", p.text):
            return
    if oral:
        return
    last = preamble[-1]
    last_sentence = last.sentences[-1] if last.sentences else None
    start, end = (last_sentence.start, last_sentence.end) if last_sentence else (last.start, last.end)
    what = {"tongbao": "通报", "shuze": "述责述廉情况报告"}.get(report_type, "情况报告")
    # a 通报's opening varies more; the formula there is only a hint
    yield Finding("preamble", "info" if report_type == "tongbao" else "warning",
                  f"导语没有以“现将……{what}如下：”收尾，审核时常被要求补上这一句。", start, end)


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
        if later:
            start, end = _heading_line(ctx, later.headings[0])
            where = f"在“{ctx.doc.headings[later.headings[0]].title}”之前"
        else:
            end = len(ctx.text.rstrip())
            start = ctx.text.rfind("\n", 0, end) + 1
            where = "在文末"
        hint = "（也可以写在结尾段落中）" if part.closing else ""
        yield Finding("section-missing", part.severity,
                      f"{ctx.profile.name}缺少“{part.name}”部分{hint}：请{where}补写。", start, end)


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
            yield Finding("section-order", "warning",
                          f"“{part.name}”应放在“{latest_name}”之后。", s, e)
        else:
            latest_name, latest_start = part.name, start
