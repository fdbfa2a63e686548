"""Read a report from disk: .txt in any encoding users meet, or .docx.

Every failure becomes a `ReadError` whose message is one Chinese sentence naming the file and
the reason; callers show it and go on. Nothing here writes to the file.
"""
from __future__ import annotations

import codecs
import contextvars
import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from core.text.document import normalize

# A long annual report is under 100,000 characters (300 KB); ten times that is still a report
# (several pasted together). Past it the file is almost surely the wrong one, and checking it
# would keep the window busy for many seconds, so it is refused with a reason instead.
MAX_TEXT_BYTES = 4 * 1024 * 1024
MAX_TEXT_CHARS = 1_500_000
MAX_DOCX_BYTES = 50 * 1024 * 1024
MAX_DOCX_EXPANDED = 300 * 1024 * 1024  # a zip that unpacks past this is refused (zip bomb)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc and encrypted Office files


class ReadError(Exception):
    def __init__(self, path: str | os.PathLike, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"无法读取“{self.path}”：{reason}")


def read_report(path: str | os.PathLike) -> str:
    """The text of a .txt or .docx report, normalised (no BOM, \\n line endings)."""
    p = Path(path)
    try:
        if not p.exists():
            raise ReadError(p, "文件不存在。")
        if p.is_dir():
            raise ReadError(p, "这是一个文件夹，不是文件。")
        size = p.stat().st_size
        if size == 0:
            raise ReadError(p, "文件是空的。")
        with p.open("rb") as fh:
            head = fh.read(8)
        if p.suffix.lower() == ".docx" or head.startswith(b"PK\x03\x04"):
            text = _read_docx(p, size, head)
        elif head.startswith(OLE_MAGIC):
            raise ReadError(p, "这是旧版 Word（.doc）文件或已加密的文档，请在 Word/WPS 中另存为 .docx 或 .txt 后再打开。")
        else:
            if size > MAX_TEXT_BYTES:
                raise ReadError(p, f"文件过大（{_size_text(size)}）。一份报告通常不超过几百KB，请确认选对了文件；"
                                   f"如果是多份报告合在一起，请分成单独的文件。")
            text = decode_text(p.read_bytes(), p)
    except PermissionError:
        raise ReadError(p, "没有读取权限（文件可能被其他程序占用）。") from None
    except OSError as exc:
        raise ReadError(p, f"读取失败（{exc.strerror or exc}）。") from None
    text = normalize(text)
    if not text.strip():
        raise ReadError(p, "文件里没有文字内容。")
    if len(text) > MAX_TEXT_CHARS:
        raise ReadError(p, f"文字太多（{len(text) // 10000}万字）。一份报告通常不超过十万字，请确认选对了文件；"
                           f"如果是多份报告合在一起，请分成单独的文件。")
    return text


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def decode_text(data: bytes, path: str | os.PathLike = "") -> str:
    """Decode by BOM, then UTF-8, then UTF-16 without BOM, then GB18030; refuse binary data."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise ReadError(path, f"文件标明是 {codec.upper()} 编码，但内容无法按此编码读取。") from None
            if not _mostly_text(text) or (codec == "utf-16" and not _mostly_chinese_or_ascii(text)):
                raise ReadError(path, "这不是文本文件（含有二进制数据）。")
            return text
    if b"\x00" in data and len(data) % 2 == 0:
        # UTF-16 without a BOM (Notepad's "Unicode"): NULs sit beside every ASCII character
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _mostly_text(text) and _mostly_chinese_or_ascii(text):
                return text
    if b"\x00" in data:
        raise ReadError(path, "这不是文本文件（含有二进制数据）。")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # A UTF-8 file with a few broken bytes (cut off mid-character, a stray byte) is still that
        # report: read it, and the broken bytes show as U+FFFD, which the residue rule points at.
        # Real GBK text breaks UTF-8 at nearly every Chinese character, so it never gets here.
        text = data.decode("utf-8", errors="replace")
        broken = text.count("\ufffd")
        non_ascii = sum(1 for ch in text if not ch.isascii())
        if broken <= max(16, non_ascii // 20) and _mostly_text_ignoring_replacements(text):
            return text
    else:
        if _mostly_text(text):
            return text
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _mostly_text(text):
            return text
    raise ReadError(path, "无法识别文件编码（不是 UTF-8、GBK/GB18030 或 UTF-16 文本），可能不是文本文件。")


def _mostly_chinese_or_ascii(text: str) -> bool:
    """Random bytes decoded as UTF-16 scatter over the whole BMP; a report is CJK and ASCII."""
    sample = text[:20000]
    plain = sum(1 for ch in sample if ch.isascii() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return plain >= len(sample) * 0.9


def _mostly_text_ignoring_replacements(text: str) -> bool:
    return _mostly_text(text.replace("\ufffd", ""))


def _mostly_text(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0xE000 <= ord(ch) <= 0xF8FF
              or ch == "\ufffd")
    return bad <= len(sample) * 0.01


def read_report_with_notes(path: str | os.PathLike) -> tuple[str, list[str]]:
    """Like `read_report`, plus notes (Chinese) on what a .docx held that was not read as text:
    images, text boxes. The text is exactly what `read_report` returns."""
    notes: list[str] = []
    token = _DOCX_NOTES.set(notes)
    try:
        text = read_report(path)
    finally:
        _DOCX_NOTES.reset(token)
    return text, notes


_DOCX_NOTES: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("docx_notes", default=None)
_DOCX_TRACE: contextvars.ContextVar[dict | None] = contextvars.ContextVar("docx_trace", default=None)


@dataclass
class DocxTrace:
    """Where each character of a .docx's text comes from, for writing comments back into it.

    `root` is the main document part (`part_name`) parsed keeping every byte of whitespace, so it
    can be written back changed only where comments are added. `pieces` are (offset into the
    normalised text, text, kind, element, first): kind "t" is a w:t whose characters from `first`
    on make the piece, "el" a w:tab/w:br/w:cr/w:noBreakHyphen (one character), "label" Word's
    automatic numbering of the paragraph `element` (text that exists only in numbering.xml).
    Characters in no piece are the newlines and tabs joining paragraphs and table cells.
    """
    part_name: str
    root: object
    pieces: list[tuple[int, str, str, object, int]]


def read_report_traced(path: str | os.PathLike) -> tuple[str, list[str], DocxTrace | None]:
    """`read_report_with_notes`, plus the trace of a .docx (None for a text file). The text is
    exactly what `read_report` returns, read by the same code."""
    holder: dict = {}
    token = _DOCX_TRACE.set(holder)
    try:
        text, notes = read_report_with_notes(path)
    finally:
        _DOCX_TRACE.reset(token)
    if "pieces" not in holder:
        return text, notes, None
    pieces = _normalised_pieces(holder["raw"], holder["pieces"], text)
    return text, notes, DocxTrace(holder["part_name"], holder["root"], pieces)


def trace_docx_bytes(data: bytes, document) -> tuple[str, DocxTrace]:
    """The reading and trace of a .docx held in memory; `document` is python-docx's view of
    the same package (for its numbering and styles)."""
    holder: dict = {}
    holder["part_name"], holder["root"] = _own_parse(io.BytesIO(data), document)
    reader = _DocxReader(document, body=holder["root"].find(_wq("body")), trace=True)
    raw = reader.read()
    text = normalize(raw)
    return text, DocxTrace(holder["part_name"], holder["root"], _normalised_pieces(raw, reader.pieces(), text))


def _normalised_pieces(raw: str, pieces: list, text: str) -> list:
    """Offsets into the raw reading moved to the normalised text (a BOM dropped, CRLF → LF)."""
    if raw == text:
        return pieces
    # Rare (a w:t holding a CR or a BOM): map character by character, splitting pieces that
    # lose a character.
    moved, n = [], 0
    for i, ch in enumerate(raw):
        dropped = (i == 0 and ch == "\ufeff") or (ch == "\r" and raw[i + 1:i + 2] == "\n")
        moved.append(-1 if dropped else n)
        n += not dropped
    out = []
    for start, piece, kind, el, first in pieces:
        run_start = None
        for i in range(len(piece) + 1):
            at = moved[start + i] if i < len(piece) else -1
            if at >= 0 and run_start is None:
                run_start, run_first = at, i
            elif at < 0 and run_start is not None:
                out.append((run_start, text[run_start:run_start + i - run_first], kind, el, first + run_first))
                run_start = None
    return out


def _read_docx(p: Path, size: int, head: bytes) -> str:
    if head.startswith(OLE_MAGIC):
        raise ReadError(p, "文档已加密或是旧版 .doc 格式，请在 Word/WPS 中取消密码并另存为 .docx 后再打开。")
    if size > MAX_DOCX_BYTES:
        raise ReadError(p, f"文档过大（{_size_text(size)}），请确认选对了文件；如果文档里有大量图片，请另存为只含文字的 .docx 或 .txt。")
    try:
        with zipfile.ZipFile(p) as zf:
            names = zf.namelist()
            expanded = sum(info.file_size for info in zf.infolist())
    except zipfile.BadZipFile:
        raise ReadError(p, "不是有效的 Word 文档（文件已损坏，或并非 .docx 格式）。") from None
    if expanded > MAX_DOCX_EXPANDED:
        raise ReadError(p, "文档解压后过大，可能已损坏或不安全，已拒绝打开。")
    if "word/document.xml" not in names:
        raise ReadError(p, "不是有效的 Word 文档（缺少正文部分 word/document.xml）。")
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        raise ReadError(p, "文档已加密，请在 Word/WPS 中取消密码后再打开。")
    import docx  # python-docx is slow to import; only .docx readers pay for it

    try:
        document = docx.Document(str(p))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types on malformed XML
        raise ReadError(p, f"Word 文档内容已损坏，无法解析（{type(exc).__name__}）。") from None
    trace = _DOCX_TRACE.get()
    try:
        if trace is None:
            reader = _DocxReader(document)
        else:
            trace["part_name"], trace["root"] = _own_parse(p, document)
            reader = _DocxReader(document, body=trace["root"].find(_wq("body")), trace=True)
        text = reader.read()
    except Exception as exc:  # noqa: BLE001 - malformed numbering or an unexpected structure
        raise ReadError(p, f"Word 文档内容已损坏，无法解析（{type(exc).__name__}）。") from None
    if trace is not None:
        trace["raw"], trace["pieces"] = text, reader.pieces()
    notes = reader.notes()
    collector = _DOCX_NOTES.get()
    if collector is not None:
        collector.extend(notes)
    if not text.strip():
        extra = "（只有图片或文本框，" + "；".join(notes) + "）" if notes else ""
        raise ReadError(p, f"文档里没有文字内容{extra}。")
    return text


def _own_parse(p, document) -> tuple[str, object]:
    """The main document part parsed again, blank text kept (python-docx drops it), to be
    written back with only comments added."""
    from lxml import etree

    name = str(document.part.partname).lstrip("/")
    with zipfile.ZipFile(p) as zf:
        data = zf.read(name)
    return name, etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True))


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _wq(tag: str) -> str:
    return f"{{{_W_NS}}}{tag}"


_CN_DIGIT = "〇一二三四五六七八九"
_CN_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_counting(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGIT[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGIT[tens]) + "十" + (_CN_DIGIT[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        tail = "" if rest == 0 else ("零" + _CN_DIGIT[rest] if rest < 10 else
                                     (_CN_DIGIT[rest // 10] + "十" + (_CN_DIGIT[rest % 10] if rest % 10 else "")))
        return _CN_DIGIT[hundreds] + "百" + tail
    return str(n)


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
        return str(n) if fmt in ("decimal", "decimalHalfWidth") else str(n).translate(
            str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "japaneseCounting", "ideographLegalTraditional", "taiwaneseCounting",
               "taiwaneseCountingThousand"):
        return chinese_counting(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGIT[int(d)] for d in str(n))
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


class _Numbering:
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
            for an in root.iter(_wq("abstractNum")):
                abstract[an.get(_wq("abstractNumId"))] = {
                    int(lvl.get(_wq("ilvl"), "0")): self._level(lvl) for lvl in an.iter(_wq("lvl"))}
            for num in root.iter(_wq("num")):
                ref = num.find(_wq("abstractNumId"))
                levels = {k: dict(v) for k, v in abstract.get(ref.get(_wq("val")) if ref is not None else None,
                                                               {}).items()}
                for override in num.iter(_wq("lvlOverride")):
                    ilvl = int(override.get(_wq("ilvl"), "0"))
                    lvl = override.find(_wq("lvl"))
                    if lvl is not None:
                        levels[ilvl] = self._level(lvl)
                    start = override.find(_wq("startOverride"))
                    if start is not None:
                        levels.setdefault(ilvl, {"fmt": "decimal", "text": f"%{ilvl + 1}.", "start": 1})
                        levels[ilvl]["start"] = int(start.get(_wq("val"), "1"))
                self.levels[num.get(_wq("numId"))] = levels
        # paragraph styles that carry numbering (heading styles with multilevel lists)
        styles = document.styles.element
        for style in styles.iter(_wq("style")):
            num_pr = style.find(f"{_wq('pPr')}/{_wq('numPr')}")
            if num_pr is not None:
                num_id = num_pr.find(_wq("numId"))
                ilvl = num_pr.find(_wq("ilvl"))
                if num_id is not None:
                    self.style_num[style.get(_wq("styleId"))] = (
                        num_id.get(_wq("val")), int(ilvl.get(_wq("val"), "0")) if ilvl is not None else 0)

    @staticmethod
    def _level(lvl) -> dict:
        def val(tag, default):
            el = lvl.find(_wq(tag))
            return el.get(_wq("val"), default) if el is not None else default
        return {"fmt": val("numFmt", "decimal"), "text": val("lvlText", ""),
                "start": int(val("start", "1") or 1)}

    def label(self, paragraph) -> str:
        ppr = paragraph.find(_wq("pPr"))
        num_id = ilvl = None
        if ppr is not None:
            num_pr = ppr.find(_wq("numPr"))
            style = ppr.find(_wq("pStyle"))
            if num_pr is not None:
                nid = num_pr.find(_wq("numId"))
                lvl = num_pr.find(_wq("ilvl"))
                num_id = nid.get(_wq("val")) if nid is not None else None
                ilvl = int(lvl.get(_wq("val"), "0")) if lvl is not None else None
            if style is not None and style.get(_wq("val")) in self.style_num:
                style_num, style_lvl = self.style_num[style.get(_wq("val"))]
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


class _DocxReader:
    """Body paragraphs and tables in order; images and text boxes counted, not read.

    With `trace`, it also records where every piece of text comes from (see DocxTrace): the
    same reading, so the offsets of a check's findings point into the document."""

    def __init__(self, document, body=None, trace: bool = False):
        self.document = document
        self.body = document.element.body if body is None else body
        self.numbering = _Numbering(document)
        self.images = 0
        self.text_boxes: list[str] = []
        self._trace = trace
        self._lines: list[list] = []  # per line: (text, kind, element) pieces, joins as kind None
        self._pieces: list | None = None

    def read(self) -> str:
        lines: list[str] = []
        self._blocks(self.body, lines)
        return "\n".join(lines)

    def pieces(self) -> list[tuple[int, str, str, object, int]]:
        """(offset, text, kind, element, 0) of every traced piece, in reading order."""
        out, offset = [], 0
        for n, line in enumerate(self._lines):
            offset += n > 0  # the newline joining lines
            for text, kind, el in line:
                if kind is not None:
                    out.append((offset, text, kind, el, 0))
                offset += len(text)
        return out

    def _blocks(self, parent, lines: list[str]) -> None:
        for child in parent.iterchildren():
            if child.tag == _wq("p"):
                self._pieces = [] if self._trace else None
                lines.append(self._paragraph(child))
                if self._trace:
                    self._lines.append(self._pieces)
            elif child.tag == _wq("tbl"):
                for row in child.iter(_wq("tr")):
                    cells = []
                    self._pieces = [] if self._trace else None
                    for cell in row.iter(_wq("tc")):
                        if self._trace and cells:
                            self._pieces.append(("\t", None, None))
                        inner: list[str] = []
                        for p in cell.iter(_wq("p")):
                            inner.append(self._paragraph(p))
                        cells.append("".join(inner))
                    lines.append("\t".join(cells))
                    if self._trace:
                        self._lines.append(self._pieces)
            elif child.tag in (_wq("sdt"), _wq("sdtContent"), _wq("customXml")):
                self._blocks(child, lines)

    def _paragraph(self, p) -> str:
        ppr = p.find(_wq("pPr"))
        jc = ppr.find(_wq("jc")) if ppr is not None else None
        centred = jc is not None and jc.get(_wq("val")) == "center"
        label = self.numbering.label(p)
        parts = [label]
        if self._pieces is not None and label:
            self._pieces.append((label, "label", p))
        self._runs(p, parts, centred)
        return "".join(parts)

    def _runs(self, el, parts: list[str], centred: bool) -> None:
        pieces = self._pieces
        for child in el.iterchildren():
            tag = child.tag
            if tag == _MC_FALLBACK:
                continue  # the same content as mc:Choice, for old readers
            if tag in (_wq("drawing"), _wq("pict"), _wq("object")):
                self._graphic(child)
                continue
            if tag == _wq("t"):
                piece, kind = child.text or "", "t"
            elif tag == _wq("tab"):
                piece, kind = "\t", "el"
            elif tag in (_wq("br"), _wq("cr")):
                kind = child.get(_wq("type"))
                # a soft break in a centred paragraph (a two-line title) joins the lines
                piece = "" if centred and kind in (None, "textWrapping") else "\n"
                kind = "el"
            elif tag == _wq("noBreakHyphen"):
                piece, kind = "-", "el"
            elif tag in (_wq("rPr"), _wq("pPr"), _wq("delText"), _wq("instrText"), _wq("del")):
                continue
            elif tag == _wq("r"):
                rpr = child.find(_wq("rPr"))
                if rpr is not None and rpr.find(_wq("vanish")) is not None:
                    continue  # hidden text
                self._runs(child, parts, centred)
                continue
            else:
                self._runs(child, parts, centred)
                continue
            parts.append(piece)
            if pieces is not None and piece:
                pieces.append((piece, kind, child))

    def _graphic(self, el) -> None:
        boxes = [box for box in el.iter(_wq("txbxContent"))
                 if not any(a.tag == _MC_FALLBACK for a in box.iterancestors())]
        if boxes:
            for box in boxes:
                text = "".join(t.text or "" for t in box.iter(_wq("t"))).strip()
                self.text_boxes.append(text)
        else:
            self.images += 1

    def notes(self) -> list[str]:
        out = []
        if self.images:
            out.append(f"跳过了 {self.images} 张图片")
        for text in self.text_boxes:
            preview = text if len(text) <= 30 else text[:30] + "…"
            out.append(f"跳过了一个文本框，其中的文字未读入：“{preview}”" if text else "跳过了一个空文本框")
        return out
