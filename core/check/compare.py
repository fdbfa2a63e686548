"""Compare a report with the same unit's previous one.

Three questions a reviewer asks: how much of this year's report is last year's text with the date
changed (`copied`), did the unit report on what it promised last time (`followup`), and which
counts went down.

The previous report is parsed once into a `PreviousReport`; while the user types, every check of
the new text compares against it, so one comparison must stay well under the check's own cost.
Sentences are matched through an index of character pairs, never pair by pair.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from core import resources
from core.check.findings import Finding
from core.check.parts import locate_parts
from core.check.rules.messages import say
from core.check.rules.problems import Item, content_words, items_of, short
from core.text.document import Document, parse
from core.text.periods import period_months
from core.text.stats import StatItem, activities, extract, report_totals

# Punctuation, spaces and symbols go; every number (Arabic, full-width, Chinese, so dates too)
# becomes one mark, so "召开党组会24次" and "召开党组会26次" read the same.
_NOT_WORD = re.compile(r"[\W_]+")
_NUMBER = re.compile(r"[0-9０-９〇零一二两三四五六七八九十百千万]+")
# A bigram shared by more old sentences than this says little about which one was copied.
_COMMON_POSTINGS = 40


def normalize_sentence(text: str) -> str:
    return _NUMBER.sub("#", _NOT_WORD.sub("", text))


def _bigrams(norm: str) -> frozenset[str]:
    return frozenset(norm[i:i + 2] for i in range(len(norm) - 1))


@resources.data_cache
def _config():
    data = resources.load("rules/compare.toml")
    reuse, follow = data.get("reuse", {}), data.get("followup", {})
    return (reuse.get("min_chars", 8), reuse.get("similar", 0.8), reuse.get("copied_share", 0.5),
            follow.get("min_title_words", 2), follow.get("min_body_overlap", 3),
            follow.get("min_body_share", 0.3))


def copied_share() -> float:
    """Past this share of reused sentences a report counts as copied (compare.toml)."""
    return _config()[2]


@dataclass(frozen=True)
class Reuse:
    """A sentence of the new report that the previous one already had (offsets: new, then old)."""
    start: int
    end: int
    old_start: int
    old_end: int
    similarity: float  # 1.0: identical once punctuation, dates and numbers are set aside

    @property
    def identical(self) -> bool:
        return self.similarity >= 1.0


@dataclass(frozen=True)
class Promise:
    """One measure from the previous report's next-step part, and whether the new report's work
    part reports on it (`evidence`: the paragraph that does, as offsets into the new text)."""
    title: str
    start: int
    end: int
    evidence: tuple[int, int] | None

    @property
    def mentioned(self) -> bool:
        return self.evidence is not None


@dataclass(frozen=True)
class CountChange:
    kind: str
    item: str
    measure: str
    old: int | None  # None: blank or not stated in that report
    new: int | None
    old_display: str
    new_display: str
    went_down: bool
    new_start: int = -1  # where the new report states it, for clicking
    new_end: int = -1


@dataclass
class Comparison:
    previous_name: str
    sentences: int  # sentences of the new report long enough to compare
    reused: list[Reuse]
    promises: list[Promise]
    counts: list[CountChange]
    notes: list[str] = field(default_factory=list)
    plan_found: bool = True

    @property
    def share(self) -> float:
        return len(self.reused) / self.sentences if self.sentences else 0.0

    @property
    def identical(self) -> int:
        return sum(1 for r in self.reused if r.identical)

    @property
    def unmentioned(self) -> list[Promise]:
        return [p for p in self.promises if not p.mentioned]

    @property
    def decreases(self) -> list[CountChange]:
        return [c for c in self.counts if c.went_down]

    def to_json(self) -> dict:
        return {
            "previous": self.previous_name,
            "reuse": {"share": round(self.share, 4), "sentences": self.sentences, "reused": len(self.reused),
                      "identical": self.identical,
                      "spans": [{"start": r.start, "end": r.end, "old_start": r.old_start, "old_end": r.old_end,
                                 "similarity": round(r.similarity, 3)} for r in self.reused]},
            "promises": [{"promise": p.title, "old_start": p.start, "old_end": p.end, "mentioned": p.mentioned,
                          "evidence": list(p.evidence) if p.evidence else None} for p in self.promises],
            "counts": [{"item": c.item, "measure": c.measure, "old": c.old, "new": c.new, "old_display": c.old_display,
                        "new_display": c.new_display, "went_down": c.went_down} for c in self.counts],
            "notes": self.notes,
        }


class PreviousReport:
    """Last period's report, prepared once for any number of comparisons."""

    def __init__(self, text: str, name: str = "上期报告", report_type: str | None = None):
        self.name = name
        self.document = parse(text, report_type)
        self._sentences = []
        self._exact: dict[str, int] = {}
        self._grams: list[frozenset[str]] = []
        self._index: dict[str, list[int]] = {}
        for s, norm in comparable_sentences(self.document):
            i = len(self._sentences)
            self._sentences.append(s)
            self._exact.setdefault(norm, i)
            grams = _bigrams(norm)
            self._grams.append(grams)
            for g in grams:
                self._index.setdefault(g, []).append(i)
        doc = self.document
        parts = locate_parts(doc, resources.profile(doc.meta.type))
        plan = parts.get("plan")
        self.plan_found = plan is not None and plan.found
        self.promises: list[Item] = items_of(doc, plan)
        self.stats: list[StatItem] = activities(extract(doc, parts)[0])

    def match(self, norm: str) -> tuple[int, float] | None:
        """The old sentence `norm` (a normalised new sentence) repeats, with the similarity."""
        hit = self._exact.get(norm)
        if hit is not None:
            return hit, 1.0
        grams = _bigrams(norm)
        if not grams:
            return None
        shared: Counter[int] = Counter()
        for g in grams:
            postings = self._index.get(g)
            if postings and len(postings) <= _COMMON_POSTINGS:
                shared.update(postings)
        best, best_score = None, 0.0
        for i, _count in shared.most_common(3):
            old = self._grams[i]
            score = 2 * len(grams & old) / (len(grams) + len(old))
            if score > best_score:
                best, best_score = i, score
        if best is None or best_score < _config()[1]:
            return None
        return best, best_score


