"""period: the year and period must agree between title, preamble, body and next-step plan."""
from __future__ import annotations

import re

from core.check.rules import Context, rule
from core.check.rules.messages import say
from core.text.metadata import find_period

_LEAD_YEAR = re.compile(r"^(?:[^，。\n]{0,6}?)((?:19|20)[0-9]{2})年(?:度)?(?:(第[一二三四1-4]季度|上半年|下半年))?(?:以来)?")
_SENTENCE_YEAR = re.compile(r"^((?:19|20)[0-9]{2})年(度)?(第[一二三四]季度|上半年|下半年)?[，,是我]")
# A year the plan sets itself to: "2025年，我们将…", "2025年工作打算", "计划2025年…"; not a look
# back ("回望2024年，…", "对照2024年的目标") written inside the plan.
_PLAN_YEAR = re.compile(
    r"(?<!回望)(?<!回顾)(?<!对照)(?<!总结)(?<!过去)(?<!截至)(?<!截止)((?:19|20)[0-9]{2})年(?:度)?"
    r"(?:[，,]?\s*[^，。；！？\n]{0,10}?(?:将|要|计划|力争|拟|争取|准备|着力|重点)"
    r"|(?:的)?工作(?:打算|思路|计划|安排|重点|目标))")
_FULL_YEAR_COUNT = re.compile(r"全年(?:共|累计|召开|开展|组织|举办|完成|发展|讲授|收到|查处)")
_QUARTER_IN_TEXT = re.compile(r"第[一二三四]季度|[上下]半年")


@rule("period")
def check_period(ctx: Context):
    meta = ctx.doc.meta
    doc = ctx.doc
    if meta.year is None:
        return
    title_has_year = bool(doc.title and re.search(r"(19|20)[0-9]{2}", doc.title))
    plan = ctx.part("plan")

    # 1. The preamble's opening year and period against the title's.
    preamble = doc.preamble
    if preamble and title_has_year:
        first = preamble[0]
        m = _LEAD_YEAR.match(first.text)
        if m and not first.text[m.end(1):].startswith("年以来"):
            year = int(m.group(1))
            if year != meta.year:
                at = first.start + m.start(1)
                yield say("period.preamble-year", at, at + 4, str(meta.year), year=year, title_year=meta.year)
        if meta.period not in (None, "年度"):
            for p in preamble:
                for q in _QUARTER_IN_TEXT.finditer(p.text):
                    if find_period(q.group()) != meta.period:
                        at = p.start + q.start()
                        yield say("period.preamble-period", at, at + len(q.group()), meta.period,
                                  said=q.group(), period=meta.period)

    # 2. A quarter or half-year report counting a whole year.
    if meta.period not in (None, "年度"):
        for p in doc.body_paragraphs:
            for m in _FULL_YEAR_COUNT.finditer(p.text):
                at = p.start + m.start()
                yield say("period.full-year", at, at + 2, "本期", period=meta.period)

    # 3. Sentences that open with a year other than the report's (a sign of last year's text).
    for p in doc.body_paragraphs:
        if p.kind == "preamble":
            continue
        for s in p.sentences:
            m = _SENTENCE_YEAR.match(s.text)
            if not m:
                continue
            year = int(m.group(1))
            in_plan = plan is not None and plan.contains(s.start)
            if in_plan:
                continue
            if year < meta.year:  # a later year looks ahead (a closing line's 2025年，我们将…), not back
                yield say("period.old-year", s.start, s.start + 5, year=year, report_year=meta.year)

    # 4. The next-step plan must look forward: an annual report plans for the next year.
    if plan is not None and plan.found:
        wanted = {meta.year + 1} if meta.period in (None, "年度", "下半年", "第四季度") else {meta.year}
        if meta.period in ("第四季度", "下半年"):
            wanted.add(meta.year)
        for start, end in plan.spans:
            for m in _PLAN_YEAR.finditer(ctx.text, start, end):
                year = int(m.group(1))
                if year in wanted or year > max(wanted):
                    continue
                target = max(wanted)
                yield say("period.plan-year", m.start(1), m.start(1) + 4, str(target),
                          year=year, report_year=meta.year, period=meta.period or "", target=target)
