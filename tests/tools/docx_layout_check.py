"""Layout proof for the GB/T 9704 .docx export: export a seed, let LibreOffice lay it out as PDF,
and count what it produced.

    python tests/tools/docx_layout_check.py [SEED.txt] [--out DIR]

Prints, per page, the number of text lines and the widths of the lines (a CJK character counts 1,
an ASCII character 1/2), the figures for the fullest page of body text (GB/T 9704: 22 lines of 28
characters), the fonts in the PDF (`pdffonts`: what LibreOffice substituted for 仿宋_GB2312 etc.),
and renders pages 1 and 2 to PNG (`pdftoppm -r 60`) for looking at.
Needs soffice, pdftotext, pdffonts, pdftoppm on PATH.
"""
from __future__ import annotations

import argparse
import collections
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DEFAULT_SEED = ROOT / "tests" / "fixtures" / "seeds" / "001_c64cf84ad31af413.txt"
_PAGE_NUMBER = re.compile(r"^\s*—\s*\d+\s*—\s*$")


def width(line: str) -> float:
    """Characters on a line: CJK 1, ASCII 1/2; spaces not counted (pdftotext -layout spreads
    grid-spaced characters apart with spaces)."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch not in "“”‘’—…" else 1.0 for ch in line if not ch.isspace())


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def _ink_rows(pdf: Path, page: int, x0: float, x1: float, y0: float, y1: float, dpi: int = 600):
    """(first, last) millimetre from the page top where the box (in pt) has dark pixels."""
    with tempfile.TemporaryDirectory() as tmp:
        run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), str(pdf), f"{tmp}/p"])
        data = next(Path(tmp).glob("p*.pgm")).read_bytes()
    magic, size, _maxval, pixels = data.split(b"\n", 3)
    w = int(size.split()[0])
    rows = [y for y in range(int(y0 * dpi / 72), int(y1 * dpi / 72) + 1)
            if min(pixels[y * w + int(x0 * dpi / 72): y * w + int(x1 * dpi / 72)] or b"\xff") < 128]
    return (rows[0] / dpi * 25.4, rows[-1] / dpi * 25.4) if rows else None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("seed", nargs="?", default=str(DEFAULT_SEED))
    parser.add_argument("--out", default=None, help="folder for the .docx, .pdf and PNGs (default: a new one in /tmp)")
    parser.add_argument("--char-grid", action="store_true",
                        help="export with core.office.docx_export.CHAR_GRID = True (linesAndChars grid) instead")
    args = parser.parse_args()
    for tool in ("soffice", "pdftotext", "pdffonts", "pdftoppm"):
        if not shutil.which(tool):
            print(f"missing tool: {tool}")
            return 2
    os.environ.setdefault("REPORT_ASSISTANT_HOME", tempfile.mkdtemp(prefix="layout-home-"))
    from core.office import docx_export  # deferred: the checkout is put on sys.path first
    from core.office.docx_export import export_docx  # deferred: the checkout is put on sys.path first

    docx_export.CHAR_GRID = args.char_grid
    print(f"grid: {'linesAndChars, charSpace ' + str(docx_export.CHAR_SPACE) if args.char_grid else 'lines only, body runs condensed 0.25 pt'}")

    out = Path(args.out or tempfile.mkdtemp(prefix="docx-layout-", dir="/tmp"))
    out.mkdir(parents=True, exist_ok=True)
    docx_path = out / "report.docx"
    text = Path(args.seed).read_text(encoding="utf-8")
    info = export_docx(text, docx_path, unit="中共某某市某某局党组", date=datetime.date(2024, 1, 5))
    print(f"exported {args.seed} -> {docx_path}: {info['paragraphs']} paragraphs, {info['headings']} headings")

    profile = tempfile.mkdtemp(prefix="lo-profile-")
    run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(docx_path)], timeout=180)
    pdf = out / "report.pdf"
    layout = run(["pdftotext", "-layout", str(pdf), "-"]).stdout
    pages = layout.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    print(f"\nPDF: {pdf}, {len(pages)} pages")
    best = None
    for number, page in enumerate(pages, 1):
        lines = [ln for ln in page.split("\n") if ln.strip()]
        footer = [ln.strip() for ln in lines if _PAGE_NUMBER.match(ln)]
        body = [ln for ln in lines if not _PAGE_NUMBER.match(ln)]
        widths = [width(ln) for ln in body]
        common = collections.Counter(widths).most_common(3)
        print(f"page {number}: {len(body)} text lines, page number {footer or '-'}, "
              f"widest {max(widths, default=0):g}, most common widths {common}")
        if best is None or len(body) > best[1]:
            best = (number, len(body), body, widths)
    if best:
        number, count, body, widths = best
        full = [w for w in widths[:-1]]
        mode = collections.Counter(full).most_common(1)[0][0] if full else 0
        print(f"\nfullest page: {number} with {count} lines (GB/T 9704: 22); "
              f"a full line holds {mode:g} characters (GB/T 9704: 28)")
        for ln, w in zip(body[:3], widths[:3]):
            print(f"  {w:5g} | {ln.strip()}")

    # where the page numbers sit: x offset of the number on odd and even pages
    bbox = run(["pdftotext", "-bbox", "-f", "1", "-l", "2", str(pdf), "-"]).stdout
    page_width = None
    for page_no, chunk in enumerate(bbox.split("<page ")[1:], 1):
        m = re.match(r'width="([\d.]+)"', chunk)
        page_width = float(m.group(1)) if m else page_width
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                           chunk)
        dashes = [w for w in words if w[4] == "—"]
        if dashes:
            lo = min(float(w[0]) for w in dashes)
            hi = max(float(w[2]) for w in dashes)
            y = float(dashes[0][1])
            print(f"page {page_no} number: x {lo:.0f}–{hi:.0f} pt of {page_width:.0f} "
                  f"(left gap {lo / 72 * 25.4:.1f} mm, right gap {(page_width - hi) / 72 * 25.4:.1f} mm), "
                  f"top at {y / 72 * 25.4:.1f} mm")
            dash = dashes[0]
            ink = _ink_rows(pdf, page_no, float(dash[0]), float(dash[2]), y - 5, float(dash[3]) + 5)
            if ink:
                # GB/T 9704 7.5: the 一字线 7 mm below the text block (its lower edge: 297 − 35 mm)
                print(f"  its 一字线 inked at {ink[0]:.2f}–{ink[1]:.2f} mm from the top: "
                      f"{ink[0] - (297 - 35):.2f} mm below the text block (GB/T 9704: 7 mm)")

    print("\nfonts in the PDF (pdffonts):")
    print(run(["pdffonts", str(pdf)]).stdout)
    prefix = out / "page"
    run(["pdftoppm", "-r", "60", "-f", "1", "-l", "2", "-png", str(pdf), str(prefix)])
    print("page images:", ", ".join(str(p) for p in sorted(out.glob("page*.png"))))
    shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
