"""Consistency inside one document.

Rule `body-name`: the unit's own Party body (党组 or 党委) named the same way throughout and fitting
the unit (a school or a hospital has a 党委, not a 党组).
Rule `consistency`: 文号 in the GB/T 9704 form (机关代字〔2024〕12号), dates that exist, and a complete
落款 (signed by someone, dated in Arabic numerals, within the report's period).
"""
from __future__ import annotations

import calendar
import datetime
import re

from core import resources
from core.check.rules import Context, rule
from core.check.rules.messages import say
from core.text.document import INCOMPLETE_DATE_LINE
from core.text.metadata import report_unit
from core.text.numerals import parse_number

FILE = "rules/consistency.toml"


@resources.data_cache
def _config() -> dict:
    return resources.load(FILE)


# --- body-name ---------------------------------------------------------------------------------
#
# Whose report it is: a 党委 (中共…委员会) or a 党组. Its own leadership team is then the 党委班子 or
# the 党组班子, its meeting the 党委会 or the 党组会; the other name is a slip from another unit's template.

_BODY_IN_TITLE = re.compile(r"党委|党组")
_SIGNED_BY_COMMITTEE = re.compile(r"^中共[^\n]{1,30}委员会$")
_SIGNED_BY_LEADING_GROUP = re.compile(r"^中共[^\n]{1,30}党组$")
# 机关党委班子, 各部门党组班子: another body's team, rightly named
_OTHER_BODY = "机关基层各所属下属直属部门单位乡镇街道县区市省局厅委办校院"


def author_body(doc) -> str | None:
    """党组 or 党委, as the title, the 落款 or the stated unit names the report's author; None if not said."""
    names = set(_BODY_IN_TITLE.findall(doc.title or ""))
    if len(names) == 1:
        return names.pop()
    for p in doc.paragraphs:
        if p.kind == "signature":
            if _SIGNED_BY_COMMITTEE.match(p.text):
                return "党委"
            if _SIGNED_BY_LEADING_GROUP.match(p.text):
                return "党组"
    stated = report_unit(doc).stated or ""
    found = set(_BODY_IN_TITLE.findall(stated))
    return found.pop() if len(found) == 1 else None


def _body_in_title(doc, body: str) -> tuple[int, int] | None:
    if doc.title and body in doc.title:
        at = doc.title_start + doc.title.index(body)
        return at, at + len(body)
    return None


@rule("body-name")
def check_body_name(ctx: Context):
    doc = ctx.doc
    body = author_body(doc)
    if body is None:
        return
    cfg = _config().get("body", {})
    info = report_unit(doc)
    # a masked name (某中学, 市**局) still says what kind of unit it is
    unit = doc.meta.unit or re.sub(r"(?:党组|党委)$", "", info.stated or "")
    if body == "党组" and re.search(cfg.get("committee_units", "$^"), unit):
        span = _body_in_title(doc, body)
        if span:
            yield say("body-name.unit-kind", *span, "党委", unit=unit, body=body, want="党委")
    other = "党组" if body == "党委" else "党委"
    marks = ctx.quoted()
    seen = set()
    for m in re.finditer(f"(?<![{_OTHER_BODY}]){other}班子", ctx.text):
        seen.add(m.start())
        yield say("body-name.other-body", m.start(), m.end(), f"{body}班子", body=body, other=other)
    # the other body named bare, as the unit's own (党组会, 党组书记 in a 党委's report), or after the
    # unit's own kind at a clause's start (“局党委书记……” in a 局党组's report)
    patterns = [re.compile(cfg.get("bare_other", {}).get(other, "$^"))]
    if unit and not re.search(r"[*＊×]|某", unit):
        # the unit's own name with the other body: 县审计局党委 in 县审计局党组's report
        patterns.append(re.compile(rf"{re.escape(unit)}(?P<body>{other})(?!（|\(|、|和|及)"))
    own = next((k for k in cfg.get("self_prefix", ()) if unit.endswith(k)), None)
    if own:
        patterns.append(re.compile(rf"(?:^|(?<=[，。；：、\s本我])){own}(?P<body>{other})(?!（|\(|、|和|及)", re.M))
    for m in (m for p in patterns for m in p.finditer(ctx.text)):
        at = m.start("body")
        if at in seen or marks[at]:
            continue
        seen.add(at)
        yield say("body-name.bare-other", at, at + len(other), body, body=body, other=other, word=m.group())


