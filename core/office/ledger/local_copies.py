"""The ledger's own copies of helpers that are becoming shared, kept together so that each can be
swapped for an import: Chinese numerals and 报告期 parsing (→ core/text/numerals.py and
core/text/periods.py) and the atomic save (→ core/files' atomic writer)."""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import unicodedata
from pathlib import Path

from core.files.drafts import replace_with_retry
from core.office.ledger.schema import LedgerError
from core.office.ledger.workbook_io import lock_file, os_reason, quoted

#
# parse_period returns (year, parts, index): ``parts`` is how many such periods make up a year and
# ``index`` which one it is, 1-based. So 年度 is (y, 1, 1), 上半年 (y, 2, 1), 下半年 (y, 2, 2),
# 第三季度 (y, 4, 3) and 3月 (y, 12, 3). The months a period covers follow from that alone:
# (index - 1) * 12 // parts + 1 … index * 12 // parts, and a period (y, q, j) lies inside (y, p, i)
# whenever q is a multiple of p and j falls in the right block, which is what the 汇总 check of
# "do the quarters add up to the year" uses.

KIND_YEAR, KIND_HALF, KIND_QUARTER, KIND_MONTH = 1, 2, 4, 12
_CN_NUM = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_CN_ORDINAL = ("一", "二", "三", "四")
_NUM = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"
_YEAR_RE = re.compile(r"^(\d{4}|[〇零一二三四五六七八九]{4})(.*)$")
_QUARTER_RE = re.compile(r"^(?:第?([一二三四1-4])季度?|[Qq]([1-4]))$")
_MONTH_RE = re.compile(rf"^({_NUM})月份?$")
_RANGE_RE = re.compile(rf"^({_NUM})月?[-－—–~～至到]({_NUM})月份?$")
_RANGE_KINDS = {(1, 12): (1, 1), (1, 6): (2, 1), (7, 12): (2, 2), (1, 3): (4, 1), (4, 6): (4, 2),
                (7, 9): (4, 3), (10, 12): (4, 4)}


def _small_int(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十") and len(text) == 2 and text[1] in _CN_NUM:
        return 10 + _CN_NUM[text[1]]
    if len(text) == 1 and text in _CN_NUM:
        return _CN_NUM[text]
    return None


def parse_period(period: str) -> tuple[int, int, int] | None:
    """Decompose a 报告期 into ``(year, parts, index)``; None when it is not one this knows.

    ``parts`` is how many such periods make a year (1 年度, 2 半年, 4 季度, 12 月) and ``index``
    which one (1-based): ``2023年第三季度`` → (2023, 4, 3), ``2023年上半年`` → (2023, 2, 1),
    ``2023年度`` / ``2023年`` / ``2023年全年`` → (2023, 1, 1), ``2023年3月`` → (2023, 12, 3).
    Also read: 三季度, 第3季度, Q3, 1-6月, 7—9月, full-width digits, 二〇二三年. Sort chronologically
    with :func:`period_sort_key`, and write the canonical form back with :func:`format_period`.
    """
    if not isinstance(period, str):
        return None
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", period))
    m = _YEAR_RE.match(text)
    if not m:
        return None
    year_text, rest = m.groups()
    year = int(year_text) if year_text.isdigit() else int("".join(str(_CN_NUM[c]) for c in year_text))
    if not 1900 <= year <= 2999:
        return None
    if rest.startswith("年"):
        rest = rest[1:]
    if rest in ("", "度", "年度", "全年", "全年度", "全年度的"):
        return year, KIND_YEAR, 1
    if rest in ("上半年", "上半年度", "上半"):
        return year, KIND_HALF, 1
    if rest in ("下半年", "下半年度", "下半"):
        return year, KIND_HALF, 2
    m = _QUARTER_RE.match(rest)
    if m:
        q = m.group(1) or m.group(2)
        return year, KIND_QUARTER, (_CN_ORDINAL.index(q) + 1) if q in _CN_ORDINAL else int(q)
    m = _MONTH_RE.match(rest)
    if m:
        month = _small_int(m.group(1))
        return (year, KIND_MONTH, month) if month and 1 <= month <= 12 else None
    m = _RANGE_RE.match(rest)
    if m:
        a, b = _small_int(m.group(1)), _small_int(m.group(2))
        if a is not None and a == b and 1 <= a <= 12:
            return year, KIND_MONTH, a
        kind = _RANGE_KINDS.get((a, b))
        if kind:
            return year, *kind
    return None


def format_period(year: int, parts: int, index: int) -> str:
    """The canonical 报告期 text of a :func:`parse_period` result: 2023年第三季度, 2023年上半年,
    2023年下半年, 2023年度, 2023年3月."""
    if parts == KIND_YEAR:
        return f"{year}年度"
    if parts == KIND_HALF:
        return f"{year}年{'上' if index == 1 else '下'}半年"
    if parts == KIND_QUARTER:
        return f"{year}年第{_CN_ORDINAL[index - 1]}季度"
    if parts == KIND_MONTH:
        return f"{year}年{index}月"
    raise ValueError(f"未知的报告期类型：{parts}")


def period_sort_key(period: str) -> tuple:
    """Chronological sort key: by year, then by the month the period ends in, the shorter period
    first when two end together (3月, 第一季度, 第二季度, 上半年, 第三季度, 第四季度, 下半年, 年度).
    Periods this cannot read sort after all others, by their text."""
    parsed = parse_period(period)
    if parsed is None:
        return (1, 0, 0, 0, str(period))
    year, parts, index = parsed
    return (0, year, index * 12 // parts, -parts, "")


def period_label(parts: int, index: int) -> str:
    """The part of a period's name after the year: 第三季度, 上半年, 3月, 年度."""
    return format_period(2000, parts, index)[5:] if parts != KIND_YEAR else "年度"


def save_atomically(wb, path: Path, existed: bool) -> None:
    folder = path.parent
    tmp = None
    try:
        for _attempt in range(20):
            candidate = folder / f".{path.stem}.{secrets.token_hex(4)}.tmp.xlsx"
            try:
                fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            except FileExistsError:
                continue
            tmp = candidate
            break
        else:
            raise LedgerError(f"无法写入台账{quoted(path)}：无法在所在文件夹中创建临时文件。", path)
        with os.fdopen(fd, "wb") as handle:
            wb.save(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if existed:
            with contextlib.suppress(OSError):
                os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        if lock_file(path) is not None:  # opened in Excel while we were working
            raise LedgerError(f"无法写入台账{quoted(path)}：该文件刚刚在Excel、WPS或LibreOffice中被打开，请关闭后重试。", path)
        replace_with_retry(tmp, path)
        tmp = None
    except LedgerError:
        raise
    except PermissionError:
        raise LedgerError(f"无法写入台账{quoted(path)}：文件正被其他程序（如Excel、WPS）占用，或没有写入权限，"
                          f"请关闭打开它的程序后重试。", path) from None
    except OSError as exc:
        raise LedgerError(f"无法写入台账{quoted(path)}：{os_reason(exc)}，原文件未改动。", path) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.remove(tmp)
