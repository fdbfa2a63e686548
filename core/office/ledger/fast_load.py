"""Shortcuts through openpyxl for big ledgers — reading plain strings and numbers, making cells,
writing their style numbers and attributes — each giving exactly what openpyxl's own code gives
(tests compare them), and the pause of the cyclic garbage collector while a ledger is built."""
from __future__ import annotations

import contextlib
import datetime
import gc
import inspect
import threading
import zipfile

try:
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet import _reader as reader
    from openpyxl.xml.constants import SHEET_MAIN_NS
except ImportError:  # another openpyxl: its own parser only
    reader = None

# openpyxl writes every string inline (<is><t>…</t></is>) and reads each one back through its
# generic Serialisable machinery, which is the bulk of the time it takes to load a 10,000-row ledger.
# While a ledger loads, the worksheet parser takes a shortcut for the plain one-run case and leaves
# everything else (rich text, phonetic runs, formulas, other types) to openpyxl's own code, so the
# result is the same cell by cell. Verified against openpyxl 3.1 (pinned in pyproject.toml); an
# openpyxl whose parse_cell looks different is left to load on its own.

PATCHED_PARAMETERS = ("self", "element")  # WorkSheetParser.parse_cell in openpyxl 3.1
_LOAD_LOCK = threading.Lock()


def _patchable(parse_cell) -> bool:
    try:
        return tuple(inspect.signature(parse_cell).parameters) == PATCHED_PARAMETERS
    except (TypeError, ValueError):
        return False


def _position(parser, element) -> tuple[int, int]:
    """A cell's row and column as openpyxl's parser finds them: from its reference, else the next
    column of the current row (a writer may leave out the references)."""
    coordinate = element.get("r")
    if coordinate:
        row, column = coordinate_to_tuple(coordinate)
        parser.col_counter = column
        return row, column
    parser.col_counter += 1
    return parser.row_counter, parser.col_counter


@contextlib.contextmanager
def fast_inline_strings():
    """While this lasts, openpyxl's worksheet parser reads plain inline strings the quick way."""
    with _LOAD_LOCK:
        original = getattr(getattr(reader, "WorkSheetParser", None), "parse_cell", None)
        inline_tag = getattr(reader, "INLINE_STRING", None)
        formula_tag = getattr(reader, "FORMULA_TAG", None)
        if original is None or inline_tag is None or formula_tag is None or not _patchable(original):
            yield
            return
        text_tag = f"{{{SHEET_MAIN_NS}}}t"
        value_tag = getattr(reader, "VALUE_TAG", None)
        cast = getattr(reader, "_cast_number", None)

        def parse_cell(self, element):
            kind = element.get("t")
            if (kind is None or kind == "n") and value_tag is not None and cast is not None and not self.data_only:
                # a number (or an empty styled cell): openpyxl's own steps, without the generic ones
                children = len(element)
                if children == 0 or (children == 1 and element[0].tag == value_tag):
                    style_id = element.get("s", 0)
                    if style_id:
                        style_id = int(style_id)
                    text = element[0].text if children else None
                    if not text or style_id not in self.date_formats:
                        row, column = _position(self, element)
                        return {"row": row, "column": column, "value": cast(text) if text else None,
                                "data_type": "n", "style_id": style_id}
            if kind == "inlineStr" and element.find(formula_tag) is None:
                child = element.find(inline_tag)
                if child is not None and len(child) == 1 and child[0].tag == text_tag:
                    row, column = _position(self, element)
                    style_id = element.get("s", 0)
                    if style_id:
                        style_id = int(style_id)
                    return {"row": row, "column": column, "value": child[0].text or "",
                            "data_type": "s", "style_id": style_id}
            return original(self, element)

        reader.WorkSheetParser.parse_cell = parse_cell
        bind = _fast_bind_cells()
        original_bind = reader.WorksheetReader.bind_cells if bind is not None else None
        if bind is not None:
            reader.WorksheetReader.bind_cells = bind
        try:
            yield
        finally:
            reader.WorkSheetParser.parse_cell = original
            if original_bind is not None:
                reader.WorksheetReader.bind_cells = original_bind


def _fast_bind_cells():
    """openpyxl's WorksheetReader.bind_cells without the generic constructor calls: each cell made
    as Cell(ws, row, column, style_array=…) makes it, attribute by attribute (openpyxl 3.1's Cell)."""
    try:
        from openpyxl.cell.cell import Cell  # deferred: only where the reader module is openpyxl 3.1's
        from openpyxl.styles.cell_style import StyleArray
    except ImportError:
        return None
    slots = set(getattr(Cell, "__slots__", ())) | {"parent", "_style"}
    if not {"row", "column", "_value", "data_type", "_hyperlink", "_comment"} <= slots:
        return None
    if tuple(inspect.signature(reader.WorksheetReader.bind_cells).parameters) != ("self",):
        return None
    new = Cell.__new__

    def bind_cells(self):
        ws = self.ws
        cells = ws._cells
        styles = ws.parent._cell_styles
        for _idx, row in self.parser.parse():
            for cell in row:
                c = new(Cell)
                c.parent = ws
                c._style = StyleArray(styles[cell["style_id"]])
                c.row, c.column = cell["row"], cell["column"]
                c._value = cell["value"]
                c.data_type = cell["data_type"]
                c._hyperlink = None
                c._comment = None
                cells[(c.row, c.column)] = c
        if cells:
            ws._current_row = ws.max_row  # use cells not row dimensions

    return bind_cells


