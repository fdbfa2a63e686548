"""Find the report type's required parts (work, problems, plan, …) in a parsed document.

Done once per check; the structure, problem, period and dated-term rules all read the result.
A part is found, in this order of preference:
1. by a top-level heading whose title names it ("二、存在的问题"); one heading may name two parts
   ("三、问题不足及努力方向"): then each gets its own stretch of that section;
2. by a lower-level heading with a short title that names it ("（一）存在不足", "1.自觉实践廉洁承诺");
3. by its content: a sentence that opens it inline ("对照上级要求，自身还有一些差距：一是…",
   "针对上述问题，下一步一是…"), or a paragraph that speaks of it (述廉: 本人…廉洁…八项规定);
4. (diyi) by sentences of the closing paragraphs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from core import resources
from core.resources import Part, Profile
from core.text.document import ENUMERATION, Document, Paragraph, Sentence

_PUNCT = re.compile(r"[，。；：、！？,.;:!?\s]")
_PERSONAL = re.compile(r"本人|我|自己|个人|自身")


@dataclass
class PartLocation:
    part: Part
    headings: list[int] = field(default_factory=list)  # indices into Document.headings
    spans: list[tuple[int, int]] = field(default_factory=list)  # the part's text, in order
    closing: list[Sentence] = field(default_factory=list)  # closing-paragraph sentences instead
    by_content: bool = False  # found by what the text says, not by a heading

    @property
    def found(self) -> bool:
        return bool(self.spans)

    @property
    def start(self) -> int:
        return self.spans[0][0] if self.spans else -1

    def contains(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self.spans)


@resources.data_cache
def _not_the_part(part_id: str, key: str) -> tuple[re.Pattern, ...]:
    """profiles.toml [part_defaults.<part>] `exclude` (headings that only seem to name the part:
    “直面问题短板，推动整改落实” is work, “问题产生的原因” is not the problems) and `not_content`
    (sentences that mention it without being it: “针对存在的不足，我将……” is a pledge)."""
    data = resources.load("profiles.toml").get("part_defaults", {}).get(part_id, {})
    return tuple(resources.compile_pattern(p, f"profiles.toml [part_defaults.{part_id}] {key}")
                 for p in data.get(key, []))


def _names_part(part: Part, title: str) -> bool:
    return any(p.search(title) for p in part.headings) and not any(
        p.search(title) for p in _not_the_part(part.id, "exclude"))


def _speaks_of_part(part: Part, sentence: str) -> bool:
    return not any(p.search(sentence) for p in _not_the_part(part.id, "not_content"))


def locate_parts(doc: Document, profile: Profile | None) -> dict[str, PartLocation]:
    if profile is None:
        return {}
    located = {p.id: PartLocation(p) for p in profile.parts}
    top_level = min((h.level for h in doc.headings), default=None)
    claimed: set[int] = set()
    for part in profile.parts:
        for i, h in enumerate(doc.headings):
            if not part.any_level and h.level != top_level:
                continue
            if part.any_level and i in claimed:
                continue
            if _names_part(part, h.title):
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
    _split_shared(doc, located)
    for part in profile.parts:
        loc = located[part.id]
        if loc.found or part.fallback_other_headings:
            continue
        _by_subheading(doc, loc, claimed) or _by_content(doc, loc, located)
        if not loc.spans and part.closing:
            loc.closing = _closing_sentences(doc, part)
            loc.spans = [(s.start, s.end) for s in loc.closing]
    return located


def _short_title(title: str) -> str:
    return _PUNCT.sub("", title)


def _by_subheading(doc: Document, loc: PartLocation, claimed: set[int]) -> bool:
    """A lower-level heading whose short title names the part: the first one wins."""
    for i, h in enumerate(doc.headings):
        if i in claimed or len(_short_title(h.title)) > loc.part.subheading_max:
            continue
        if _names_part(loc.part, h.title):
            loc.headings = [i]
            loc.spans = [(h.start, h.section_end)]
            return True
    return False


def _by_content(doc: Document, loc: PartLocation, located: dict[str, PartLocation]) -> bool:
    part = loc.part
    body = [p for p in doc.paragraphs if p.kind in ("body", "heading-body")]
    for paragraph in body:
        for pattern in part.content:
            for m in pattern.finditer(paragraph.text):
                at = _sentence_start(paragraph.text, m.start())
                if not _speaks_of_part(part, paragraph.text[at:m.end()]):
                    continue  # "针对存在的问题，我们将……：" opens the plan, not the problems
                loc.spans = [_inline_span(doc, paragraph, m.start(), m.end())]
                loc.by_content = True
                return True
    if part.content_keywords:
        for paragraph in body:
            hits = {p.pattern for p in part.content_keywords if p.search(paragraph.text)}
            if len(hits) >= 2 and _PERSONAL.search(paragraph.text):
                loc.spans = [(paragraph.start, paragraph.end)]
                loc.by_content = True
                return True
    return False


def _inline_span(doc: Document, paragraph: Paragraph, cue_start: int, cue_end: int) -> tuple[int, int]:
    """What an inline opening introduces: the 一是…二是… after it in its paragraph; or, when the
    paragraph ends with a colon, the list that follows (headings of one level, up to a heading
    above that level); else the rest of the paragraph."""
    start = paragraph.start + _sentence_start(paragraph.text, cue_start)
    after = paragraph.text[cue_end:]
    if ENUMERATION.search(after) or not paragraph.text.rstrip().endswith(("：", ":")):
        return start, paragraph.end
    following = [h for h in doc.headings if h.start > paragraph.end]
    if not following:
        return start, paragraph.end
    level = following[0].level
    end = paragraph.end
    for h in following:
        if h.level < level:
            break
        end = h.section_end if h.level == level else end
    return start, end


def _sentence_start(text: str, at: int) -> int:
    cut = max(text.rfind(ch, 0, at) for ch in "。！？；")
    return cut + 1 if cut >= 0 else 0


def _split_shared(doc: Document, located: dict[str, PartLocation]) -> None:
    """"三、问题不足及努力方向": a heading both the problems and the plan part claim. The plan starts
    at the first subheading that names it, or at the first sentence that opens it."""
    problems, plan = located.get("problems"), located.get("plan")
    if not problems or not plan:
        return
    shared = set(problems.headings) & set(plan.headings)
    for i in shared:
        h = doc.headings[i]
        cut = None
        for j in doc.children(i):
            child = doc.headings[j]
            if any(p.search(child.title) for p in plan.part.headings):
                cut = child.start
                break
        if cut is None:
            for paragraph in doc.paragraphs_in(h.start, h.section_end):
                m = next((m for p in plan.part.content if (m := p.search(paragraph.text))), None)
                if m:
                    cut = paragraph.start + _sentence_start(paragraph.text, m.start())
                    break
        if cut is None:
            continue  # no way to tell them apart: both read the whole section
        problems.spans = [(s, min(e, cut)) if s == h.start else (s, e) for s, e in problems.spans]
        plan.spans = [(cut, e) if s == h.start else (s, e) for s, e in plan.spans]


def _closing_sentences(doc: Document, part: Part) -> list[Sentence]:
    """Sentences of the last two body paragraphs that match the part's closing patterns."""
    body = [p for p in doc.paragraphs if p.kind in ("body", "heading-body")]
    found = []
    for paragraph in body[-2:]:
        for sentence in paragraph.sentences:
            if any(p.search(sentence.text) for p in part.closing) and _speaks_of_part(part, sentence.text):
                found.append(sentence)
    return found
