"""Report periods: the names (第一季度 … 年度), finding one in a title, how long one is and the month it
ends in, and the full 报告期 (2023年第三季度) read, written and sorted.

A period is also ``(parts, index)``: ``parts`` is how many such periods make up a year and ``index``
which one it is, 1-based. So 年度 is (1, 1), 上半年 (2, 1), 下半年 (2, 2), 第三季度 (4, 3) and 3月
(12, 3). The months a period covers follow from that alone: (index - 1) * 12 // parts + 1 …
index * 12 // parts.
"""
from __future__ import annotations

import re
import unicodedata

from core.text.numerals import parse_digit_string, parse_number, to_chinese

KIND_YEAR, KIND_HALF, KIND_QUARTER, KIND_MONTH = 1, 2, 4, 12
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
PERIODS = (*QUARTERS, "上半年", "下半年", "年度")
# The month in which each period ends: what "the report's date" means for dated rules.
PERIOD_END_MONTH = {"第一季度": 3, "第二季度": 6, "第三季度": 9, "第四季度": 12,
                    "上半年": 6, "下半年": 12, "年度": 12}

_QUARTER = re.compile(r"第([一二三四1-4１-４])季度")
_QUARTER_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def find_period(text: str) -> str | None:
    """The period a title (or a preamble's start) names: 第三季度, 上半年, 年度; None if none."""
    m = _QUARTER.search(text)
    if m:
        q = m.group(1)
        return QUARTERS[(_QUARTER_DIGITS.get(q) or parse_number(q)) - 1]
    for name in ("上半年", "下半年"):
        if name in text:
            return name
    if re.search(r"年度|全年|(?<![0-9])(19|20)[0-9]{2}年(?!第|上半年|下半年|[0-9一二三四五六七八九十]+月)", text):
        return "年度"
    return None


def period_months(period: str | None) -> int:
    """How many months a period spans (12 when it is unknown)."""
    return {"上半年": 6, "下半年": 6, "年度": 12}.get(period or "", 3 if period and "季度" in period else 12)


def period_end(year: int | None, period: str | None) -> tuple[int, int] | None:
    """(year, month) in which the reported period ends; None when the year is unknown."""
    if year is None:
        return None
    return year, PERIOD_END_MONTH.get(period or "年度", 12)


def next_period(period: str, year: int) -> str:
    """What comes after: 第四季度 after 第三季度, 下半年 after 上半年, else the next year (2025年)."""
    if period in QUARTERS[:-1]:
        return QUARTERS[QUARTERS.index(period) + 1]
    return "下半年" if period == "上半年" else f"{year + 1}年"


def span_words(period: str) -> str:
    """The period as a span in running text: 全年, 上半年, 下半年, 本季度."""
    return {"年度": "全年", "上半年": "上半年", "下半年": "下半年"}.get(period, "本季度")


def stated_period(year: int | None, period: str | None) -> str:
    """The period as the report states it, for display: 2023年度, 2023年第三季度, and 2023年 when the
    report names a year but no period (not "2023年年度", not a guessed 年度)."""
    if year is None:
        return period or ""
    if period in (None, ""):
        return f"{year}年"
    return year_period(year, period)


def year_period(year: int, period: str | None) -> str:
    """The full 报告期 of a year and a period name: 2023年度, 2023年第三季度, 2023年上半年."""
    return f"{year}年度" if period in (None, "", "年度") else f"{year}年{period}"


# --- the full 报告期, as a ledger files it --------------------------------------------------------

_NUM = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"
_YEAR_RE = re.compile(r"^(\d{4}|[〇零一二三四五六七八九]{4})(.*)$")
_QUARTER_RE = re.compile(r"^(?:第?([一二三四1-4])季度?|[Qq]([1-4]))$")
_MONTH_RE = re.compile(rf"^({_NUM})月份?$")
_RANGE_RE = re.compile(rf"^({_NUM})月?[-－—–~～至到]({_NUM})月份?$")
_RANGE_KINDS = {(1, 12): (1, 1), (1, 6): (2, 1), (7, 12): (2, 2), (1, 3): (4, 1), (4, 6): (4, 2),
                (7, 9): (4, 3), (10, 12): (4, 4)}


