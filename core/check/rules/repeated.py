"""A word of two to four characters typed twice (氛围氛围): part of rule `typo`."""
from __future__ import annotations

import re

from core import resources
from core.check.findings import Finding
from core.check.rules.messages import say
from core.text import segment

_REPEATED = re.compile(r"([\u4e00-\u9fff]{2,4}?)\1+")  # every further copy too: the fix keeps one


def _repeated_matches(text: str):
    """The matches of _REPEATED, as its finditer gives them, found quicker: it is tried only where two
    characters come again two to four places on (`_echoes`), not at each of the text's characters."""
    places = _echoes(text)
    if places is None:
        yield from _REPEATED.finditer(text)
        return
    pos = 0
    for at in places:
        if at >= pos:
            m = _REPEATED.match(text, at)
            if m is not None:
                yield m
                pos = m.end()


def _echoes(text: str) -> list[int] | None:
    """Sorted places i where text[i:i + 2] == text[i + n:i + n + 2] for n = 2, 3 or 4 (None for a
    text with characters beyond the Basic Multilingual Plane). The text's UTF-16 as one integer
    XORed with itself shifted by n characters is zero exactly where a character equals the one n
    places on; two such zeros side by side are looked for as bytes."""
    raw = text.encode("utf-16-le", "surrogatepass")
    if len(raw) != 2 * len(text):
        return None
    whole = int.from_bytes(raw, "little")
    found: set[int] = set()
    for n in (2, 3, 4):
        differ = whole ^ (whole >> (16 * n))
        differ |= differ >> 16  # zero where this character and the next both come again
        flat = differ.to_bytes(len(raw), "little")
        end = 2 * (len(text) - n - 1)  # pairs whose copy lies inside the text
        at = flat.find(b"\0\0", 0, end)
        while at != -1:
            if not at & 1:  # a character's two bytes, not the halves of two
                found.add(at >> 1)
            at = flat.find(b"\0\0", at + 1, end)
    return sorted(found)


_NUMERAL_WORD = re.compile(r"^[一二三四五六七八九十两几每][\u4e00-\u9fff]$")
_CLAUSE_EDGE = "，。；：！？、,.;:!?\n"


@resources.data_cache
def repeated_exceptions() -> frozenset[str]:
    return frozenset(resources.load("rules/typos.toml").get("repeated", {}).get("exceptions", []))


@resources.data_cache
def _deliberate() -> tuple[str, str, str]:
    data = resources.load("rules/typos.toml").get("repeated", {})
    return data.get("deliberate_numerals", ""), data.get("measure_words", ""), data.get("degree_adverbs", "")


def deliberate_repetition(text: str, m: re.Match) -> bool:
    """A repetition made on purpose: one by one (一个领域一个领域, 一项一项, 大笔大笔), for emphasis
    (太多太多), a saying in quotation marks (“关心关心”), or a word repeated as a clause of its own
    (公仆公仆，一要为公……)."""
    word = m.group(1)
    numerals, measures, adverbs = _deliberate()
    if len(word) >= 2 and word[0] in numerals and word[1] in measures:
        return True
    if word[0] in adverbs:
        return True
    before = text[m.start() - 1] if m.start() else "\n"
    after = text[m.end()] if m.end() < len(text) else "\n"
    if before in _CLAUSE_EDGE and after in _CLAUSE_EDGE:
        return True
    if len(word) == 2:
        line_start = text.rfind("\n", 0, m.start()) + 1
        opened = text.count("“", line_start, m.start()) > text.count("”", line_start, m.start())
        if opened:
            return True  # reported speech: 请托他“关心关心”
    return False


def repeated_words(text: str) -> list[Finding]:
    """A word of two to four characters typed twice (氛围氛围): three or four characters repeated
    are certainly a slip; two may be a spoken reduplication (研究研究, 一个一个), so a warning."""
    findings = []
    exceptions = repeated_exceptions()
    for m in _repeated_matches(text):
        word = m.group(1)
        if m.group() in exceptions or _NUMERAL_WORD.match(word) or len(set(word)) == 1:
            continue  # 一个一个, 一步一步; 哈哈哈哈 is one character doubled, another rule's job
        if deliberate_repetition(text, m):
            continue
        if len(word) == 2:
            # 党组织组织生活: the first copy ends a longer word (党组织), the second starts one (组织生活);
            # 产业创业创新: the "word" repeated is no word at all
            if not segment.available():
                continue
            before, after = text[m.start() - 1:m.start()] if m.start() else "", text[m.end():m.end() + 1]
            if (before and segment.is_word(before + word)) or (after and segment.is_word(word + after)):
                continue
            if not segment.is_word(word):
                continue
        elif not _on_word_boundaries(text, m, len(word)):
            continue  # 对接受人接受人体器官: 接受人 | 接受 | 人体 — the second copy ends inside a word
        findings.append(say("typo.repeated", m.start(), m.end(), word,
                            case="longer" if len(word) >= 3 else "two-chars", word=word))
    return findings


def _on_word_boundaries(text: str, m: re.Match, size: int) -> bool:
    """Every copy of a repeated span of three or four characters starts and ends where jieba's
    segmentation of its clause puts a word boundary: a real doubling (主体责任主体责任), not two
    words that happen to repeat characters across a boundary. Without segmentation: no claim."""
    if not segment.available():
        return False
    lo = max((text.rfind(c, 0, m.start()) for c in _CLAUSE_EDGE), default=-1) + 1
    lo = max(lo, m.start() - 30)
    hi = min((i for i in (text.find(c, m.end()) for c in _CLAUSE_EDGE) if i != -1), default=len(text))
    hi = min(hi, m.end() + 30)
    cuts, pos = {lo}, lo
    for token in segment.ensure_loaded().lcut(text[lo:hi], HMM=False):
        pos += len(token)
        cuts.add(pos)
    return all(at in cuts for at in range(m.start(), m.end() + 1, size))
