"""Report skeletons for 新建: one per report type, in resources/templates/<type>.txt.

A template has every part the checker requires, and every place the user must fill is a blank the
`placeholder` rule flags (`*次` for a count, `（请填写：……）` for text), so a new report starts
with a checklist that lists exactly what is left to write.

Fields: {unit} {year} {period} {next_year}, and, derived so titles read naturally,
{year_period} ("2024年度" / "2024年第三季度"), {period_span} (全年 / 本季度 / 上半年 / 下半年, for
counts — a quarterly report must not say 全年) and {next_period} (what the plan looks ahead to:
"2025年" after an annual report, "第四季度" after the third quarter).
A user's own copy under user_data_dir()/templates/ replaces the shipped one.
"""
from __future__ import annotations

import re

from core import resources
from core.resources import resources_dir, user_data_dir
from core.text.periods import PERIODS, next_period, span_words, year_period

FILL_MARK = "请填写"  # the to-fill marker word the placeholder rule recognises
UNIT_BLANK = f"（{FILL_MARK}：单位名称）"

_FIELD = re.compile(r"\{(unit|year|period|next_year|year_period|period_span|next_period)\}")


def has_template(report_type: object) -> bool:
    """A shipped template exists for this type id (no data file read: settings check this)."""
    return (isinstance(report_type, str) and re.fullmatch(r"[a-z_]+", report_type) is not None
            and (resources_dir() / "templates" / f"{report_type}.txt").is_file())


def template_types() -> tuple[str, ...]:
    """The report types (profiles.toml's order) that have a shipped template."""
    return tuple(t for t in resources.report_types() if has_template(t))


def __getattr__(name: str):
    # TEMPLATE_TYPES, the old constant, read when asked so importing this module reads no data.
    if name == "TEMPLATE_TYPES":
        return template_types()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def template_text(report_type: str) -> str:
    """The raw template: the user's copy when there is a readable one, else the shipped file."""
    types = template_types()
    if report_type not in types:
        raise ValueError(f"未知的报告类型“{report_type}”：应为 {'、'.join(types)} 之一。")
    name = f"{report_type}.txt"
    user = user_data_dir() / "templates" / name
    try:
        text = user.read_text(encoding="utf-8-sig")
        if text.strip():
            return text
    except (OSError, UnicodeDecodeError):
        pass  # no usable copy of the user's own: the shipped template always works
    return (resources_dir() / "templates" / name).read_text(encoding="utf-8")


def render_template(report_type: str, *, unit: str, year: int, period: str) -> str:
    """Fill a template. Unknown type or period → ValueError; an empty unit stays a flagged blank."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1950 <= year <= 2100:
        raise ValueError(f"年份“{year}”无效：应为四位数字的年份，如 2024。")
    if period not in PERIODS:
        raise ValueError(f"时段“{period}”无效：应为 {'、'.join(PERIODS)} 之一。")
    text = template_text(report_type)
    values = {
        "unit": unit.strip() or UNIT_BLANK,
        "year": str(year),
        "period": period,
        "next_year": str(year + 1),
        "year_period": year_period(year, period),
        "period_span": span_words(period),
        "next_period": next_period(period, year),
    }
    # A regex, not str.format: a user's template may contain other braces, which must survive.
    return _FIELD.sub(lambda m: values[m.group(1)], text)
