"""Read a report from disk: .txt in any encoding users meet, or .docx.

Every failure becomes a `ReadError` whose message is one Chinese sentence naming the file and
the reason; callers show it and go on. Nothing here writes to the file.
"""
from __future__ import annotations

import codecs
import contextvars
import io
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from core.files.word_numbering import MC_FALLBACK, WordNumbering, wq
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
        st = p.stat()
        if not stat.S_ISREG(st.st_mode):
            # a named pipe or a device: opening it may wait for ever, and it has no size
            raise ReadError(p, "这不是普通文件（是管道、设备或套接字），无法作为报告打开。")
        size = st.st_size
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
    reader = _DocxReader(document, body=holder["root"].find(wq("body")))
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
        raise ReadError(p, _other_package(p, names))
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        raise ReadError(p, "文档已加密，请在 Word/WPS 中取消密码后再打开。")
    import docx  # deferred: python-docx is slow to import; only .docx readers pay for it

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
            reader = _DocxReader(document, body=trace["root"].find(wq("body")))
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
        try:
            margins = _header_footer_text(document)
        except Exception:  # noqa: BLE001 - a damaged header changes nothing: there is no text either way
            margins = ""
        if margins:
            preview = margins if len(margins) <= 30 else margins[:30] + "…"
            raise ReadError(p, f"文档正文里没有文字，只有页眉或页脚里有（“{preview}”）。页眉页脚不作为报告读入，"
                               f"请把报告写在正文里。")
        extra = "（只有图片或文本框，" + "；".join(notes) + "）" if notes else ""
        raise ReadError(p, f"文档里没有文字内容{extra}。")
    return text


# What a zip package that is not a Word document is, by its OpenDocument mimetype or its main part.
_ODF_KINDS = {"text": "文字文档（.odt）", "spreadsheet": "表格（.ods）", "presentation": "演示文稿（.odp）"}


def _other_package(p: Path, names: list[str]) -> str:
    if "mimetype" in names:
        try:
            with zipfile.ZipFile(p) as zf:
                mimetype = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
        except (OSError, zipfile.BadZipFile, RuntimeError):
            mimetype = ""
        prefix = "application/vnd.oasis.opendocument."
        if mimetype.startswith(prefix):
            kind = _ODF_KINDS.get(mimetype[len(prefix):].split("-")[0], "文件")
            return (f"这是 OpenDocument {kind}（WPS、LibreOffice 的开放文档格式），不是 Word 文档。"
                    f"请在 WPS、Word 或 LibreOffice 中另存为 .docx 后再打开。")
    if "xl/workbook.xml" in names:
        return "这是 Excel 工作簿，不是 Word 文档。"
    if "ppt/presentation.xml" in names:
        return "这是 PowerPoint 演示文稿，不是 Word 文档。"
    return "不是有效的 Word 文档（缺少正文部分 word/document.xml）。"


def _header_footer_text(document) -> str:
    """The text of the document's headers and footers (which are not read as the report)."""
    texts = []
    for rel in document.part.rels.values():
        if rel.is_external or not rel.reltype.endswith(("/header", "/footer")):
            continue
        element = getattr(rel.target_part, "element", None)
        if element is not None:
            text = "".join(t.text or "" for t in element.iter(wq("t"))).strip()
            if text:
                texts.append(text)
    return " ".join(texts)


def _centred(p) -> bool:
    ppr = p.find(wq("pPr"))
    jc = ppr.find(wq("jc")) if ppr is not None else None
    return jc is not None and jc.get(wq("val")) == "center"


def _blank_paragraph(p) -> bool:
    return not any((t.text or "").strip() for t in p.iter(wq("t")))


def _own_parse(p, document) -> tuple[str, object]:
    """The main document part parsed again, blank text kept (python-docx drops it), to be
    written back with only comments added."""
    from lxml import etree  # deferred: only a traced read (for comments) needs lxml itself

    name = str(document.part.partname).lstrip("/")
    with zipfile.ZipFile(p) as zf:
        data = zf.read(name)
    return name, etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True))


_WRAPPERS = (wq("sdt"), wq("sdtContent"), wq("customXml"), wq("smartTag"))  # hold blocks, rows or cells


def _wrapped(parent, tags: tuple[str, ...]):
    """The children of `parent` with one of `tags`, in order, also inside content controls and
    custom XML (a row or a paragraph may sit in a w:sdt)."""
    for child in parent.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _wrapped(child, tags)


