"""Find the report type's required parts (work, problems, plan, …) in a parsed document.

Done once per check; the structure, problem, period and dated-term rules all read the result.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from core.document import Document, Sentence
from core.resources import Part, Profile


@dataclass
class PartLocation:
    part: Part
    headings: list[int] = field(default_factory=list)  # indices into Document.headings
    spans: list[tuple[int, int]] = field(default_factory=list)  # whole sections, in order
    closing: list[Sentence] = field(default_factory=list)  # closing-paragraph sentences instead

    @property
    def found(self) -> bool:
        return bool(self.spans)

    @property
    def start(self) -> int:
        return self.spans[0][0] if self.spans else -1

    def contains(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self.spans)


def locate_parts(doc: Document, profile: Profile | None) -> dict[str, PartLocation]:
    if profile is None:
        return {}
    located = {p.id: PartLocation(p) for p in profile.parts}
    if doc.headings:
        top_level = min(h.level for h in doc.headings)
    else:
        top_level = None
    claimed: set[int] = set()
    for part in profile.parts:
        for i, h in enumerate(doc.headings):
            if not part.any_level and h.level != top_level:
                continue
            if part.any_level and i in claimed:
                continue
            if any(p.search(h.title) for p in part.headings):
                located[part.id].headings.append(i)
                if h.level == top_level:
                    claimed.add(i)
    for part in profile.parts:
        if part.fallback_other_headings:
            loc = located[part.id]
            # Area headings ("一、突出政治建设…") before the problems part are the work part.
            first_other = min((located[p.id].headings[0] for p in profile.parts
                               if p.id != part.id and located[p.id].headings
                               and not p.any_level), default=len(doc.headings))
            for i, h in enumerate(doc.headings[:first_other]):
                if h.level == top_level and i not in claimed:
                    loc.headings.append(i)
                    claimed.add(i)
            loc.headings.sort()
    for loc in located.values():
        loc.spans = [(doc.headings[i].start, doc.headings[i].section_end) for i in loc.headings]
        if not loc.spans and loc.part.closing:
            loc.closing = _closing_sentences(doc, loc.part)
            loc.spans = [(s.start, s.end) for s in loc.closing]
    return located


def _closing_sentences(doc: Document, part: Part) -> list[Sentence]:
    """Sentences of the last two body paragraphs that match the part's closing patterns."""
    body = [p for p in doc.paragraphs if p.kind in ("body", "heading-body")]
    found = []
    for paragraph in body[-2:]:
        for sentence in paragraph.sentences:
            if any(p.search(sentence.text) for p in part.closing):
                found.append(sentence)
    return found
