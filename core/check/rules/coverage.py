"""coverage: the areas a 主体责任 or 述责述廉 report must speak to, and 述廉 content."""
from __future__ import annotations

from dataclasses import dataclass

from core import resources
from core.check.rules import Context, rule
from core.check.rules.messages import fragment, say

# The eight areas are the whole duty: a unit's report and its secretary's own (diyi, or a
# 述责述廉 by the secretary). A member's 述责述廉 speaks of the member's own work and integrity.
AREA_TYPES = ("zhuti", "diyi")


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    keywords: tuple
    severity: str = "warning"

    def present(self, text: str) -> bool:
        return any(k.search(text) for k in self.keywords)


def _compile(entries, where) -> tuple:
    return tuple(resources.compile_pattern(s, where) for s in entries)


@resources.data_cache
def areas() -> tuple[Area, ...]:
    return tuple(Area(a["id"], a["name"], _compile(a["keywords"], "rules/coverage.toml"),
                      a.get("severity", "warning"))
                 for a in resources.load("rules/coverage.toml").get("area", []))


@resources.data_cache
def lianjie() -> tuple[Area, tuple[Area, ...], int]:
    data = resources.load("rules/coverage.toml").get("lianjie", {})
    whole = Area("lianjie", "述廉", _compile(data.get("keywords", []), "rules/coverage.toml"))
    topics = tuple(Area(f"lianjie-{n}", t["name"], _compile(t["keywords"], "rules/coverage.toml"))
                   for n, t in enumerate(data.get("topic", [])))
    return whole, topics, data.get("min_topics", 3)


def _anchor(ctx: Context) -> tuple[int, int]:
    work = ctx.part("work")
    if work and work.headings:
        h = ctx.doc.headings[work.headings[0]]
        return h.start, h.title_end
    return ctx.doc.title_start, ctx.doc.title_end


@rule("coverage")
def check_coverage(ctx: Context):
    meta = ctx.doc.meta
    whole_duty = meta.type in AREA_TYPES or (meta.type == "shuze" and "secretary" in meta.variants)
    if not whole_duty and meta.type != "shuze":
        return
    body = ctx.text[ctx.doc.title_end:]
    span = _anchor(ctx)
    if whole_duty:
        for area in areas():
            if not area.present(body):
                yield say("coverage.area", *span, severity=area.severity, area=area.name)
    if meta.type == "shuze":
        whole, topics, min_topics = lianjie()
        loc = ctx.part("lianjie")
        if loc is not None and not loc.found:
            return  # the absent 述廉 part is section-missing's finding, reported once
        if loc is not None and loc.headings:
            h = ctx.doc.headings[loc.headings[0]]
            span = (h.start, h.title_end)
        if not whole.present(body):
            yield say("coverage.no-lianjie", *span)
            return
        covered = [t for t in topics if t.present(body)]
        if len(covered) < min_topics:
            left = fragment("list-separator").join(t.name for t in topics if t not in covered)
            yield say("coverage.thin-lianjie", *span, missing=left)