def parse_period(period: str) -> tuple[int, int, int] | None:
    """Decompose a 报告期 into ``(year, parts, index)``; None when it is not one this knows.

    ``2023年第三季度`` → (2023, 4, 3), ``2023年上半年`` → (2023, 2, 1), ``2023年度`` / ``2023年`` /
    ``2023年全年`` → (2023, 1, 1), ``2023年3月`` → (2023, 12, 3). Also read: 三季度, 第3季度, Q3, 1-6月,
    7—9月, full-width digits, 二〇二三年. Sort with `period_sort_key`, write back with `format_period`.
    """
    if not isinstance(period, str):
        return None
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", period))
    m = _YEAR_RE.match(text)
    if not m:
        return None
    year_text, rest = m.groups()
    year = parse_digit_string(year_text)
    if year is None or not 1900 <= year <= 2999:
        return None
    if rest.startswith("年"):
        rest = rest[1:]
    if rest in ("", "度", "年度", "全年", "全年度", "全年度的"):
        return year, KIND_YEAR, 1
    if rest in ("上半年", "上半年度", "上半"):
        return year, KIND_HALF, 1
    if rest in ("下半年", "下半年度", "下半"):
        return year, KIND_HALF, 2
    m = _QUARTER_RE.match(rest)
    if m:
        q = m.group(1) or m.group(2)
        return year, KIND_QUARTER, _QUARTER_DIGITS.get(q) or int(q)
    m = _MONTH_RE.match(rest)
    if m:
        month = parse_number(m.group(1))
        return (year, KIND_MONTH, month) if month and 1 <= month <= 12 else None
    m = _RANGE_RE.match(rest)
    if m:
        a, b = parse_number(m.group(1)), parse_number(m.group(2))
        if a is not None and a == b and 1 <= a <= 12:
            return year, KIND_MONTH, a
        kind = _RANGE_KINDS.get((a, b))
        if kind:
            return year, *kind
    return None


def period_name(parts: int, index: int) -> str:
    """The name of ``(parts, index)``: 年度, 上半年, 下半年, 第三季度, 3月."""
    if parts == KIND_YEAR:
        return "年度"
    if parts == KIND_HALF:
        return "上半年" if index == 1 else "下半年"
    if parts == KIND_QUARTER:
        return f"第{to_chinese(index)}季度"
    if parts == KIND_MONTH:
        return f"{index}月"
    raise ValueError(f"未知的报告期类型：{parts}")


def format_period(year: int, parts: int, index: int) -> str:
    """The canonical 报告期 of a `parse_period` result: 2023年第三季度, 2023年上半年, 2023年度, 2023年3月."""
    return year_period(year, period_name(parts, index))


def period_sort_key(period: str) -> tuple:
    """Chronological sort key: by year, then by the month the period ends in, the shorter period
    first when two end together (3月, 第一季度, 第二季度, 上半年, 第三季度, 第四季度, 下半年, 年度).
    Periods this cannot read sort after all others, by their text."""
    parsed = parse_period(period)
    if parsed is None:
        return (1, 0, 0, 0, str(period))
    year, parts, index = parsed
    return (0, year, index * 12 // parts, -parts, "")


# a year the words are about: "2023年是……", "2021年，党中央部署……"; not "2021年以来" (up to now)
_REFERRED_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})年(?!以来|至今|起|来|[—－-])")


def recalls_before(text: str, at: int, since: tuple[int, int]) -> bool:
    """The paragraph names a year before the words at `at`, and that year ended before `since`: the
    words recall that year (a 2024 report looking back on 2023's 主题教育) rather than describe the
    report's own period, so wording that is stale from `since` on is not stale there."""
    start = text.rfind("\n", 0, at) + 1
    last = None
    for m in _REFERRED_YEAR.finditer(text, start, at):
        last = int(m.group(1))
    return last is not None and (last, 12) < since
