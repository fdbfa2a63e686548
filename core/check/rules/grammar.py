"""Rule `grammar`: 语病 where the wording alone makes it certain — a sentence that never reaches its
main clause, a frame left open (以…为, 在…下), a verb with an object it does not take, 的/地/得 in the
wrong place, a function word doubled, a redundancy. Every family is a list of patterns with examples
in resources/rules/grammar.toml; only the unit's own sentences are judged (quotations are left alone).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from core import resources
from core.check.findings import SEVERITIES, Finding
from core.check.rules import Context, rule
from core.check.rules.voice import quoted

FILE = "rules/grammar.toml"


@dataclass(frozen=True)
class Pattern:
    id: str
    regex: re.Pattern
    replace: str | None
    message: str
    severity: str
    sentence: bool  # matched against each sentence on its own (^ is the sentence's start)


@resources.data_cache
def patterns() -> tuple[Pattern, ...]:
    out = []
    for n, e in enumerate(resources.load(FILE).get("pattern", [])):
        where = f"{FILE} 第{n + 1}条"
        severity = e.get("severity", "warning")
        if severity not in SEVERITIES:
            raise resources.ResourceError(f"{where}：级别 “{severity}” 无效")
        out.append(Pattern(e["id"], resources.compile_pattern(e["pattern"], where), e.get("replace"),
                           e["message"], severity, e.get("scope") == "sentence"))
    return tuple(out)


def _span(m: re.Match) -> tuple[int, int]:
    """The group named `at` when the pattern has one (the words to change), else the whole match."""
    if "at" in m.re.groupindex and m.group("at") is not None:
        return m.span("at")
    return m.span()


@rule("grammar")
def check_grammar(ctx: Context):
    doc = ctx.doc
    marks = quoted(ctx.text)
    taken: set[int] = set()
    findings: list[Finding] = []
    entries = patterns()
    for p in doc.body_paragraphs:
        for entry in entries:
            pieces = [(s.text, s.start) for s in p.sentences] if entry.sentence else [(p.text, p.start)]
            for text, offset in pieces:
                for m in entry.regex.finditer(text):
                    start, end = _span(m)
                    start, end = start + offset, end + offset
                    if start == end or marks[start] or any(i in taken for i in range(start, end)):
                        continue
                    taken.update(range(start, end))
                    suggestion = m.expand(entry.replace) if entry.replace is not None else None
                    findings.append(Finding("grammar", entry.severity,
                                            entry.message.format(match=ctx.text[start:end], suggestion=suggestion or ""),
                                            start, end, suggestion, f"grammar.{entry.id}"))
    return findings