def comparable_sentences(doc: Document):
    """(sentence, normalised text) for the sentences long enough to compare."""
    min_chars = _config()[0]
    for s in doc.sentences():
        norm = normalize_sentence(s.text)
        if len(norm) >= min_chars:
            yield s, norm


def compare(previous: PreviousReport, doc: Document, stats: list[StatItem] | None = None) -> Comparison:
    _min_chars, _similar, _share, min_title, min_body, body_share = _config()
    reused: list[Reuse] = []
    counted = 0
    for s, norm in comparable_sentences(doc):
        counted += 1
        found = previous.match(norm)
        if found is not None:
            old = previous._sentences[found[0]]
            reused.append(Reuse(s.start, s.end, old.start, old.end, found[1]))

    notes: list[str] = []
    old_meta, new_meta = previous.document.meta, doc.meta
    if old_meta.year and new_meta.year and old_meta.year > new_meta.year:
        notes.append(f"所选“上期报告”是{old_meta.year}年的，比本期（{new_meta.year}年）还晚，是否选反了？")
    promises = _follow_up(previous, doc, min_title, min_body, body_share)
    if not previous.plan_found:
        notes.append("上期报告中没有找到“下一步打算”部分，无法核对承诺的落实情况。")

    comparable = period_months(old_meta.period) == period_months(new_meta.period)
    if not comparable:
        notes.append("两期报告的时段长短不同（如年度与季度），只并列数字，不判断增减。")
    if stats is None:
        stats = activities(extract(doc, locate_parts(doc, resources.profile(doc.meta.type)))[0])
    new_stats = stats
    counts = _count_changes(report_totals(previous.stats), report_totals(new_stats), comparable)
    return Comparison(previous.name, counted, reused, promises, counts, notes, previous.plan_found)


def _work_paragraphs(doc: Document):
    """The new report's work part, paragraph by paragraph (the whole body when it has none)."""
    loc = locate_parts(doc, resources.profile(doc.meta.type)).get("work")
    if loc is not None and loc.found and not loc.closing:
        paragraphs = [p for s, e in loc.spans for p in doc.paragraphs_in(s, e)]
        if paragraphs:
            return paragraphs
    return doc.body_paragraphs


def _follow_up(previous: PreviousReport, doc: Document, min_title: int, min_body: int,
               body_share: float) -> list[Promise]:
    if not previous.promises:
        return []
    paragraphs = [(p, content_words(p.text)) for p in _work_paragraphs(doc)]
    out = []
    for item in previous.promises:
        title_words = content_words(item.title)
        body_words = content_words(item.text) - title_words
        need_title = min(min_title, len(title_words)) if title_words else None
        need_body = max(min_body, body_share * len(body_words)) if body_words else None
        best, best_score = None, 0
        for p, words in paragraphs:
            t = len(title_words & words)
            b = len(body_words & words)
            if (need_title is not None and t >= need_title) or (need_body is not None and b >= need_body):
                score = 3 * t + b
                if score > best_score:
                    best, best_score = (p.start, p.end), score
        out.append(Promise(item.title, item.start, item.end, best))
    return out


def _count_changes(old: dict, new: dict, comparable: bool) -> list[CountChange]:
    changes = []
    for key in list(old) + [k for k in new if k not in old]:
        o, n = old.get(key), new.get(key)
        if o is None and n is None:
            continue
        any_total = o or n
        went_down = (comparable and o is not None and n is not None and o.value is not None
                     and n.value is not None and n.value < o.value)
        changes.append(CountChange(
            kind=any_total.kind, item=any_total.item, measure=any_total.measure,
            old=o.value if o else None, new=n.value if n else None,
            old_display=o.display() if o else "未写", new_display=n.display() if n else "未写",
            went_down=went_down, new_start=n.start if n else -1, new_end=n.end if n else -1))
    return changes


def findings(comparison: Comparison, doc: Document) -> list[Finding]:
    """The checklist's `copied` and `followup` findings for the new report."""
    out: list[Finding] = []
    copied_share = _config()[2]
    if comparison.sentences and comparison.share > copied_share:
        where = (doc.title_start, doc.title_end) if doc.title else (
            (comparison.reused[0].start, comparison.reused[0].end) if comparison.reused else (0, 0))
        out.append(say("copied.reused", *where, share=f"{comparison.share:.0%}", reused=len(comparison.reused),
                       sentences=comparison.sentences, previous=comparison.previous_name))
    if comparison.unmentioned:
        loc = locate_parts(doc, resources.profile(doc.meta.type)).get("work")
        if loc is not None and loc.headings:
            h = doc.headings[loc.headings[0]]
            where = (h.start, h.title_end)
        else:
            where = (doc.title_start, doc.title_end) if doc.title else (0, 0)
        for promise in comparison.unmentioned:
            out.append(say("followup.unmentioned", *where, promise=short(promise.title, 30)))
    return out
