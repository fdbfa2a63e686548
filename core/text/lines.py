"""The primitives the document model and its hard-wrap detector share: lines, heading numbers, marks."""
from __future__ import annotations

import re

# Headings as users type them. Group "num" is the number, "punct" what follows it; the
# numbering rule judges the punctuation, the parser accepts every variant it may meet.
HEADING_PATTERNS = (
    (2, re.compile(r"[（(](?P<num>[一二三四五六七八九十]{1,3})[）)](?P<punct>[、，,.．]?)")),
    (4, re.compile(r"[（(](?P<num>[0-9０-９]{1,2})[）)](?P<punct>[、，,.．]?)")),
    (1, re.compile(r"(?P<num>[一二三四五六七八九十]{1,3})(?P<punct>[、，,.．])")),
    (3, re.compile(r"(?P<num>[0-9０-９]{1,2})(?P<punct>[.．、，,])(?![0-9０-９])")),
)
# A title printed over several lines ends with the genre word of the document it names.
GENRE_WORD = re.compile(
    r"(?:报告|通报|汇报|通知|意见|决定|决议|办法|规定|条例|方案|规划|纲要|复函|函|批复|公报|讲话|说明|请示|纪要|"
    r"建议|准则|细则|规则|公告|通告|章程|意见的通知|情况)$")
CLAUSE_PUNCT = re.compile(r"[，,。；;：:！？!?]")
SENTENCE_PUNCT = re.compile(r"[。；;！？!?]")


def match_heading(line: str):
    for level, pattern in HEADING_PATTERNS:
        m = pattern.match(line)
        if m:
            return level, m
    return None


def lines(text: str):
    """(start, end, content) of each line, content without the newline."""
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1
