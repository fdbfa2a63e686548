"""Nothing of the user's is dropped: what openpyxl cannot keep is taken from the original file.

openpyxl reads and writes the cells, styles, tables, charts and pictures of every sheet, but not
text boxes and other shapes, Excel 2010 drop-down lists that point at another sheet
(``x14:dataValidation``), data bars, sparklines or form controls. So a ledger export writes only the
sheets the program owns (台账明细, 检查结果, and the rebuilt 汇总 and 汇总图表) from openpyxl and copies
every sheet of the user's, with everything it refers to, from the original package as it was:

* its strings are written into it (openpyxl keeps its own table of shared strings), and formulas
  that point at rows of 台账明细 or 检查结果 that moved follow them, as Excel would;
* styles keep their numbers: openpyxl writes the original cell formats first, in their order;
* in 台账明细 and 检查结果 the Excel 2010 extensions (drop-down lists, data bars, sparklines) and a
  drawing with text boxes are put back after openpyxl, with the rows they cover moved like the rows.

What even so could not be kept (a slicer, a timeline, a form control, an embedded object, the
replies of a threaded comment in one of our sheets) is named before anything is written, and the
export is refused: :class:`LedgerError` says what would be lost and where.
"""
from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from core.office.ledger.fast_load import COMPRESS_LEVEL, write_workbook
from core.office.ledger.moves import RowMap
from core.office.ledger.package_xml import (
    CF_LINK_URI,
    _ext_elements,
    _ext_uri,
    _free_id,
    _inline_strings,
    _insert_ext,
    _namespaces,
    _restore_cf_links,
    _shift_formulas,
    _shift_sqrefs,
)
from core.office.ledger.schema import CHART_SHEET, DETAIL_SHEET, FINDINGS_SHEET, SUMMARY_SHEET, LedgerError

OWNED_SHEETS = (DETAIL_SHEET, SUMMARY_SHEET, CHART_SHEET, FINDINGS_SHEET)
REBUILT_SHEETS = (SUMMARY_SHEET, CHART_SHEET)  # derived, made anew on every export

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"

# Excel 2010+ extensions of a worksheet, by their uri: those put back, and those that cannot be.
EXT_NAMES = {
    "{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}": "下拉列表等数据验证（Excel 2010 格式）",
    "{78C0D931-6437-407d-A8EE-F0AAD7539E65}": "数据条等条件格式（Excel 2010 格式）",
    "{05C60535-1F16-4fd2-B633-F4F36F0B64E0}": "迷你图",
}
EXT_LOST = {
    "{A8765BA9-456A-4dab-B4F3-ACF838C121DE}": "切片器",
    "{3A4CF648-6AED-40f4-86FF-DC5316D8AED3}": "切片器",
    "{7E03D99C-DC04-49d9-9315-930204A7B6E9}": "日程表",
}
WORKBOOK_EXT_LOST = {
    "{BBE1A952-AA13-448e-AADC-164F8A28A991}": "切片器",
    "{46BE6895-7355-4a93-B00E-2C351335B9C9}": "切片器",
    "{D0CA8CA8-9F24-4464-BF8E-62219DCF47F9}": "日程表",
}


# ---------------------------------------------------------------------------------------------
# Reading a package
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rel:
    id: str
    type: str
    target: str | None  # the part's name in the package; None for an external target
    raw_target: str
    external: bool


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


