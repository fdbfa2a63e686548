"""The layout of a GB/T 9704 document: fonts and font sets, sizes, page geometry, where a long
title breaks, and the WordprocessingML helpers (runs, paragraphs, fonts) that docx_export builds
with. python-docx's oxml layer is used: it has no field or East Asian font API."""
from __future__ import annotations

import copy
import datetime
import re
from dataclasses import dataclass

FONT_LATIN = "Times New Roman"
FONT_PAGE_NUMBER = "宋体"


@dataclass(frozen=True)
class FontSet:
    """The Chinese fonts a document names. Which set fits depends on what the office PCs have:
    GB/T 9704 asks for 仿宋/小标宋/黑体/楷体; the _GB2312 fonts are a habit many offices installed;
    Windows 10/11 ships only 仿宋, 楷体, 黑体 and 宋体; some offices standardise on 方正 fonts."""
    key: str
    name: str
    title: str
    body: str
    heading: dict  # level 1-4 -> font
    title_bold: bool = False  # a plain 宋体 title is set bold to stand in for 小标宋

    def fonts(self) -> list[str]:
        """Every font the set names, each once, in the order a reader meets them."""
        return list(dict.fromkeys([self.title, self.body, *self.heading.values(), FONT_PAGE_NUMBER]))


FONT_SETS = {
    "gb2312": FontSet("gb2312", "GB2312 字体（仿宋_GB2312、楷体_GB2312、方正小标宋简体）",
                      title="方正小标宋简体", body="仿宋_GB2312",
                      heading={1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}),
    "windows": FontSet("windows", "Windows 自带（仿宋、楷体、黑体）",
                       title="宋体", body="仿宋", heading={1: "黑体", 2: "楷体", 3: "仿宋", 4: "仿宋"},
                       title_bold=True),
    "founder": FontSet("founder", "方正字体（方正仿宋_GBK、方正楷体_GBK、方正小标宋_GBK）",
                       title="方正小标宋_GBK", body="方正仿宋_GBK",
                       heading={1: "方正黑体_GBK", 2: "方正楷体_GBK", 3: "方正仿宋_GBK", 4: "方正仿宋_GBK"}),
}
# What a PC without the font shows instead: each document names it as the font's alternative
# (w:altName in its font table), which Word and WPS use for a font they do not have.
SUBSTITUTES = {
    "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体",
    "方正小标宋_GBK": "宋体", "方正仿宋_GBK": "仿宋", "方正楷体_GBK": "楷体", "方正黑体_GBK": "黑体",
    "仿宋": "宋体", "楷体": "宋体", "黑体": "宋体", "宋体": "宋体",
}
# Other names a font is installed under (Windows lists some by their English family name).
FONT_ALIASES = {
    "仿宋": ("FangSong",), "楷体": ("KaiTi",), "黑体": ("SimHei",), "宋体": ("SimSun", "NSimSun"),
    "仿宋_GB2312": ("FangSong_GB2312",), "楷体_GB2312": ("KaiTi_GB2312",),
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S",), "方正小标宋_GBK": ("FZXiaoBiaoSong-B05",),
    "方正仿宋_GBK": ("FZFangSong-Z02",), "方正楷体_GBK": ("FZKai-Z03",), "方正黑体_GBK": ("FZHei-B01",),
}
DEFAULT_FONT_SET = "gb2312"
FONTS = FONT_SETS[DEFAULT_FONT_SET]
# kept for readers of the default layout (tests, tools)
FONT_TITLE, FONT_BODY, FONT_HEADING = FONTS.title, FONTS.body, FONTS.heading

SIZE_TITLE = 44  # half-points: 2号 22 pt
SIZE_BODY = 32  # 3号 16 pt
SIZE_PAGE_NUMBER = 28  # 4号 14 pt

# Page geometry in twips (1 mm = 1440 / 25.4 twips).
def _mm(value: float) -> int:
    return round(value * 1440 / 25.4)


