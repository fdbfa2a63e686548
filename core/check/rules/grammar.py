"""Rule `grammar`: 语病 where the wording alone makes it certain — a sentence that never reaches its
main clause, a frame left open (以…为, 在…下), a verb with an object it does not take, 的/地/得 in the
wrong place, a function word doubled, a redundancy. Every family is a list of patterns with examples
in resources/rules/grammar.toml; only the unit's own sentences are judged (quotations are left alone).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from core import resources
from core.check.findings import SEVERITIES, Finding
from core.check.rules import Context, rule
from core.check.rules.messages import say
from core.text import segment

FILE = "rules/grammar.toml"


@dataclass(frozen=True)
class Pattern:
    id: str
    regex: re.Pattern
    replace: str | None
    message: str
    severity: str
    after: re.Pattern | None  # what must stand just before the match (tested on the text before it)


# A pattern is run over the whole text at once, and starts with the words it looks for so that the
# regex engine can skip ahead to them; what must stand before them (a sentence's start, a clause's
# start) is tested afterwards. A sentence pattern is written ^ … $ in the data: it must follow a line
# break or a sentence's end mark, and ends with its own mark.
_SENTENCE_START = re.compile(r"(?:^|[。！？])$", re.M)


@resources.data_cache
def patterns() -> tuple[Pattern, ...]:
    out = []
    for n, e in enumerate(resources.load(FILE).get("pattern", [])):
        where = f"{FILE} 第{n + 1}条"
        severity = e.get("severity", "warning")
        if severity not in SEVERITIES:
            raise resources.ResourceError(f"{where}：级别 “{severity}” 无效")
        source = e["pattern"]
        after = None
        if e.get("scope") == "sentence":
            if not (source.startswith("^") and source.endswith("$")):
                raise resources.ResourceError(f"{where}：scope = \"sentence\" 的正则应以 ^ 开头、以 $ 结尾")
            source, after = source[1:-1], _SENTENCE_START
        elif e.get("after"):
            after = re.compile(resources.compile_pattern(e["after"], where).pattern + "$", re.M)
        regex = resources.compile_pattern(source, where)
        out.append(Pattern(e["id"], regex, e.get("replace"), e["message"], severity, after))
    return tuple(out)


def _span(m: re.Match) -> tuple[int, int]:
    """The group named `at` when the pattern has one (the words to change), else the whole match."""
    if "at" in m.re.groupindex and m.group("at") is not None:
        return m.span("at")
    return m.span()


@rule("grammar")
def check_grammar(ctx: Context):
    text = ctx.text
    # the unit's own sentences: body paragraphs (not the title, headings or 落款), not quotations
    judged = bytearray(len(text) + 1)
    for p in ctx.doc.body_paragraphs:
        judged[p.start:p.end] = b"\x01" * (p.end - p.start)
    marks = ctx.quoted()
    taken = bytearray(len(text) + 1)
    findings: list[Finding] = []
    for entry in patterns():
        for m in entry.regex.finditer(text):
            start, end = _span(m)
            if start == end or not judged[m.start()] or not judged[end - 1] or marks[start] or any(taken[start:end]):
                continue
            if entry.after is not None and not entry.after.search(text, max(0, m.start() - 4), m.start()):
                continue
            taken[start:end] = b"\x01" * (end - start)
            suggestion = m.expand(entry.replace) if entry.replace is not None else None
            findings.append(Finding("grammar", entry.severity,
                                    entry.message.format(match=text[start:end], suggestion=suggestion or ""),
                                    start, end, suggestion, f"grammar.{entry.id}"))
    findings.extend(no_predicate(ctx.doc, judged, marks, taken))
    findings.sort(key=lambda f: f.start)
    return findings


@resources.data_cache
def _parts_of_speech() -> tuple[frozenset[str], frozenset[str]]:
    """(verbs, other words that build a clause) from resources/rules/pos.txt (tests/tools/build_pos.py)."""
    verbs: set[str] = set()
    others: set[str] = set()
    for row in resources.iter_table_rows("rules/pos.txt"):
        if row[0] == "v" and len(row) == 2:
            verbs.add(row[1])
        elif row[0] == "x" and len(row) == 2:
            others.add(row[1])
    return frozenset(verbs), frozenset(others)


def prepare() -> None:
    """Read the parts of speech now rather than in the first check that needs them."""
    _parts_of_speech()


# A sentence of a paragraph, short, with no number, quotation or bracket in it
# (a list of counts, a quoted name or a gloss is often verbless on purpose).
_SENTENCES = re.compile(r"[^。！？]+[。！？]?")  # the sentences of a paragraph, each with its end mark
_NOT_PLAIN = re.compile(r"[；：\n0-9０-９“”\"《》（）()]")
_COUNTED = re.compile("[一二两三四五六七八九十百千万几]+[个次项名人件条期批家场篇起处位种]")
_TOKENS = re.compile(r"[\u4e00-\u9fff]+|、")
_JOINING = frozenset({"的", "和", "与", "及", "以及", "、"})


def no_predicate(doc, judged, marks, taken) -> list[Finding]:
    """A sentence that is only a noun phrase, “……的……”（全体党员干部的纪律意识和规矩意识。）: its verb was
    lost in editing. Told by parts of speech (jieba's dictionary): no word before the first 的 may be a
    verb, an adjective, an adverb, a preposition, a pronoun or an idiom, and after it a verb may only
    stand right after 的 or a joining word (的培养使用 is a noun)."""
    verbs, clause = _parts_of_speech()
    if not verbs or not segment.available():
        return []
    def verbish(word: str) -> bool:
        return (word in verbs or word in clause or (len(word) > 1 and word.endswith("化"))
                or any(word[a:a + n] in verbs for n in (2, 3) if len(word) > n for a in range(len(word) - n + 1)))

    found = []
    for p in doc.body_paragraphs:
        for m in _SENTENCES.finditer(p.text):
            sentence = m.group()
            if not 7 <= len(sentence) <= 41 or sentence[-1] != "。":
                continue
            body = sentence[:-1]
            if "的" not in body or _NOT_PLAIN.search(body) or _COUNTED.search(body):
                continue
            start, end = p.start + m.start(), p.start + m.end()
            if not judged[start] or marks[start] or any(taken[start:end]):
                continue
            # most sentences have a verb before their first 的: that part alone settles them
            if any(verbish(w) for run in _TOKENS.findall(body[:body.index("的")]) if run != "、"
                   for w in segment.path(run)):
                continue
            words = [w for run in _TOKENS.findall(body) for w in (segment.path(run) if run != "、" else ["、"])]
            if "的" not in words or not any(len(w) > 1 for w in words):
                continue
            first = words.index("的")
            if any(verbish(w) for w in words[:first]):
                continue
            if any(w in clause or (verbish(w) and words[k - 1] not in _JOINING)
                   for k, w in enumerate(words[first + 1:], first + 1)):
                continue
            found.append(say("grammar.no-predicate", start, end, None, sentence=sentence))
    return found
