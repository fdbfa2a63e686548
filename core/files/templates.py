"""Report skeletons for 新建: one per report type, in resources/templates/<type>.txt.

A template has every part the checker requires, and every place the user must fill is a blank the
`placeholder` rule flags (`*次` for a count, `（请填写：……）` for text), so a new report starts
with a checklist that lists exactly what is left to write.

Fields: {unit} {year} {period} {next_year}, the unit's Party body {body} (党组, 党委, 党工委, 党总支,
党支部) with its meeting {body_meeting} (党组会, 党委会, 支委会…), its secretary {secretary} (党组书记…)
and the branches under it {branches} (各党支部; a 党支部 has none: 本支部), and, derived so titles read naturally,
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

_FIELD = re.compile(r"\{(unit|year|period|next_year|year_period|period_span|next_period|body|body_meeting|secretary|"
                    r"branches)\}")
# A unit's Party body: (its meeting, its secretary, the branches under it). A 县纪委监委 has a 党组,
# a 乡镇 a 党委, a 街道 a 党工委, a small office a 党总支 or 党支部.
BODIES = {"党组": ("党组会", "党组书记", "各党支部"), "党委": ("党委会", "党委书记", "各党支部"),
          "党工委": ("党工委会议", "党工委书记", "各党支部"), "党总支": ("党总支委员会会议", "党总支书记", "各党支部"),
          "党支部": ("支委会", "党支部书记", "本支部")}
DEFAULT_BODY = "党组"


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


def render_template(report_type: str, *, unit: str, year: int, period: str, body: str = DEFAULT_BODY) -> str:
    """Fill a template. Unknown type, period or body → ValueError; an empty unit stays a flagged blank."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1950 <= year <= 2100:
        raise ValueError(f"年份“{year}”无效：应为四位数字的年份，如 2024。")
    if period not in PERIODS:
        raise ValueError(f"时段“{period}”无效：应为 {'、'.join(PERIODS)} 之一。")
    if body not in BODIES:
        raise ValueError(f"党组织“{body}”无效：应为 {'、'.join(BODIES)} 之一。")
    meeting, secretary, branches = BODIES[body]
    text = template_text(report_type)
    values = {
        "body": body,
        "body_meeting": meeting,
        "secretary": secretary,
        "branches": branches,
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
