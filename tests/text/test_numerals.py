"""Chinese numerals read and written (core.text.numerals), the one home of 一…九十九, 百, 两, 〇."""
from __future__ import annotations

import pytest

from core.text.numerals import (
    ascii_digits,
    fullwidth_digits,
    parse_chinese,
    parse_digit_string,
    parse_number,
    to_chinese,
    to_chinese_digits,
)


@pytest.mark.parametrize("text,value", [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99), ("两", 2), ("〇", 0), ("零", 0),
    ("百", 100), ("一百零五", 105), ("一百一十", 110), ("三千五百", 3500), ("一万二千", 12000), ("万", 10000),
    ("", None), ("十十", None), ("一二", None), ("十百", None), ("一万万", None), ("十a", None)])
def test_parse_chinese(text, value):
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text,value", [("12", 12), ("１２", 12), ("十二", 12), ("０", 0), ("x", None),
                                        ("²", None)])
def test_parse_number_any_digits(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text,value", [("二〇二三", 2023), ("二零二四", 2024), ("2023", 2023), ("２０２３", 2023),
                                        ("二〇两三", None), ("二十", None), ("", None)])
def test_parse_digit_string(text, value):
    assert parse_digit_string(text) == value


@pytest.mark.parametrize("n,text", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (99, "九十九"),
                                    (100, "一百"), (105, "一百零五"), (110, "一百一十"), (999, "九百九十九"),
                                    (0, "0"), (1000, "1000")])
def test_to_chinese(n, text):
    assert to_chinese(n) == text


def test_round_trip_up_to_999():
    assert all(parse_chinese(to_chinese(n)) == n for n in range(1, 1000))


def test_digits():
    assert to_chinese_digits(2023) == "二〇二三"
    assert ascii_digits("第１２条") == "第12条"
    assert fullwidth_digits("12") == "１２"
