"""Side panels: the live checklist, the statistics table with its chart, the outline of headings."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from core.engine import CheckResult, excerpt, line_column
from core.stats import expected_minimum, kinds
from ui.editor import SEVERITY_TEXT

MAX_LISTED = 300  # findings listed under one checklist item; a flood would slow every refresh
STATUS_ICON = {"pass": "✓", "warn": "!", "fail": "✗"}
STATUS_COLOR = {"pass": "#2e7d32", "warn": "#ef6c00", "fail": "#c62828"}
# Payloads (spans, fixable findings) live in Python dicts keyed by the item rather than in
# item.data(): no QVariant conversions on every refresh, and nothing to decode on a click.


class ChecklistPanel(QWidget):
    """One row per checklist item, its findings below; a click selects the finding in the editor.

    Keyboard: arrows move through the rows and show each finding in the editor, Enter goes to it
    (or opens a group), Esc goes back to the editor where it was."""

    spanActivated = Signal(int, int)  # go there: select it and put the cursor in the editor
    spanPreviewed = Signal(int, int)  # show it, the keyboard stays in the list
    leaveRequested = Signal()  # Esc: back to the editor
    fixRequested = Signal(list)  # findings to fix together

    def __init__(self, parent=None):
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["检查项", "数量"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.setColumnWidth(1, 48)
        self.tree.setWordWrap(True)
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

    def show_result(self, result: CheckResult) -> None:
        text = result.document.text
        expanded = {self._ids[row] for row in self.rows() if row.isExpanded() and row in self._ids}
        self.tree.clear()
        self._spans, self._fixes, self._ids, self._by_span = {}, {}, {}, {}
        for item in result.checklist:
            row = QTreeWidgetItem([f"{STATUS_ICON[item.status]}  {item.title}", str(item.count or "")])
            row.setForeground(0, QColor(STATUS_COLOR[item.status]))
            self._ids[row] = item.id
            if item.fixable and item.findings and all(f.suggestion is not None for f in item.findings):
                self._fixes[row] = list(item.findings)
            row.setToolTip(0, f"{item.title}：{'通过' if item.status == 'pass' else f'{item.count}处需要处理'}")
            for f in item.findings[:MAX_LISTED]:
                line, _ = line_column(text, f.start)
                # the words it is about, so five blanks of one kind are five different rows
                child = QTreeWidgetItem([f"第{line}行　{excerpt(text, f.start, f.end, 6)[:40]}\n"
                                         f"[{SEVERITY_TEXT[f.severity]}] {f.message}", ""])
                child.setToolTip(0, f.message + (f"\n建议：{f.suggestion or '删除'}" if f.suggestion is not None else ""))
                child.setForeground(0, QColor(STATUS_COLOR["fail" if f.severity == "error" else
                                                          "warn" if f.severity == "warning" else "pass"]))
                self._spans[child] = (f.start, f.end)
                self._by_span.setdefault((f.start, f.end), child)
                row.addChild(child)
            if item.count > MAX_LISTED:
                rest = QTreeWidgetItem([f"……还有{item.count - MAX_LISTED}处（先处理上面的，修改后会继续列出）", ""])
                rest.setToolTip(0, "问题太多时只列出前面的一部分，以免拖慢输入")
                row.addChild(rest)
            self.tree.addTopLevelItem(row)
            row.setExpanded(item.id in expanded)
        self.summary.setText(f"错误 {result.errors} 处　警告 {result.warnings} 处")
        self._update_fix_button()

    def rows(self):
        return [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]

    def span_of(self, item: QTreeWidgetItem):
        return self._spans.get(item)

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        span = self._spans.get(item)
        if span:
            self.spanActivated.emit(*span)

    def _current_changed(self, item, _previous) -> None:
        self._update_fix_button()
        span = self._spans.get(item)
        if span and self.tree.hasFocus():  # moved by the keyboard: show it, stay here
            self.spanPreviewed.emit(*span)

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
        else:
            self.fix_all.setText("全部修正所选组")

    def _title_of(self, row) -> str:
        return row.text(0).split(maxsplit=1)[-1]

    def _fix_selected_group(self) -> None:
        group = self._group_of(self.tree.currentItem())
        if group in self._fixes:
            self.fixRequested.emit(self._fixes[group])


class CountChart(QWidget):
    """Bars of the stated counts, with the norm for the period drawn as a tick on each bar."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.bars: list[tuple[str, int, int | None]] = []
        self.setMinimumHeight(160)

    def set_bars(self, bars) -> None:
        self.bars = bars
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.bars:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "没有可画的数字")
            return
        label_w = 110
        w = max(self.width() - label_w - 50, 10)
        row_h = max(min(22, (self.height() - 8) // len(self.bars)), 8)
        top = max(v for _, v, n in self.bars for v in (v, n or 0)) or 1
        for i, (name, value, norm) in enumerate(self.bars):
            y = 4 + i * row_h
            painter.setPen(QColor("#37474f"))
            painter.drawText(QRectF(0, y, label_w - 6, row_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
            low = norm is not None and value < norm
            painter.fillRect(QRectF(label_w, y + 3, w * value / top, row_h - 6), QColor("#ef6c00" if low else "#5c6bc0"))
            painter.drawText(QRectF(label_w + w * value / top + 4, y, 46, row_h), Qt.AlignmentFlag.AlignVCenter, str(value))
            if norm is not None:
                x = label_w + w * norm / top
                painter.setPen(QPen(QColor("#c62828"), 2))
                painter.drawLine(int(x), y + 1, int(x), y + row_h - 1)


class StatsPanel(QWidget):
    spanActivated = Signal(int, int)
    exportRequested = Signal()

    HEADERS = ["指标", "数值", "计量单位", "状态"]
    COMPARE_HEADERS = ["指标", "上期", "本期", "变化"]

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.cellClicked.connect(self._clicked)
        self.chart = CountChart()
        self.chart.setToolTip("蓝色：报告中的数字；红线：本期常规要求；橙色：低于要求")
        self.export = QPushButton("导出台账…")
        self.export.setToolTip("把这些统计追加到 Excel 台账（同一单位、同一报告期再次导出会替换原有行）")
        self.export.clicked.connect(self.exportRequested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export)
        # Side by side with last period's report, shown only while comparing with one.
        self.compare_label = QLabel("")
        self.compare_label.setWordWrap(True)
        self.compare_table = QTableWidget(0, len(self.COMPARE_HEADERS))
        self.compare_table.setHorizontalHeaderLabels(self.COMPARE_HEADERS)
        self.compare_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.compare_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.compare_table.setToolTip("红色：本期比上期少的数字，审核时常被问到，请核实或说明原因")
        self.compare_table.cellClicked.connect(self._compare_clicked)
        self.compare_label.hide()
        self.compare_table.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.compare_label)
        layout.addWidget(self.compare_table, 2)
        layout.addWidget(self.chart, 2)
        layout.addLayout(buttons)
        self.spans: list[tuple[int, int]] = []
        self.compare_spans: list[tuple[int, int]] = []

    def show_result(self, result: CheckResult) -> None:
        items = result.stats
        shown = items[:MAX_LISTED * 3]  # the chart and the ledger export still use every item
        self.table.setRowCount(len(shown) + (len(items) > len(shown)))
        self.spans = []
        if len(items) > len(shown):
            self.table.setItem(len(shown), 0, QTableWidgetItem(f"……还有{len(items) - len(shown)}项未列出"))
        for row, item in enumerate(shown):
            value = "" if item.value is None else item.display().replace(item.unit, "", 1)
            cells = [item.item, value, item.unit, "待填" if item.placeholder else "已填"]
            tip = item.source()
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(tip)
                if item.placeholder:
                    cell.setBackground(QColor("#fff3c4"))
                self.table.setItem(row, col, cell)
            self.spans.append((item.start, item.end))
        period = result.document.meta.period
        best: dict[str, int] = {}
        names = {}
        for item in items:
            if item.value is not None:
                best[item.kind] = max(best.get(item.kind, 0), item.value)
                names[item.kind] = item.item
        norms = {k.id: expected_minimum(k, period) for k in kinds()}
        self.chart.set_bars([(names[k], v, norms.get(k)) for k, v in best.items()])
        self.export.setEnabled(bool(items))
        self.show_comparison(result.comparison)

    def show_comparison(self, comparison) -> None:
        if comparison is None:
            self.compare_label.hide()
            self.compare_table.hide()
            self.compare_table.setRowCount(0)
            self.compare_spans = []
            return
        changes = sorted(comparison.counts, key=lambda c: not c.went_down)  # decreases on top
        down = len(comparison.decreases)
        self.compare_label.setText(f"与{comparison.previous_name}对比：" +
                                   (f"{down}项数字比上期少（红色）" if down else "没有比上期少的数字") +
                                   "".join(f"。{n}" for n in comparison.notes if "时段" in n))
        self.compare_table.setRowCount(len(changes))
        self.compare_spans = []
        for row, c in enumerate(changes):
            if c.old is not None and c.new is not None:
                diff = c.new - c.old
                change = f"↓ 减少{-diff}" if diff < 0 else (f"↑ 增加{diff}" if diff > 0 else "持平")
            else:
                change = "本期未写" if c.new is None else "上期未写"
            for col, text in enumerate((c.item, c.old_display, c.new_display, change)):
                cell = QTableWidgetItem(text)
                if c.went_down:
                    cell.setBackground(QColor("#fde0dc"))
                self.compare_table.setItem(row, col, cell)
            self.compare_spans.append((c.new_start, c.new_end))
        self.compare_label.show()
        self.compare_table.show()

    def _clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.spans):
            self.spanActivated.emit(*self.spans[row])

    def _compare_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.compare_spans) and self.compare_spans[row][0] >= 0:
            self.spanActivated.emit(*self.compare_spans[row])


class OutlinePanel(QTreeWidget):
    spanActivated = Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderLabels(["大纲"])
        self.itemClicked.connect(self._clicked)
        self._spans: dict[QTreeWidgetItem, tuple[int, int]] = {}

    def show_result(self, result: CheckResult) -> None:
        self.clear()
        self._spans = {}
        doc = result.document
        made: dict[int, QTreeWidgetItem] = {}
        if doc.title:
            top = QTreeWidgetItem([doc.title])
            self._spans[top] = (doc.title_start, doc.title_end)
            self.addTopLevelItem(top)
        for i, h in enumerate(doc.headings):
            node = QTreeWidgetItem([f"{h.number}{h.title}"])
            self._spans[node] = (h.start, h.title_end)
            node.setToolTip(0, f"{h.number}{h.title}")
            parent = made.get(h.parent) if h.parent is not None else None
            (parent.addChild(node) if parent else self.addTopLevelItem(node))
            made[i] = node
        self.expandAll()

    def _clicked(self, item, _column) -> None:
        span = self._spans.get(item)
        if span:
            self.spanActivated.emit(*span)
