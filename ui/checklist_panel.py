"""The live checklist: one row per item of the check, its findings below, each naming its paragraph
(第N段 and its first words); keyboard and mouse go from a row to the text."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.document import ChecklistPosition
from ui.editor import SEVERITY_COLOR, SEVERITY_TEXT

if TYPE_CHECKING:
    from core.check.engine import CheckResult

MAX_LISTED = 300  # findings listed under one checklist item; a flood would slow every refresh
STATUS_ICON = {"pass": "✓", "warn": "!", "fail": "✗"}
STATUS_COLOR = {"pass": "#2e7d32", "warn": "#ef6c00", "fail": "#c62828"}
# Payloads (spans, fixable findings) live in Python dicts keyed by the item rather than in
# item.data(): no QVariant conversions on every refresh, and nothing to decode on a click.


def paragraph_label(text: str, line: int, column: int, words: int = 6) -> str:
    """第12段 and, unless the finding is at the paragraph's very start, its first words
    (第12段“（四）夯实组织建设…”): a paragraph is one line of the text, as the status bar counts,
    and its first words find it where the screen wraps it into several lines."""
    if column <= words:
        return f"第{line}段"
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    first = text[start:start + words].strip()
    return f"第{line}段“{first}…”"


class ChecklistPanel(QWidget):
    """One row per checklist item, its findings below; a click selects the finding in the editor.

    Keyboard: arrows move through the rows and show each finding in the editor, Enter goes to it
    (or opens a group), Esc goes back to the editor where it was."""

    spanActivated = Signal(int, int)  # go there: select it and put the cursor in the editor
    spanPreviewed = Signal(int, int)  # show it, the keyboard stays in the list
    leaveRequested = Signal()  # Esc: back to the editor
    fixRequested = Signal(list)  # findings to fix together
    rowLeft = Signal()  # the keyboard moved onto a row that is no finding (a group)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["检查项", "数量"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.setColumnWidth(1, 48)
        self.tree.setWordWrap(False)  # two lines per finding (words, message), each cut to the width
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.installEventFilter(self)
        self.summary = QLabel("尚未检查")
        self.fix_all = QPushButton("全部修正所选组")
        self.fix_all.setToolTip("对选中的“网页残留”“规范提法”“标点符号”等组，一次套用全部修改建议（可撤销）")
        self.fix_all.setEnabled(False)
        self.fix_all.clicked.connect(self._fix_selected_group)
        self.tree.currentItemChanged.connect(self._current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree)
        layout.addWidget(self.fix_all)
        self._spans: dict[QTreeWidgetItem, tuple[int, int]] = {}
        self._fixes: dict[QTreeWidgetItem, list] = {}
        self._ids: dict[QTreeWidgetItem, str] = {}
        self._by_span: dict[tuple[int, int], QTreeWidgetItem] = {}
        self._shown: list = []
        self._unfixable: dict[str, int] = {}
        # the groups opened and selected: the current document's (ui/document.py), kept up to date here
        self.position = ChecklistPosition()
        self._rebuilding = False
        self.tree.itemExpanded.connect(lambda row: self._opened(row, True))
        self.tree.itemCollapsed.connect(lambda row: self._opened(row, False))

    def use_position(self, position: ChecklistPosition) -> None:
        """Another document: its own position (a new one opens nothing); the rows of the last
        document go, and the list is back at its top with nothing selected."""
        self.position = position
        self._rebuilding = True
        try:
            self.tree.clear()
        finally:
            self._rebuilding = False
        self.tree.scrollToTop()  # the scroll bar's range is updated later: its value would survive the clear
        self._spans, self._fixes, self._ids, self._by_span = {}, {}, {}, {}
        self._shown = []
        self.summary.setText("尚未检查")
        self._update_fix_button()

    def _opened(self, row: QTreeWidgetItem, expanded: bool) -> None:
        if self._rebuilding or row not in self._ids:
            return
        (self.position.expanded.add if expanded else self.position.expanded.discard)(self._ids[row])

    def show_result(self, result: CheckResult) -> None:
        plan = self._plan(result)
        # What is shown, without the spans: after a keystroke it is usually unchanged, and then
        # only the spans move (rebuilding hundreds of rows would cost the window milliseconds).
        shown = [(g[:4], [c[:3] for c in g[6]]) for g in plan]
        if shown == self._shown:
            self._by_span = {}
            for row, group in zip(self.rows(), plan):
                if group[5] is not None:
                    self._fixes[row] = group[5]
                for i, child_plan in enumerate(group[6]):
                    child = row.child(i)
                    if child_plan[3] is not None:
                        self._spans[child] = child_plan[3]
                        self._by_span.setdefault(child_plan[3], child)
        else:
            self._rebuild(plan)
            self._shown = shown
        self.summary.setText(f"错误 {result.errors} 处　警告 {result.warnings} 处")
        self._update_fix_button()

    def _plan(self, result: CheckResult) -> list:
        """Per group: (text, count, colour, tooltip, id, fixes, children); per child: (text,
        tooltip, colour, span)."""
        # deferred: core.check.engine imports every rule; they load after start-up (BackgroundRunner.prepare_window)
        from core.check.engine import excerpt, line_column

        text = result.document.text
        pending = set(getattr(result, "pending_rules", ()))  # see core.check.check_service
        self._unfixable: dict[str, int] = {}  # per group id: findings with no fix to apply
        plan = []
        for item in result.checklist:
            if pending.intersection(item.rules) and not item.findings:
                plan.append((f"…  {item.title}", "", "#9e9e9e",
                             f"{item.title}：分词词典正在加载，稍后自动检查这一项", item.id, None, []))
                continue
            # every group whose findings all carry a fix can be fixed at once (标题序号's 1、→1. too)
            fixes = None
            if item.findings and all(f.suggestion is not None for f in item.findings):
                fixes = list(item.findings)
            self._unfixable[item.id] = sum(1 for f in item.findings if f.suggestion is None)
            children = []
            for f in item.findings[:MAX_LISTED]:
                line, column = line_column(text, f.start)
                where = paragraph_label(text, line, column)
                # the words it is about, so five blanks of one kind are five different rows
                children.append((f"{where}　{excerpt(text, f.start, f.end, 6)[:40]}\n"
                                 f"[{SEVERITY_TEXT[f.severity]}] {f.message}",
                                 f"{where}\n{f.message}"
                                 + (f"\n建议：{f.suggestion or '删除'}" if f.suggestion is not None else ""),
                                 SEVERITY_COLOR[f.severity],  # as the editor underlines it: 提示 blue, not 通过 green
                                 (f.start, f.end)))
            if item.count > MAX_LISTED:
                children.append((f"……还有{item.count - MAX_LISTED}处（先处理上面的，修改后会继续列出）",
                                 "问题太多时只列出前面的一部分，以免拖慢输入", STATUS_COLOR["warn"], None))
            tip = f"{item.title}：{'通过' if item.status == 'pass' else f'{item.count}处需要处理'}"
            colour = STATUS_COLOR[item.status]
            if item.status == "pass" and item.findings:  # passed, with 提示 worth a look
                tip += f"，另有{item.count}处提示"
                colour = SEVERITY_COLOR["info"]
            if pending.intersection(item.rules):
                tip += "（分词词典正在加载，稍后检查完整）"
            plan.append((f"{STATUS_ICON[item.status]}  {item.title}", str(item.count or ""), colour,
                         tip, item.id, fixes, children))
        return plan

    def _rebuild(self, plan: list) -> None:
        self._rebuilding = True
        try:
            self._fill(plan)
        finally:
            self._rebuilding = False

    def _fill(self, plan: list) -> None:
        expanded = self.position.expanded
        # the selected group stays selected for 全部修正 (a selected finding row is not kept)
        current_id = self.position.current
        self.tree.clear()
        self._spans, self._fixes, self._ids, self._by_span = {}, {}, {}, {}
        for text, count, colour, tip, item_id, fixes, children in plan:
            row = QTreeWidgetItem([text, count])
            row.setForeground(0, QColor(colour))
            row.setToolTip(0, tip)
            self._ids[row] = item_id
            if fixes is not None:
                self._fixes[row] = fixes
            for child_text, child_tip, child_colour, span in children:
                child = QTreeWidgetItem([child_text, ""])
                child.setToolTip(0, child_tip)
                child.setForeground(0, QColor(child_colour))
                if span is not None:
                    self._spans[child] = span
                    self._by_span.setdefault(span, child)
                row.addChild(child)
            self.tree.addTopLevelItem(row)
            row.setExpanded(item_id in expanded)
            if item_id == current_id:
                self.tree.setCurrentItem(row)

    def rows(self):
        return [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]

    def span_of(self, item: QTreeWidgetItem):
        return self._spans.get(item)

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        span = self._spans.get(item)
        if span:
            self.spanActivated.emit(*span)

    def _current_changed(self, item, _previous) -> None:
        if not self._rebuilding:
            self.position.current = self._ids.get(item) if item is not None and item.parent() is None else None
        self._update_fix_button()
        span = self._spans.get(item)
        if span and self.tree.hasFocus():  # moved by the keyboard: show it, stay here
            self.spanPreviewed.emit(*span)
        elif not self._rebuilding:
            self.rowLeft.emit()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.tree and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.tree.currentItem()
                if item is not None and item in self._spans:
                    self.spanActivated.emit(*self._spans[item])
                elif item is not None and item.childCount():
                    item.setExpanded(not item.isExpanded())
                return True
            if key == Qt.Key.Key_Escape:
                self.leaveRequested.emit()
                return True
        return super().eventFilter(watched, event)

    def focus_list(self) -> None:
        """Put the keyboard in the list, on the current row or the first one that is not passed."""
        self.tree.setFocus()
        if self.tree.currentItem() is None:
            rows = self.rows()
            first = next((r for r in rows if r.childCount()), rows[0] if rows else None)
            if first is not None:
                self.tree.setCurrentItem(first)

    def show_finding(self, start: int, end: int) -> bool:
        """Make the row of the finding at this span current (F8 in the editor), without moving
        the keyboard. False when the finding is not listed (past the first MAX_LISTED)."""
        child = self._by_span.get((start, end))
        if child is None:
            return False
        self.tree.blockSignals(True)
        self.tree.setCurrentItem(child)
        self.tree.blockSignals(False)
        self.tree.scrollToItem(child)
        self._update_fix_button()
        return True

    def _group_of(self, item):
        while item is not None and item.parent() is not None:
            item = item.parent()
        return item

    def _update_fix_button(self) -> None:
        group = self._group_of(self.tree.currentItem())
        fixes = self._fixes.get(group)
        self.fix_all.setEnabled(bool(fixes))
        if fixes:
            title = self._title_of(group)
            self.fix_all.setText(f"全部修正“{title}”（{len(fixes)}处）")
            self.fix_all.setToolTip(f"一次套用“{title}”的全部{len(fixes)}处修改建议，Ctrl+Z 可整体撤销")
            return
        self.fix_all.setText("全部修正所选组")
        self.fix_all.setToolTip(self._why_not_fixable(group))

    def _why_not_fixable(self, group) -> str:
        """The greyed button says why."""
        if group is None or group not in self._ids:
            return "先在清单中选中一组（如“标点符号”），再一次修正这一组的全部问题"
        title = self._title_of(group)
        if not group.childCount():
            return f"“{title}”没有需要修正的问题"
        missing = self._unfixable.get(self._ids[group], 0)
        if group.text(0).startswith("…"):
            return f"“{title}”还没有检查完，稍候再试"
        return (f"“{title}”中有{missing}处没有现成的改法（如空白处要填的数字），需要逐处修改；"
                f"改完这些后即可一次修正其余的")

    def _title_of(self, row) -> str:
        return row.text(0).split(maxsplit=1)[-1]

    def _fix_selected_group(self) -> None:
        group = self._group_of(self.tree.currentItem())
        if group in self._fixes:
            self.fixRequested.emit(self._fixes[group])
