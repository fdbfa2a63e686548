"""Core offsets count code points; Qt counts UTF-16 units (two for a character beyond the BMP)."""
from __future__ import annotations

import re
from bisect import bisect_left

_WIDE = re.compile("[\U00010000-\U0010ffff]")


class PositionMap:
    def __init__(self, text: str):
        # a regex scan: a Python loop over every character cost 10 ms on each check of a long report
        self.wide = [m.start() for m in _WIDE.finditer(text)]
        # Qt positions of the wide characters, for the way back
        self.wide_qt = [i + n for n, i in enumerate(self.wide)]

    def to_qt(self, offset: int) -> int:
        return offset + bisect_left(self.wide, offset) if self.wide else offset

    def to_core(self, position: int) -> int:
        return position - bisect_left(self.wide_qt, position) if self.wide else position
