"""What the window calls report types and periods: the type selector's names, the 时段 choices,
and "2023年第三季度" as the status bar writes it."""
from __future__ import annotations

# "" (not None) means "detect from the title": None must never go through Qt item data (see panels.py)
TYPE_NAMES = {"": "自动识别", "zhuti": "主体责任落实情况报告", "diyi": "第一责任人履责报告",
              "shuze": "述责述廉报告", "tongbao": "情况通报"}
PERIODS = ("年度", "上半年", "下半年", "第一季度", "第二季度", "第三季度", "第四季度")


def period_text(year: int | None, period: str | None) -> str:
    """2023年度, 2023年第三季度, 2023年 (no "2023年年度")."""
    if year is None:
        return period or ""
    if period in (None, "", "年度"):
        return f"{year}年度" if period == "年度" else f"{year}年"
    return f"{year}年{period}"
