"""Comments in a WordprocessingML package: where each character of the checked text sits in the
document part (TextMap), splitting runs and placing comment ranges, the comments part, and
writing the package with every other part copied byte for byte."""
from __future__ import annotations

import copy
import io
import os
import zipfile
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from core.files.drafts import SaveError, save_with

AUTHOR = "报告助手"
INITIALS = "助手"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


class AnnotateError(Exception):
    """The annotated copy cannot be written; str() is one Chinese sentence naming the file."""

    def __init__(self, path: str | os.PathLike, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"无法写入带批注的文档“{self.path}”：{reason}")

# --- where each character comes from -----------------------------------------------------------

class TextMap:
    """From offsets into the checked text to places in the document part (see DocxTrace)."""

    def __init__(self, pieces: list):
        seen = set()
        kept = []
        for piece in pieces:
            key = (id(piece[3]), piece[4])
            if key in seen:
                continue  # a nested table is read twice; its text is anchored where it is first read
            seen.add(key)
            kept.append(piece)
        kept.sort(key=lambda p: p[0])
        self.pieces = kept
        self.starts = [p[0] for p in kept]

    def first_in(self, start: int, end: int) -> tuple[int, int] | None:
        """(piece index, index in piece) of the first character in [start, end) that has a place."""
        i = bisect_right(self.starts, start) - 1
        if i >= 0 and start < self.starts[i] + len(self.pieces[i][1]):
            return i, start - self.starts[i]
        i += 1
        if i < len(self.pieces) and self.starts[i] < end:
            return i, 0
        return None

    def last_in(self, start: int, end: int) -> tuple[int, int] | None:
        i = bisect_right(self.starts, end - 1) - 1
        if i < 0:
            return None
        piece_end = self.starts[i] + len(self.pieces[i][1])
        at = min(end, piece_end) - 1
        if at < start or at < self.starts[i]:
            return None
        return i, at - self.starts[i]

    def span(self, start: int, end: int):
        """(start position, end position) for [start, end), or None when no character of it has
        a place in the document. A position is (sort key, kind, element, index)."""
        first = self.first_in(start, end)
        last = self.last_in(start, end) if first is not None else None
        if first is None or last is None:
            return None
        return self._position(*first, before=True), self._position(*last, before=False)

    def _position(self, index: int, at: int, *, before: bool):
        _offset, _text, kind, el, first = self.pieces[index]
        if kind == "label":
            return (index, 0), "pstart", el, 0
        k = first + at + (0 if before else 1)
        return (index, at + (0 if before else 1)), "char", el, k


# --- changing the document part ----------------------------------------------------------------

def _element_length(el) -> int:
    return len(el.text or "") if el.tag == w("t") else 1


def _split_point(el, k: int):
    """Where to put marks before character k of `el` (a w:t, or a w:tab/w:br of length 1):
    ("before"|"after", element). Splits the run in two, both keeping its formatting, when the
    point is inside it."""
    run = el.getparent()
    length = _element_length(el)
    if run is None or run.tag != w("r"):
        return ("before", el) if k <= 0 or length == 0 else ("after", el)
    content = [c for c in run if c.tag != w("rPr")]
    index = content.index(el)
    if k <= 0 and index == 0:
        return "before", run
    if k >= length and index == len(content) - 1:
        return "after", run
    second = run.makeelement(run.tag, dict(run.attrib))
    rpr = run.find(w("rPr"))
    if rpr is not None:
        second.append(copy.deepcopy(rpr))
    following = content[index + 1:]
    if 0 < k < length:  # inside a w:t: its text in two
        text = el.text
        tail = second.makeelement(w("t"), {})
        tail.text = text[k:]
        el.text = text[:k]
        for t in (el, tail):
            if t.text[:1].isspace() or t.text[-1:].isspace():
                t.set(_XML_SPACE, "preserve")
        second.append(tail)
    elif k <= 0:
        following = [el, *following]
    for child in following:
        second.append(child)  # moved, not copied
    run.addnext(second)
    return "after", run


def _insert(where: tuple[str, object], marks: list) -> None:
    side, anchor = where
    if side == "before":
        for m in marks:
            anchor.addprevious(m)
    else:
        for m in marks:
            anchor.addnext(m)
            anchor = m


def _paragraph_start(p):
    ppr = p.find(w("pPr"))
    if ppr is not None:
        return "after", ppr
    if len(p):
        return "before", p[0]
    return "inside", p


@dataclass
class Comment:
    id: int
    paragraphs: list[str]
    start: tuple
    end: tuple


def _mark(root, tag: str, cid: int):
    return root.makeelement(w(tag), {w("id"): str(cid)})


def _reference_run(root, cid: int):
    run = root.makeelement(w("r"), {})
    ref = run.makeelement(w("commentReference"), {w("id"): str(cid)})
    run.append(ref)
    return run


def place_comments(root, comments: list[Comment]) -> None:
    """Put commentRangeStart/End and the reference run of every comment into the part."""
    at: dict[tuple, dict] = {}
    for c in comments:
        for pos, role in ((c.start, "start"), (c.end, "end")):
            slot = at.setdefault(pos[0], {"pos": pos, "start": [], "end": [], "point": []})
            if c.start[0] == c.end[0]:
                if role == "start":
                    slot["point"].append(c.id)
            else:
                slot[role].append(c.id)
    # Last place first: splitting a run keeps the earlier text in the original run, so the
    # places still to do stay valid.
    for key in sorted(at, reverse=True):
        slot = at[key]
        marks = []
        for cid in slot["end"]:
            marks += [_mark(root, "commentRangeEnd", cid), _reference_run(root, cid)]
        for cid in slot["point"]:
            marks += [_mark(root, "commentRangeStart", cid), _mark(root, "commentRangeEnd", cid),
                      _reference_run(root, cid)]
        for cid in slot["start"]:
            marks.append(_mark(root, "commentRangeStart", cid))
        _key, kind, el, k = slot["pos"]
        if kind == "pstart":
            where = _paragraph_start(el)
            if where[0] == "inside":
                for m in marks:
                    el.append(m)
                continue
        else:
            where = _split_point(el, k)
        _insert(where, marks)


