"""Report periods (core.text.periods): names, the period a title names, spans, end months, and the
full 报告期 read, written and sorted."""
from __future__ import annotations

import pytest

from core.text.periods import (
    PERIODS,
    find_period,
    format_period,
    next_period,
    parse_period,
    period_end,
    period_months,
    period_name,
    period_sort_key,
    span_words,
    year_period,
)


@pytest.mark.parametrize("text,period", [
    ("2024年第三季度落实主体责任情况报告", "第三季度"), ("2024年第3季度", "第三季度"), ("第４季度", "第四季度"),
    ("2024年上半年工作报告", "上半年"), ("2024年度述责述廉报告", "年度"), ("2024年落实情况", "年度"),
    ("2024年3月工作", None), ("关于落实主体责任的报告", None)])
def test_find_period(text, period):
    assert find_period(text) == period


def test_lengths_and_end_months():
    assert [period_months(p) for p in PERIODS] == [3, 3, 3, 3, 6, 6, 12]
    assert period_months(None) == 12
    assert period_end(2024, "第三季度") == (2024, 9)
    assert period_end(2024, None) == (2024, 12)
    assert period_end(None, "上半年") is None


def test_next_and_span():
    assert next_period("第三季度", 2024) == "第四季度"
    assert next_period("上半年", 2024) == "下半年"
    assert next_period("第四季度", 2024) == next_period("年度", 2024) == "2025年"
    assert [span_words(p) for p in ("年度", "上半年", "第二季度")] == ["全年", "上半年", "本季度"]
    assert year_period(2024, "年度") == year_period(2024, None) == "2024年度"
    assert year_period(2024, "第一季度") == "2024年第一季度"


@pytest.mark.parametrize("text,parsed", [
    ("2023年第三季度", (2023, 4, 3)), ("2023年三季度", (2023, 4, 3)), ("2023Q3", (2023, 4, 3)),
    ("2023年上半年", (2023, 2, 1)), ("2023年1-6月", (2023, 2, 1)), ("2023年7—9月", (2023, 4, 3)),
    ("2023年度", (2023, 1, 1)), ("2023年", (2023, 1, 1)), ("2023年全年", (2023, 1, 1)),
    ("2023年3月", (2023, 12, 3)), ("2023年十二月", (2023, 12, 12)), ("二〇二三年第一季度", (2023, 4, 1)),
    ("２０２３年度", (2023, 1, 1)), ("2023年13月", None), ("1899年度", None), ("第三季度", None), (None, None)])
def test_parse_period(text, parsed):
    assert parse_period(text) == parsed


def test_format_round_trip():
    for parts in (1, 2, 4, 12):
        for index in range(1, parts + 1):
            text = format_period(2024, parts, index)
            assert parse_period(text) == (2024, parts, index)
    assert period_name(4, 2) == "第二季度"
    with pytest.raises(ValueError):
        format_period(2024, 3, 1)


def test_sort_key_is_chronological():
    texts = ["2024年度", "2024年下半年", "2024年第四季度", "2024年第三季度", "2024年上半年",
             "2024年第二季度", "2024年第一季度", "2024年3月", "2023年度", "未知"]
    assert sorted(texts, key=period_sort_key) == [
        "2023年度", "2024年3月", "2024年第一季度", "2024年第二季度", "2024年上半年", "2024年第三季度",
        "2024年第四季度", "2024年下半年", "2024年度", "未知"]
