"""Chinese numerals and digits, read and written: the one place that knows 一…九十九, 百, 千, 万, 两, 〇/零,
full-width digits (１２) and Word's Chinese list numbers (十二, 一百零五, 二〇二三)."""
from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
# Written digits, by value: 〇 (not 零) is the digit of 二〇二三 and of Word's ideographDigital.
_WRITTEN = "〇一二三四五六七八九"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_TO_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def ascii_digits(text: str) -> str:
    """Full-width digits (１２) turned into ASCII ones; every other character kept."""
    return text.translate(_FULLWIDTH)


def fullwidth_digits(text: str) -> str:
    """ASCII digits turned into full-width ones (Word's decimalFullWidth)."""
    return text.translate(_TO_FULLWIDTH)


def parse_chinese(text: str) -> int | None:
    """一 → 1, 十二 → 12, 九十九 → 99, 两 → 2, 百 → 100, 一百零五 → 105, 三千五百 → 3500,
    一万二千 → 12000; None when it is not one number (一二, 十十, "")."""
    if not text:
        return None
    total, section, digit = 0, 0, None
    smallest = 10 ** 9  # within a section units must get smaller: 十十, 十百 are no numbers
    seen_wan = False
    for ch in text:
        if ch in DIGITS:
            if digit:  # two digits in a row (一二); a pending 零 only holds a place (一百零五)
                return None
            digit = DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            if unit == 10000:
                if seen_wan:
                    return None
                seen_wan = True
                section += digit or 0
                total = (section or 1) * unit
                section, smallest = 0, unit
            else:
                if unit >= smallest:
                    return None
                section += (1 if digit is None else digit) * unit
                smallest = unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def parse_number(text: str) -> int | None:
    """A number in ASCII, full-width or Chinese numerals: 12, １２, 十二 → 12; None if it is none."""
    text = ascii_digits(text)
    if text.isascii() and text.isdigit():
        return int(text)
    return parse_chinese(text)


def parse_digit_string(text: str) -> int | None:
    """Digits read one by one, as years are written: 二〇二三 → 2023, 2023 → 2023; None otherwise."""
    text = ascii_digits(text)
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    if all(ch in DIGITS and ch != "两" for ch in text):
        return int("".join(str(DIGITS[ch]) for ch in text))
    return None


def to_chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting, and the way
    headings and 一是/二是 are numbered); outside 1…999 the Arabic number."""
    if n <= 0 or n >= 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    if not hundreds:
        if not tens:
            return _WRITTEN[ones]
        return ("" if tens == 1 else _WRITTEN[tens]) + "十" + (_WRITTEN[ones] if ones else "")
    out = _WRITTEN[hundreds] + "百"
    if tens:
        out += _WRITTEN[tens] + "十"
    elif ones:
        out += "零"
    return out + (_WRITTEN[ones] if ones else "")


def to_chinese_digits(n: int) -> str:
    """2023 → 二〇二三: each digit written out (Word's ideographDigital, years)."""
    return "".join(_WRITTEN[int(d)] if d.isdigit() else d for d in str(n))
