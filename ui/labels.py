"""What the window calls report types and periods: the type selector's names (from profiles.toml)
and the 时段 choices in menu order (the longest first). The words themselves live in core."""
from __future__ import annotations

from core import resources
from core.text.periods import PERIODS as _PERIOD_NAMES
from core.text.periods import period_months, stated_period

# "" (not None) means "detect from the title": None must never go through Qt item data (see panels.py)
TYPE_NAMES = {"": "自动识别", **resources.report_types()}
# 年度, 上半年, 下半年, 第一季度 … (sorted is stable: halves and quarters keep their order)
PERIODS = tuple(sorted(_PERIOD_NAMES, key=period_months, reverse=True))
# the status bar's 2023年第三季度 (2023年 when the report names no period)
period_text = stated_period
