"""The one rule that makes a report's figure for its period out of the figures it states, used by
the 统计 chart (core.check.stat_overview) and the ledger's 汇总 (core.office.ledger.summary), so the
two never disagree: only figures of one kind, measure word and 口径 (core.text.stats.StatItem.basis)
meet here; a period total stated twice must agree (else 前后不一致, both shown), figures of separate
activities add up with their 余 kept."""
from __future__ import annotations

from dataclasses import dataclass

from core.text.stats import StatItem, kinds

_AT_LEAST = ("余", "多", "以上", "逾", "超过")


def sum_qualifier(qualifiers) -> str | None:
    """The qualifier of a sum: 60余 + 24 is 84余; anything nearly or about makes it 约."""
    found = {q for q in qualifiers if q}
    if not found:
        return None
    if found <= set(_AT_LEAST):
        return "余"
    return "约"


@dataclass(frozen=True)
class Figure:
    """A report's figure for one kind, measure word and 口径 over the period.

    how: "one" (stated once, or the same everywhere), "sum" (figures of separate activities added:
    合计), "conflict" (a period total stated with different numbers: 前后不一致, nothing chosen),
    "several" (different numbers in one sentence: two things, not added), "blank" (only blanks)."""

    value: int | None
    qualifier: str | None
    how: str
    values: tuple[tuple[int, str | None], ...] = ()  # the distinct figures stated, in text order
    added: int = 0  # figures added up (how == "sum")
    blanks: int = 0  # mentions left blank

    def number_text(self) -> str:
        """The figure as a reader says it, without the measure word: 20余, 近100, 12／15."""
        if self.value is None:
            if self.values:
                return "／".join(_number(v, q) for v, q in self.values)
            return "待填"
        return _number(self.value, self.qualifier)


def _number(value: int, qualifier: str | None) -> str:
    q = qualifier or ""
    if q in ("近", "约", "逾", "超过", "达"):
        return f"{q}{value}"
    if q in ("以上", "左右"):
        return f"{value}{q}"
    return f"{value}{q}"


def combine(stated: list[tuple[int | None, str | None, object]], consistency: bool) -> Figure:
    """The one rule: ``stated`` are (value or None for a blank, qualifier, where) of one kind,
    measure word and 口径 in one report, in text order; ``where`` tells apart two places (the
    sentence). A period total (``consistency``) stated with different numbers in different places
    is a contradiction; figures of separate activities are added, unless one of them is the sum of
    the others (then it is their total, stated once more). Parts and other 口径 never come here."""
    numbers = [(v, q, w) for v, q, w in stated if v is not None]
    blanks = len(stated) - len(numbers)
    if not numbers:
        return Figure(None, None, "blank", blanks=blanks)
    distinct: list[tuple[int, str | None]] = []
    for v, q, _w in numbers:
        same = next((i for i, (dv, _dq) in enumerate(distinct) if dv == v), None)
        if same is None:
            distinct.append((v, q))
        elif q and not distinct[same][1]:
            distinct[same] = (v, q)  # 60 and 60余: one figure, the 余 kept
    if len(numbers) == 1 or (consistency and len(distinct) == 1):
        v, q = distinct[0]
        return Figure(v, q, "one", added=1, blanks=blanks)
    if consistency:
        places = {w for _v, _q, w in numbers}
        return Figure(None, None, "several" if len(places) == 1 else "conflict", tuple(distinct), blanks=blanks)
    values = [v for v, _q, _w in numbers]
    biggest = max(values)
    if values.count(biggest) == 1 and biggest == sum(values) - biggest and len(values) > 2:
        q = next(q for v, q, _w in numbers if v == biggest)
        return Figure(biggest, q, "one", added=1, blanks=blanks)  # 4 + 32 + 2 and their total 38
    return Figure(sum(values), sum_qualifier(q for _v, q, _w in numbers), "sum", tuple(distinct),
                  added=len(numbers), blanks=blanks)


@dataclass(frozen=True)
class PeriodFigure:
    kind: str
    item: str
    measure: str
    basis: str
    figure: Figure
    items: tuple[StatItem, ...]  # the mentions it is made of, in text order

    @property
    def label(self) -> str:
        """指标 with its 口径: 发现问题（巡视巡察）, 调研（时段：第二批主题教育开展以来）."""
        return f"{self.item}（{self.basis}）" if self.basis else self.item


def period_figures(items: list[StatItem]) -> list[PeriodFigure]:
    """The report's figures, one per kind, measure word and 口径, in order of first mention (the
    统计 chart; core.office.ledger's 汇总 applies :func:`combine` to the rows it reads back)."""
    per_kind = {k.id: k for k in kinds()}
    groups: dict[tuple[str, str, str], list[StatItem]] = {}
    for item in items:
        groups.setdefault((item.kind, item.measure, item.basis), []).append(item)
    out = []
    for (kind_id, measure, basis), group in groups.items():
        kind = per_kind.get(kind_id)
        consistency = kind.consistency if kind is not None else True
        figure = combine([(i.value, i.qualifier, i.sentence_start) for i in group], consistency)
        out.append(PeriodFigure(kind_id, group[0].item, measure, basis, figure, tuple(group)))
    return out