# --- consistency: 文号 -------------------------------------------------------------------------------

# The year in brackets is looked for first (a pattern that starts with the agency's code would be
# tried at every character); the code is then the Chinese characters just before it.
_DOC_NUMBER = re.compile(
    r"(?P<open>[〔\[［【（(])(?P<year>(?:19|20)[0-9]{2})(?P<close>[〕\]］】）)])(?P<di>第)?(?P<num>[0-9]{1,4})号")
_ORG_CODE = re.compile(r"[\u4e00-\u9fff]{1,10}$")
_ORG_CODE_END = "发函字办委电通令纪组呈报请规复党政人教财卫建农组宣统保督审监"


class _Number:
    """A 文号 match with its agency code in front: start, end, group() and the year/number groups."""

    def __init__(self, m: re.Match, org: re.Match):
        self.m, self.org = m, org.group()
        self.start, self.end = org.start(), m.end()

    def group(self, name: str | None = None) -> str:
        if name is None:
            return self.org + self.m.group()
        return self.org if name == "org" else self.m.group(name)


def _doc_numbers(text: str):
    found = []
    if "号" in text:
        for m in _DOC_NUMBER.finditer(text):
            org = _ORG_CODE.search(text, max(0, m.start() - 10), m.start())
            if org and org.group()[-1] in _ORG_CODE_END:
                found.append(_Number(m, org))
    standard = sum(1 for m in found if m.group("open") == "〔" and m.group("close") == "〕")
    for m in found:
        bad_bracket = not (m.group("open") == "〔" and m.group("close") == "〕")
        zero = m.group("num").startswith("0")
        if not (bad_bracket or zero or m.group("di")):
            continue
        fixed = f"{m.group('org')}〔{m.group('year')}〕{int(m.group('num'))}号"
        problems = []
        if bad_bracket:
            problems.append(f"年份应用六角括号“〔〕”，不用“{m.group('open')}{m.group('close')}”")
        if m.group("di"):
            problems.append("顺序号前不加“第”")
        if zero:
            problems.append("顺序号不编虚位（1不写成01）")
        case = "mixed" if bad_bracket and standard else "form"
        yield say("consistency.doc-number", m.start, m.end, fixed, case=case, number=m.group(),
                  problems="；".join(problems), fixed=fixed)


# --- consistency: dates --------------------------------------------------------------------------

# the first digit, then a look back at what stands before it: the re module scans for digits
# instead of trying every character
_DATE = re.compile(r"(?P<m>[0-9](?<![0-9]{2})[0-9]?)月(?P<d>[0-9]{1,2})日")
_YEAR_BEFORE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})年$")
_WEEKDAY = re.compile(r"\s*[（(]?(?:星期|周)(?P<w>[一二三四五六日天])[）)]?")
_WEEKDAYS = "一二三四五六日"
_CN_DATE = re.compile(r"^\s*(?P<y>[〇零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月"
                      r"(?P<d>[一二三四五六七八九十]{1,3})日\s*$")
_AR_DATE = re.compile(r"^\s*(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})日\s*$")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


def _dates(ctx: Context):
    text = ctx.text
    year = ctx.doc.meta.year
    for m in _DATE.finditer(text):
        month, day = int(m.group("m")), int(m.group("d"))
        before = _YEAR_BEFORE.search(text, max(0, m.start() - 5), m.start())
        y = int(before.group(1)) if before else None
        start = before.start() if before else m.start()
        last = calendar.monthrange(y or 2024, month)[1] if 1 <= month <= 12 else 0  # 2024: Feb 29 exists
        if not 1 <= month <= 12 or not 1 <= day <= last:
            yield say("consistency.no-such-date", start, m.end(), date=text[start:m.end()])
            continue
        w = _WEEKDAY.match(text, m.end())
        if w and (y or year):
            actual = datetime.date(y or year, month, day).weekday()
            if _WEEKDAYS.index(w.group("w").replace("天", "日")) != actual:
                right = _WEEKDAYS[actual]
                yield say("consistency.weekday", start, w.end(), date=text[start:m.end()], weekday=w.group("w"),
                          right=right)


