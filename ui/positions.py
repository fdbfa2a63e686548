"""Core offsets count code points; Qt counts UTF-16 units (two for a character beyond the BMP)."""
from __future__ import annotations

from bisect import bisect_left


class PositionMap:
    def __init__(self, text: str):
        self.wide = [] if text.isascii() else [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # Qt positions of the wide characters, for the way back
        self.wide_qt = [i + n for n, i in enumerate(self.wide)]

    def to_qt(self, offset: int) -> int:
        return offset + bisect_left(self.wide, offset) if self.wide else offset

    def to_core(self, position: int) -> int:
        return position - bisect_left(self.wide_qt, position) if self.wide else position
