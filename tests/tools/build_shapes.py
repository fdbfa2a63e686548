"""Build resources/lm/shapes.txt: for each character the model counts, the characters that look like it.

    python tests/tools/build_shapes.py [--fonts FILE[:INDEX] ...] [--k K] [--min SIM] [--out FILE]

ECSpell's shape sets (in confusion.txt) miss many slips of shape a drafter makes (技木 for 技术, 尽力面为
for 尽力而为, 保剑 for 保险). This derives like-shape sets from the glyphs themselves: every Han character
of resources/lm/ngrams.bin (level 1) is drawn in each font (by default Noto Sans CJK SC and Noto Serif
CJK SC, the fonts-noto-cjk package) into a bitmap of its em box, and two characters are alike by
how much of each one's ink lies on or next to the other's (a tolerant overlap: a stroke one pixel
away still counts, so a dot added (木/术, 大/太/犬), a stroke a little longer (未/末) or a radical
changed on the same side (很/恨) keep most of it). The similarity of two characters is the mean over the fonts; each
character keeps its K most similar above SIM.

Only the sets are written: no glyph, no bitmap, nothing of the fonts. Pillow draws the glyphs
(`pip install -e ".[data]"`); the program never imports it. The same fonts and Pillow (FreeType)
give the same file byte for byte: every bitmap is integers, ties are broken by the character.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.text.ngrams import Model  # noqa: E402

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
# the Simplified Chinese faces (index 2) of the two Noto CJK collections
FONTS = (f"{FONT_DIR}/NotoSansCJK-Regular.ttc:2", f"{FONT_DIR}/NotoSerifCJK-Regular.ttc:2")
SIZE = 32  # the bitmap's side in pixels (the glyph is drawn four times as large and reduced)
INK = 96  # grey level (0-255, after reduction) from which a pixel is ink
# Set on half of the typo benchmark (eval_typos.py --split tune) and half of the held-out official
# prose (--official --part A): more or less alike ones find few more slips and cost time and alarms.
K, MIN_SIM = 12, 0.9


def han(chars) -> list[str]:
    return sorted(c for c in chars if "\u4e00" <= c <= "\u9fff")


def bitmaps(chars: list[str], font_spec: str, size: int = SIZE) -> dict[str, int]:
    """Each character's glyph in its em box (not moved to its own centre: where a component stands
    is part of the shape) as one integer of size × size bits, row by row."""
    from PIL import Image, ImageDraw, ImageFont  # deferred: only this build uses Pillow

    path, _, index = font_spec.partition(":")
    big = size * 4
    font = ImageFont.truetype(path, big, index=int(index or 0))
    out = {}
    for ch in chars:
        image = Image.new("L", (big, big), 0)
        ImageDraw.Draw(image).text((big // 2, big // 2), ch, fill=255, font=font, anchor="mm")
        small = image.resize((size, size), Image.Resampling.BOX)
        # the first pixel in the lowest bit
        out[ch] = sum(1 << i for i, v in enumerate(small.tobytes()) if v >= INK)
    return out


def dilate(bits: int, size: int = SIZE) -> int:
    """The pixels at most one step (eight neighbours) from an ink pixel."""
    full = (1 << size * size) - 1
    left_col = sum(1 << (r * size) for r in range(size))
    right_col = left_col << (size - 1)
    row = bits | (bits << 1 & ~left_col) | (bits >> 1 & ~right_col)
    return (row | row << size | row >> size) & full


def nearest(rows: list[dict[str, int]], cols: list[dict[str, int]], k: int, floor: float,
            size: int = SIZE) -> dict[str, list[tuple[float, str]]]:
    """For each character of `rows` (its bitmap in each font), the k characters of `cols` most like
    it, with similarity at least `floor`, best first."""
    fonts = range(len(cols))
    names = list(cols[0])
    col_bits = [[cols[f][c] for c in names] for f in fonts]
    col_ink = [[b.bit_count() for b in row] for row in col_bits]
    col_grown = [[dilate(b, size) for b in row] for row in col_bits]
    out = {}
    for ch in rows[0]:
        bits = [rows[f][ch] for f in fonts]
        ink = [b.bit_count() for b in bits]
        if not all(ink):
            continue
        grown = [dilate(b, size) for b in bits]
        found = []
        for j, other in enumerate(names):
            if other == ch:
                continue
            total = 0.0
            for f in fonts:
                # the share of each one's ink on or next to the other's: their harmonic mean
                p = (bits[f] & col_grown[f][j]).bit_count() / ink[f]
                q = (col_bits[f][j] & grown[f]).bit_count() / col_ink[f][j]
                total += 2 * p * q / (p + q) if p + q else 0.0
            sim = total / len(cols)
            if sim >= floor:
                found.append((sim, other))
        if found:
            out[ch] = sorted(found, key=lambda x: (-x[0], x[1]))[:k]
    return out


def write_shapes(table: dict[str, list[tuple[float, str]]], path: Path, fonts) -> None:
    names = ", ".join(Path(f.partition(":")[0]).name + ":" + (f.partition(":")[2] or "0") for f in fonts)
    lines = [f"# 形近字：每行 字<TAB>字形最像的字（由像到不像）。tests/tools/build_shapes.py 用字体 {names} 画字后比对得出"]
    lines += [f"{c}\t{''.join(x for _, x in row)}" for c, row in sorted(table.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fonts", nargs="+", default=list(FONTS), help="font files, each FILE[:face index]")
    ap.add_argument("--k", type=int, default=K)
    ap.add_argument("--min", type=float, default=MIN_SIM, dest="floor")
    ap.add_argument("--model", type=Path, default=ROOT / "resources" / "lm" / "ngrams.bin")
    ap.add_argument("--out", type=Path, default=ROOT / "resources" / "lm" / "shapes.txt")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    chars = han(Model(args.model.read_bytes()).chars[1])
    maps = [bitmaps(chars, f) for f in args.fonts]
    table = nearest(maps, maps, args.k, args.floor)
    write_shapes(table, args.out, args.fonts)
    print(f"{len(chars):,} characters; {len(table):,} with like-shape "
          f"ones, {sum(map(len, table.values())):,} pairs; {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
