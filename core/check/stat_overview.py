"""What the 统计 tab shows beside the counts: the chart's bars with their norms, the figures that are
not this period's activities (计划/要求/引用/其中部分), and the kinds the norms require that the report never
mentions (未提及). Plain data, so the window only draws it."""
from __future__ import annotations

from dataclasses import dataclass

from core.check.engine import CheckResult
from core.text.periods import period_months
from core.text.stats import ROLE_NAMES, StatKind, expected_minimum, kinds

# A norm is about one unit over one period: not a city-wide 通报, not a personal 述责述廉
# (the same reports the count-norm rule judges).
NORM_TYPES = ("zhuti", "diyi")
PER_NAMES = {"month": "每月", "quarter": "每季度", "year": "每年"}


@dataclass(frozen=True)
class Bar:
    item: str
    value: int
    norm: int | None  # the least the norms ask for in this period; None: no norm applies


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
    """One bar per kind with a stated number (the largest stated), with its norm for the period."""
    period = result.document.meta.period
    judged = norms_apply(result)
    best: dict[str, int] = {}
    names: dict[str, str] = {}
    for item in result.stats:
        if item.value is not None:
            best[item.kind] = max(best.get(item.kind, 0), item.value)
            names[item.kind] = item.item
    norms = {k.id: expected_minimum(k, period) if judged else None for k in kinds()}
    return [Bar(names[k], v, norms.get(k)) for k, v in best.items()]


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
