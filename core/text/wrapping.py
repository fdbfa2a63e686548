"""Hard wrapping: text copied from a PDF or a web page may keep the source's line breaks, a break every
N characters wherever the line was full ("又查找了不⏎足，体现了……"). Such a line is no paragraph and no cut
sentence: `find_hard_wraps` finds the newlines that break them, and the document model (core.text.document)
joins their lines into paragraphs (Document.soft_breaks)."""
from __future__ import annotations

import re
import unicodedata

from core import resources
from core.text.lines import CLAUSE_PUNCT, GENRE_WORD, SENTENCE_PUNCT, lines, match_heading

# Text copied from a PDF or a web page may keep the source's line breaks: a break every N characters,
# wherever the line was full ("又查找了不⏎足，体现了……"). Such a line is no paragraph and no cut sentence.
# Signs: lines of one width (within a band) that end without a closing mark, one after another, and at
# most breaks the words or the clause run on across the line end (a dictionary word spans it, the next
# line starts with a mark, the line ends in a comma or a function word). One isolated break of a
# paragraph, or lines of one width that are each complete (a list of subheads), is not hard wrapping.

# a line ending so may end its paragraph: never joined (a note in brackets too: （请填写……）, （略）); a line
# may stop mid-sentence on 》 or on a closing quote with no full stop inside it
_WRAP_END = "。！？；：…—!?;:）)】〕"
_CONTINUES_WITH = "，。、；：！？）)】》”’…,.;:!?"  # a line starting with one of these goes on the last


def _width(line: str) -> int:
    """Columns the line takes in a monospaced view: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@resources.data_cache
def _wrap_config() -> dict:
    cfg = resources.load("rules/sentences.toml").get("lines", {})
    return {"min_width": cfg.get("hard_wrap_min_width", 24), "band": cfg.get("hard_wrap_band", 4),
            "min_lines": cfg.get("hard_wrap_min_lines", 3), "share": cfg.get("hard_wrap_evidence_share", 0.5),
            "cut_endings": resources.load("rules/sentences.toml").get("truncated", {}).get(
                "cut_endings", "的和与及在对把被将等了是")}


def _runs_on(line: str, following: str, cut_endings: str) -> bool:
    """The break between `line` and `following` falls inside a clause or a word."""
    if line[-1] in "，,、" or following[0] in _CONTINUES_WITH or line[-1] in cut_endings:
        return True
    if SENTENCE_PUNCT.search(line):
        return True  # a sentence ends inside the line and the next one stops short at its end: prose
    from core.text import segment  # deferred: jieba's dictionary, needed only for a text with such lines

    if not segment.available():
        return False
    tail, head = line[-3:], following[:3]
    return any(segment.is_word(tail[-i:] + head[:j]) for i in range(1, len(tail) + 1)
               for j in range(1, len(head) + 1) if 2 <= i + j <= 4 and _CJK_ONLY.match(tail[-i:] + head[:j]))


_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")


def _starts_paragraph(line: str, following: str) -> bool:
    """The next line starts a paragraph of its own: it is numbered like a heading (一、 （二） 3.), unless
    the number only continues the line ("……位居全省第⏎三，全市第一")."""
    found = match_heading(following)
    return bool(found) and line[-1] != "第" and found[1].group("punct") not in ("，", ",")


def find_hard_wraps(text: str) -> tuple[tuple[int, ...], int]:
    """(offsets of the newlines that break hard-wrapped lines, the wrap width in columns); ((), 0) when
    the text is not hard-wrapped."""
    cfg = _wrap_config()
    rows = list(lines(text))
    candidates = []  # (index, width): lines that may have been broken where they were full
    headings = set()  # those of them that are a numbered heading's own line
    for n, (_s, _e, raw) in enumerate(rows[:-1]):
        line, following = raw.rstrip(" \t\u3000\xa0"), rows[n + 1][2]
        if (not line.strip() or line[-1] in _WRAP_END or line[-2:-1] in _WRAP_END and line[-1] in "”’」』"
                or not following.strip()
                or following[:1] in " \t\u3000\xa0" or _starts_paragraph(line, following)):
            continue  # a blank, a line that may end its paragraph, or the next one starting a new one
        width = _width(line)
        if width >= cfg["min_width"]:
            candidates.append((n, width))
            if (found := match_heading(line.lstrip(" \t\u3000\xa0"))) and not SENTENCE_PUNCT.search(
                    line[found[1].end():]):
                headings.add(n)
    if len(candidates) < cfg["min_lines"]:
        return (), 0
    band = cfg["band"]
    widths = sorted(w for _, w in candidates)
    # the band of widths that holds the most candidates (the widest one on a tie)
    low, most, top = 0, 0, 0
    for bottom, w in enumerate(widths):
        while widths[top] - w < 0 or (top + 1 < len(widths) and widths[top + 1] <= w + band):
            top += 1
        if top - bottom + 1 >= most:
            low, most = w, top - bottom + 1
    high = low + band
    wrapped = []
    for n, width in candidates:
        following = rows[n + 1][2].rstrip(" \t\u3000\xa0")
        # in hard-wrapped text every line is at most the wrap width: a long next line is a paragraph
        if not low <= width <= high or _width(following) > high + 2:
            continue
        # a heading's title runs on only into a short tail, not into its paragraph (itself wrapped, so as
        # wide as the rest)
        if n in headings and (_width(following) >= low or SENTENCE_PUNCT.search(following[:-1])):
            continue
        line = rows[n][2].rstrip(" \t\u3000\xa0")
        # a title as wide as the lines, ending with its genre word, ends there: it runs on only where the
        # break itself splits a word (……情况的报⏎告)
        if (not CLAUSE_PUNCT.search(line) and GENRE_WORD.search(line)
                and not _runs_on(line, following, cfg["cut_endings"])):
            continue
        wrapped.append(n)
    # a few lines of one width, none running on over two breaks, are single cut sentences, not wrapping
    if len(wrapped) < cfg["min_lines"] or (len(wrapped) < 2 * cfg["min_lines"]
                                           and not any(b == a + 1 for a, b in zip(wrapped, wrapped[1:]))):
        return (), 0
    evidence = sum(_runs_on(rows[n][2].rstrip(" \t\u3000\xa0"), rows[n + 1][2], cfg["cut_endings"])
                   for n in wrapped)
    if evidence < cfg["share"] * len(wrapped):
        return (), 0
    return tuple(rows[n][1] for n in wrapped), high


def logical_lines(text: str, soft_breaks: tuple[int, ...]):
    """(start, end, content) of each line, hard-wrapped lines joined: their content keeps the newline."""
    if not soft_breaks:
        yield from lines(text)
        return
    soft = set(soft_breaks)
    start = None
    for s, e, _raw in lines(text):
        start = s if start is None else start
        if e in soft:
            continue
        yield start, e, text[start:e]
        start = None