try:
    from openpyxl.styles.styleable import StyleableObject
except ImportError:  # another openpyxl: its own code only
    StyleableObject = None

_SAVE_LOCK = threading.Lock()

# zlib level 3 instead of openpyxl's 6: a 10,000-row ledger is written about 0.2 s sooner, and its
# file is about a fifth larger (1.1 instead of 0.9 MB).
COMPRESS_LEVEL = 3


def write_workbook(wb, out) -> None:
    """What ``wb.save(out)`` does (openpyxl 3.1's save_workbook), with a quicker compression."""
    try:
        from openpyxl.writer.excel import ExcelWriter  # deferred: openpyxl's writer, loaded with the workbook's
    except ImportError:
        wb.save(out)
        return
    if wb.read_only or (wb.write_only and not wb.worksheets):
        wb.save(out)  # openpyxl's own refusals and fixes
        return
    wb.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
    archive = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=COMPRESS_LEVEL)
    ExcelWriter(wb, archive).save()


try:
    from openpyxl.cell import _writer as cell_writer
    from openpyxl.utils.cell import get_column_letter
except ImportError:  # another openpyxl: its own code only
    cell_writer = None


def _fast_set_attributes(original):
    """openpyxl's cell_writer._set_attributes for the plain cells a ledger is made of (text, numbers,
    no date, no link), without its generic steps: the same attributes, in the same order."""
    letters: dict[int, str] = {}

    def set_attributes(cell, styled=None):
        kind = cell.data_type
        if kind == "d" or cell._hyperlink is not None:
            return original(cell, styled)
        column = cell.column
        letter = letters.get(column)
        if letter is None:
            letter = letters[column] = get_column_letter(column)
        attrs = {"r": f"{letter}{cell.row}"}
        if styled:
            attrs["s"] = f"{cell.style_id}"
        if kind == "s":
            attrs["t"] = "inlineStr"
        elif kind != "f":
            attrs["t"] = kind
        return cell._value, attrs

    return set_attributes


@contextlib.contextmanager
def fast_style_ids(wb):
    """While ``wb`` is saved, each cell's style number is looked up once per distinct style (openpyxl
    hashes the whole style array of every cell again: a fifth of the time it takes to write a big
    ledger), and a plain cell's attributes are set without openpyxl's generic steps. The file is
    byte for byte what openpyxl writes (a test compares them)."""
    original = getattr(StyleableObject, "style_id", None)
    if not isinstance(original, property) or original.fget is None:
        yield
        return
    attributes = getattr(cell_writer, "_set_attributes", None)
    if attributes is not None and tuple(inspect.signature(attributes).parameters) != ("cell", "styled"):
        attributes = None
    memo: dict[bytes, int] = {}
    lookup = original.fget
    styles = wb._cell_styles

    def style_id(self):
        style = self._style
        if style is None or self.parent.parent._cell_styles is not styles:
            return lookup(self)
        key = style.tobytes()
        found = memo.get(key)
        if found is None:
            found = memo[key] = lookup(self)
        return found

    with _SAVE_LOCK:
        StyleableObject.style_id = property(style_id)
        if attributes is not None:
            cell_writer._set_attributes = _fast_set_attributes(attributes)
        try:
            yield
        finally:
            StyleableObject.style_id = original
            if attributes is not None:
                cell_writer._set_attributes = attributes


# A 10,000-row ledger is some 150,000 openpyxl objects. Python's cyclic garbage collector would
# walk all of them again and again while they are being created (about a third of the load time),
# and none of them is garbage until the export is over, so it waits until then. The collector is
# process-wide (the window's thread too), so the pause lasts only as long as a ledger call: the
# last of overlapping calls puts back the state found by the first. The workbook's cells are
# released by hand afterwards so reference counting frees them without a full collection.
_GC_LOCK = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextlib.contextmanager
def gc_paused():
    global _gc_pauses, _gc_was_enabled
    with _GC_LOCK:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def release_cells(wb) -> None:
    """Drop the workbook's cells now (they point at their sheet, so they form cycles)."""
    if wb is None:
        return
    for ws in wb._sheets:
        cells = getattr(ws, "_cells", None)
        if cells:
            cells.clear()  # nothing else holds the cells: reference counting frees them at once