class Package:
    """A read view of an .xlsx package: parts, relationships, content types, sheets by name."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = set(self.zip.namelist())
        self._cache: dict[str, bytes] = {}
        self.tails: dict[str, bytes] = {}  # worksheet part -> its XML after </sheetData>
        types = ElementTree.fromstring(self.read("[Content_Types].xml"))
        self.defaults = {e.get("Extension", "").lower(): e.get("ContentType", "")
                         for e in types if e.tag == f"{{{_CT}}}Default"}
        self.overrides = {e.get("PartName", "").lstrip("/"): e.get("ContentType", "")
                          for e in types if e.tag == f"{{{_CT}}}Override"}
        self.workbook = next(p for p, t in self.overrides.items() if t.endswith(".sheet.main+xml")
                             or t.endswith("sheet.macroEnabled.main+xml") or t.endswith(".template.main+xml"))

    def read(self, name: str) -> bytes:
        if name not in self._cache:
            self._cache[name] = self.zip.read(name)
        return self._cache[name]

    def content_type(self, part: str) -> str | None:
        return self.overrides.get(part) or self.defaults.get(posixpath.splitext(part)[1].lstrip(".").lower())

    def rels(self, part: str) -> list[Rel]:
        name = rels_name(part)
        if name not in self.names:
            return []
        out = []
        for e in ElementTree.fromstring(self.read(name)):
            external = e.get("TargetMode") == "External"
            raw = e.get("Target", "")
            out.append(Rel(e.get("Id", ""), e.get("Type", ""), None if external else _resolve(part, raw), raw, external))
        return out

    def sheets(self) -> dict[str, tuple[str, str]]:
        """Sheet name -> (part, r:id) from workbook.xml."""
        rels = {r.id: r for r in self.rels(self.workbook)}
        root = ElementTree.fromstring(self.read(self.workbook))
        out = {}
        for sheet in root.iter(f"{{{_MAIN}}}sheet"):
            rel = rels.get(sheet.get(f"{{{_R}}}id", ""))
            if rel is not None and rel.target is not None:
                out[sheet.get("name", "")] = (rel.target, rel.id)
        return out


def _ext_uris(xml: bytes, tail_tag: bytes = b"</sheetData>") -> list[str]:
    """The uris of the worksheet-level extLst (the last element of a worksheet)."""
    at = xml.rfind(tail_tag)
    tail = xml[at:] if at >= 0 else xml
    m = re.search(rb"<(?:\w+:)?extLst>(.*)</(?:\w+:)?extLst>\s*</(?:\w+:)?(?:worksheet|chartsheet)>\s*$", tail, re.S)
    if not m:
        return []
    return [u.decode() for u in re.findall(rb'<(?:\w+:)?ext\b[^>]*?\buri="([^"]+)"', m.group(1))]


def _worksheet_ext_block(xml: str) -> str | None:
    m = re.search(r"<((?:\w+:)?)extLst>.*</\1extLst>(?=\s*</(?:\w+:)?worksheet>\s*$)", xml, re.S)
    return m.group(0) if m else None


# ---------------------------------------------------------------------------------------------
# What has to be kept, found before writing
# ---------------------------------------------------------------------------------------------

@dataclass
class Plan:
    copy: list[str] = field(default_factory=list)  # user sheets copied as they are, by name
    graft: dict[str, dict] = field(default_factory=dict)  # our sheet -> what to put back
    lost: list[str] = field(default_factory=list)  # what could not be kept, in words

    @property
    def nothing(self) -> bool:
        return not self.copy and not self.graft


_KEPT_DRAWING_CHILDREN = re.compile(rb"<(?:\w+:)?(?:pic|clientData)\b")


def _drawing_has_more_than_openpyxl_keeps(pkg: Package, drawing: str) -> bool:
    """Shapes, text boxes, groups, connectors, controls: anything but pictures and charts."""
    xml = pkg.read(drawing)
    if re.search(rb"<(?:\w+:)?(?:sp|grpSp|cxnSp)\b|AlternateContent", xml):
        return True
    for frame in re.findall(rb"<(?:\w+:)?graphicData\b[^>]*uri=\"([^\"]+)\"", xml):
        if not frame.endswith(b"/chart"):
            return True  # SmartArt, an equation, an embedded object
    return False


def _vml_controls(pkg: Package, vml: str) -> bool:
    """Form controls drawn in VML (a legacy drawing also holds the comments openpyxl keeps)."""
    types = re.findall(rb"ObjectType=\"(\w+)\"", pkg.read(vml))
    return any(t != b"Note" for t in types)


def _sheet_features(pkg: Package, part: str) -> tuple[dict, list[str]]:
    """(what to put back, what cannot be kept) for a sheet that openpyxl writes."""
    tail = pkg.tails.get(part)
    if tail is None:
        xml = pkg.read(part)
        at = xml.rfind(b"</sheetData>")
        tail = xml[at:] if at >= 0 else xml  # everything but the cells: a big sheet is searched quickly
    graft: dict = {}
    lost: list[str] = []
    uris = _ext_uris(tail)
    lost.extend(EXT_LOST[u] for u in uris if u in EXT_LOST)
    kept = [u for u in uris if u not in EXT_LOST]
    if kept:
        graft["ext"] = kept
    if CF_LINK_URI.encode() in tail:
        graft["cf_links"] = True
    for rel in pkg.rels(part):
        kind = rel.type.rsplit("/", 1)[-1]
        if kind == "drawing" and rel.target and _drawing_has_more_than_openpyxl_keeps(pkg, rel.target):
            graft["drawing"] = rel.target
        elif kind == "vmlDrawing" and rel.target and _vml_controls(pkg, rel.target):
            lost.append("窗体控件")
        elif kind in ("control", "activeXControlBinary", "ctrlProp") or kind.endswith("ctrlProp"):
            lost.append("窗体控件")
        elif kind in ("oleObject", "package"):
            lost.append("嵌入的对象")
        elif kind == "threadedComment":
            lost.append("新版批注中的回复")
        elif kind == "image" and re.search(rb"<(?:\w+:)?picture\b", tail):
            lost.append("工作表背景图片")
    if re.search(rb"<(?:\w+:)?(?:controls|oleObjects)\b", tail):
        lost.append("窗体控件或嵌入的对象")
    return graft, sorted(set(lost), key=lost.index)


def plan_for(original: bytes, path: Path, tails: dict[str, bytes] | None = None) -> Plan:
    """What of the original package must be copied or put back; raises LedgerError, before anything
    is written, when something of the user's could not be kept. ``tails``: each worksheet's XML
    after its cells, when already read."""
    pkg = Package(original)
    if tails:
        pkg.tails.update(tails)
    plan = Plan()
    root = pkg.read(pkg.workbook)
    for uri in re.findall(rb'<(?:\w+:)?ext\b[^>]*?\buri="([^"]+)"', root):
        name = WORKBOOK_EXT_LOST.get(uri.decode())
        if name:
            plan.lost.append(f"工作簿中的{name}")
    for name, (part, _rid) in pkg.sheets().items():
        if name in REBUILT_SHEETS:
            continue
        if name not in OWNED_SHEETS:
            if any(r.type.endswith("/pivotTable") for r in pkg.rels(part)):
                # openpyxl rewrites pivot tables with their caches: the sheet goes through it
                graft, lost = _sheet_features(pkg, part)
                if graft.get("drawing"):
                    lost.append("文本框或形状")
                lost.extend(EXT_NAMES.get(u, "Excel 2010 格式的内容") for u in graft.get("ext", ()))
                plan.lost.extend(f"工作表“{name}”中的{item}" for item in lost)
            else:
                plan.copy.append(name)
            continue
        graft, lost = _sheet_features(pkg, part)
        plan.lost.extend(f"工作表“{name}”中的{item}" for item in lost)
        if graft:
            graft["part"] = part
            plan.graft[name] = graft
    if plan.lost:
        raise LedgerError(
            f"无法更新台账“{path}”：其中有本程序无法原样保留的内容——{'、'.join(dict.fromkeys(plan.lost))}。"
            f"为免丢失，台账未改动；请把这些内容移到另一个工作簿，或另选一个台账文件。", path)
    return plan


def keeper(wb, original, owned_before, moved: dict[str, RowMap], path: Path):
    """The function that writes ``wb`` to a binary file keeping what openpyxl would drop (see the
    module's text); ``original``: the workbook_io.Original it was read from (None: a new ledger).
    Raises LedgerError at once when something cannot be kept."""
    if original is None or not original.data:
        return lambda out: write_workbook(wb, out)
    tails, original = original.tails, original.data
    try:
        plan = plan_for(original, path, tails)
    except LedgerError:
        raise
    except Exception as exc:  # noqa: BLE001 - a package we cannot read here was read by openpyxl
        raise LedgerError(f"无法更新台账“{path}”：无法确认工作簿中的全部内容都能保留（{type(exc).__name__}），"
                          f"台账未改动。", path) from None
    if plan.nothing:
        return lambda out: write_workbook(wb, out)

    def write(out) -> None:
        buffer = io.BytesIO()
        write_workbook(wb, buffer)
        out.write(_rebuild(Package(original), Package(buffer.getvalue()), plan, moved, path))

    return write


# ---------------------------------------------------------------------------------------------
# Writing: openpyxl's package with the user's sheets and the extensions put back
# ---------------------------------------------------------------------------------------------

def _shared_strings(pkg: Package) -> list[str]:
    rel = next((r for r in pkg.rels(pkg.workbook) if r.type.endswith("/sharedStrings")), None)
    if rel is None or rel.target not in pkg.names:
        return []
    xml = pkg.read(rel.target).decode("utf-8", "surrogateescape")
    return [m.group(2) or "" for m in re.finditer(r"<((?:\w+:)?)si\b[^>]*?(?:/>|>(.*?)</\1si>)", xml, re.S)]


class _Writer:
    def __init__(self, orig: Package, new: Package, moved: dict[str, RowMap]):
        self.orig, self.new, self.moved = orig, new, moved
        self.parts: dict[str, bytes] = {n: new.read(n) for n in new.zip.namelist()}
        self.overrides = dict(new.overrides)
        self.defaults = dict(new.defaults)
        self.copied: dict[str, str] = {}  # original part -> its name in the new package
        self.copied_tables: list[str] = []

    # --- parts ---------------------------------------------------------------------------------
    def drop(self, part: str) -> None:
        """Remove a part openpyxl wrote, and what only it refers to."""
        for rel in self.new.rels(part):
            if rel.target and rel.target in self.parts and rel.target not in (self.new.workbook,):
                self.drop(rel.target)
        self.parts.pop(part, None)
        self.parts.pop(rels_name(part), None)
        self.overrides.pop(part, None)

    def fresh_name(self, part: str) -> str:
        folder, name = posixpath.split(part)
        stem, ext = posixpath.splitext(name)
        stem = re.sub(r"\d+$", "", stem) or "part"
        n = 1
        while True:
            candidate = posixpath.join(folder, f"{stem}kept{n}{ext}")
            if candidate not in self.parts and candidate not in self.copied.values():
                return candidate
            n += 1

    def copy(self, part: str, transform=None) -> str:
        """Copy an original part (and what it refers to) into the new package; its new name."""
        if part in self.copied:
            return self.copied[part]
        name = self.fresh_name(part)
        self.copied[part] = name
        data = self.orig.read(part)
        if transform is not None:
            data = transform(data)
        elif part.endswith(".xml") and self.moved:
            text = data.decode("utf-8", "surrogateescape")
            shifted = _shift_formulas(text, self.moved)
            if shifted != text:
                data = shifted.encode("utf-8", "surrogateescape")
        self.parts[name] = data
        ctype = self.orig.content_type(part)
        if ctype:
            ext = posixpath.splitext(name)[1].lstrip(".").lower()
            if self.defaults.get(ext) != ctype:
                self.overrides[name] = ctype
        if ctype and ctype.endswith(".table+xml"):
            self.copied_tables.append(name)
        self.write_rels(name, self.orig.rels(part))
        return name

    def write_rels(self, part: str, rels: list[Rel]) -> None:
        if not rels:
            self.parts.pop(rels_name(part), None)
            return
        lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
                 f'<Relationships xmlns="{_PKG_RELS}">']
        for rel in rels:
            if rel.external or rel.target is None:
                target, mode = rel.raw_target, ' TargetMode="External"'
            elif rel.target not in self.orig.names:
                continue  # a dangling relationship in the original: nothing to copy
            else:
                target, mode = posixpath.relpath(self.copy(rel.target), posixpath.dirname(part)), ""
            lines.append(f'<Relationship Id="{html.escape(rel.id)}" Type="{html.escape(rel.type)}" '
                         f'Target="{html.escape(target)}"{mode}/>')
        lines.append("</Relationships>")
        self.parts[rels_name(part)] = "".join(lines).encode("utf-8")

    # --- the sheets ----------------------------------------------------------------------------
    def copy_sheet(self, name: str, strings: list[str]) -> None:
        opart = self.orig.sheets()[name][0]
        npart = self.new.sheets()[name][0]
        for rel in self.new.rels(npart):  # openpyxl's version of what the sheet refers to
            if rel.target and rel.target in self.parts:
                self.drop(rel.target)
        xml = self.orig.read(opart).decode("utf-8", "surrogateescape")
        xml = _inline_strings(xml, strings)
        xml = _shift_formulas(xml, self.moved)
        self.parts[npart] = xml.encode("utf-8", "surrogateescape")
        self.write_rels(npart, self.orig.rels(opart))

    def graft_sheet(self, name: str, graft: dict) -> None:
        opart = graft["part"]
        npart = self.new.sheets()[name][0]
        rows = self.moved.get(name)
        oxml = self.orig.read(opart).decode("utf-8", "surrogateescape")
        xml = self.parts[npart].decode("utf-8")
        if graft.get("ext"):
            block = _worksheet_ext_block(oxml)
            if block:
                kept = "".join(e for e in _ext_elements(block) if _ext_uri(e) not in EXT_LOST)
                if kept:
                    kept = _shift_formulas(kept, self.moved, name)
                    if rows is not None:
                        kept = _shift_sqrefs(kept, rows)
                    xml = _insert_ext(xml, kept, _namespaces(oxml))
        if graft.get("cf_links"):
            xml = _restore_cf_links(xml, oxml)
        if graft.get("drawing"):
            xml = self._swap_drawing(npart, xml, graft["drawing"], rows)
        self.parts[npart] = xml.encode("utf-8")

    def _swap_drawing(self, npart: str, xml: str, drawing: str, rows: RowMap | None) -> str:
        rels = self.new.rels(npart)
        old = next((r for r in rels if r.type.endswith("/drawing")), None)
        if old is not None and old.target in self.parts:
            self.drop(old.target)

        def anchors(data: bytes) -> bytes:
            text = data.decode("utf-8", "surrogateescape")
            if rows is not None:
                def move(m: re.Match) -> str:
                    new = rows.row(int(m.group(2)) + 1)
                    return m.group(0) if new is None else f"<{m.group(1)}row>{new - 1}</{m.group(1)}row>"
                text = re.sub(r"<((?:\w+:)?)row>(\d+)</\1row>", move, text)
            return text.encode("utf-8", "surrogateescape")

        name = self.copy(drawing, anchors)
        kept = [r for r in rels if not r.type.endswith("/drawing")]
        rid = _free_id(r.id for r in rels)
        target_rel = Rel(rid, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing",
                         name, posixpath.relpath(name, posixpath.dirname(npart)), False)
        self._write_new_rels(npart, [*kept, target_rel])
        xml = re.sub(r"<(?:\w+:)?drawing\b[^>]*/>", "", xml)
        element = f'<drawing xmlns:r="{_R}" r:id="{rid}"/>'
        m = re.search(r"<(?:\w+:)?(?:legacyDrawing|legacyDrawingHF|picture|oleObjects|controls|webPublishItems|"
                      r"tableParts|extLst)\b|</(?:\w+:)?worksheet>", xml)
        return xml[:m.start()] + element + xml[m.start():]

    def _write_new_rels(self, part: str, rels: list[Rel]) -> None:
        lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
                 f'<Relationships xmlns="{_PKG_RELS}">']
        for rel in rels:
            if rel.external:
                target, mode = rel.raw_target, ' TargetMode="External"'
            else:
                target, mode = posixpath.relpath(rel.target, posixpath.dirname(part)), ""
            lines.append(f'<Relationship Id="{html.escape(rel.id)}" Type="{html.escape(rel.type)}" '
                         f'Target="{html.escape(target)}"{mode}/>')
        lines.append("</Relationships>")
        self.parts[rels_name(part)] = "".join(lines).encode("utf-8")

    # --- the whole -----------------------------------------------------------------------------
    def unique_table_ids(self) -> None:
        """Table ids are unique in a workbook: the copied tables are numbered after openpyxl's."""
        ours = [n for n, t in self.overrides.items() if t.endswith(".table+xml") and n not in self.copied_tables]
        taken = set()
        for name in ours:
            m = re.search(rb'<(?:\w+:)?table\b[^>]*?\bid="(\d+)"', self.parts.get(name, b""))
            if m:
                taken.add(int(m.group(1)))
        next_id = max(taken, default=0) + 1
        for name in self.copied_tables:
            data = self.parts[name]
            m = re.search(rb'(<(?:\w+:)?table\b[^>]*?\bid=")(\d+)(")', data)
            if m and int(m.group(2)) in taken:
                data = data[:m.start(2)] + str(next_id).encode() + data[m.end(2):]
                self.parts[name] = data
                taken.add(next_id)
                next_id += 1
            elif m:
                taken.add(int(m.group(2)))

    def content_types(self) -> bytes:
        lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', f'<Types xmlns="{_CT}">']
        extensions = {posixpath.splitext(n)[1].lstrip(".").lower() for n in self.parts}
        for ext, ctype in sorted(self.defaults.items()):
            lines.append(f'<Default Extension="{html.escape(ext)}" ContentType="{html.escape(ctype)}"/>')
        for ext in sorted(extensions - set(self.defaults)):
            ctype = self.orig.defaults.get(ext)
            if ctype:
                lines.append(f'<Default Extension="{html.escape(ext)}" ContentType="{html.escape(ctype)}"/>')
        for name, ctype in sorted(self.overrides.items()):
            if name in self.parts:
                lines.append(f'<Override PartName="/{html.escape(name)}" ContentType="{html.escape(ctype)}"/>')
        lines.append("</Types>")
        return "".join(lines).encode("utf-8")

    def result(self) -> bytes:
        self.unique_table_ids()
        self.parts["[Content_Types].xml"] = self.content_types()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
            archive.writestr("[Content_Types].xml", self.parts.pop("[Content_Types].xml"))
            for name, data in self.parts.items():
                archive.writestr(name, data)
        return out.getvalue()


def _rebuild(orig: Package, new: Package, plan: Plan, moved: dict[str, RowMap], path: Path) -> bytes:
    writer = _Writer(orig, new, moved)
    strings = _shared_strings(orig) if plan.copy else []
    new_sheets = new.sheets()
    missing = [name for name in plan.copy if name not in new_sheets]
    if missing:  # a sheet openpyxl could not read at all: never dropped without a word
        raise LedgerError(f"无法更新台账“{path}”：工作表“{'”“'.join(missing)}”无法原样保留，台账未改动；"
                          f"请把它移到另一个工作簿后重试。", path)
    for name in plan.copy:
        writer.copy_sheet(name, strings)
    # the people of threaded comments in a copied sheet are listed at the workbook's level
    people = [r for r in orig.rels(orig.workbook) if r.type.endswith("/person") and r.target in orig.names]
    if people and plan.copy:
        rels = new.rels(new.workbook)
        taken = [r.id for r in rels]
        added = []
        for rel in people:
            rid = _free_id([*taken, *(a.id for a in added)])
            name = writer.copy(rel.target)
            added.append(Rel(rid, rel.type, name, name, False))
        writer._write_new_rels(new.workbook, [*rels, *added])
    for name, graft in plan.graft.items():
        if name in new_sheets:
            writer.graft_sheet(name, graft)
    return writer.result()