class _DocxReader:
    """Body paragraphs and tables in document order, each paragraph once; images and text boxes
    counted, not read; tracked changes read as if accepted (and counted, for a note).

    A table row whose cells hold one paragraph each is one line, its cells apart by tabs (a data
    table: 书记讲党课\t3次). Any other row is read cell by cell, each paragraph its own line and a
    nested table read where it stands, so a report laid out inside a table cell, at any depth,
    reads exactly as the same report in plain paragraphs.

    It also records where every piece of text comes from (`pieces`, see DocxTrace): the same
    reading, so the offsets of a check's findings point into the document."""

    def __init__(self, document, body=None):
        self.document = document
        self.body = document.element.body if body is None else body
        self.numbering = WordNumbering(document)
        self.images = 0
        self.text_boxes: list[str] = []
        self.revisions = 0  # tracked insertions, deletions and moves read as accepted
        self._lines: list[list] = []  # per line: (text, kind, element) pieces, joins as kind None
        self._join_next = False  # the last paragraph's mark is a tracked deletion: the next one continues it

    def read(self) -> str:
        self._blocks(_wrapped(self.body, (wq("p"), wq("tbl"))))
        return "\n".join("".join(piece[0] for piece in line) for line in self._lines)

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

    def _blocks(self, blocks) -> None:
        blocks = list(blocks)
        for n, block in enumerate(blocks):
            if block.tag == wq("tbl"):
                self._join_next = False
                self._table(block)
            elif n and n == len(blocks) - 1 and blocks[n - 1].tag == wq("tbl") and _blank_paragraph(block):
                # the empty paragraph Word requires after a table at the end of a cell: layout, not text
                continue
            else:
                self._paragraph_line(block)
        self._join_next = False

    def _table(self, tbl) -> None:
        for row in _wrapped(tbl, (wq("tr"),)):
            trpr = row.find(wq("trPr"))
            if trpr is not None and trpr.find(wq("del")) is not None:
                self.revisions += 1  # a row deleted with changes tracked
                continue
            cells = [list(_wrapped(tc, (wq("p"), wq("tbl")))) for tc in _wrapped(row, (wq("tc"),))]
            if all(len(c) <= 1 and all(b.tag == wq("p") for b in c) for c in cells):
                line: list = []
                for n, cell in enumerate(cells):
                    if n:
                        line.append(("\t", None, None))
                    if cell:
                        self._paragraph(cell[0], line)
                self._lines.append(line)
            else:
                for cell in cells:
                    if not all(b.tag == wq("p") and _blank_paragraph(b) for b in cell):
                        self._blocks(cell)

    def _paragraph_line(self, p) -> None:
        """A paragraph as a line of its own; after a paragraph whose mark was deleted with changes
        tracked, as the rest of that line (accepting the change merges the two paragraphs)."""
        joined = self._join_next and bool(self._lines)
        ppr = p.find(wq("pPr"))
        mark = ppr.find(wq("rPr")) if ppr is not None else None
        mark_deleted = mark is not None and (mark.find(wq("del")) is not None or mark.find(wq("moveFrom")) is not None)
        self.revisions += mark_deleted
        runs: list = []
        self._runs(p, runs, _centred(p))
        if joined:
            self._lines[-1].extend(runs)
            self._join_next = mark_deleted
            return
        if mark_deleted and not any(piece[0] for piece in runs):
            self._join_next = False  # deleted outright: no line, and no automatic number counted
            return
        self._join_next = mark_deleted
        self._lines.append(self._label(p) + runs)

    def _paragraph(self, p, line: list) -> None:
        """A paragraph into `line` (a cell of a table row)."""
        runs: list = []
        self._runs(p, runs, _centred(p))
        line.extend(self._label(p) + runs)

    def _label(self, p) -> list:
        label = self.numbering.label(p)
        return [(label, "label", p)] if label else []

    def _runs(self, el, line: list, centred: bool) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if tag == MC_FALLBACK:
                continue  # the same content as mc:Choice, for old readers
            if tag in (wq("drawing"), wq("pict"), wq("object")):
                self._graphic(child)
                continue
            if tag == wq("t"):
                piece, kind = child.text or "", "t"
            elif tag == wq("tab"):
                piece, kind = "\t", "el"
            elif tag in (wq("br"), wq("cr")):
                kind = child.get(wq("type"))
                # a soft break in a centred paragraph (a two-line title) joins the lines
                piece = "" if centred and kind in (None, "textWrapping") else "\n"
                kind = "el"
            elif tag == wq("noBreakHyphen"):
                piece, kind = "-", "el"
            elif tag in (wq("del"), wq("moveFrom")):
                self.revisions += 1  # deleted (or moved away) with changes tracked: not in the accepted text
                continue
            elif tag in (wq("rPr"), wq("pPr"), wq("delText"), wq("instrText")):
                continue
            elif tag == wq("r"):
                rpr = child.find(wq("rPr"))
                if rpr is not None and rpr.find(wq("vanish")) is not None:
                    continue  # hidden text
                self._runs(child, line, centred)
                continue
            else:
                if tag in (wq("ins"), wq("moveTo")):
                    self.revisions += 1
                self._runs(child, line, centred)
                continue
            if piece:
                line.append((piece, kind, child))

    def _graphic(self, el) -> None:
        boxes = [box for box in el.iter(wq("txbxContent"))
                 if not any(a.tag == MC_FALLBACK for a in box.iterancestors())]
        if boxes:
            for box in boxes:
                text = "".join(t.text or "" for t in box.iter(wq("t"))).strip()
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
        if self.revisions:
            out.append(f"含有{self.revisions}处未接受的修订，已按接受全部修订后的文字读入（删除的文字不计入）")
        return out
