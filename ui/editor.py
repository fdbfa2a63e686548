"""The editor pane: headings shown by level, findings underlined, fixes from the context menu."""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip

from core.check.findings import SEVERITY_LABELS as SEVERITY_TEXT
from core.check.findings import SEVERITY_RANK, Finding
from core.text.document import Document, heading_level
from ui.positions import PositionMap

SEVERITY_COLOR = {"error": "#d32f2f", "warning": "#f57c00", "info": "#1976d2"}
REUSED_COLOR = "#ffe3c2"  # sentences the previous report already had
MAX_UNDERLINES = 1500

# Where a heading's bold part stops: its own title, up to the first full stop (as core's Heading.title).
_TITLE_END = re.compile(r"[。！？!?]")
TITLE = 0  # the level the highlighter gives the report's title line(s)


def document_levels(doc: Document) -> list[tuple[str, int | None]]:
    """Per line of the document's text: (the line, TITLE or its heading level or None), as the
    document model reads it."""
    lines = doc.text.split("\n")
    starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    levels: list[tuple[str, int | None]] = [(line, None) for line in lines]

    def line_of(offset: int) -> int:
        return bisect_right(starts, offset) - 1

    if doc.title is not None:
        for n in range(line_of(doc.title_start), line_of(max(doc.title_start, doc.title_end - 1)) + 1):
            levels[n] = (levels[n][0], TITLE)
    for heading in doc.headings:
        n = line_of(heading.start)
        levels[n] = (levels[n][0], heading.level)
    return levels


class HeadingHighlighter(QSyntaxHighlighter):
    """Headings by level, as the printed report shows them: 黑体-like bold, then 楷体-like colour.

    The levels are the document model's: after each check, those of the checked text (a title,
    byline or attachment numbered like a heading is not one); a line typed since is read by its
    numbering alone (core.text.document.heading_level) until the next check."""

    def __init__(self, document):
        super().__init__(document)
        self.formats = {}
        for level, (weight, colour) in {1: (QFont.Weight.Black, "#1a237e"), 2: (QFont.Weight.Bold, "#283593"),
                                         3: (QFont.Weight.DemiBold, "#37474f"),
                                         4: (QFont.Weight.Normal, "#455a64")}.items():
            fmt = QTextCharFormat()
            fmt.setFontWeight(weight)
            fmt.setForeground(QColor(colour))
            self.formats[level] = fmt
        self.checked: list[tuple[str, int | None]] = []  # document_levels of the last checked text

    def follow(self, doc: Document) -> None:
        """Take the levels of a checked document; only the lines whose level changed are redrawn."""
        levels = document_levels(doc)
        before, self.checked = self.checked, levels
        document = self.document()
        # Redrawing a block makes the document say its contents changed; it is no edit, and the
        # window must not count it as one (a new revision, another check, an autosave).
        was_blocked = document.blockSignals(True)
        try:
            for n in range(max(len(levels), len(before))):
                now = levels[n] if n < len(levels) else None
                if now != (before[n] if n < len(before) else None):
                    block = document.findBlockByNumber(n)
                    if block.isValid():
                        self.rehighlightBlock(block)
        finally:
            document.blockSignals(was_blocked)

    def level(self, number: int, text: str) -> int | None:
        """TITLE, a heading level, or None for the block `number` holding `text`."""
        if number < len(self.checked) and self.checked[number][0] == text:
            return self.checked[number][1]
        found = heading_level(text)
        if found is None and number == 0 and text.strip():
            return TITLE  # not checked yet: the first line is taken for the title
        return found

    def highlightBlock(self, text: str) -> None:
        level = self.level(self.currentBlock().blockNumber(), text)
        if level == TITLE:
            self.setFormat(0, len(text), self.formats[1])
        elif level is not None:
            stop = _TITLE_END.search(text)
            self.setFormat(0, stop.end() if stop else len(text), self.formats[level])


