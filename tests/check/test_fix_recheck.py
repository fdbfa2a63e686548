"""A suggestion must not produce a text the checker itself flags: every shipped example's fix, applied,
is checked again by the sentence-level rules, and nothing new may be found where the fix went
(以XJP同志为核心 fixed to 以习近平总书记同志为核心 would be: the fix is 以习近平同志为核心)."""
from __future__ import annotations

from core.check import examples as ex
from core.check.engine import check

# the rules that judge words and sentences: a fix there must not trip one of them
RULES = ["placeholder", "residue", "term", "typo", "outdated", "formulation", "punctuation", "grammar",
         "spelling", "body-name"]
# the straight-quote example holds one quote on purpose (each example is reported once): fixed alone it
# leaves an unclosed “, which the pair's other fix closes
ALONE_BY_DESIGN = {"punctuation.straight-quote"}


def _new_findings_at_fix(text: str, start: int, end: int, fix: str, report_type=None) -> list:
    fixed = text[:start] + fix + text[end:]
    before = {(f.message_id, text[f.start:f.end]) for f in check(text, report_type=report_type, rules=RULES).findings}
    lo, hi = start, start + len(fix)
    return [(f.message_id, fixed[f.start:f.end], f.suggestion)
            for f in check(fixed, report_type=report_type, rules=RULES).findings
            if f.start <= hi and f.end >= lo and (f.message_id, fixed[f.start:f.end]) not in before]


def test_no_examples_fix_makes_a_new_finding():
    bad = []
    for example in ex.shipped_examples():
        msg_id, fix = ex.expected(example)
        if "example" not in example.entry or fix is None or msg_id in ALONE_BY_DESIGN:
            continue
        text, spans = ex.marked_spans(ex.framed(example, example.entry["example"], example.entry.get("date")))
        if len(spans) != 1:
            continue
        found = _new_findings_at_fix(text, *spans[0], fix, example.entry.get("type"))
        if found:
            bad.append((example.where, found))
    assert bad == []


def test_an_abbreviation_before_tongzhi_is_fixed_to_the_canonical_formula():
    for text, fixed in (("坚持以 XJP 同志为核心的党中央坚强领导。", "坚持以习近平同志为核心的党中央坚强领导。"),
                        ("坚持以XJP同志为核心的党中央坚强领导。", "坚持以习近平同志为核心的党中央坚强领导。"),
                        ("坚持以 xjp 新时代中国特色社会主义思想为指导。", "坚持以习近平新时代中国特色社会主义思想为指导。"),
                        ("同以 xjp 为核心的党中央保持高度一致。", "同以习近平同志为核心的党中央保持高度一致。")):
        result = check(text, rules=RULES)
        assert len(result.findings) == 1, [(f.message_id, text[f.start:f.end]) for f in result.findings]
        assert ex.apply_suggestions(text, result.findings) == fixed
        assert check(fixed, rules=RULES).findings == []
