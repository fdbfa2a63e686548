"""Export a report's text as a .docx laid out by GB/T 9704-2012 (党政机关公文格式).

A4, margins 37/35/28/26 mm, a grid of 22 lines × 28 characters, title 2号 方正小标宋简体, body
3号 仿宋_GB2312 with a two-character first-line indent and an exact 28.95 pt line pitch, headings
黑体 / 楷体_GB2312 / 仿宋_GB2312 by level, page numbers `— 1 —` in 4号 宋体 right on odd pages and
left on even pages, and an optional 落款 (unit and date).

Decisions:
- Web residue is not exported: whole junk lines (Paragraph.kind == "junk") are dropped, so is a
  line that holds nothing but residue (仅供参考，请勿照搬照抄！ or （阅读全部内容,请先登录!） on a line
  of its own), and the paid-site markers ``##paidbegin##`` / ``##paidend##`` are cut out of the
  middle of a line (they are markup, never content). Other in-line residue (a URL in a sentence)
  is exported as written: it may be words the user means to keep, and the checker still reports it.
- An existing 落款 (paragraphs of kind "signature") is exported as written and `unit`/`date` are
  ignored; otherwise `unit`/`date`, when given, are appended. Either way the 落款 is placed as
  GB/T 9704 7.3.5.2 has it for a document without a seal: one empty line under the text, the
  unit 右空二字, the date on the next line starting two characters right of the unit's first
  character (a date longer than that: the date 右空二字 and the unit moved left to keep the two
  characters). The last body paragraph, the empty line and the 落款 are kept together, so the
  落款 never stands alone on a page.
- Headings carry outline levels (一、 level 1 … （1） level 4), so Word's navigation pane lists them.
- Latin letters and digits are Times New Roman everywhere except the page number, which GB/T 9704
  7.5 asks for in 宋体 (all four rFonts slots are 宋体 there).

The file is written to a temporary file in the target folder and moved over the target with
`os.replace`, so a failure leaves the old file untouched and no temporary file behind. Every
failure is an `ExportError` whose message is one Chinese sentence naming the file.
"""
from __future__ import annotations

import copy
import datetime
import os
import re
import zipfile
from pathlib import Path

from core import resources
from core.files.atomic import SaveError, lock_files, refuse_if_open, save_with
from core.office.docx_layout import (
    CHAR,
    CHAR_SPACE,
    FONT_ALIASES,
    FONT_PAGE_NUMBER,
    FONT_SETS,
    FONTS,
    FOOTER_DISTANCE,
    HEADER_DISTANCE,
    LINE_PITCH,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_H,
    PAGE_W,
    SIZE_BODY,
    SIZE_PAGE_NUMBER,
    SIZE_TITLE,
    SUBSTITUTES,
    FontSet,
    format_date,
    is_date_line,
    make_element,
    make_paragraph,
    make_run,
    paragraph_properties,
    qn_w,
    run_properties,
    set_fonts,
    set_ppr,
    signature_paragraphs,
    split_title,
    without_paid_markers,
)
from core.text.document import parse

__all__ = [
    "ExportError", "export_docx", "build_document", "build_saved_document", "save_docx", "written_here",
    "mark_written_here", "split_title", "format_date", "FontSet", "FONT_SETS", "FONT_ALIASES",
    "SUBSTITUTES", "CHAR_GRID", "CHAR_SPACE", "signature_warning", "parse_date", "signature_paragraphs", "residue_lines",
]

# How the 28 characters per line are made. False (the default, because it is the one we could
# measure: 22 × 28 in LibreOffice's PDF, see tests/tools/docx_layout_check.py): a "lines" grid and
# body runs condensed by 0.25 pt. True (as many Word/WPS 公文 templates do it): a
# "linesAndChars" grid whose pitch, 15.79 pt, is a little less than the 16 pt glyphs; Word and WPS
# set 28 per line. LibreOffice (7.4) gives every glyph wider than the pitch two grid cells, so it
# shows only 18 per line. False: a "lines" grid only, and body runs condensed by 0.25 pt
# (w:spacing -5: 28 × 15.75 pt = 441 pt within the 442.2 pt line), which LibreOffice also sets
# 28 to a line. Word honours condensed spacing too; with False, Word's page-setup dialog shows
# only the 22-line grid, not "28 characters per line".
CHAR_GRID = False
CONDENSE = -5  # twentieths of a point, used when CHAR_GRID is False