class ReportEditor(QPlainTextEdit):
    findingFixed = Signal()
    spanGone = Signal()  # a finding was clicked whose text has been edited since the check

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setPlaceholderText("在此粘贴或输入报告正文，右侧清单会随输入实时检查。\n也可以从“文件”菜单新建模板或打开 .txt / .docx 文件，或把文件拖进窗口。")
        font = self.font()
        font.setPointSize(13)
        self.setFont(font)
        # Tab belongs to the text, as in WPS and Word (F6 or Ctrl+Tab go to the checklist); a tab
        # is as wide as two characters, the 公文 first-line indent
        self.setTabChangesFocus(False)
        self.highlighter = HeadingHighlighter(self.document())
        self.findings: list[Finding] = []
        self.reused: list = []
        self.underlined = 0
        self.snapshot = ""  # the text the findings were computed on
        self.positions = PositionMap("")
        # Edits since the snapshot, (Qt position, removed, added) in order: a finding from an
        # older check is mapped through them, so a click after typing selects the right text.
        self.edits: list[tuple[int, int, int]] = []
        self.document().contentsChange.connect(self._record_edit)

    # --- findings ------------------------------------------------------------------------
    def show_findings(self, text: str, findings: list[Finding], reused=()) -> None:
        """Wavy underlines for `findings`; a tinted background for `reused` sentences (spans of
        core.check.compare.Reuse: text the previous period's report already had)."""
        self.snapshot = text
        self.edits = []
        self.findings = findings
        self.reused = list(reused)
        self.positions = PositionMap(text)
        selections = []
        if self.reused:
            tint = QTextCharFormat()
            tint.setBackground(QColor(REUSED_COLOR))
            for r in self.reused:
                sel = QTextEdit.ExtraSelection()
                sel.format = tint
                sel.cursor = self._cursor_for(r.start, r.end)
                selections.append(sel)
        # Thousands of underlines (a pasted page of web junk) make every keystroke re-layout them
        # all; beyond the cap the errors are drawn first and the checklist still lists the rest.
        shown = findings if len(findings) <= MAX_UNDERLINES else sorted(
            findings, key=lambda f: SEVERITY_RANK[f.severity])[:MAX_UNDERLINES]
        self.underlined = len(shown)
        for f in shown:
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(QColor(SEVERITY_COLOR[f.severity]))
            sel.format = fmt
            sel.cursor = self._cursor_for(f.start, self._underline_end(text, f))
            selections.append(sel)
        self.setExtraSelections(selections)

    @staticmethod
    def _underline_end(text: str, f: Finding) -> int:
        """Where a finding's underline stops. A hint over several lines (a hard-wrapped page to be
        joined) is underlined on its first line only: one 提示 must not paint a whole page blue,
        which reads as if everything were wrong. Its fix and tip still cover the whole span."""
        end = max(f.end, f.start + 1)
        if f.severity == "info":
            newline = text.find("\n", f.start + 1, end)
            if newline != -1:
                return newline
        return end

    def _cursor_for(self, start: int, end: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        limit = self.document().characterCount() - 1
        cursor.setPosition(min(self.positions.to_qt(start), limit))
        cursor.setPosition(min(self.positions.to_qt(end), limit), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    # --- spans of the last check, in today's text ------------------------------------------
    def _record_edit(self, position: int, removed: int, added: int) -> None:
        if removed or added:  # (p, 0, 0) is a layout refresh, not an edit
            self.edits.append((position, removed, added))

    def current_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Qt positions now of the snapshot's span [start, end) (core offsets), or None when the
        text of the span was edited since the check: then the finding no longer describes it."""
        qs, qe = self.positions.to_qt(start), self.positions.to_qt(end)
        for position, removed, added in self.edits:
            if position > qe or (position == qe and qs < qe):
                continue  # after the span: typing right behind it leaves it alone
            if position + removed <= qs:  # before the span: it moves
                qs += added - removed
                qe += added - removed
                continue
            return None  # the edit touched the span
        if qe > self.document().characterCount() - 1:
            return None
        return qs, qe

    def _span_text(self, qs: int, qe: int) -> str:
        cursor = QTextCursor(self.document())
        cursor.setPosition(qs)
        cursor.setPosition(qe, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n")

    def live_cursor(self, start: int, end: int) -> QTextCursor | None:
        """A cursor over the snapshot's span where it is now, checked against the snapshot's
        text; None when that text has changed (never a cursor over newly typed characters)."""
        span = self.current_span(start, end)
        if span is None or self._span_text(*span) != self.snapshot[start:end]:
            return None
        cursor = QTextCursor(self.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def snapshot_offset(self, qt_position: int) -> int | None:
        """The core offset in the snapshot of a position in today's text; None inside new text."""
        for position, removed, added in reversed(self.edits):
            if qt_position < position:
                continue
            if qt_position >= position + added:
                qt_position -= added - removed
                continue
            return None
        return self.positions.to_core(qt_position)

    def select_span(self, start: int, end: int, focus: bool = True) -> bool:
        """Select a span of the last check; False (nothing selected) when its text was edited since.
        `focus`: put the keyboard in the editor too (a click), or leave it where it is (arrows in
        the checklist)."""
        cursor = self.live_cursor(start, end)
        if cursor is None:
            self.spanGone.emit()
            return False
        self.setTextCursor(cursor)
        self.centerCursor()
        if focus:
            self.setFocus()
        return True

    def preview_span(self, start: int, end: int) -> bool:
        return self.select_span(start, end, focus=False)

    def neighbour_finding(self, forward: bool = True) -> Finding | None:
        """The next (or previous) finding of the last check from the cursor, wrapping around;
        findings whose text was edited since are passed over."""
        cursor = self.textCursor()
        here = (cursor.selectionStart(), cursor.selectionEnd())
        placed = []
        for f in self.findings:
            span = self.current_span(f.start, max(f.end, f.start))
            if span is not None:
                placed.append((span, f))
        placed.sort(key=lambda item: item[0])
        if not placed:
            return None
        if forward:
            return next((f for span, f in placed if span > here), placed[0][1])
        return next((f for span, f in reversed(placed) if span < here), placed[-1][1])

    def findings_at(self, qt_position: int) -> list[Finding]:
        offset = self.snapshot_offset(qt_position)
        if offset is None:
            return []
        return [f for f in self.findings if f.start <= offset < max(f.end, f.start + 1)
                and self.current_span(f.start, f.end) is not None]

    def reused_at(self, qt_position: int):
        offset = self.snapshot_offset(qt_position)
        if offset is None:
            return None
        return next((r for r in self.reused if r.start <= offset < r.end), None)

    def is_current(self) -> bool:
        return self.toPlainText() == self.snapshot

    # --- fixes ---------------------------------------------------------------------------
    def apply_fixes(self, findings: list[Finding]) -> int:
        """Apply suggestions, last first, as one undo step. A finding whose text was edited since
        the check, or that overlaps one already applied, is skipped."""
        edits, limit = [], len(self.snapshot) + 1
        for f in sorted(findings, key=lambda f: f.start, reverse=True):
            if f.suggestion is None or f.end > limit:
                continue
            edit = self.live_cursor(f.start, f.end)
            if edit is None:
                continue
            edits.append((edit, f.suggestion))
            limit = f.start
        if not edits:
            return 0
        # Undo puts the cursor where the edit block's cursor stood when the block began: at the
        # first place fixed, as undoing typing returns to where it was typed (not to 第1段第1字).
        block = QTextCursor(self.document())
        block.setPosition(edits[-1][0].selectionStart())
        block.beginEditBlock()
        for edit, suggestion in edits:  # last first: the places before are not moved
            edit.insertText(suggestion)
        block.endEditBlock()
        self.findingFixed.emit()
        return len(edits)

    def char_at(self, point) -> int:
        """The Qt position of the character whose box holds `point` (viewport coordinates).
        cursorForPosition gives the nearest gap between characters, which on a character's right
        half is the gap after it."""
        cursor = self.cursorForPosition(point)
        caret = self.cursorRect(cursor)
        if cursor.positionInBlock() > 0 and (point.x() < caret.left() or point.y() < caret.top()):
            return cursor.position() - 1  # right half of the character before, or the last of a wrapped line
        return cursor.position()

    def contextMenuEvent(self, event) -> None:
        menu = self.createStandardContextMenu()
        position = self.char_at(event.pos())
        fixes = self.findings_at(position)
        if fixes:
            first = menu.actions()[0] if menu.actions() else None
            for f in fixes:
                if f.suggestion is None:
                    action = menu.addAction(f"（{f.message[:30]}…）" if len(f.message) > 30 else f"（{f.message}）")
                    action.setEnabled(False)
                else:
                    label = "删除这段文字" if f.suggestion == "" else f"改为“{f.suggestion}”"
                    action = menu.addAction(label)
                    action.triggered.connect(lambda _=False, f=f: self.apply_fixes([f]))
                menu.insertAction(first, action)
            menu.insertSeparator(first)
        menu.exec(event.globalPos())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # a new font or zoom: the tab stays two characters wide
            self.setTabStopDistance(2 * self.fontMetrics().horizontalAdvance("中"))

    def unindent(self) -> None:
        """Shift+Tab: take back a tab at the start of the line (as Word takes back an indent);
        the keyboard stays in the text."""
        cursor = self.textCursor()
        line = cursor.block()
        if line.text().startswith("\t"):
            edit = QTextCursor(line)
            edit.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor)
            edit.removeSelectedText()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Backtab:
            self.unindent()  # not on to the previous pane, where the next keys typed would vanish
            return True
        if event.type() == QEvent.Type.ToolTip:
            # the viewport has no tip of its own and passes the event up here, in this widget's
            # coordinates: a frame's width off the viewport's, which the text positions are in
            position = self.char_at(self.viewport().mapFrom(self, event.pos()))
            # the finding about these very characters first, a whole paragraph's after it
            here = sorted(self.findings_at(position), key=lambda f: f.end - f.start)
            lines = [f"[{SEVERITY_TEXT[f.severity]}] {f.message}" for f in here]
            reused = self.reused_at(position)
            if reused is not None:
                lines.append("与上期报告相同" if reused.identical else f"与上期报告基本相同（相似度{reused.similarity:.0%}）")
            if lines:
                QToolTip.showText(event.globalPos(), "\n".join(lines), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    # --- view ----------------------------------------------------------------------------
    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoomIn(1) if event.angleDelta().y() > 0 else self.zoomOut(1)
            return
        super().wheelEvent(event)
