"""我的提法与统计事项: the user's own word lists edited as tables, stat items and norms as text."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.check import user_rules
from core.check.findings import SEVERITY_LABELS
from core.files.drafts import SaveError


class WordTable(QWidget):
    """One word list as a table: 错误写法, 正确写法, 说明, 级别, 示例; a row per entry."""

    def __init__(self, key: str, parent=None):
        super().__init__(parent)
        self.key = key
        rules, self.others = user_rules.read_word_rules(key)
        self._kept: dict[int, tuple[str, dict]] = {}
        self.table = QTableWidget(0, len(user_rules.COLUMNS))
        self.table.setHorizontalHeaderLabels([user_rules.COLUMN_NAMES[c] for c in user_rules.COLUMNS])
        header = self.table.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Interactive,
                                       QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(column, mode)
        self.table.setColumnWidth(0, 130)
        self.table.setColumnWidth(1, 130)
        tips = {"wrong": "原文中不规范或写错的文字，如“市审计所”", "right": "应改成的文字，如“市审计局”",
                "message": "可不填：检查时显示的说明，如“本单位名称应写作市审计局”",
                "severity": "错误：审核必退；警告：多半不妥；提示：值得一看",
                "example": "可不填：一句含错误写法的原文，用来检验这条规则"}
        for column, name in enumerate(user_rules.COLUMNS):
            self.table.horizontalHeaderItem(column).setToolTip(tips[name])
        for rule in rules or [user_rules.WordRule(severity=user_rules.DEFAULT_SEVERITY[key])]:
            self.add_row(rule)
        add = QPushButton("添加一行")
        add.clicked.connect(lambda: self.add_row(focus=True))
        remove = QPushButton("删除所选行")
        remove.clicked.connect(self.remove_rows)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        if self.others:
            kept = QLabel(f"另有{len(self.others)}条用正则表达式写的条目，保存时原样保留"
                          f"（可在文件“{user_rules.user_files()[0].path.parent / ''}”中修改）。")
            kept.setWordWrap(True)
            layout.addWidget(kept)

    def add_row(self, rule=None, focus: bool = False) -> int:
        rule = rule or user_rules.WordRule(severity=user_rules.DEFAULT_SEVERITY[self.key])
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, name in enumerate(user_rules.COLUMNS):
            if name == "severity":
                box = QComboBox()
                for key, text in SEVERITY_LABELS.items():
                    box.addItem(text, key)
                if box.findData(rule.severity) == -1:  # a file's own wrong value is shown, not replaced
                    box.addItem(f"“{rule.severity}”（无效）", rule.severity)
                box.setCurrentIndex(box.findData(rule.severity))
                self.table.setCellWidget(row, column, box)
            else:
                item = QTableWidgetItem(getattr(rule, name))
                self.table.setItem(row, column, item)
                if name == "wrong":  # the row's id and other fields, found again through its first cell
                    key = len(self._kept) + 1
                    self._kept[key] = (rule.id, rule.extra)
                    item.setData(Qt.ItemDataRole.UserRole, key)
        if focus:
            self.table.setCurrentCell(row, 0)
            self.table.editItem(self.table.item(row, 0))
        return row

    def remove_rows(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def set_cell(self, row: int, name: str, value: str) -> None:
        column = user_rules.COLUMNS.index(name)
        if name == "severity":
            box = self.table.cellWidget(row, column)
            box.setCurrentIndex(box.findData(value))
        else:
            self.table.item(row, column).setText(value)

    def rules(self) -> list:
        out = []
        for row in range(self.table.rowCount()):
            values = {}
            for column, name in enumerate(user_rules.COLUMNS):
                if name == "severity":
                    values[name] = self.table.cellWidget(row, column).currentData()
                else:
                    item = self.table.item(row, column)
                    values[name] = item.text() if item is not None else ""
            first = self.table.item(row, 0)
            ident, extra = self._kept.get(first.data(Qt.ItemDataRole.UserRole) if first else 0, ("", {}))
            out.append(user_rules.WordRule(**values, id=ident, extra=extra))
        return out

    def clear_marks(self) -> None:
        for row in range(self.table.rowCount()):
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                if item is not None:
                    item.setBackground(QColor(0, 0, 0, 0))
                    item.setToolTip("")
                elif self.table.cellWidget(row, column) is not None:
                    self.table.cellWidget(row, column).setStyleSheet("")
                    self.table.cellWidget(row, column).setToolTip("")

    def mark(self, problem) -> None:
        """Point at the cell that is wrong: red, selected, its message as the tooltip (a problem in an
        entry the table does not show has no cell)."""
        if problem.row is None:
            return
        column = user_rules.COLUMNS.index(problem.column)
        item = self.table.item(problem.row, column)
        if item is not None:
            item.setBackground(QColor("#ffcdd2"))
            item.setToolTip(problem.message)
        elif self.table.cellWidget(problem.row, column) is not None:
            self.table.cellWidget(problem.row, column).setStyleSheet("background: #ffcdd2")
            self.table.cellWidget(problem.row, column).setToolTip(problem.message)
        self.table.setCurrentCell(problem.row, column)
        self.table.scrollTo(self.table.model().index(problem.row, column))


class UserRulesDialog(QDialog):
    """The user's own word lists as tables (规范提法, 错别字) and stat items with norms as text;
    everything is checked before anything is saved."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.saved = False
        self.setWindowTitle("我的提法与统计事项")
        self.resize(900, 560)
        self.tabs = QTabWidget()
        self.tables: dict[str, WordTable] = {}
        self.editors = {}
        for f in user_rules.user_files():
            if f.key in user_rules.WORD_LISTS:
                table = WordTable(f.key)
                table.setToolTip(f"保存在 {f.path}，升级程序不会覆盖")
                self.tabs.addTab(table, f.title)
                self.tables[f.key] = table
            else:
                editor = QPlainTextEdit(f.read())
                editor.setToolTip(f"保存在 {f.path}，升级程序不会覆盖")
                self.tabs.addTab(editor, f.title)
                self.editors[f.key] = editor
        self.status = QLabel("每行一条：错误写法和正确写法必填，说明、级别、示例可不填。"
                             "“统计事项”页中以 # 开头的行是说明和示例，去掉 # 即可生效。")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._show_file_problems()

    def _show_file_problems(self) -> None:
        """Mistakes already in the saved files (written by hand): the checker leaves those entries out
        until they are corrected here or in the file."""
        for key, table in self.tables.items():
            problems = user_rules.row_problems(key, table.rules(), table.others, examples=False)
            if problems:
                self._point_at(table, problems, "文件中有误，检查时这一条暂不使用")
                return
        for key, editor in self.editors.items():
            problem = user_rules.validate(key, editor.toPlainText())
            if problem:
                self.tabs.setCurrentWidget(editor)
                self.status.setText(f"文件中有误，检查时这一条暂不使用：{problem}")
                return

    def _point_at(self, table, problems, lead: str) -> None:
        for problem in problems:
            table.mark(problem)
        first = next((p for p in problems if p.row is not None), None)
        if first is not None:
            table.mark(first)
        self.tabs.setCurrentWidget(table)
        more = f"（另有{len(problems) - 1}处，已用红色标出）" if len(problems) > 1 else ""
        hint = ""
        if any(p.row is not None and p.column == "wrong" and "的“" in p.message.split("：")[0] for p in problems):
            hint = f"表格中没有这一项，请在文件“{next(f.path for f in user_rules.user_files() if f.key == table.key)}”中改正。"
        self.status.setText(f"{lead}：{problems[0]}{more}{hint}")

    def save(self) -> bool:
        # all or nothing: every tab is checked (its examples run) before any file is written
        for key, table in self.tables.items():
            table.clear_marks()
            problems = user_rules.row_problems(key, [r for r in table.rules()], table.others)
            if problems:
                self._point_at(table, problems, "没有保存")
                return False
        for key, editor in self.editors.items():
            problems = user_rules.text_problems(key, editor.toPlainText())
            if problems:
                self.tabs.setCurrentWidget(editor)
                self.status.setText(f"没有保存：{problems[0]}")
                return False
        try:
            for key, table in self.tables.items():
                rules = [r for r in table.rules() if not r.is_empty()]
                f = next(f for f in user_rules.user_files() if f.key == key)
                if rules or table.others or f.path.exists():
                    user_rules.save(key, user_rules.word_rules_toml(key, rules, table.others), examples=False)
            for key, editor in self.editors.items():
                user_rules.save(key, editor.toPlainText(), examples=False)
        except ValueError as exc:
            self.status.setText(f"没有保存：{exc}")
            return False
        except SaveError as exc:
            self.status.setText(str(exc))
            return False
        self.saved = True
        self.status.setText("已保存，检查会立即使用新的词表。")
        return True
