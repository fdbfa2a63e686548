"""The rule registry. A rule is a function `(Context) -> Iterable[Finding]` registered by id.

Rule ids are part of the command-line JSON and of the checklist data: do not rename them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from core.check.findings import Finding
from core.check.parts import PartLocation
from core.check.rules.voice import quoted
from core.resources import Profile
from core.text.document import Document
from core.text.metadata import written_year
from core.text.stats import extract


@dataclass
class Context:
    doc: Document
    profile: Profile | None
    parts: dict[str, PartLocation]
    report_end: tuple[int, int] | None  # (year, month) the reported period ends
    _stats: tuple | None = field(default=None, repr=False)
    _written: tuple | None = field(default=None, repr=False)
    _quoted: bytearray | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return self.doc.text

    def stats(self):
        """(StatItems done in the period, bare mentions), extracted once per check and shared with
        CheckResult; figures of the plan, requirements and references are in `excluded_stats`."""
        if self._stats is None:
            items, bare = extract(self.doc, self.parts)
            done = [i for i in items if i.role == "done"]
            self._stats = (done, bare, [i for i in items if i.role != "done"])
        return self._stats[:2]

    def excluded_stats(self):
        self.stats()
        return self._stats[2]

    @property
    def written(self) -> int | None:
        """The year the text was written (core.text.metadata.written_year), computed once."""
        if self._written is None:
            self._written = (written_year(self.doc),)
        return self._written[0]

    def quoted(self) -> bytearray:
        """The words that are not the unit's own (core.check.rules.voice.quoted), worked out once per
        check: four rules read it. Read it, do not change it."""
        if self._quoted is None:
            self._quoted = quoted(self.doc)
        return self._quoted

    def part(self, part_id: str) -> PartLocation | None:
        return self.parts.get(part_id)


RuleFunc = Callable[[Context], Iterable[Finding]]
RULES: dict[str, RuleFunc] = {}


def rule(rule_id: str) -> Callable[[RuleFunc], RuleFunc]:
    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = func
        return func
    return register


# Importing the modules registers their rules.
from core.check.rules import (  # noqa: E402,F401
    consistency,
    counts,
    coverage,
    formulations,
    grammar,
    numbering,
    patterns,
    period,
    problems,
    sentences,
    spelling,
    structure,
)