def _signature(ctx: Context):
    doc = ctx.doc
    sig = [p for p in doc.paragraphs if p.kind == "signature"]
    date_line = sig[-1] if sig else None
    if date_line is None:
        yield from _unsigned_end(ctx)
        return
    text = date_line.text.strip()
    at = date_line.start + (len(date_line.text) - len(date_line.text.lstrip()))
    end = at + len(text)
    date = None
    cn = _CN_DATE.match(text)
    if cn:
        y = int("".join(_CN_DIGIT[c] for c in cn.group("y")))
        mo, d = parse_number(cn.group("m")), parse_number(cn.group("d"))
        if y >= 2013 and mo and d:  # GB/T 9704-2012: Arabic numerals from then on
            fixed = f"{y}年{mo}月{d}日"
            yield say("consistency.date-numerals", at, end, fixed, date=text, fixed=fixed)
        date = (y, mo or 0, d or 0)
    ar = _AR_DATE.match(text)
    if ar:
        y, mo, d = int(ar.group("y")), int(ar.group("m")), int(ar.group("d"))
        if ar.group("m").startswith("0") or ar.group("d").startswith("0"):
            fixed = f"{y}年{mo}月{d}日"
            yield say("consistency.date-zero", at, end, fixed, date=text, fixed=fixed)
        date = (y, mo, d)
    if date is None or INCOMPLETE_DATE_LINE.match(text) and not text.endswith("日"):
        return
    yield from _signed_in_period(ctx, date, at, end)
    if len(sig) == 1 and doc.meta.type != "unknown" and not doc.meta.unit:
        yield say("consistency.no-signer", at, end)


def _signed_in_period(ctx: Context, date: tuple[int, int, int], at: int, end: int):
    meta = ctx.doc.meta
    if meta.type == "unknown" or meta.year is None or ctx.report_end is None:
        return
    start_month = {"第一季度": 1, "第二季度": 4, "第三季度": 7, "第四季度": 10, "上半年": 1, "下半年": 7}
    start = (meta.year, start_month.get(meta.period or "年度", 1))
    signed = date[:2]
    if signed < start:
        yield say("consistency.signed-before", at, end, date=ctx.text[at:end],
                  period=f"{meta.year}年{meta.period or '年度'}")
        return
    y, m = ctx.report_end
    # signed in the first months of the very period it reports on: last year's date with the year changed
    early = _config().get("signature", {}).get("early_months", 3)
    if (y - signed[0]) * 12 + m - signed[1] >= early:
        yield say("consistency.signed-early", at, end, date=ctx.text[at:end],
                  period=f"{meta.year}年{meta.period or '年度'}")
        return
    months_after = (signed[0] - y) * 12 + signed[1] - m
    if months_after > _config().get("signature", {}).get("late_months", 12):
        yield say("consistency.signed-late", at, end, date=ctx.text[at:end],
                  period=f"{meta.year}年{meta.period or '年度'}")


_ORGAN_LINE = re.compile(r"(?:党组|党委|委员会|党工委|党总支|党支部|局|办公室|公司|学校|中学|小学|医院|政府)$")
_CLOSING = "。！？；：…”’」』）)!?;:，,、"


def _unsigned_end(ctx: Context):
    """A 落款 unit at the end with no date under it."""
    doc = ctx.doc
    if doc.meta.type == "unknown":
        return
    tail = [p for p in doc.paragraphs if p.kind not in ("junk", "attachment")]
    if not tail:
        return
    last = tail[-1]
    text = last.text.strip()
    if (last.kind == "body" and 2 <= len(text) <= 30 and text[-1] not in _CLOSING
            and _ORGAN_LINE.search(text) and not re.search(r"[0-9一二三四五六七八九十]、|^[（(]", text)):
        yield say("consistency.no-date", last.start, last.end, unit=text)


@rule("consistency")
def check_consistency(ctx: Context):
    yield from _doc_numbers(ctx.text)
    yield from _dates(ctx)
    yield from _signature(ctx)