PAGE_W, PAGE_H = _mm(210), _mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = _mm(37), _mm(35), _mm(28), _mm(26)
TEXT_WIDTH = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # the text block, 156 mm
# GB/T 9704 7.5: the page number's 一字线 7 mm below the text block. The footer distance is from
# the page's lower edge to the bottom of the footer line (4号, single spacing): 25.3 mm puts the
# dashes' ink 7.0 mm below the text block in LibreOffice's PDF (28 mm, the usual template
# value, put them 4.3 mm below; tests/tools/docx_layout_check.py measures it).
HEADER_DISTANCE, FOOTER_DISTANCE = _mm(15), _mm(25.3)
LINE_PITCH = 579  # 28.95 pt: 22 lines fill the 225 mm text height
CHARS_PER_LINE = 28
CHAR = 320  # one 3号 character in twips (16 pt)
# charSpace is in 1/4096 pt, added to the default character width (16 pt) so that 28 characters
# fill the 156 mm text width: (156 mm / 28 − 16 pt) × 4096 ≈ −849.
CHAR_SPACE = round(((_mm(156) / CHARS_PER_LINE) / 20 - SIZE_BODY / 2) * 4096)


LONG_TITLE = 20  # a title wider than this (in characters, Latin counted as half) is broken
TITLE_LINE = 20  # characters of 2号 in the 156 mm line
_PAID_MARKER = re.compile(r"##paid(?:begin|end)##")
# Where a long title may break well (before these words), and words it must not break inside.
_GOOD_BREAK_BEFORE = ("关于", "履行", "落实", "全面从严治党", "党风廉政建设", "主体责任", "工作情况",
                      "情况的报告", "情况报告", "述责述廉", "述职述廉", "第一议题", "意识形态", "审核情况")
_GOOD_BREAK_AFTER = ("年度", "年", "的", "党组", "党委", "委员会", "书记")
_NO_BREAK = ("全面从严治党主体责任", "全面从严治党", "党风廉政建设", "主体责任", "第一责任人", "工作情况", "情况报告", "述责述廉",
             "述职述廉", "第一议题", "意识形态", "年度", "上半年", "下半年", "季度", "党组书记", "党委书记",
             "党支部", "习近平新时代中国特色社会主义思想")
_NO_LINE_START = "，。、；：！？）》」』”’…—,.;:!?)]%"
_NO_LINE_END = "（《「『“‘([#"


# --------------------------------------------------------------------------------------------
# XML helpers (python-docx's oxml layer; no field or East Asian font API there)

def qn_w(tag: str) -> str:
    from docx.oxml.ns import qn  # deferred: python-docx loads only when a document is written (start-up speed)
    return qn(tag)


def make_element(tag: str, **attrs) -> object:
    from docx.oxml import OxmlElement  # deferred: python-docx loads only when a document is written (start-up speed)
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn_w("w:" + key), str(value))
    return el


def set_fonts(rpr, east_asia: str, latin: str = FONT_LATIN, hint: str | None = None) -> None:
    """Set all four rFonts slots on an rPr: ascii/hAnsi/cs Latin, eastAsia the Chinese font.

    Theme font attributes (python-docx's template uses Japanese theme fonts) are removed, since
    Word prefers a theme font over a named one.
    """
    fonts = rpr.find(qn_w("w:rFonts"))
    if fonts is None:
        fonts = make_element("w:rFonts")
        rpr.insert(0, fonts)
    for key in list(fonts.attrib):
        if key.endswith(("Theme", "theme")):
            del fonts.attrib[key]
    fonts.set(qn_w("w:ascii"), latin)
    fonts.set(qn_w("w:hAnsi"), latin)
    fonts.set(qn_w("w:eastAsia"), east_asia)
    fonts.set(qn_w("w:cs"), latin)
    if hint:
        fonts.set(qn_w("w:hint"), hint)


def run_properties(east_asia: str, size: int, latin: str = FONT_LATIN, bold: bool = False, hint: str | None = None,
         condense: int = 0):
    rpr = make_element("w:rPr")
    set_fonts(rpr, east_asia, latin, hint)
    if bold:
        rpr.append(make_element("w:b"))
        rpr.append(make_element("w:bCs"))
    if condense:
        rpr.append(make_element("w:spacing", val=condense))
    rpr.append(make_element("w:sz", val=size))
    rpr.append(make_element("w:szCs", val=size))
    return rpr


