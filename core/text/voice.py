"""Who is speaking: the writer's own sentences, or words quoted from an authoritative text.

Wording rules (提法, dated formulations) judge what a unit writes in its own name. A quotation of
习近平 after 指出：, reported speech (习近平强调，……), a reprinted regulation after 全文如下, or a whole
text whose speaker is the authority (a speech signed 习近平, a 党代会 report, a 中共中央 document)
uses the words as issued, older or shorter forms included: those words are quoted, not the
writer's own. `quoted_mask` marks them; `Document.quoted` asks about a span. The patterns are data
(resources/rules/voice.toml). A report of one of the four types is always the unit speaking.
"""
from __future__ import annotations

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

    speakers = "|".join(f"(?:{s})" for s in quote.get("speakers", []))
    verbs = quote.get("verbs", "(?:指出|强调)")
    # the speaker, then (in the same clause or sentence) the verb that opens the quoted words
    attribution = resources.compile_pattern(
        f"(?:{speakers})[^，,。！？；\\n]{{0,40}}?{verbs}(?P<open>[：:，,]?“|[：:，,])", FILE) if speakers else None
    return (compiled(doc.get("front", [])), compiled(doc.get("opening", [])), doc.get("opening_paragraphs", 8),
            compiled(doc.get("reprint", [])), attribution)


def authoritative(doc: Document) -> bool:
    """The whole text is the authority speaking: its title block names 习近平 or a central organ as
    speaker or issuer, or its opening says it speaks for 党中央/国务院."""
    if doc.meta.type != "unknown":
        return False  # a report is the unit's own
    front, opening, n_opening, _, _ = _data()
    lines = [doc.title or ""] + [p.text for p in doc.paragraphs if p.kind in ("byline", "front")]
    if any(p.search(line) for line in lines for p in front):
        return True
    first = [p.text for p in doc.paragraphs if p.kind in ("preamble", "body")][:n_opening]
    return any(p.search(text) for text in first for p in opening)


def quoted_mask(doc: Document) -> bytearray:
    text = doc.text
    mask = bytearray(len(text) + 1)
    if authoritative(doc):
        mask[:] = b"\x01" * len(mask)
        return mask
    _, _, _, reprint, attribution = _data()
    for p in doc.paragraphs:
        if p.kind in ("body", "preamble", "heading-body") and any(r.search(p.text) for r in reprint):
            mask[p.end:] = b"\x01" * (len(mask) - p.end)  # the reprinted text runs to the end
            break
    if attribution is None:
        return mask
    spans = [(p.start, p.text) for p in doc.paragraphs if p.kind in ("body", "preamble", "heading-body")]
    if doc.title:
        spans.append((doc.title_start, doc.title))  # a snippet's only line is taken for its title
    for offset, line in spans:
        for m in attribution.finditer(line):
            start = offset + m.end()
            if m.group("open").endswith("“"):
                close = line.find("”", m.end())
                end = offset + (close if close != -1 else len(line))
            else:
                end = offset + len(line)  # reported speech: the rest of the paragraph
            mask[start:end] = b"\x01" * (end - start)
    return mask
