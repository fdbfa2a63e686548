"""Read a report from disk: .txt in any encoding users meet, or .docx.

Every failure becomes a `ReadError` whose message is one Chinese sentence naming the file and
the reason; callers show it and go on. Nothing here writes to the file.
"""
from __future__ import annotations

import codecs
import os
import zipfile
from pathlib import Path

from core.document import normalize

MAX_TEXT_BYTES = 50 * 1024 * 1024  # far beyond any report; refuses a wrong file early
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
                raise ReadError(p, f"文件过大（{size // (1024 * 1024)} MB），不像是一份报告。")
            text = decode_text(p.read_bytes(), p)
    except PermissionError:
        raise ReadError(p, "没有读取权限（文件可能被其他程序占用）。") from None
    except OSError as exc:
        raise ReadError(p, f"读取失败（{exc.strerror or exc}）。") from None
    text = normalize(text)
    if not text.strip():
        raise ReadError(p, "文件里没有文字内容。")
    return text


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
    for codec in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _mostly_text(text):
            return text
    raise ReadError(path, "无法识别文件编码（不是 UTF-8、GBK/GB18030 或 UTF-16 文本），可能不是文本文件。")


def _mostly_chinese_or_ascii(text: str) -> bool:
    """Random bytes decoded as UTF-16 scatter over the whole BMP; a report is CJK and ASCII."""
    sample = text[:20000]
    plain = sum(1 for ch in sample if ch.isascii() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return plain >= len(sample) * 0.9


def _mostly_text(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0xE000 <= ord(ch) <= 0xF8FF
              or ch == "\ufffd")
    return bad <= len(sample) * 0.01


def _read_docx(p: Path, size: int, head: bytes) -> str:
    if head.startswith(OLE_MAGIC):
        raise ReadError(p, "文档已加密或是旧版 .doc 格式，请在 Word/WPS 中取消密码并另存为 .docx 后再打开。")
    if size > MAX_DOCX_BYTES:
        raise ReadError(p, f"文档过大（{size // (1024 * 1024)} MB）。")
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
    import docx  # python-docx is slow to import; only .docx readers pay for it
    from docx.oxml.ns import qn

    try:
        document = docx.Document(str(p))
    except Exception as exc:  # python-docx raises many types on malformed XML
        raise ReadError(p, f"Word 文档内容已损坏，无法解析（{type(exc).__name__}）。") from None
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = ["".join(t.text or "" for t in cell.iter(qn("w:t"))) for cell in row.iter(qn("w:tc"))]
                lines.append("\t".join(cells))
    return "\n".join(lines)