class ExportError(Exception):
    def __init__(self, path: str | os.PathLike, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"无法导出“{self.path}”：{reason}")


# --------------------------------------------------------------------------------------------
# Document setup

def _setup_document(font_set: FontSet = FONTS):
    import docx  # deferred: python-docx loads only when a document is written (start-up speed)

    document = docx.Document()
    # docDefaults: Chinese fonts instead of the template's Japanese theme fonts, 3号, no spacing.
    styles = document.styles.element
    defaults = styles.find(qn_w("w:docDefaults"))
    rpr = defaults.find(qn_w("w:rPrDefault")).find(qn_w("w:rPr"))
    set_fonts(rpr, font_set.body)
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn_w(tag))
        if el is not None:
            el.set(qn_w("w:val"), str(SIZE_BODY))
    lang = rpr.find(qn_w("w:lang"))
    if lang is not None:
        lang.set(qn_w("w:eastAsia"), "zh-CN")
    ppr_default = defaults.find(qn_w("w:pPrDefault")).find(qn_w("w:pPr"))
    spacing = ppr_default.find(qn_w("w:spacing"))
    spacing.set(qn_w("w:after"), "0")
    spacing.set(qn_w("w:line"), str(LINE_PITCH))
    spacing.set(qn_w("w:lineRule"), "exact")
    # Normal style: drop any theme fonts it names
    for style_rpr in styles.iter(qn_w("w:rPr")):
        fonts = style_rpr.find(qn_w("w:rFonts"))
        if fonts is not None and style_rpr is not rpr:
            for key in list(fonts.attrib):
                if key.endswith(("Theme", "theme")):
                    del fonts.attrib[key]

    section = document.sections[0]
    sect = section._sectPr
    pg_sz = sect.find(qn_w("w:pgSz"))
    pg_sz.set(qn_w("w:w"), str(PAGE_W))
    pg_sz.set(qn_w("w:h"), str(PAGE_H))
    pg_mar = sect.find(qn_w("w:pgMar"))
    for key, value in (("top", MARGIN_TOP), ("bottom", MARGIN_BOTTOM), ("left", MARGIN_LEFT),
                       ("right", MARGIN_RIGHT), ("header", HEADER_DISTANCE),
                       ("footer", FOOTER_DISTANCE), ("gutter", 0)):
        pg_mar.set(qn_w("w:" + key), str(value))
    grid = sect.find(qn_w("w:docGrid"))
    if grid is None:
        grid = make_element("w:docGrid")
        sect.append(grid)
    grid.attrib.clear()
    grid.set(qn_w("w:type"), "linesAndChars" if CHAR_GRID else "lines")
    grid.set(qn_w("w:linePitch"), str(LINE_PITCH))
    if CHAR_GRID:
        grid.set(qn_w("w:charSpace"), str(CHAR_SPACE))

    _declare_fonts(document, font_set)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, odd=True)
    _page_number_footer(section.even_page_footer, odd=False)
    return document


