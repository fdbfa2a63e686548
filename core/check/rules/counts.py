"""Rules on the countable items: consistent, up to the norm, and quantified."""
from __future__ import annotations

import re

from core import resources
from core.check.rules import Context, rule
from core.check.rules.messages import fragment, say
from core.text.stats import expected_minimum, kinds, period_months

NORM_TYPES = ("zhuti", "diyi")
_LEAD_CHARS = 300


@resources.data_cache
def _consistency_config() -> tuple[re.Pattern, re.Pattern]:
    """stats.toml [consistency]: words that make a count partial, and the words naming whose it is."""
    data = resources.load("stats.toml").get("consistency", {})
    where = "stats.toml [consistency]"
    return (resources.compile_pattern(data.get("partial", "(?!)"), where),
            resources.compile_pattern(data.get("subjects", "(?!)"), where))


@resources.data_cache
def _actions() -> re.Pattern:
    """rules/counts.toml: the verbs that say whether the writer organised or attended, one pattern
    with a named group per kind of action."""
    data = resources.load("rules/counts.toml").get("consistency", {}).get("actions", {})
    source = "|".join(f"(?P<{name}>{p})" for name, p in data.items()) or "(?!)"
    return resources.compile_pattern(source, "rules/counts.toml [consistency.actions]")


def _action(clause: str) -> str | None:
    """The action nearest before the count: organised (主持召开) or attended (参加), if said."""
    found = [m.lastgroup for m in _actions().finditer(clause)]
    return found[-1] if found else None


@rule("count-consistency")
def check_consistency(ctx: Context):
    items, _ = ctx.stats()
    partial, subjects = _consistency_config()
    totals = {k.id for k in kinds() if k.consistency}
    by_kind: dict[str, list] = {}
    for item in items:
        if item.value is None or item.kind not in totals:
            continue
        # the words leading up to the number say whose count it is ("其中", "各支部", "…以来")
        # (at most _LEAD_CHARS of them: a text without full stops is one huge "sentence")
        lead = ctx.text[max(item.sentence_start, item.number_start - _LEAD_CHARS):item.number_start]
        if partial.search(lead):
            continue
        clause = lead[max(lead.rfind(c) for c in "，。；：,;") + 1:]
        by_kind.setdefault(item.kind, []).append((item, frozenset(subjects.findall(clause)), _action(clause)))
    for group in by_kind.values():
        first, first_who, first_action = group[0]
        for other, who, action in group[1:]:
            if other.value == first.value and other.measure == first.measure:
                continue
            # one sentence naming two counts speaks of two things (书记讲党课1次，班子成员讲党课4次);
            # so do two sentences about different people
            if other.sentence_start == first.sentence_start or who != first_who:
                continue
            line = ctx.text.count("\n", 0, first.start) + 1
            # organised 26 times and attended 20 times can both be true: likely, not certain
            case = "other-action" if first_action and action and first_action != action else "same"
            yield say("count-consistency.differs", other.number_start, other.end, case=case,
                      item=other.item, line=line, first=first.display(), other=other.display())


@rule("count-norm")
def check_norm(ctx: Context):
    items, _ = ctx.stats()
    period = ctx.doc.meta.period
    # a norm is about one unit over one period: not a city-wide 通报, not a personal 述责述廉
    if ctx.doc.meta.type not in NORM_TYPES or period is None:
        return
    best: dict[str, int] = {}
    spans: dict[str, tuple[int, int]] = {}
    for item in items:
        if item.value is None:
            continue
        if item.value >= best.get(item.kind, -1):
            best[item.kind] = item.value
            spans[item.kind] = (item.start, item.end)
    months = period_months(period)
    for kind in kinds():
        want = expected_minimum(kind, period)
        if want is None:
            continue
        where = fragment("months", months=months) if months != 12 else fragment("whole-year")
        if kind.id in best and best[kind.id] < want:
            yield say("count-norm.below", *spans[kind.id], kind=kind.name, span=where, count=best[kind.id],
                      norm=_norm_text(kind), want=want)
        elif kind.id not in best and kind.warn_if_missing and not _mentioned(ctx, kind.id):
            yield say("count-norm.missing", ctx.doc.title_start, ctx.doc.title_end, kind=kind.name,
                      norm=_norm_text(kind))


def _mentioned(ctx: Context, kind_id: str) -> bool:
    items, bare = ctx.stats()
    return any(i.kind == kind_id for i in items) or any(m.kind.id == kind_id for m in bare)


def _norm_text(kind) -> str:
    return fragment("norm", per=fragment("per", kind.norm_per), min=kind.norm_min)


@rule("count-unquantified")
def check_unquantified(ctx: Context):
    items, bare = ctx.stats()
    counted = {i.kind for i in items}
    plan = ctx.part("plan")
    for mention in bare:
        if mention.kind.id in counted or (plan and plan.contains(mention.start)):
            continue  # counted elsewhere in the report, or a plan for the future
        if mention.kind.unquantified:
            yield say("count-unquantified.bare", mention.start, mention.end, kind=mention.kind.name)
