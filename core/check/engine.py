"""The one checking path: text in, document + findings + checklist out.

The GUI, the command line and batch mode all call `check`; nothing else parses a report.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from core import resources
from core.check.checklist import (
    ChecklistItem,
    build_checklist,
    declarations,
    rules_needing_type,
    rules_with,
    whole_text_rules,
)
from core.check.compare import compare
from core.check.compare import findings as comparison_findings
from core.check.findings import SEVERITY_RANK, Finding
from core.check.parts import locate_parts
from core.check.rules import RULES, Context
from core.text import multimatch
from core.text.document import Document, parse
from core.text.metadata import skipped_rules
from core.text.periods import period_end
from core.text.wordcount import wps_word_count


@dataclass
class CheckResult:
    document: Document
    findings: list[Finding]
    checklist: list[ChecklistItem]
    stats: list = field(default_factory=list)  # StatItems done in the period (ledgers, totals, norms)
    stats_excluded: list = field(default_factory=list)  # figures of the plan, requirements, references
    parts: dict = field(default_factory=dict)  # part id -> PartLocation (work, problems, plan …)
    comparison: object = None  # core.check.compare.Comparison when checked against last period's report
    _word_count: int | None = field(default=None, repr=False, compare=False)

    @property
    def word_count(self) -> int:
        """字数 as WPS counts it, computed once: the window's worker thread asks first, so the
        GUI thread does not spend milliseconds on it for a long report."""
        if self._word_count is None:
            self._word_count = wps_word_count(self.document.text)
        return self._word_count

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


# (bounded, so that multimatch tries it only around its words: a search tried every character)
_CUT_OFF_SITE = re.compile(r"(登录|注册)后(即可)?(查看|阅读|下载)|先登录|(开通|成为)(VIP|会员)|查看(全文|完整版|剩余内容)|(剩余|余下)[0-9]{1,9}字")


def is_excerpt(doc: Document) -> bool:
    """Part of a report, not the whole: a web page's paywall cut it, or a short text ends mid-sentence."""
    if next(multimatch.finditer(_CUT_OFF_SITE, doc.text), None) is not None:
        return True
    body = [p for p in doc.paragraphs if p.kind in ("body", "heading-body", "preamble")]
    last = body[-1] if body else None
    ends_cut = last is not None and last.text[-1] not in "。！？；：…”’」』）)!?;:." and last is doc.paragraphs[-1]
    return ends_cut and len(doc.text) <= whole_text_rules()[1]


@resources.data_cache
def _require_declarations() -> None:
    """A rule runs only with its declaration (resources/checklist.toml [rule.<id>]): without one its
    findings would land in no checklist item, with no level explained."""
    missing = sorted(set(RULES) - set(declarations()))
    if missing:
        raise resources.ResourceError(f"checklist.toml 中没有规则 {'、'.join(missing)} 的声明 [rule.<id>]")


def make_context(doc: Document) -> Context:
    profile = resources.profile(doc.meta.type)
    return Context(doc, profile, locate_parts(doc, profile), period_end(doc.meta.year, doc.meta.period))


def check(text: str, report_type: str | None = None, rules: list[str] | None = None,
          previous=None) -> CheckResult:
    """Parse `text` once and run every rule (or only `rules`) over it.

    `previous` (a core.check.compare.PreviousReport) adds the comparison with last period's report:
    the `copied` and `followup` findings and `CheckResult.comparison`.
    """
    _require_declarations()
    doc = parse(text, report_type)
    ctx = make_context(doc)
    findings: list[Finding] = []
    # A text whose genre is not known gets only the checks that hold for any text.
    skip = rules_needing_type() if doc.meta.type == "unknown" else skipped_rules(doc.meta)
    if is_excerpt(doc):
        skip = skip | whole_text_rules()[0]
    for rule_id, func in RULES.items():
        if (rules is not None and rule_id not in rules) or rule_id in skip:
            continue
        findings.extend(func(ctx))
    comparison = None
    if previous is not None:
        comparison = compare(previous, doc, ctx.stats()[0])
        findings.extend(comparison_findings(comparison, doc))
    findings.sort(key=lambda f: (f.start, SEVERITY_RANK[f.severity], f.end, f.rule))
    with_stats = rules is None or any(r in rules_with("uses_stats") for r in rules)
    stats = ctx.stats()[0] if with_stats else []
    excluded = ctx.excluded_stats() if with_stats else []
    checklist = build_checklist(findings, doc.meta.type, compared=previous is not None)
    return CheckResult(doc, findings, checklist, stats, excluded, ctx.parts, comparison)


@lru_cache(maxsize=4)
def _line_starts(text: str) -> list[int]:
    # Built once per text (str caches its hash, so the lookup is cheap): thousands of findings on
    # a long text would otherwise each scan it from the start.
    return [0, *(m.end() for m in re.finditer("\n", text))]


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of an offset into normalised text."""
    starts = _line_starts(text)
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def excerpt(text: str, start: int, end: int, context: int = 10) -> str:
    """The finding's text with a little of its line around it, for reading in a list."""
    starts = _line_starts(text)
    line_start = starts[bisect_right(starts, start) - 1]
    after = bisect_right(starts, end)
    line_end = starts[after] - 1 if after < len(starts) else len(text)
    lo = max(line_start, start - context)
    hi = min(line_end, max(end, start + 1) + context)
    body = text[lo:hi].replace("\n", " ")
    return ("…" if lo > line_start else "") + body + ("…" if hi < line_end else "")
