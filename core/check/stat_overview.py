"""What the 统计 tab shows beside the counts: the chart's bars with their norms, the figures that are
not this period's activities (计划/要求/引用/其中部分), and the kinds the norms require that the report never
mentions (未提及). Plain data, so the window only draws it."""
from __future__ import annotations

from dataclasses import dataclass

from core.check.engine import CheckResult
from core.text.figures import period_figures
from core.text.periods import period_months
from core.text.stats import ROLE_NAMES, StatKind, expected_minimum, kinds

# A norm is about one unit over one period: not a city-wide 通报, not a personal 述责述廉
# (the same reports the count-norm rule judges).
NORM_TYPES = ("zhuti", "diyi")
PER_NAMES = {"month": "每月", "quarter": "每季度", "year": "每年"}


@dataclass(frozen=True)
class Bar:
    item: str  # 指标 with its 口径, as the ledger's 汇总 names the row: 调研（班子成员）
    value: int
    norm: int | None  # the least the norms ask for in this period; None: no norm applies
    text: str = ""  # the figure as the report says it, with its measure word: 20余次, 84余期


@dataclass(frozen=True)
class Unmentioned:
    kind: StatKind
    minimum: int  # the least the norms ask for in this period

    @property
    def rule(self) -> str:
        return f"{PER_NAMES[self.kind.norm_per]}至少{self.kind.norm_min}次"


def norms_apply(result: CheckResult) -> bool:
    meta = result.document.meta
    return meta.type in NORM_TYPES and meta.period is not None


def chart_bars(result: CheckResult) -> list[Bar]:
    """One bar per figure of the period, made by the rule the ledger's 汇总 uses
    (core.text.figures.period_figures): one per kind, measure word and 口径, activities added with
    their 余 kept, a part of the period or another 口径 a bar of its own; a figure stated with two
    numbers is not drawn (see :func:`chart_notes`). The norm applies to the unit's own figures."""
    period = result.document.meta.period
    judged = norms_apply(result)
    norms = {k.id: expected_minimum(k, period) if judged else None for k in kinds()}
    bars = []
    for figure in period_figures(result.stats):
        if figure.figure.value is None:
            continue
        scope = figure.items[0].scope
        norm = norms.get(figure.kind) if scope != "part" else None
        bars.append(Bar(figure.label, figure.figure.value, norm, figure.figure.number_text() + figure.measure))
    return bars


def chart_notes(result: CheckResult) -> str:
    """What the chart leaves out, in words: figures the report states with different numbers."""
    left = [f"{f.label}（{f.figure.number_text()}{f.measure}）" for f in period_figures(result.stats)
            if f.figure.how in ("conflict", "several")]
    if not left:
        return ""
    return f"前后写法不一致、未画入图中：{'、'.join(left)}。"


def period_words(result: CheckResult) -> str:
    """本期 in words for captions: 本季度, 上半年, 本年度."""
    period = result.document.meta.period
    months = period_months(period)
    if months == 12:
        return "本年度"
    return period if period in ("上半年", "下半年") else "本季度"


def excluded(result: CheckResult) -> list[tuple[str, object]]:
    """(计划/要求/引用/其中部分, StatItem) for each figure the extractor did not count as done in the period."""
    return [(ROLE_NAMES.get(item.role, item.role), item) for item in result.stats_excluded]


def unmentioned(result: CheckResult) -> list[Unmentioned]:
    """Kinds the norms require in this period that the report does not name anywhere, not even
    without a number or in its plan (those are other findings)."""
    if not norms_apply(result):
        return []
    period = result.document.meta.period
    text = result.document.text
    counted = {item.kind for item in result.stats}
    counted |= {item.kind for _role, item in excluded(result)}
    out = []
    for kind in kinds():
        minimum = expected_minimum(kind, period)
        if minimum is None or kind.id in counted:
            continue
        if any(pattern.search(text) for pattern in kind.phrases):
            continue
        out.append(Unmentioned(kind, minimum))
    return out
