"""Side panels: the statistics table with its chart, the outline of headings (the checklist is in
ui/checklist_panel.py, imported from here too)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.checklist_panel import MAX_LISTED, STATUS_COLOR, STATUS_ICON, ChecklistPanel, paragraph_label  # noqa: F401

if TYPE_CHECKING:
    from core.check.engine import CheckResult

BAR_COLOR, LOW_COLOR, NORM_COLOR = "#5c6bc0", "#ef6c00", "#c62828"
LEGEND = (("bar", BAR_COLOR, "报告中的数字"), ("bar", LOW_COLOR, "低于常规要求"),
          ("line", NORM_COLOR, "本期常规要求"))


class CountChart(QWidget):
    """Bars of the stated counts, with the norm for the period drawn as a red tick on each bar that
    has one, and a legend under the bars saying so.

    Every bar gets a row at least one line of text high, so labels never overlap: with many
    items the chart grows taller and scrolls (it sits in a scroll area) instead of squeezing."""

    LEGEND_H = 20

    def __init__(self, parent=None):
        super().__init__(parent)
        self.bars: list[tuple[str, int, int | None]] = []
        self.texts: list[str] = []  # each bar's figure as the report says it (20余次); str(value) when absent
        self.setMinimumHeight(120)

    def row_height(self) -> int:
        return self.fontMetrics().height() + 6

    def set_bars(self, bars, texts=()) -> None:
        self.bars = bars
        self.texts = list(texts)
        self._fit_height()
        self.updateGeometry()
        self.update()

    def layout_rows(self) -> list[tuple[QRectF, str]]:
        """Where each label goes and the text drawn there (cut with … when too long)."""
        metrics = self.fontMetrics()
        label_w = min(max((metrics.horizontalAdvance(name) for name, _, _ in self.bars), default=0) + 8,
                      int(self.width() * 0.4))
        row_h = self.row_height()
        return [(QRectF(0, 4 + i * row_h, label_w - 6, row_h),
                 metrics.elidedText(name, Qt.TextElideMode.ElideRight, label_w - 6))
                for i, (name, _, _) in enumerate(self.bars)]

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.bars:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "没有可画的数字")
            return
        rows = self.layout_rows()
        label_w = rows[0][0].width() + 6
        value_w = max(self.fontMetrics().horizontalAdvance(t) for t in ["00000", *self.texts]) + 6
        w = max(self.width() - label_w - value_w, 10)
        top = max(v for _, v, n in self.bars for v in (v, n or 0)) or 1
        for i, ((rect, label), (_name, value, norm)) in enumerate(zip(rows, self.bars)):
            y, row_h = rect.top(), rect.height()
            painter.setPen(QColor("#37474f"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            low = norm is not None and value < norm
            painter.fillRect(QRectF(label_w, y + 3, w * value / top, row_h - 6), QColor(LOW_COLOR if low else BAR_COLOR))
            painter.drawText(QRectF(label_w + w * value / top + 4, y, value_w, row_h), Qt.AlignmentFlag.AlignVCenter,
                             self.texts[i] if i < len(self.texts) else str(value))
            if norm is not None:
                x = label_w + w * norm / top
                painter.setPen(QPen(QColor(NORM_COLOR), 2))
                painter.drawLine(int(x), int(y + 1), int(x), int(y + row_h - 1))
        self._paint_legend(painter, any(n is not None for _, _, n in self.bars))

    def legend_items(self, with_norms: bool) -> list[tuple[str, str, str, float, float]]:
        """(kind, colour, text, x, y) of each legend entry, wrapped onto a second line when the
        chart is narrow, so no entry is cut off."""
        metrics = self.fontMetrics()
        entries = [e for e in LEGEND if with_norms or e[2] == "报告中的数字"]
        out, x, line = [], 8.0, 0
        for kind, color, text in entries:
            width = 18 + metrics.horizontalAdvance(text) + 16
            if x > 8 and x + width - 16 > self.width():
                x, line = 8.0, line + 1
            out.append((kind, color, text, x, line * self.LEGEND_H))
            x += width
        return out

    def legend_height(self) -> int:
        items = self.legend_items(any(n is not None for _, _, n in self.bars))
        return (int(max((i[4] for i in items), default=0)) + self.LEGEND_H) if items else 0

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        wanted = max(120, 8 + len(self.bars) * self.row_height() + self.legend_height())
        if self.minimumHeight() != wanted:
            self.setMinimumHeight(wanted)

    def _paint_legend(self, painter: QPainter, with_norms: bool) -> None:
        top = self.height() - self.legend_height() + 4
        metrics = painter.fontMetrics()
        for kind, color, text, x, dy in self.legend_items(with_norms):
            y = top + dy
            if kind == "bar":
                painter.fillRect(QRectF(x, y + 3, 14, 10), QColor(color))
            else:
                painter.setPen(QPen(QColor(color), 2))
                painter.drawLine(int(x + 7), int(y), int(x + 7), int(y + 15))
            painter.setPen(QColor("#37474f"))
            painter.drawText(QRectF(x + 18, y, metrics.horizontalAdvance(text) + 4, 16),
                             Qt.AlignmentFlag.AlignVCenter, text)


class StatsPanel(QWidget):
    spanActivated = Signal(int, int)
    exportRequested = Signal()

    HEADERS = ["指标", "数值", "计量单位", "状态"]
    COMPARE_HEADERS = ["指标", "上期", "本期", "变化"]
    EXCLUDED_HEADERS = ["指标", "数值", "性质"]

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(self.HEADERS)):  # narrow columns fit their text, 指标 takes the rest
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.cellClicked.connect(self._clicked)
        self.chart = CountChart()
        self.chart.setToolTip("蓝色：报告中的数字；红线：本期常规要求（至少应开展的次数）；橙色：低于要求")
        self.chart_area = QScrollArea()  # many items: the chart scrolls rather than squeezing its labels
        self.chart_area.setWidget(self.chart)
        self.chart_area.setWidgetResizable(True)
        self.chart_area.setFrameShape(QFrame.Shape.NoFrame)
        self.chart_caption = QLabel("")
        self.chart_caption.setWordWrap(True)
        self.chart_caption.setStyleSheet("color: #546e7a;")
        # Figures the report states that are not this period's activities: listed apart, never counted.
        self.excluded_label = QLabel("不计入本期的数字（计划、要求、引用、其中部分，不进台账和图表）：")
        self.excluded_label.setWordWrap(True)
        self.excluded_table = QTableWidget(0, len(self.EXCLUDED_HEADERS))
        self.excluded_table.setHorizontalHeaderLabels(self.EXCLUDED_HEADERS)
        self.excluded_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(self.EXCLUDED_HEADERS)):
            self.excluded_table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.excluded_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.excluded_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.excluded_table.setToolTip("计划：下一步打算中的数字；引用：前文已计过的数字再次提到；要求：规定、标准，不是已做的事；其中部分：前面某个总数里的一部分（其中…、剩余…、专题研究…）")
        self.excluded_table.cellClicked.connect(self._excluded_clicked)
        self.unmentioned_label = QLabel("")
        self.unmentioned_label.setWordWrap(True)
        self.unmentioned_label.setStyleSheet("color: #b35c00;")
        for w in (self.excluded_label, self.excluded_table, self.unmentioned_label):
            w.hide()
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
        for column in range(1, len(self.COMPARE_HEADERS)):
            self.compare_table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.compare_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.compare_table.setToolTip("红色：本期比上期少的数字，审核时常被问到，请核实或说明原因")
        self.compare_table.cellClicked.connect(self._compare_clicked)
        self.compare_label.hide()
        self.compare_table.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.unmentioned_label)
        layout.addWidget(self.excluded_label)
        layout.addWidget(self.excluded_table, 1)
        layout.addWidget(self.compare_label)
        layout.addWidget(self.compare_table, 2)
        layout.addWidget(self.chart_area, 2)
        layout.addWidget(self.chart_caption)
        layout.addLayout(buttons)
        self.spans: list[tuple[int, int]] = []
        self.compare_spans: list[tuple[int, int]] = []
        self.excluded_spans: list[tuple[int, int]] = []
        self._rows: list[tuple] = []  # what the table shows, to rewrite only what changed
        self._more = 0

    def scroll_to_top(self) -> None:
        """Another document: its tables and chart are read from the top."""
        for view in (self.table, self.excluded_table, self.compare_table):
            view.scrollToTop()
            view.clearSelection()
        self.chart_area.verticalScrollBar().setValue(0)

    def show_result(self, result: CheckResult) -> None:
        items = result.stats
        shown = items[:MAX_LISTED * 3]  # the chart and the ledger export still use every item
        rows = []
        for item in shown:
            value = "" if item.value is None else item.display().replace(item.measure, "", 1)
            name = f"{item.item}（{item.basis}）" if item.basis else item.item  # with its 口径, as the ledger
            rows.append((name, value, item.measure, "待填" if item.placeholder else "已填", item.source(),
                         item.placeholder))
        more = len(items) - len(shown)
        self.spans = [(item.start, item.end) for item in shown]
        # A keystroke rarely changes the counts: then only the rows that differ are rewritten
        # (a full table of a long report costs the window 10 ms per check).
        if len(rows) == len(self._rows) and more == self._more:
            changed = [i for i, (new, old) in enumerate(zip(rows, self._rows)) if new != old]
        else:
            self.table.setRowCount(len(rows) + (more > 0))
            if more:
                self.table.setItem(len(rows), 0, QTableWidgetItem(f"……还有{more}项未列出"))
            changed = range(len(rows))
        for row in changed:
            *cells, tip, placeholder = rows[row]
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(tip)
                if placeholder:
                    cell.setBackground(QColor("#fff3c4"))
                self.table.setItem(row, col, cell)
        self._rows, self._more = rows, more
        # here, not at the top: core.check.stat_overview brings the rules along, which the window need
        # not load before its first result (ui/worker.py prepare_window)
        from core.check.stat_overview import chart_bars, chart_notes  # deferred: it imports every rule (see _plan)

        bars = chart_bars(result)
        drawn = [(b.item, b.value, b.norm) for b in bars]
        if drawn != self.chart.bars or [b.text for b in bars] != self.chart.texts:
            self.chart.set_bars(drawn, [b.text for b in bars])
        self.chart_caption.setText(self._caption(result, bars) + chart_notes(result))
        self.show_excluded(result)
        self.show_unmentioned(result)
        self.export.setEnabled(bool(items))
        self.show_comparison(result.comparison)

    @staticmethod
    def _caption(result: CheckResult, bars) -> str:
        # deferred: it imports every rule (see _plan)
        from core.check.stat_overview import norms_apply, period_words
        from core.text.stats import expected_minimum, kinds

        if not norms_apply(result):
            return "图中只画报告中的数字：情况通报、述责述廉报告不按次数标准核对，也没有期间可比。"
        words = period_words(result)
        # kinds the report names with a blank number (讲党课*次): not drawn, but their norms still apply
        drawn = {b.item for b in bars}
        by_id = {k.id: k for k in kinds()}
        blank: dict[str, int] = {}
        for item in result.stats:
            kind = by_id.get(item.kind)
            if item.value is None and item.item not in drawn and kind is not None:
                minimum = expected_minimum(kind, result.document.meta.period)
                if minimum:
                    blank.setdefault(item.item, minimum)
        pending = "，".join(f"{name}至少{n}次" for name, n in blank.items())
        if not bars:
            if blank:
                return (f"报告中的数字都还是空白，图中没有可画的数字。{words}按常规要求：{pending}。"
                        f"填上数字后，图中以红线标出这些要求。")
            return "报告中没有写出数字，图中没有可画的内容。"
        if any(b.norm is not None for b in bars):
            text = (f"红线是{words}按常规要求至少应开展的次数，橙色柱低于这一要求；"
                    f"没有红线的项目{words}没有次数要求。标准可在“文件 → 我的提法与统计事项”中修改。")
        else:
            text = f"图中各项{words}都没有次数要求，所以没有红线。"
        if blank:
            text += f"数字待填、未画入图中的：{pending}（{words}的常规要求）。"
        return text

    def show_excluded(self, result: CheckResult) -> None:
        from core.check.stat_overview import excluded  # deferred: it imports every rule (see _plan)

        rows = excluded(result)
        self.excluded_table.setRowCount(len(rows))
        self.excluded_spans = []
        for row, (role, item) in enumerate(rows):
            value = "待填" if item.value is None else item.display()
            for col, text in enumerate((item.item, value, role)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(item.source())
                cell.setForeground(QColor("#607d8b"))
                self.excluded_table.setItem(row, col, cell)
            self.excluded_spans.append((item.start, item.end))
        self.excluded_label.setVisible(bool(rows))
        self.excluded_table.setVisible(bool(rows))

    def show_unmentioned(self, result: CheckResult) -> None:
        # deferred: it imports every rule (see _plan)
        from core.check.stat_overview import period_words, unmentioned

        missing = unmentioned(result)
        if missing:
            names = "、".join(f"{m.kind.name}（{m.rule}）" for m in missing)
            self.unmentioned_label.setText(f"未提及：按常规要求{period_words(result)}应当开展，报告中没有写到——{names}。")
        self.unmentioned_label.setVisible(bool(missing))

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

    def _excluded_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.excluded_spans):
            self.spanActivated.emit(*self.excluded_spans[row])

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
        self._nodes: list[QTreeWidgetItem] = []  # in the order of the title and headings
        self._shape: list = []

    def show_result(self, result: CheckResult) -> None:
        doc = result.document
        shape = ([doc.title] if doc.title else []) + [(h.number, h.title, h.parent) for h in doc.headings]
        spans = ([(doc.title_start, doc.title_end)] if doc.title else []) + [(h.start, h.title_end) for h in doc.headings]
        if shape == self._shape:  # the usual case after a keystroke: the headings only moved
            self._spans = dict(zip(self._nodes, spans))
            return
        self.clear()
        self._spans = {}
        self._nodes = []
        made: dict[int, QTreeWidgetItem] = {}
        if doc.title:
            top = QTreeWidgetItem([doc.title])
            self._nodes.append(top)
            self.addTopLevelItem(top)
        for i, h in enumerate(doc.headings):
            node = QTreeWidgetItem([f"{h.number}{h.title}"])
            node.setToolTip(0, f"{h.number}{h.title}")
            parent = made.get(h.parent) if h.parent is not None else None
            (parent.addChild(node) if parent else self.addTopLevelItem(node))
            made[i] = node
            self._nodes.append(node)
        self._spans = dict(zip(self._nodes, spans))
        self._shape = shape
        self.expandAll()

    def _clicked(self, item, _column) -> None:
        span = self._spans.get(item)
        if span:
            self.spanActivated.emit(*span)
