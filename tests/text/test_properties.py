"""Property tests: checking any text never raises, and every span lies inside the text."""
from __future__ import annotations

from helpers import SEEDS, read_fixture
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.check.engine import check, excerpt, line_column

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


# --- the statistics extractor, fixes, comparison and batch review over any text ---------------

@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_extracted_counts_point_into_the_text(text):
    result = check(text)
    doc_text = result.document.text
    for item in result.stats:
        assert 0 <= item.sentence_start <= item.start <= item.end <= len(doc_text), item
        assert item.start <= item.number_start < item.number_end <= item.end, item
        assert doc_text.startswith(item.sentence, item.sentence_start)
        assert (item.value is None) == item.placeholder
        assert item.value is None or item.value >= 0
        assert item.measure in doc_text[item.number_end:item.end + 2]


FIXABLE_PIECES = PIECES + ["xjp", "一岗两责", "二十大", "十九大", "，，", "(", ")", "?", ";", ",", "\"", "##paidend##",
                           "https://example.com/a", "党风廉政建设和反腐败斗争", "布署", "的的"]
fixable_texts = st.lists(st.one_of(st.sampled_from(FIXABLE_PIECES), st.text(max_size=6)), max_size=50).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fixable_texts)
def test_fixes_keep_the_text_valid_and_settle(text):
    """Applying every suggestion gives a text that checks cleanly, and fixing again never undoes a
    fix (no two suggestions turn a text back and forth)."""
    from test_rule_examples import apply_suggestions

    first = check(text)
    once = apply_suggestions(first.document.text, first.findings)
    _assert_sane(once)
    second = check(once)
    twice = apply_suggestions(once, second.findings)
    _assert_sane(twice)
    suggestions = {(f.rule, f.suggestion) for f in first.findings if f.suggestion}
    for f in second.findings:
        if f.suggestion is not None:
            assert (f.rule, once[f.start:f.end]) not in suggestions, (f, once[f.start:f.end])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, texts)
def test_comparison_spans_lie_in_both_texts(old, new):
    from core.check.compare import PreviousReport

    previous = PreviousReport(old)
    result = check(new, previous=previous)
    comparison = result.comparison
    assert 0.0 <= comparison.share <= 1.0
    new_text, old_text = result.document.text, previous.document.text
    for r in comparison.reused:
        assert 0 <= r.start < r.end <= len(new_text) and 0 <= r.old_start < r.old_end <= len(old_text)
        assert 0.0 < r.similarity <= 1.0
    for p in comparison.promises:
        assert 0 <= p.start <= p.end <= len(old_text)
        assert p.evidence is None or 0 <= p.evidence[0] <= p.evidence[1] <= len(new_text)
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(new_text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_batch_review_of_any_text(text):
    from core.review.batch import review_text

    review = review_text(text, "任意.txt")
    assert 0 <= review.score <= 100
    assert review.answered <= review.problems
    assert len(review.findings) == review.errors + review.warnings + review.infos
