"""Look at a .docx with comments as LibreOffice lays it out, the comments in a margin.

    python tests/tools/annotated_pdf.py FILE.docx OUT_PREFIX [--pages 1,2] [--dpi 70]

Converts FILE.docx to PDF with LibreOffice, comments exported (`ExportNotes`, and
`ExportNotesInMargin` for LibreOffice 7.6 and later, which draws them in the margin itself), renders
the pages with pdftoppm and writes OUT_PREFIX-N.png. LibreOffice 7.4 (Debian 12) knows no
margin option and exports each comment as a PDF note (an icon); for those the note's text and the
place LibreOffice anchored it are read from the PDF and drawn in a margin beside the page, joined
to the anchor by a line — the positions are LibreOffice's, only the drawing is ours.
Needs soffice and pdftoppm on PATH, and PySide6 (for drawing).
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

FILTER = ('pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"},'
          '"ExportNotesInMargin":{"type":"boolean","value":"true"}}')


def convert(docx: Path, folder: Path) -> Path:
    subprocess.run(["soffice", "--headless", "--convert-to", FILTER, "--outdir", str(folder), str(docx)],
                   check=True, capture_output=True)
    return folder / (docx.stem + ".pdf")


def _objects(data: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}


def _text(raw: bytes) -> str:
    raw = raw.strip()
    if raw.startswith(b"<"):
        data = bytes.fromhex(raw[1:-1].decode("ascii"))
    else:  # a literal string with escapes
        body = raw[1:-1]
        body = re.sub(rb"\\([nrtbf()\\])", lambda m: {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b",
                                                       b"f": b"\f"}.get(m.group(1), m.group(1)), body)
        data = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), body)
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", errors="replace")
    return data.decode("latin-1")


def notes(pdf: Path) -> list[list[tuple[tuple[float, ...], str]]]:
    """Per page (in order): the comment notes as ((x1, y1, x2, y2) in points, text)."""
    objects = _objects(pdf.read_bytes())
    root = next(body for body in objects.values() if re.search(rb"/Type\s*/Pages\b", body)
                and b"/Parent" not in body)
    kids = [int(n) for n in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", root, re.S).group(1))]
    pages = []
    for kid in kids:
        body = objects[kid]
        found = []
        annots = re.search(rb"/Annots\s*\[(.*?)\]", body, re.S)
        for ref in re.findall(rb"(\d+) 0 R", annots.group(1)) if annots else []:
            note = objects.get(int(ref), b"")
            if not re.search(rb"/Subtype\s*/Text\b", note):
                continue
            rect = tuple(float(v) for v in re.search(rb"/Rect\s*\[([^\]]*)\]", note).group(1).split())
            contents = re.search(rb"/Contents\s*(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))", note, re.S)
            found.append((rect, _text(contents.group(1)) if contents else ""))
        pages.append(found)
    return pages


def draw(page_png: Path, page_notes, height_pt: float, dpi: int, out: Path) -> None:
    from PySide6.QtCore import QPointF, QRectF, Qt  # deferred: Qt is needed only when a PDF is drawn
    from PySide6.QtGui import (  # deferred: Qt is needed only when a PDF is drawn
        QColor,
        QFont,
        QFontMetricsF,
        QImage,
        QPainter,
        QPen,
    )

    page = QImage(str(page_png))
    margin = int(page.width() * 0.62) if page_notes else 0
    image = QImage(page.width() + margin, page.height(), QImage.Format.Format_RGB32)
    image.fill(QColor("#e8e8e8"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.drawImage(0, 0, page)
    font = QFont("Noto Sans CJK SC")
    font.setPixelSize(max(9, dpi // 7))
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    scale = dpi / 72
    box_x, box_w = page.width() + 8, margin - 16
    top = 4.0
    for (x1, y1, _x2, y2), text in sorted(page_notes, key=lambda n: (-n[0][3], n[0][0])):
        anchor = QPointF(x1 * scale, (height_pt - y2) * scale + 2)
        lines = _wrap(text, metrics, box_w - 8)
        room = max(1, int((page.height() - max(top, anchor.y() - 6)) / metrics.height()) - 1)
        if len(lines) > room:
            lines = lines[:room - 1] + [lines[room - 1][:-1] + "…"] if room > 1 else [lines[0][:-1] + "…"]
        box_h = len(lines) * metrics.height() + 6
        y = max(top, anchor.y() - 6)
        if y + box_h > page.height():
            y = max(top, page.height() - box_h - 2)
        painter.setPen(QPen(QColor("#c0504d"), 1))
        painter.drawEllipse(anchor, 2.5, 2.5)
        painter.drawLine(anchor, QPointF(box_x, y + 6))
        painter.setBrush(QColor("#fff7d6"))
        painter.setPen(QPen(QColor("#d9a400"), 1))
        painter.drawRect(QRectF(box_x, y, box_w, box_h))
        painter.setPen(QColor("#333333"))
        for n, line in enumerate(lines):
            painter.drawText(QRectF(box_x + 4, y + 3 + n * metrics.height(), box_w - 8, metrics.height()),
                             Qt.AlignmentFlag.AlignLeft, line)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        top = y + box_h + 3
    painter.end()
    image.save(str(out))


def _wrap(text: str, metrics, width: float) -> list[str]:
    lines = []
    for paragraph in text.replace("\r", "\n").split("\n"):
        line = ""
        for ch in paragraph:
            if metrics.horizontalAdvance(line + ch) > width and line:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docx", type=Path)
    parser.add_argument("prefix", type=Path, help="output PNG prefix: PREFIX-1.png, PREFIX-2.png …")
    parser.add_argument("--pages", default="1", help="pages to render, e.g. 1,2")
    parser.add_argument("--dpi", type=int, default=70)
    parser.add_argument("--join", action="store_true", help="also PREFIX.png: the pages side by side")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication  # deferred: Qt is needed only when a PDF is drawn

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - fonts need an application
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = convert(args.docx.resolve(), folder)
        per_page = notes(pdf)
        media = re.search(rb"/MediaBox\s*\[\s*[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)", pdf.read_bytes())
        height_pt = float(media.group(2))
        written = []
        for number in (int(n) for n in args.pages.split(",")):
            if number > len(per_page):
                continue
            subprocess.run(["pdftoppm", "-hide-annotations", "-png", "-r", str(args.dpi), "-f", str(number), "-l", str(number),
                            "-singlefile", str(pdf), str(folder / "page")], check=True, capture_output=True)
            out = Path(f"{args.prefix}-{number}.png")
            draw(folder / "page.png", per_page[number - 1], height_pt, args.dpi, out)
            print(f"{out}: {len(per_page[number - 1])} comments on page {number}")
            written.append(out)
        if args.join and written:
            join(written, Path(f"{args.prefix}.png"))
    return 0


def join(pngs: list[Path], out: Path) -> None:
    from PySide6.QtGui import QColor, QImage, QPainter  # deferred: Qt is needed only when a PDF is drawn

    images = [QImage(str(p)) for p in pngs]
    gap = 12
    joined = QImage(sum(i.width() for i in images) + gap * (len(images) + 1), max(i.height() for i in images) + 2 * gap,
                    QImage.Format.Format_RGB32)
    joined.fill(QColor("#d0d0d0"))
    painter = QPainter(joined)
    x = gap
    for image in images:
        painter.drawImage(x, gap, image)
        x += image.width() + gap
    painter.end()
    joined.save(str(out))
    print(f"{out}: pages side by side")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
