"""Numbered formulas written with another numeral: 坚定“两个自信” for 四个自信, 三个意识 for 四个意识. The
formulas are data (rules/terms.toml [[numbered]]); the `term` rule reports what this finds."""
from __future__ import annotations

import re
from dataclasses import dataclass

from core import resources
from core.check.findings import Finding
from core.check.rules import Context
from core.check.rules.messages import say


def month(value: str) -> tuple[int, int]:
    year, _, m = value.partition("-")
    return int(year), int(m or 1)


_NUMERALS = "一二两三四五六七八九十"


@dataclass(frozen=True)
class NumberedFormula:
    formula: str  # 四个意识
    members: str
    regex: re.Pattern  # the formula's words with any numerals in the numerals' places
    words: str  # the formula's longest piece without numerals (个意识): found first, then the rest tried
    lead: int  # where `words` starts in the formula
    context: re.Pattern | None  # unquoted, one of these must come right before
    earlier: dict  # a once-right form → (year, month) it stopped being right


@resources.data_cache
def numbered_formulas() -> tuple[NumberedFormula, ...]:
    out = []
    for n, e in enumerate(resources.load("rules/terms.toml").get("numbered", [])):
        where = f"rules/terms.toml [[numbered]] 第{n + 1}条"
        formula = e["formula"]
        body = "".join(f"[{_NUMERALS}]" if c in _NUMERALS else re.escape(c) for c in formula)
        after = f"(?!{e['not_after']})" if e.get("not_after") else ""
        regex = resources.compile_pattern(f"(?<![{_NUMERALS}百千万第0-9０-９]){body}{after}", where)
        words = max(re.split(f"[{_NUMERALS}]", formula), key=len)
        context = resources.compile_pattern(f"(?:{e['context']})$", where) if e.get("context") else None
        out.append(NumberedFormula(formula, e.get("members", ""), regex, words, formula.index(words), context,
                                   {k: month(v) for k, v in e.get("earlier", {}).items()}))
    return tuple(out)


_DEFINITION = re.compile(r"[（(：:]|，?即")


def _defined_here(text: str, end: int) -> bool:
    """Whether the words right after a numbered phrase spell out what it counts (in brackets, after a
    colon or 即): then it is a formula of the text's own, not the well-known one miscounted."""
    return _DEFINITION.match(text, end) is not None


def findings(ctx: Context, taken: list[Finding], protected: bytearray):
    """A numbered formula written with another numeral (坚定“两个自信”): an error in quotation marks,
    where it can only mean the formula, a warning without them; a form that was right when the text
    was written (三个自信 before 2016-07) is left alone."""
    text = ctx.text
    when = ctx.report_end or ((ctx.written, 1) if ctx.written else None)
    for f in numbered_formulas():
        at = text.find(f.words)
        while at != -1:
            m = f.regex.match(text, at - f.lead) if at >= f.lead else None
            at = text.find(f.words, at + 1)
            if m is None:
                continue
            written = m.group()
            if written == f.formula or any(t.start < m.end() and m.start() < t.end for t in taken):
                continue
            if written in f.earlier and (when is None or when < f.earlier[written]):
                continue
            quoted = text[m.start() - 1:m.start()] in "“‘「\"" and text[m.end():m.end() + 1] in "”’」\""
            if _defined_here(text, m.end() + quoted):
                continue  # “三个意识”（大局意识、责任意识、服务意识）: a formula of the text's own, spelt out
            if not quoted and f.context and not f.context.search(text[max(0, m.start() - 6):m.start()]):
                continue
            if not quoted and protected[m.start()]:
                continue  # an authority's words as issued: only errors there
            yield say("term.numbered-formula", m.start(), m.end(), f.formula,
                      case="quoted" if quoted else "plain", match=written, formula=f.formula, members=f.members)