def paragraph_properties(*, jc: str = "both", first_line: bool = True, left: int = 0, right: int = 0,
         hanging: int = 0, line: int = LINE_PITCH, snap: bool = True):
    ppr = make_element("w:pPr")
    if not snap:
        ppr.append(make_element("w:snapToGrid", val=0))
    ppr.append(make_element("w:spacing", before=0, after=0, line=line, lineRule="exact"))
    ind = make_element("w:ind")
    if left:
        ind.set(qn_w("w:leftChars"), str(left * 100 // CHAR))
        ind.set(qn_w("w:left"), str(left))
    if right:
        ind.set(qn_w("w:rightChars"), str(right * 100 // CHAR))
        ind.set(qn_w("w:right"), str(right))
    if first_line:
        # LibreOffice ignores firstLineChars alone: write the twips too.
        ind.set(qn_w("w:firstLineChars"), "200")
        ind.set(qn_w("w:firstLine"), str(2 * CHAR))
    elif hanging:
        ind.set(qn_w("w:hangingChars"), str(hanging * 100 // CHAR))
        ind.set(qn_w("w:hanging"), str(hanging))
    else:
        ind.set(qn_w("w:firstLineChars"), "0")
        ind.set(qn_w("w:firstLine"), "0")
    ppr.append(ind)
    ppr.append(make_element("w:jc", val=jc))
    return ppr


# Where each element goes in a w:pPr (the schema fixes the order; Word rejects another).
_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange")


def set_ppr(p, tag: str, **attrs) -> None:
    """Put (or replace) the pPr element `tag` of paragraph `p` in its schema place."""
    ppr = p.find(qn_w("w:pPr"))
    if ppr is None:
        ppr = make_element("w:pPr")
        p.insert(0, ppr)
    old = ppr.find(qn_w("w:" + tag))
    if old is not None:
        ppr.remove(old)
    el = make_element("w:" + tag, **attrs)
    rank = _PPR_ORDER.index(tag)
    for i, child in enumerate(ppr):
        name = child.tag.rsplit("}", 1)[-1]
        if name in _PPR_ORDER and _PPR_ORDER.index(name) > rank:
            ppr.insert(i, el)
            return
    ppr.append(el)


AUTOSPACE = 64  # twips Word and LibreOffice add where Chinese meets Latin or digits (3.2 pt measured at 3号)


def text_twips(text: str, condense: int = 0) -> int:
    """How wide `text` is set in 3号 (twips): a Chinese character 16 pt, a Times New Roman digit or
    letter about half that, each narrowed by `condense` (w:spacing), and the space the programs add
    between Chinese and Latin or digits (2024年1月5日 has five such places)."""
    def wide(ch: str) -> bool:
        return ord(ch) >= 0x2E80 or ch in "“”‘’—…"

    width = sum((CHAR if wide(ch) else CHAR // 2) + condense for ch in text)
    changes = sum(1 for a, b in zip(text, text[1:])
                  if wide(a) != wide(b) and (a.isalnum() or b.isalnum()) and not (a.isspace() or b.isspace()))
    return width + AUTOSPACE * changes


def make_run(text: str, rpr):
    r = make_element("w:r")
    r.append(copy.deepcopy(rpr))
    t = make_element("w:t")
    t.text = text
    if text[:1].isspace() or text[-1:].isspace():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


def make_paragraph(ppr, runs=()):
    p = make_element("w:p")
    p.append(copy.deepcopy(ppr))
    for text, rpr in runs:
        if text:
            p.append(make_run(text, rpr))
    return p


# --------------------------------------------------------------------------------------------
# Text decisions

def format_date(date: datetime.date) -> str:
    """成文日期 in Arabic numerals without leading zeros: 2024年1月5日."""
    return f"{date.year}年{date.month}月{date.day}日"


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 and ch not in "“”‘’—…" else 1.0 for ch in text)


def split_title(title: str) -> list[str]:
    """A long title as two balanced lines broken between words (three when two would not fit the
    line: GB/T 9704 7.3.1, 词意完整、排列对称), a short one as one line."""
    if _width(title) <= LONG_TITLE:
        return [title]
    allowed = _title_breaks(title)
    total = _width(title)

    def bonus(i: int) -> int:
        return (-4 if any(title.startswith(w, i) for w in _GOOD_BREAK_BEFORE) else 0) + \
               (-3 if any(title[:i].endswith(w) for w in _GOOD_BREAK_AFTER) else 0)

    two = []
    for i in allowed:
        first = _width(title[:i])
        score = abs(total - 2 * first) + (1 if first < total - first else 0) + bonus(i)  # a trapezoid reads better
        two.append((max(first, total - first) > TITLE_LINE, score, i))
    if not two:
        return [title]
    too_wide, _score, best = min(two)
    if not too_wide:
        return [title[:best], title[best:]]
    three = []
    for i in allowed:
        for j in allowed:
            if j <= i:
                continue
            widths = (_width(title[:i]), _width(title[i:j]), _width(title[j:]))
            if max(widths) <= TITLE_LINE:
                three.append((max(widths) - min(widths) + bonus(i) + bonus(j), i, j))
    if three:
        _score, i, j = min(three)
        return [title[:i], title[i:j], title[j:]]
    return [title[:best], title[best:]]


def _title_breaks(title: str) -> list[int]:
    """Where a title may break: between words, never inside a term, a number, quotes or brackets."""
    forbidden = set()
    for word in _NO_BREAK:
        for m in re.finditer(re.escape(word), title):
            forbidden.update(range(m.start() + 1, m.end()))
    for m in re.finditer(r"[0-9A-Za-z]+", title):
        forbidden.update(range(m.start() + 1, m.end()))
    depth = 0
    for i, ch in enumerate(title):
        if depth:
            forbidden.add(i)
        if ch in "“‘《（(「『":
            depth += 1
        elif ch in "”’》）)」』" and depth:
            depth -= 1
    return [i for i in range(2, len(title) - 1)
            if i not in forbidden and title[i] not in _NO_LINE_START and title[i - 1] not in _NO_LINE_END]


_DATE_LINE = re.compile(r"^\s*(?:[0-9０-９]{4}|[〇○零一二三四五六七八九]{4}|20××|[×X]{4})年"
                        r"[0-9０-９一二三四五六七八九十×X]{1,3}月[0-9０-９一二三四五六七八九十×X]{1,3}日\s*$")
def is_date_line(line: str) -> bool:
    return bool(_DATE_LINE.match(line))


def signature_paragraphs(lines: list[str], rpr, condensed: int = 0) -> list:
    """The 落款 (unit lines, then the date) placed by GB/T 9704 7.3.5.2: the unit 右空二字, the
    date under it starting two characters further right; a date that would then run past the unit's
    end is set 右空二字 itself and the unit moved left. Every line but the last kept with the next."""
    date = lines[-1] if lines and is_date_line(lines[-1]) else None
    units = [line.strip() for line in (lines[:-1] if date else lines)]
    two = 2 * CHAR
    unit_w = max((text_twips(u, condensed) for u in units), default=0)
    date_w = text_twips(date.strip(), condensed) if date else 0
    out = []
    if not date or not units or two + date_w <= unit_w:
        # the unit 右空二字; the date (if any) starts two characters right of the unit's start
        for u in units:
            out.append(make_paragraph(paragraph_properties(jc="right", first_line=False, right=two), [(u, rpr)]))
        if date:
            left = TEXT_WIDTH - unit_w if units else TEXT_WIDTH - two - date_w
            out.append(make_paragraph(paragraph_properties(jc="left", first_line=False, left=max(0, left)),
                                      [(date.strip(), rpr)]))
    else:
        # the date is the longer: it is set 右空二字, the unit starts two characters left of it
        left = TEXT_WIDTH - two - date_w - two
        for u in units:
            out.append(make_paragraph(paragraph_properties(jc="left", first_line=False, left=max(0, left)), [(u, rpr)]))
        out.append(make_paragraph(paragraph_properties(jc="right", first_line=False, right=two), [(date.strip(), rpr)]))
    for p in out[:-1]:
        set_ppr(p, "keepNext")
    return out


def without_paid_markers(text: str) -> str:
    return _PAID_MARKER.sub("", text)