def _declare_fonts(document, fonts: FontSet) -> None:
    """Name every Chinese font of the set in the font table, with its substitute as altName and
    the GB2312 character set, so a PC without it falls back to the right kind of font."""
    from lxml import etree  # deferred: lxml loads only when a document is written (start-up speed)

    part = next((p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    declared = {el.get(qn_w("w:name")) for el in root.findall(qn_w("w:font"))}
    for name in fonts.fonts():
        if name in declared:
            continue
        font = etree.SubElement(root, qn_w("w:font"))
        font.set(qn_w("w:name"), name)
        if SUBSTITUTES.get(name, name) != name:
            etree.SubElement(font, qn_w("w:altName")).set(qn_w("w:val"), SUBSTITUTES[name])
        etree.SubElement(font, qn_w("w:charset")).set(qn_w("w:val"), "86")
        etree.SubElement(font, qn_w("w:family")).set(qn_w("w:val"), "modern")
        etree.SubElement(font, qn_w("w:pitch")).set(qn_w("w:val"), "fixed")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_footer(footer, *, odd: bool) -> None:
    """`— N —` in 4号 宋体: odd pages right with one character in, even pages left likewise."""
    footer.is_linked_to_previous = False
    container = footer._element
    for p in list(container):
        container.remove(p)
    one_char = 280  # one 4号 character
    if odd:
        ppr = paragraph_properties(jc="right", first_line=False, right=one_char, line=0, snap=False)
    else:
        ppr = paragraph_properties(jc="left", first_line=False, left=one_char, line=0, snap=False)
    # a footer line sits outside the grid: single spacing, not the body's exact pitch
    spacing = ppr.find(qn_w("w:spacing"))
    spacing.set(qn_w("w:line"), "240")
    spacing.set(qn_w("w:lineRule"), "auto")
    ind = ppr.find(qn_w("w:ind"))
    # chars attributes above were computed for 3号; set them for 4号
    for key in ("leftChars", "rightChars"):
        if ind.get(qn_w("w:" + key)) is not None:
            ind.set(qn_w("w:" + key), "100")
    p = make_element("w:p")
    p.append(ppr)
    rpr = run_properties(FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER, latin=FONT_PAGE_NUMBER, hint="eastAsia")
    p.append(make_run("— ", rpr))
    for kind in ("begin", None, "separate", "1", "end"):
        r = make_element("w:r")
        r.append(copy.deepcopy(rpr))
        if kind is None:
            instr = make_element("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = " PAGE "
            r.append(instr)
        elif kind == "1":
            t = make_element("w:t")
            t.text = "1"
            r.append(t)
        else:
            r.append(make_element("w:fldChar", fldCharType=kind))
        p.append(r)
    p.append(make_run(" —", rpr))
    container.append(p)


# --------------------------------------------------------------------------------------------

class _Styles:
    """The paragraph and run properties of the layout, for one font set."""

    def __init__(self, fonts: FontSet):
        condense = 0 if CHAR_GRID else CONDENSE
        self.body_ppr = paragraph_properties()
        self.body_rpr = run_properties(fonts.body, SIZE_BODY, condense=condense)
        self.heading_rpr = {level: run_properties(font, SIZE_BODY, condense=condense) for level, font in fonts.heading.items()}
        # off the character grid: 2号 glyphs would otherwise take two grid cells each
        self.title_ppr = paragraph_properties(jc="center", first_line=False, snap=False)
        self.title_rpr = run_properties(fonts.title, SIZE_TITLE, bold=fonts.title_bold)
        self.attach_ppr = paragraph_properties(first_line=False, left=2 * CHAR + 3 * CHAR, hanging=3 * CHAR)
        self.signature_ppr = paragraph_properties(jc="right", first_line=False, right=4 * CHAR)

    def title(self, title: str, lead: str = "", tail: str = ""):
        """A centred title, a long one on two balanced lines (a soft break, read back as one line)."""
        p = make_paragraph(self.title_ppr, [(lead, self.title_rpr)])
        for i, line in enumerate(split_title(title)):
            if i:
                r = make_element("w:r")
                r.append(copy.deepcopy(self.title_rpr))
                r.append(make_element("w:br"))
                p.append(r)
            p.append(make_run(line, self.title_rpr))
        if tail:
            p.append(make_run(tail, self.title_rpr))
        return p


def build_document(text: str, *, unit: str | None = None, date: datetime.date | str | None = None,
                   report_type: str | None = None, fonts: FontSet = FONTS):
    """The python-docx Document for `text`, and counts {"paragraphs", "headings"}. `date` is the
    成文日期 (a date, or the text to print, such as a blank 20××年××月××日)."""
    doc = parse(text, report_type)
    document = _setup_document(fonts)
    body = document.element.body
    sect = body.find(qn_w("w:sectPr"))
    out = []

    styles = _Styles(fonts)
    body_ppr, body_rpr, heading_rpr = styles.body_ppr, styles.body_rpr, styles.heading_rpr
    blank = make_paragraph(body_ppr)

    if doc.title:
        title_ppr, title_rpr = styles.title_ppr, styles.title_rpr
        p = make_paragraph(title_ppr)
        for i, line in enumerate(split_title(without_paid_markers(doc.title))):
            if i:
                r = make_element("w:r")
                r.append(copy.deepcopy(title_rpr))
                r.append(make_element("w:br"))
                p.append(r)
            p.append(make_run(line, title_rpr))
        out.append(p)
        out.append(copy.deepcopy(blank))

    # Headings and paragraphs in text order; a heading's same-line body joins its paragraph.
    residue = residue_lines(doc)
    items = [(h.start, 0, h) for h in doc.headings]
    items += [(para.start, 1, para) for para in doc.paragraphs
              if para.kind not in ("junk", "heading-body", "signature") and para.start not in residue]
    items.sort(key=lambda item: (item[0], item[1]))
    same_line = {}
    for para in doc.paragraphs:
        if para.kind == "heading-body" and para.heading is not None:
            same_line[para.heading] = para
    heading_index = {id(h): i for i, h in enumerate(doc.headings)}

    attach_ppr = styles.attach_ppr
    paragraphs = 0
    for _, _, item in items:
        if hasattr(item, "level"):
            h = item
            rest = doc.text[h.title_end:h.line_end]
            extra = same_line.get(heading_index[id(h)])
            if extra is not None:
                rest = doc.text[h.title_end:extra.end]
            p = make_paragraph(body_ppr, [(without_paid_markers(doc.text[h.start:h.title_end]), heading_rpr[h.level]),
                                          (without_paid_markers(rest), body_rpr)])
            set_ppr(p, "outlineLvl", val=min(h.level, 9) - 1)  # Word's navigation pane
            out.append(p)
        elif item.kind == "attachment":
            out.append(make_paragraph(attach_ppr, [(without_paid_markers(item.text), body_rpr)]))
        else:
            cleaned = without_paid_markers(item.text)
            if not cleaned.strip():
                continue
            out.append(make_paragraph(body_ppr, [(cleaned, body_rpr)]))
        paragraphs += 1

    signature = [without_paid_markers(p.text) for p in doc.paragraphs if p.kind == "signature"]
    if not signature:
        if unit and unit.strip():
            signature.append(unit.strip())
        if date:
            signature.append(date if isinstance(date, str) else format_date(date))
    if signature:
        if out:  # the last lines of the text go with the 落款 to a new page, never the 落款 alone
            set_ppr(out[-1], "keepNext")
        gap = copy.deepcopy(blank)
        set_ppr(gap, "keepNext")
        out.append(gap)
        lines = signature_paragraphs(signature, body_rpr, 0 if CHAR_GRID else CONDENSE)
        out += lines
        paragraphs += len(lines)

    for p in out:
        sect.addprevious(p)
    mark_written_here(document, doc.title, author=(signature[0] if signature and not is_date_line(signature[0])
                                                   else doc.meta.unit))
    return document, {"paragraphs": paragraphs, "headings": len(doc.headings)}


@resources.data_cache
def _residue_patterns() -> tuple:
    data = resources.load("rules/residue.toml")
    return tuple(resources.compile_pattern(e["pattern"], "rules/residue.toml") for e in data.get("residue", []))


_CONTENT = re.compile(r"[\w\u2E80-\u9FFF]")


def residue_lines(doc) -> set[int]:
    """Starts of the paragraphs that hold nothing but web residue (a 仅供参考，请勿照搬照抄 notice
    or a （阅读全部内容,请先登录!） line): not exported, even when the user exports anyway."""
    out = set()
    patterns = _residue_patterns()
    for para in doc.paragraphs:
        if para.kind in ("junk", "signature") or not para.text.strip():
            continue
        rest = para.text
        for pattern in patterns:
            rest, cut = pattern.subn("", rest)
            if cut and not _CONTENT.search(rest):
                out.add(para.start)
                break
    return out


_DATE_INPUT = (re.compile(r"^\s*([0-9]{4})[-./]([0-9]{1,2})[-./]([0-9]{1,2})\s*$"),
               re.compile(r"^\s*([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日\s*$"))


def parse_date(text: str) -> datetime.date | None:
    """A 成文日期 typed as 2025-01-05, 2025/1/5, 2025.1.5 or 2025年1月5日; None if it is none of these
    or no such day."""
    for pattern in _DATE_INPUT:
        m = pattern.match(text)
        if m:
            try:
                return datetime.date(*(int(g) for g in m.groups()))
            except ValueError:
                return None
    return None


def signature_warning(text: str, unit: str | None, date, report_type: str | None = None) -> str | None:
    """What the export's 落款 will lack, in one Chinese sentence, or None: a report that ends with
    its own 落款 is exported as written; otherwise a 落款 needs the unit (a date alone is not a
    落款) and the 成文日期."""
    doc = parse(text, report_type)
    if any(p.kind == "signature" for p in doc.paragraphs):
        return None
    unit = (unit or "").strip()
    if not unit and date:
        return "落款单位是空的：导出的文档末尾只有成文日期，没有发文单位署名。"
    if not unit:
        return "报告中没有写明单位，导出的文档没有落款（发文单位和成文日期）。"
    if not date:
        return f"落款只有单位“{unit}”，没有成文日期。"
    return None


# --------------------------------------------------------------------------------------------
# The report saved as a .docx: the same layout, every line of the text kept

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def build_saved_document(text: str, *, fonts: FontSet = FONTS, report_type: str | None = None):
    """The report as its working .docx: every line of `text` one paragraph, blank lines, web
    residue and the 落款 included, laid out like the export (title, headings by level, 附件,
    落款 on the right). Reading it back (core.files.textio) gives `text` again. Returns the document and
    how many characters XML cannot hold (control characters) were left out."""
    dropped = len(_XML_INVALID.findall(text))
    text = _XML_INVALID.sub("", text)
    doc = parse(text, report_type)
    document = _setup_document(fonts)
    sect = document.element.body.find(qn_w("w:sectPr"))
    styles = _Styles(fonts)
    kinds = {}
    for para in doc.paragraphs:
        kinds.setdefault(text.rfind("\n", 0, para.start) + 1, para.kind)
    headings = {text.rfind("\n", 0, h.start) + 1: h for h in doc.headings}
    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if doc.title and start <= doc.title_start < end and doc.title_end <= end:
            p = styles.title(text[doc.title_start:doc.title_end], lead=text[start:doc.title_start],
                             tail=text[doc.title_end:end])
        elif doc.title and start < doc.title_end and end > doc.title_start:
            p = make_paragraph(styles.title_ppr, [(line, styles.title_rpr)])  # a title on two lines
        elif start in headings:
            h = headings[start]
            p = make_paragraph(styles.body_ppr, [(text[start:h.start], styles.body_rpr),
                                             (text[h.start:h.title_end], styles.heading_rpr[h.level]),
                                             (text[h.title_end:end], styles.body_rpr)])
        elif kinds.get(start) == "attachment":
            p = make_paragraph(styles.attach_ppr, [(line, styles.body_rpr)])
        elif kinds.get(start) == "signature":
            p = make_paragraph(styles.signature_ppr, [(line, styles.body_rpr)])
        else:
            p = make_paragraph(styles.body_ppr, [(line, styles.body_rpr)])
        sect.addprevious(_with_tabs(p))
    mark_written_here(document, doc.title, author=doc.meta.unit)
    return document, dropped


def _with_tabs(p):
    """A tab inside w:t is a space to Word; it is written as w:tab, which reads back as a tab."""
    for t in list(p.iter(qn_w("w:t"))):
        if "\t" not in (t.text or ""):
            continue
        run = t.getparent()
        pieces = t.text.split("\t")
        t.text = pieces[0]
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        anchor = t
        for piece in pieces[1:]:
            tab = make_element("w:tab")
            anchor.addnext(tab)
            anchor = tab
            if piece:
                more = make_element("w:t")
                more.text = piece
                more.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                anchor.addnext(more)
                anchor = more
        if not pieces[0]:
            run.remove(t)
    return p


def save_docx(text: str, path, *, fonts: FontSet = FONTS, report_type: str | None = None,
              backup: bool = True) -> dict:
    """Save the report as its working .docx, atomically, the previous file kept as `.bak`.
    Returns {"path", "dropped"} (control characters left out). Raises drafts.SaveError."""
    target = Path(path)
    refuse_if_open(target)
    document, dropped = build_saved_document(text, fonts=fonts, report_type=report_type)
    save_with(target, document.save, backup=backup)
    return {"path": str(target), "dropped": dropped}


# --------------------------------------------------------------------------------------------
# "Written by this program": a custom document property, and the program's name as the
# application. Word and WPS keep custom properties but put their own name in the application
# field when they save, so a file edited there since (its formatting the user's own) is not ours.

MARK_PROPERTY = "ReportAssistant"
APPLICATION = "主体责任报告助手"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def mark_written_here(document, title: str | None = None, author: str | None = None) -> None:
    """Our mark, and the document's properties: the title, the unit (or this program) as author,
    now as created and modified (python-docx's template says "generated by python-docx", 2013)."""
    # deferred: python-docx loads only when a document is written (start-up speed)
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI  # deferred: as above
    from docx.opc.part import Part  # deferred: as above
    from lxml import etree  # deferred: lxml loads only when a document is written (start-up speed)

    package = document.part.package
    custom = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">'
              f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="{MARK_PROPERTY}">'
              f'<vt:lpwstr>1</vt:lpwstr></property></Properties>').encode()
    part = Part(PackURI("/docProps/custom.xml"),
                "application/vnd.openxmlformats-officedocument.custom-properties+xml", custom, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)
    for existing in package.iter_parts():
        if existing.partname == "/docProps/app.xml":
            root = etree.fromstring(existing.blob)
            app = root.find(f"{{{_APP_NS}}}Application")
            if app is None:
                app = etree.SubElement(root, f"{{{_APP_NS}}}Application")
            app.text = APPLICATION
            existing._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    props = document.core_properties
    props.author = props.last_modified_by = (author or "").strip() or APPLICATION
    props.title = title or ""
    props.comments = ""  # the template's "generated by python-docx"
    props.revision = 1
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)  # stored as UTC
    props.created = props.modified = now


def written_here(path) -> bool:
    """True when `path` is a .docx this program wrote and no other program has saved since."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "docProps/custom.xml" not in names or "docProps/app.xml" not in names:
                return False
            custom = zf.read("docProps/custom.xml").decode("utf-8", "replace")
            app = zf.read("docProps/app.xml").decode("utf-8", "replace")
    except (OSError, zipfile.BadZipFile, KeyError):
        return False
    return f'name="{MARK_PROPERTY}"' in custom and f"<Application>{APPLICATION}</Application>" in app




def export_docx(text: str, path, *, unit: str | None = None, date: datetime.date | None = None,
                report_type: str | None = None, fonts: FontSet = FONTS) -> dict:
    """Write `text` as a GB/T 9704 .docx at `path`; returns {"path", "paragraphs", "headings"}."""
    target = Path(path)
    folder = target.parent
    if not folder.exists():
        raise ExportError(target, "保存位置的文件夹不存在。")
    if not folder.is_dir():
        raise ExportError(target, "保存位置不是文件夹。")
    if target.is_dir():
        raise ExportError(target, "已有同名文件夹，无法保存为文件。")
    for lock in lock_files(target):
        if lock.exists():
            raise ExportError(target, "文件正在 Word/WPS 等程序中打开，请先关闭该文件后再导出。")
    if target.exists() and not os.access(target, os.W_OK):
        raise ExportError(target, "文件是只读的或没有写入权限，请换一个文件名或位置。")

    document, counts = build_document(text, unit=unit, date=date, report_type=report_type, fonts=fonts)

    try:
        save_with(target, document.save)
    except SaveError as exc:
        raise ExportError(target, exc.reason) from None
    return {"path": str(target), **counts}
