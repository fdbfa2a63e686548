"""Whose words a stretch of text is: the unit's own sentence, or words it quotes.

A report quotes authoritative texts (“习近平总书记指出：‘……’”, 《…》 titles as issued); a checker of the
unit's wording leaves those alone. This is a small stand-in for the document model's knowledge of
quotations (issue 20, family 5); it should be merged with that when it lands.
"""
from __future__ import annotations

import re

# A quotation that reports someone's words: opened right after a speech verb and its colon or comma.
_SPEECH = re.compile(r"(?:指出|强调|要求|说|讲|提出|批示|寄语|告诫|谈到|号召|明确)[：:，,]?\s*[“「]")
_BOOK = re.compile(r"《[^《》\n]{1,80}》")


def quoted(text: str) -> bytearray:
    """1 for every character inside a reported quotation or a 《…》 title, else 0."""
    marks = bytearray(len(text) + 1)
    for m in _BOOK.finditer(text):
        marks[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for m in _SPEECH.finditer(text):
        opener = m.end() - 1
        close = _closing(text, opener)
        if close is not None:
            marks[opener:close + 1] = b"\x01" * (close + 1 - opener)
    return marks


def _closing(text: str, opener: int) -> int | None:
    """The matching ” of the “ at `opener` (nested ‘’ and “” allowed), within its paragraph."""
    depth = 0
    pair = "”" if text[opener] == "“" else "」"
    for i in range(opener, min(len(text), opener + 2000)):
        ch = text[i]
        if ch == "\n":
            return None
        if ch == text[opener]:
            depth += 1
        elif ch == pair:
            depth -= 1
            if depth == 0:
                return i
    return None
