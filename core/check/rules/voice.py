"""Words that are not the unit's own phrasing, for the wording rules (formulation, grammar, consistency).

The document model knows which words are quoted from an authoritative text (Document.quoted_mask,
core/text/voice.py: a quotation after 习近平…指出：, reported speech, a whole 党代会 report). These rules
also leave alone any reported quotation (someone 说：“……”) and 《…》 titles as issued, whoever wrote them.
"""
from __future__ import annotations

import re

# A quotation that reports someone's words: opened right after a speech verb and its colon or comma.
_SPEECH = re.compile(r"(?:指出|强调|要求|说|讲|提出|批示|寄语|告诫|谈到|号召|明确)[：:，,]?\s*[“「]")
_BOOK = re.compile(r"《[^《》\n]{1,80}》")


def quoted(doc) -> bytearray:
    """1 for every character quoted from an authoritative text, inside a reported quotation or a
    《…》 title, else 0 (one byte per character of doc.text, and one more)."""
    text = doc.text
    marks = bytearray(doc.quoted_mask())
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
