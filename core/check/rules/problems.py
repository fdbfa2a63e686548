"""problem-depth and problem-measure: are the problems real, and is each one answered?"""
from __future__ import annotations

import re
from dataclasses import dataclass

from core import resources
from core.check.parts import PartLocation
from core.check.rules import Context, rule
from core.check.rules.messages import say
from core.text import segment
from core.text.document import ENUMERATION, Document


@dataclass(frozen=True)
class Item:
    """One problem or one measure: its short title and the whole text, with the span."""
    title: str
    text: str
    start: int
    end: int
    title_end: int
    kind: str = "paragraph"  # "heading" | "enumeration" | "paragraph" | "sentence": how it was delimited


def items_of(doc: Document, loc: PartLocation | None) -> list[Item]:
    """Split a problems or plan part into items: subheadings, else 一是/二是, else paragraphs."""
    if loc is None or not loc.found:
        return []
    if loc.closing:
        return [Item(s.text, s.text, s.start, s.end, s.end, "sentence") for s in loc.closing]
    items: list[Item] = []
    for start, end in loc.spans:
        items.extend(_items_in(doc, start, end, loc.part.headings))
    return items


@dataclass(frozen=True)
class _Piece:
    """A paragraph, or the part of one inside a span (an inline part starts mid-paragraph)."""
    start: int
    end: int
    text: str


def _items_in(doc: Document, start: int, end: int, names) -> list[Item]:
    inner = [h for h in doc.headings if start < h.start < end]
    if inner:
        level = min(h.level for h in inner)
        top = [h for h in inner if h.level == level]
        # "三、存在问题" → "（一）存在不足" → 1.…5.: the problems are the items of the sub-part
        named = [h for h in top if any(p.search(h.title) for p in names)
                 and any(start < x.start < h.section_end and x.level > h.level for x in inner)]
        if len(named) == 1 and len(top) <= 2:
            h = named[0]
            return _items_in(doc, h.start, min(h.section_end, end), names)
        return [Item(h.title, doc.text[h.marker_end:min(h.section_end, end)].strip(), h.start,
                     min(h.section_end, end), h.title_end, "heading") for h in top]
    pieces = []
    for p in doc.body_paragraphs:
        if p.end <= start or p.start >= end:
            continue
        lo, hi = max(p.start, start), min(p.end, end)
        pieces.append(_Piece(lo, hi, doc.text[lo:hi]))
    return _enumerated(pieces) or [
        Item(_first_sentence(p), p.text, p.start, p.end, p.start + len(_first_sentence(p))) for p in pieces]


def _first_sentence(p) -> str:
    stop = re.search(r"[。！？]", p.text)
    return p.text[:stop.end()] if stop else p.text


def _enumerated(paragraphs) -> list[Item]:
    marks = []
    for p in paragraphs:
        for m in ENUMERATION.finditer(p.text):
            marks.append((p, m.start("num")))
    if len(marks) < 2:
        return []
    items = []
    for n, (p, at) in enumerate(marks):
        if n + 1 < len(marks) and marks[n + 1][0] is p:
            end = marks[n + 1][1]
        else:
            end = len(p.text)
        text = p.text[at:end].strip()
        stop = re.search(r"[。；！？]", text)
        title = text[:stop.end()] if stop else text
        items.append(Item(title, text, p.start + at, p.start + at + len(text), p.start + at + len(title),
                          "enumeration"))
    return items


@resources.data_cache
def _depth_config():
    data = resources.load("rules/problems.toml").get("depth", {})
    return data.get("min_problems", 3), tuple(resources.compile_pattern(s, "rules/problems.toml")
                                               for s in data.get("concrete", []))


def is_concrete(text: str) -> bool:
    _, patterns = _depth_config()
    return any(p.search(text) for p in patterns)


