"""Who is speaking: the writer's own sentences, or words quoted from an authoritative text.

Wording rules (提法, dated formulations) judge what a unit writes in its own name. A quotation of
习近平 after 指出：, reported speech (习近平强调，……), a reprinted regulation after 全文如下, or a whole
text whose speaker is the authority (a speech signed 习近平, a 党代会 report, a 中共中央 document)
uses the words as issued, older or shorter forms included: those words are quoted, not the
writer's own. `quoted_mask` marks them; `Document.quoted` asks about a span. The patterns are data
(resources/rules/voice.toml). A report of one of the four types is always the unit speaking.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from core import resources

if TYPE_CHECKING:
    from core.text.document import Document

FILE = "rules/voice.toml"


@resources.data_cache
def _data():
    data = resources.load(FILE)
    doc, quote = data.get("document", {}), data.get("quote", {})

    def compiled(patterns):
        return tuple(resources.compile_pattern(p, FILE) for p in patterns)

    verbs = quote.get("verbs", "(?:指出|强调)")

    def attribution(speakers: list[str]) -> re.Pattern | None:
        # the speaker, then (in the same clause) the verb that opens the quoted words
        if not speakers:
            return None
        names = "|".join(f"(?:{s})" for s in speakers)
        return resources.compile_pattern(f"(?:{names})[^，,。！？；\\n]{{0,40}}?{verbs}(?P<open>[：:，,]?“|[：:，,])", FILE)

    central = quote.get("central_meeting")
    return {
        "front": compiled(doc.get("front", [])),
        "opening": compiled(doc.get("opening", [])),
        "opening_paragraphs": doc.get("opening_paragraphs", 8),
        "reprint": compiled(doc.get("reprint", [])),
        "authority": attribution(quote.get("speakers", [])),
        "meeting": attribution(quote.get("meeting_speakers", [])),
        "central": resources.compile_pattern(central, FILE) if central else None,
        "pronoun": attribution(quote.get("pronouns", [])),
    }


def _front_lines(doc: Document) -> list[str]:
    return [doc.title or ""] + [p.text for p in doc.paragraphs if p.kind in ("byline", "front")]


def authoritative(doc: Document) -> bool:
    """The whole text is the authority speaking: its title block names 习近平 or a central organ as
    speaker or issuer, or its opening says it speaks for 党中央/国务院."""
    if doc.meta.type != "unknown":
        return False  # a report is the unit's own
    data = _data()
    if any(p.search(line) for line in _front_lines(doc) for p in data["front"]):
        return True
    first = [p.text for p in doc.paragraphs if p.kind in ("preamble", "body")][:data["opening_paragraphs"]]
    return any(p.search(text) for text in first for p in data["opening"])


def quoted_mask(doc: Document) -> bytearray:
    text = doc.text
    mask = bytearray(len(text) + 1)
    if authoritative(doc):
        mask[:] = b"\x01" * len(mask)
        return mask
    data = _data()
    for p in doc.paragraphs:
        if p.kind in ("body", "preamble", "heading-body") and any(r.search(p.text) for r in data["reprint"]):
            mask[p.end:] = b"\x01" * (len(mask) - p.end)  # the reprinted text runs to the end
            break
    attributions = [a for a in (data["authority"],) if a is not None]
    central = data["central"]
    if (data["meeting"] is not None and central is not None and doc.meta.type == "unknown"
            and any(central.search(line) for line in _front_lines(doc))):
        attributions.append(data["meeting"])  # a news report of a central meeting: 会议强调，……
    spans = [(p.start, p.text) for p in doc.paragraphs if p.kind in ("body", "preamble", "heading-body")]
    if doc.title:
        spans.append((doc.title_start, doc.title))  # a snippet's only line is taken for its title
    spans.sort()
    quoting = False  # the paragraph before reported an authority's words: "他强调，……" goes on
    for offset, line in spans:
        found = [m for a in attributions for m in a.finditer(line)]
        if quoting and data["pronoun"] is not None:
            found += [m for m in data["pronoun"].finditer(line) if m.start() == 0]
        for m in found:
            start = offset + m.end()
            if m.group("open").endswith("“"):
                close = line.find("”", m.end())
                end = offset + (close if close != -1 else len(line))
            else:
                end = offset + len(line)  # reported speech: the rest of the paragraph
            mask[start:end] = b"\x01" * (end - start)
        quoting = bool(found)
    return mask
