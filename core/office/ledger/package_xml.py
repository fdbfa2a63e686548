"""Text-level edits of Office XML for core.office.ledger.package: formulas and ranges that follow
moved rows, shared strings written inline, Excel 2010 extensions put back. Done on the raw text,
never by re-serialising a part: an XML library would rename the namespace prefixes that
``mc:Ignorable`` names, and Excel then refuses the file."""
from __future__ import annotations

import html
import re

from core.office.ledger.moves import RowMap, _shift_formula, _shift_sqref

CF_LINK_URI = "{B025F937-C7B1-47D3-B67F-A62EFF666E3E}"  # a 2007 rule's link to its Excel 2010 part


_FORMULA = re.compile(r"<(?P<tag>(?:\w+:)?(?:f|formula|formula1|formula2))(?P<attrs>\s[^>]*)?>(?P<text>[^<]*)</(?P=tag)>")


def _shift_formulas(xml: str, moved: dict[str, RowMap], on_sheet: str | None = None) -> str:
    """Formulas in a part's XML follow the rows of 台账明细 / 检查结果 that moved."""
    if not moved or ("<" not in xml):
        return xml

    def fix(m: re.Match) -> str:
        text = html.unescape(m.group("text"))
        new = text
        for title, rows in moved.items():
            if title in new or title == on_sheet:
                new = _shift_formula("=" + new, title, title == on_sheet, rows)[1:]
        if new == text:
            return m.group(0)
        return f"<{m.group('tag')}{m.group('attrs') or ''}>{html.escape(new, quote=False)}</{m.group('tag')}>"

    return _FORMULA.sub(fix, xml)


def _inline_strings(xml: str, strings: list[str]) -> str:
    """Shared-string cells written as inline strings (the new package has its own string table)."""
    if 't="s"' not in xml:
        return xml

    def fix(m: re.Match) -> str:
        attrs = m.group("attrs") or ""
        if not re.search(r'\bt="s"', attrs):
            return m.group(0)
        v = re.search(r"<(?:\w+:)?v>\s*(\d+)\s*</(?:\w+:)?v>", m.group("body"))
        if v is None or int(v.group(1)) >= len(strings):
            return m.group(0)
        p = m.group("p")
        attrs = re.sub(r'\bt="s"', 't="inlineStr"', attrs)
        return f"<{p}c{attrs}><{p}is>{strings[int(v.group(1))]}</{p}is></{p}c>"

    return re.sub(r"<(?P<p>(?:\w+:)?)c(?P<attrs>\s[^>]*?)?(?<!/)>(?P<body>.*?)</(?P=p)c>", fix, xml, flags=re.S)


def _ext_elements(block: str) -> list[str]:
    """The <ext> children of an extLst, as text (nested extLst inside them included)."""
    out, depth, start = [], 0, None
    for m in re.finditer(r"<(/?)((?:\w+:)?)ext(?=[\s>/])([^>]*?)(/?)>", block):
        closing, selfclosing = m.group(1) == "/", m.group(4) == "/"
        if not closing and depth == 0:
            start = m.start()
        if selfclosing and not closing:
            if depth == 0:
                out.append(block[start:m.end()])
            continue
        depth += -1 if closing else 1
        if closing and depth == 0 and start is not None:
            out.append(block[start:m.end()])
            start = None
    return out


def _ext_uri(element: str) -> str:
    m = re.match(r'<(?:\w+:)?ext\b[^>]*?\buri="([^"]+)"', element)
    return m.group(1) if m else ""


def _namespaces(xml: str) -> dict[str, str]:
    """Prefix -> namespace declared on the root element of a part."""
    root = re.search(r"<(?:\w+:)?worksheet\b([^>]*)>", xml)
    return dict(re.findall(r'\bxmlns:(\w+)="([^"]+)"', root.group(1))) if root else {}


def _insert_ext(xml: str, elements: str, namespaces: dict[str, str]) -> str:
    """Put ext elements in the worksheet's extLst (made when missing), with the namespaces they use."""
    used = set(re.findall(r"<(\w+):", elements)) | set(re.findall(r"\s(\w+):\w+=", elements))
    declared = dict(re.findall(r'\bxmlns:(\w+)="([^"]+)"', re.search(r"<(?:\w+:)?worksheet\b[^>]*>", xml).group(0)))
    missing = {p: namespaces[p] for p in used if p in namespaces and p not in declared}
    if missing:
        decl = "".join(f' xmlns:{p}="{ns}"' for p, ns in sorted(missing.items()))
        xml = re.sub(r"(<(?:\w+:)?worksheet\b)", lambda m: m.group(1) + decl, xml, count=1)
    existing = re.search(r"<((?:\w+:)?)extLst>(.*?)</\1extLst>\s*(?=</(?:\w+:)?worksheet>\s*$)", xml, re.S)
    if existing:
        return xml[:existing.end(2)] + elements + xml[existing.end(2):]
    end = re.search(r"</(?:\w+:)?worksheet>\s*$", xml)
    return xml[:end.start()] + f"<extLst>{elements}</extLst>" + xml[end.start():]


def _shift_sqrefs(text: str, rows: RowMap) -> str:
    def fix(m: re.Match) -> str:
        new = _shift_sqref(m.group(2), rows)
        return f"<{m.group(1)}sqref>{new}</{m.group(1)}sqref>"
    text = re.sub(r"<((?:\w+:)?)sqref>([^<]*)</\1sqref>", fix, text)
    return re.sub(r'(\bsqref=")([^"]*)(")', lambda m: m.group(1) + _shift_sqref(m.group(2), rows) + m.group(3), text)


def _restore_cf_links(xml: str, original: str) -> str:
    """A 2007 rule's link to its Excel 2010 part (the id in its extLst), which openpyxl drops:
    restored by the rule's priority, unique in a sheet."""
    links = {}
    for m in re.finditer(r"<((?:\w+:)?)cfRule\b([^>]*)>(.*?)</\1cfRule>", original, re.S):
        prio = re.search(r'\bpriority="(\d+)"', m.group(2))
        ext = re.search(r"<((?:\w+:)?)extLst>.*?</\1extLst>", m.group(3), re.S)
        if prio and ext and CF_LINK_URI in ext.group(0):
            links[prio.group(1)] = ext.group(0)
    if not links:
        return xml

    def fix(m: re.Match) -> str:
        prio = re.search(r'\bpriority="(\d+)"', m.group(2))
        if not prio or prio.group(1) not in links:
            return m.group(0)
        body = re.sub(r"<((?:\w+:)?)extLst>.*?</\1extLst>|<(?:\w+:)?extLst\s*/>", "", m.group(3), flags=re.S)
        return f"<{m.group(1)}cfRule{m.group(2)}>{body}{links[prio.group(1)]}</{m.group(1)}cfRule>"

    return re.sub(r"<((?:\w+:)?)cfRule\b([^>]*?)(?<!/)>(.*?)</\1cfRule>", fix, xml, flags=re.S)


def _free_id(ids) -> str:
    taken = set(ids)
    n = 1
    while f"rId{n}" in taken:
        n += 1
    return f"rId{n}"