def comments_part(existing: bytes | None, comments: list[Comment], when: datetime):
    """The comments part: the existing one with ours appended, or a new one."""
    from lxml import etree  # deferred: lxml loads only when a document is written (start-up speed)

    if existing is not None:
        root = etree.fromstring(existing, etree.XMLParser(resolve_entities=False))
    else:
        root = etree.Element(w("comments"), nsmap={"w": W_NS})
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for c in comments:
        comment = etree.SubElement(root, w("comment"), {w("id"): str(c.id), w("author"): AUTHOR,
                                                        w("date"): stamp, w("initials"): INITIALS})
        for n, line in enumerate(c.paragraphs):
            p = etree.SubElement(comment, w("p"))
            if n == 0:
                etree.SubElement(etree.SubElement(p, w("r")), w("annotationRef"))
            r = etree.SubElement(p, w("r"))
            t = etree.SubElement(r, w("t"))
            t.text = line
            if line[:1].isspace() or line[-1:].isspace():
                t.set(_XML_SPACE, "preserve")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def used_ids(*roots) -> int:
    """The first comment id not used in any of the given parts."""
    top = -1
    for root in roots:
        if root is None:
            continue
        for tag in ("comment", "commentRangeStart", "commentRangeEnd", "commentReference"):
            for el in root.iter(w(tag)):
                try:
                    top = max(top, int(el.get(w("id"), "-1")))
                except ValueError:
                    continue
    return top + 1


# --- the package -------------------------------------------------------------------------------

def _rels_name(part_name: str) -> str:
    p = PurePosixPath(part_name)
    return str(p.parent / "_rels" / (p.name + ".rels"))


def _resolve(part_name: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = []
    for seg in (str(PurePosixPath(part_name).parent) + "/" + target).split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if parts:
                parts.pop()
        else:
            parts.append(seg)
    return "/".join(parts)


def write_package(source: bytes | str | os.PathLike, out: Path, part_name: str, root,
                  comments: list[Comment], when: datetime) -> None:
    """Copy the package `source` to `out` with the changed main part and the comments."""
    from lxml import etree  # deferred: lxml loads only when a document is written (start-up speed)

    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zin:
        infos = zin.infolist()
        names = {i.filename for i in infos}
        rels_name = _rels_name(part_name)
        parser = etree.XMLParser(resolve_entities=False)
        rels = etree.fromstring(zin.read(rels_name), parser) if rels_name in names else \
            etree.Element(f"{{{_REL_NS}}}Relationships", nsmap={None: _REL_NS})
        comments_name = None
        for rel in rels:
            if rel.get("Type") == COMMENTS_REL and rel.get("TargetMode") != "External":
                comments_name = _resolve(part_name, rel.get("Target", ""))
        existing = zin.read(comments_name) if comments_name in names else None
        new_rels = None
        if comments_name is None or existing is None:
            if comments_name is None:
                comments_name = _resolve(part_name, "comments.xml")
                n = 1
                while comments_name in names:
                    n += 1
                    comments_name = _resolve(part_name, f"comments{n}.xml")
                ids = {rel.get("Id") for rel in rels}
                rid = next(f"rId{n}" for n in range(len(ids) + 1, len(ids) + 1000) if f"rId{n}" not in ids)
                target = str(PurePosixPath(comments_name).relative_to(PurePosixPath(part_name).parent)) \
                    if comments_name.startswith(str(PurePosixPath(part_name).parent)) else "/" + comments_name
                etree.SubElement(rels, f"{{{_REL_NS}}}Relationship",
                                 {"Id": rid, "Type": COMMENTS_REL, "Target": target})
                new_rels = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
        types = etree.fromstring(zin.read("[Content_Types].xml"), parser)
        new_types = None
        override = f"/{comments_name}"
        if not any(o.get("PartName") == override for o in types.iter(f"{{{_CT_NS}}}Override")):
            etree.SubElement(types, f"{{{_CT_NS}}}Override", {"PartName": override, "ContentType": COMMENTS_TYPE})
            new_types = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
        replaced = {part_name: etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
                    comments_name: comments_part(existing, comments, when)}
        if new_rels is not None:
            replaced[rels_name] = new_rels
        if new_types is not None:
            replaced["[Content_Types].xml"] = new_types

        def write(fh) -> None:
            with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zout:
                for info in infos:
                    data = replaced.pop(info.filename, None)
                    if data is None:
                        data = zin.read(info)
                    copy_info = zipfile.ZipInfo(info.filename, info.date_time)
                    copy_info.compress_type = info.compress_type
                    copy_info.external_attr = info.external_attr
                    copy_info.create_system = info.create_system
                    zout.writestr(copy_info, data)
                for name, data in replaced.items():  # parts that are new
                    zout.writestr(zipfile.ZipInfo(name, when.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)

        save_package(out, write)


def save_package(out: Path, write) -> None:
    try:
        save_with(out, write)
    except SaveError as exc:
        raise AnnotateError(out, exc.reason) from None

