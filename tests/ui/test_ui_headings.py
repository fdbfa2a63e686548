"""The editor's heading highlighting agrees with the document model, line by line, on every seed
(../shared/seeds when present, and tests/fixtures)."""
from __future__ import annotations

import pytest
from helpers import CLEAN, ROOT, SEEDS, read_fixture

from core.text.document import heading_level, parse
from ui.editor import TITLE, ReportEditor, document_levels

SHARED_SEEDS = ROOT.parent / "shared" / "seeds"  # the project's wider seed set, beside the checkout
TEXTS = sorted(SHARED_SEEDS.glob("*.txt")) if SHARED_SEEDS.is_dir() else []
CASES = [*TEXTS, *SEEDS, *CLEAN]
# lines whose role the numbering alone cannot tell: the title, and what parse sets apart from the body
CONTEXT_KINDS = ("byline", "attachment", "junk")


def _model_levels(text: str) -> list[int | None]:
    return [level for _line, level in document_levels(parse(text))]


def _editor(qtbot, text: str) -> ReportEditor:
    editor = ReportEditor()
    qtbot.addWidget(editor)
    editor.setPlainText(text)
    return editor


def _highlighted(editor: ReportEditor) -> list[int | None]:
    levels, block = [], editor.document().begin()
    while block.isValid():
        levels.append(editor.highlighter.level(block.blockNumber(), block.text()))
        block = block.next()
    return levels


def test_the_cases_are_there():
    assert SEEDS and CLEAN  # the shared seeds are optional; the fixtures are not


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_highlighter_levels_are_the_document_models(qtbot, path):
    text = read_fixture(path).replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    doc = parse(text)
    model = _model_levels(text)
    editor = _editor(qtbot, text)
    assert editor.document().blockCount() == len(model)

    # before any check: every heading and body line by its numbering, as parse reads it
    lines = text.split("\n")
    set_apart = {n for p in doc.paragraphs if p.kind in CONTEXT_KINDS
                 for n in range(text.count("\n", 0, p.start), text.count("\n", 0, p.end) + 1)}
    live = _highlighted(editor)
    for n, (line, level) in enumerate(zip(lines, model)):
        if level != TITLE and n not in set_apart and (n > 0 or level is not None):
            assert live[n] == level, (n, line)
            assert heading_level(line) == level, (n, line)

    # after the check: every line, the title and the lines set apart included
    editor.highlighter.follow(doc)
    assert _highlighted(editor) == model
    block = editor.document().begin()
    while block.isValid():
        drawn = bool(block.layout().formats())
        assert drawn == (model[block.blockNumber()] is not None), (block.blockNumber(), block.text())
        block = block.next()


def test_a_numbered_byline_is_not_a_heading_once_checked(qtbot):
    text = "市审计局2024年度述责述廉报告\n3.张三（党组书记、局长）\n一、履行职责情况\n（一）学习贯彻\n1，召开党组会12次。\n"
    editor = _editor(qtbot, text)
    assert _highlighted(editor)[:3] == [TITLE, 3, 1]  # read by its numbering until the check
    editor.highlighter.follow(parse(text))
    assert _highlighted(editor)[:5] == [TITLE, None, 1, 2, 3]  # "1，" as parse reads it
    # a line typed after the check is read by its numbering at once
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.insertText("（2）新加的一条")
    assert _highlighted(editor)[-1] == 4


def test_the_window_follows_each_check_without_rechecking(window):
    window.set_text(read_fixture(SEEDS[0]), None)
    assert _highlighted(window.editor) == _model_levels(window.result.document.text)
    # redrawing the headings is not an edit: the check shown is the one of the text as it is
    assert window.checked_revision == window.revision
    window.editor.appendPlainText("（三）新加的一节")
    window.start_check()
    assert _highlighted(window.editor) == _model_levels(window.result.document.text)
    assert window.checked_revision == window.revision and not window.check_timer.isActive()