@rule("problem-depth")
def check_depth(ctx: Context):
    loc = ctx.part("problems")
    if ctx.profile is None or loc is None or not loc.found:
        return  # a missing part is section-missing's finding, reported once
    items = items_of(ctx.doc, loc)
    if not items:
        return
    min_problems, _ = _depth_config()
    first = ctx.doc.headings[loc.headings[0]] if loc.headings else None
    where = (first.start, first.title_end) if first else (items[0].start, items[0].title_end)
    # Problems written as one undivided paragraph, or in a closing sentence, cannot be counted.
    countable = any(i.kind in ("heading", "enumeration") for i in items) or len(items) > 1
    if countable and len(items) < min_problems:
        yield say("problem-depth.few", *where, count=len(items), min=min_problems)
    for item in items:
        if not is_concrete(item.text):
            yield say("problem-depth.vague", item.start, item.title_end, title=short(item.title))


def short(text: str, limit: int = 20) -> str:
    text = text.rstrip("。；，")
    return text if len(text) <= limit else text[:limit] + "…"


@resources.data_cache
def _measure_config():
    data = resources.load("rules/problems.toml").get("measure", {})
    topic_of = {word: f"〔{n}〕" for n, words in enumerate(data.get("topics", [])) for word in words}
    return (frozenset(data.get("stopwords", [])), data.get("min_body_overlap", 3),
            data.get("min_body_share", 0.3), topic_of)


def content_words(text: str) -> frozenset[str]:
    stop = _measure_config()[0]
    return frozenset(w for w in segment.words(text) if w not in stop)


def topics(words: frozenset[str]) -> frozenset[str]:
    """The matters (problems.toml topics) these words name: 违规吃喝 and 四风 are both 作风."""
    topic_of = _measure_config()[3]
    return frozenset(topic_of[w] for w in words if w in topic_of)


class MeasureIndex:
    """The measures' content words, computed once per check and shared by every problem."""

    def __init__(self, measures: list[Item]):
        self.measures = measures
        self.words = [content_words(m.text) for m in measures]
        # a matter named in a measure's own title answers a problem of that matter; one mentioned in
        # passing in its body (……确保机要保密等工作平稳有序) does not
        self.title_topics = [topics(content_words(m.title)) for m in measures]
        self.common: frozenset[str] = frozenset()
        if len(measures) >= 3:
            # words most measures share say nothing about which problem a measure answers
            counts: dict[str, int] = {}
            for ws in self.words:
                for w in ws:
                    counts[w] = counts.get(w, 0) + 1
            self.common = frozenset(w for w, c in counts.items() if c * 3 > len(measures) * 2)

    def answering(self, problem: Item) -> Item | None:
        """The measure that answers `problem` best, or None when none shares its key words."""
        _, min_body, min_share, _ = _measure_config()
        title_words = content_words(problem.title) - self.common
        body_words = content_words(problem.text) - self.common
        title_topics = topics(title_words)
        body_needed = max(min_body, min_share * len(body_words))
        best, best_score = None, 0
        for measure, ws, measure_topics in zip(self.measures, self.words, self.title_topics):
            title_hits = len(title_words & ws) + len(title_topics & measure_topics)
            body_hits = len(body_words & ws)
            if title_hits == 0 and body_hits < body_needed:
                continue
            score = title_hits * 3 + body_hits
            if score > best_score:
                best, best_score = measure, score
        return best


def answered_by(problem: Item, measures: list[Item]) -> Item | None:
    return MeasureIndex(measures).answering(problem)


@rule("problem-measure")
def check_measures(ctx: Context):
    problems = items_of(ctx.doc, ctx.part("problems"))
    plan = ctx.part("plan")
    if not problems or plan is None or not plan.found:
        return  # a missing part is section-missing's finding, not this rule's
    index = MeasureIndex(items_of(ctx.doc, plan))
    for item in problems:
        if index.answering(item) is None:
            yield say("problem-measure.unanswered", item.start, item.title_end, title=short(item.title))
