"""Property tests: checking any text never raises, and every span lies inside the text."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS, read_fixture
from core.engine import check, excerpt, line_column

PIECES = ["一、", "（一）", "(一)", "1.", "1、", "（1）", "一是", "三是", "。", "，", "\n", "\r\n", "*", "××",
          "XX", "xjp", "##paidbegin##", "“", "”", "《", "》", "现将", "报告如下：", "存在问题", "下一步工作打算",
          "2023年", "第三季度", "全年召开", "召开党组会12次", "的的", "党的二十大", " ", "\u3000", "😀", "𠀀",
          "述责述廉报告", "情况通报", "书记", "廉洁自律", "\ufeff", "\t", "\x00"]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=60).map("".join)


def _assert_sane(text: str) -> None:
    result = check(text)
    doc_text = result.document.text
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(doc_text), f
        line, column = line_column(doc_text, f.start)
        assert line >= 1 and column >= 1
        excerpt(doc_text, f.start, f.end)
    for h in result.document.headings:
        assert 0 <= h.start <= h.marker_end <= h.title_end <= h.line_end <= len(doc_text)
    assert sum(item.count for item in result.checklist) == len(result.findings)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_checks_without_error(text):
    _assert_sane(text)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=4), st.integers(min_value=0, max_value=6000),
       st.integers(min_value=0, max_value=200), st.sampled_from(PIECES))
def test_edited_seed_checks_without_error(index, position, cut, insert):
    text = read_fixture(SEEDS[index])
    position = min(position, len(text))
    _assert_sane(text[:position] + insert + text[position + cut:])


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=4))
def test_applying_every_suggestion_keeps_the_text_checkable(index):
    from test_rule_examples import apply_suggestions

    text = read_fixture(SEEDS[index])
    result = check(text)
    fixed = apply_suggestions(result.document.text, result.findings)
    after = check(fixed)
    _assert_sane(fixed)
    fixable = {"residue", "term", "punctuation"}
    before_count = sum(1 for f in result.findings if f.rule in fixable)
    assert sum(1 for f in after.findings if f.rule in fixable) < max(before_count, 1)
