"""The fast openpyxl loader for big ledgers (a shortcut for plain inline strings) and the pause of the
cyclic garbage collector while a ledger is built."""
from __future__ import annotations

import contextlib
import gc
import inspect
import threading

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

        def parse_cell(self, element):
            if element.get("t") == "inlineStr" and element.find(formula_tag) is None:
                child = element.find(inline_tag)
                if child is not None and len(child) == 1 and child[0].tag == text_tag:
                    coordinate = element.get("r")
                    if coordinate:
                        row, column = coordinate_to_tuple(coordinate)
                        self.col_counter = column
                    else:
                        self.col_counter += 1
                        row, column = self.row_counter, self.col_counter
                    style_id = element.get("s", 0)
                    if style_id:
                        style_id = int(style_id)
                    return {"row": row, "column": column, "value": child[0].text or "",
                            "data_type": "s", "style_id": style_id}
            return original(self, element)

        reader.WorkSheetParser.parse_cell = parse_cell
        try:
            yield
        finally:
            reader.WorkSheetParser.parse_cell = original


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
