"""Word's automatic list numbering emulated: the number a numbered paragraph shows (一、, （二）,
3., ①) is not in its text, so the reader asks `WordNumbering.label` for it. Also the WordprocessingML
namespace helper the .docx reader shares."""
from __future__ import annotations

import re

from core.text.numerals import fullwidth_digits, to_chinese, to_chinese_digits

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def wq(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"



_CN_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    # Word: a..z, then aa..zz, aaa..
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("decimal", "decimalHalfWidth", "decimalFullWidth", "decimalFullWidth2"):
        return str(n) if fmt in ("decimal", "decimalHalfWidth") else fullwidth_digits(str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "japaneseCounting", "ideographLegalTraditional", "taiwaneseCounting",
               "taiwaneseCountingThousand"):
        return to_chinese(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return to_chinese_digits(n)
    if fmt in ("ideographTraditional", "ideographZodiac"):
        return _CN_TRADITIONAL[(n - 1) % 10] if n > 0 else str(n)
    if fmt in ("decimalEnclosedParen", "decimalEnclosedParenthesis"):
        return str(n)  # shown as ⑴; written out as (n) by the caller
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "none":
        return ""
    return str(n)


class WordNumbering:
    """Word's automatic list numbering turned into the text it shows (counters per numId/ilvl)."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, dict]] = {}  # numId -> ilvl -> {fmt, text, start}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            root = None
        if root is not None:
            abstract: dict[str, dict[int, dict]] = {}
            for an in root.iter(wq("abstractNum")):
                abstract[an.get(wq("abstractNumId"))] = {
                    int(lvl.get(wq("ilvl"), "0")): self._level(lvl) for lvl in an.iter(wq("lvl"))}
            for num in root.iter(wq("num")):
                ref = num.find(wq("abstractNumId"))
                levels = {k: dict(v) for k, v in abstract.get(ref.get(wq("val")) if ref is not None else None,
                                                               {}).items()}
                for override in num.iter(wq("lvlOverride")):
                    ilvl = int(override.get(wq("ilvl"), "0"))
                    lvl = override.find(wq("lvl"))
                    if lvl is not None:
                        levels[ilvl] = self._level(lvl)
                    start = override.find(wq("startOverride"))
                    if start is not None:
                        levels.setdefault(ilvl, {"fmt": "decimal", "text": f"%{ilvl + 1}.", "start": 1})
                        levels[ilvl]["start"] = int(start.get(wq("val"), "1"))
                self.levels[num.get(wq("numId"))] = levels
        # paragraph styles that carry numbering (heading styles with multilevel lists)
        styles = document.styles.element
        for style in styles.iter(wq("style")):
            num_pr = style.find(f"{wq('pPr')}/{wq('numPr')}")
            if num_pr is not None:
                num_id = num_pr.find(wq("numId"))
                ilvl = num_pr.find(wq("ilvl"))
                if num_id is not None:
                    self.style_num[style.get(wq("styleId"))] = (
                        num_id.get(wq("val")), int(ilvl.get(wq("val"), "0")) if ilvl is not None else 0)

    @staticmethod
    def _level(lvl) -> dict:
        def val(tag, default):
            el = lvl.find(wq(tag))
            return el.get(wq("val"), default) if el is not None else default
        return {"fmt": val("numFmt", "decimal"), "text": val("lvlText", ""),
                "start": int(val("start", "1") or 1)}

    def label(self, paragraph) -> str:
        ppr = paragraph.find(wq("pPr"))
        num_id = ilvl = None
        if ppr is not None:
            num_pr = ppr.find(wq("numPr"))
            style = ppr.find(wq("pStyle"))
            if num_pr is not None:
                nid = num_pr.find(wq("numId"))
                lvl = num_pr.find(wq("ilvl"))
                num_id = nid.get(wq("val")) if nid is not None else None
                ilvl = int(lvl.get(wq("val"), "0")) if lvl is not None else None
            if style is not None and style.get(wq("val")) in self.style_num:
                style_num, style_lvl = self.style_num[style.get(wq("val"))]
                num_id = num_id or style_num
                ilvl = style_lvl if ilvl is None else ilvl
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        ilvl = ilvl or 0
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl]["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        level = levels[ilvl]
        if level["fmt"] == "bullet":
            return ""  # a bullet symbol is not part of the text

        def value(m):
            k = int(m.group(1)) - 1
            info = levels.get(k, level)
            n = counters.get(k, info["start"])
            shown = _format_number(n, info["fmt"])
            if info["fmt"] in ("decimalEnclosedParen", "decimalEnclosedParenthesis") and "(" not in level["text"] \
                    and "（" not in level["text"]:
                shown = f"（{shown}）"
            return shown

        return re.sub(r"%([1-9])", value, level["text"])
