"""字数 as WPS and Word count it for Chinese text."""
from __future__ import annotations

import re

# WPS/Word “字数”: every CJK character and full-width punctuation mark counts one, every run of
# Latin letters or digits (a word, a number such as 2024 or 98.5) counts one; spaces do not count.
# U+3000 (the ideographic space) is left out of the CJK range: it is a space and does not count.
_CJK = r"[\u2e80-\u2fff\u3001-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201d\u2026\u2014\U00020000-\U0003134f]"
_UNIT = re.compile(f"{_CJK}|[A-Za-z0-9]+(?:[.'’-][A-Za-z0-9]+)*|[^\\sA-Za-z0-9]")


def wps_word_count(text: str) -> int:
    # no branch of _UNIT matches a space, so every match counts
    return len(_UNIT.findall(text))
