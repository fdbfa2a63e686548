"""The window's small dialogs: 保存/不保存/取消, the 落款 before 导出 Word 文档, 新建报告, 设置, 查找和替换."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from core import resources
from core.files.settings import Settings
from core.files.templates import BODIES, TEMPLATE_TYPES
from core.office.docx_export import FONT_SETS
from core.text.document import parse
from ui.fonts import SCREEN_FONT_NAMES, font_report, missing
from ui.labels import PERIODS, TYPE_NAMES

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def unsaved_changes_box(parent) -> QMessageBox:
    """保存 / 不保存 / 取消. "不保存" rather than Qt's "丢弃": it says what happens to the report."""
    box = QMessageBox(QMessageBox.Icon.Question, "尚未保存", "报告有未保存的修改，要先保存吗？",
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel, parent)
    box.button(QMessageBox.StandardButton.Discard).setText("不保存")
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    return box


class SignatureDialog(QDialog):
    """导出 Word 文档: the 落款 (unit and date) to put under the report, prefilled from it; a report
    that already ends with its 落款 is exported as written."""

    def __init__(self, text: str, unit: str | None, report_type: str | None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("导出 Word 文档：落款")
        self.setMinimumWidth(460)
        doc = parse(text, report_type)
        existing = [p.text for p in doc.paragraphs if p.kind == "signature"]
        self.has_signature = bool(existing)
        form = QFormLayout(self)
        self.add = QCheckBox("在文末加落款（单位和成文日期）")
        self.unit = QLineEdit(unit or "")
        self.unit.setPlaceholderText("如：中共××市审计局党组")
        self.date = QDateEdit(QDate.currentDate())
        self.date.setDisplayFormat("yyyy年M月d日")  # GB/T 9704: Arabic numerals, no leading zeros
        self.date.setCalendarPopup(True)
        if existing:
            note = QLabel("报告末尾已有落款，导出时照原样保留：\n" + "\n".join(existing))
            self.add.setChecked(False)
            self.add.setEnabled(False)
        else:
            note = QLabel("单位右空二字，日期在下一行、首字比单位右移二字，用阿拉伯数字，如“2024年1月5日”（GB/T 9704）。")
            self.add.setChecked(True)
        note.setWordWrap(True)
        self.add.toggled.connect(self.unit.setEnabled)
        self.add.toggled.connect(self.date.setEnabled)
        self.unit.setEnabled(self.add.isChecked())
        self.date.setEnabled(self.add.isChecked())
        form.addRow(note)
        form.addRow(self.add)
        form.addRow("落款单位", self.unit)
        form.addRow("成文日期", self.date)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("选择保存位置…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self):
        """(unit or None, datetime.date or None) for core.office.docx_export.export_docx."""
        if not self.add.isChecked():
            return None, None
        return self.unit.text().strip() or None, self.date.date().toPython()


def body_box(current: str) -> QComboBox:
    """党组织: the unit's Party body, which the report speaks for (县纪委监委党组, 某镇党委…)."""
    box = QComboBox()
    for body, (meeting, secretary, _branches) in BODIES.items():
        box.addItem(body, body)
        box.setItemData(box.count() - 1, f"报告中写作“{body}”“{meeting}”“{secretary}”", Qt.ItemDataRole.ToolTipRole)
    box.setCurrentIndex(max(0, box.findData(current)))
    box.setToolTip("本单位的党组织：党组、党委、党工委、党总支或党支部。新建报告时按它写“××党组”“召开党组会”“党组书记”")
    return box


class NewReportDialog(QDialog):
    """新建报告: type, unit and its Party body, year, period. A unit typed when 设置 has none, and
    the body of the unit in 设置, are remembered for the next new report."""

    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.setWindowTitle("新建报告")
        self.settings = settings
        form = QFormLayout(self)
        self.kind = QComboBox()
        for key in TEMPLATE_TYPES:
            self.kind.addItem(TYPE_NAMES[key], key)
        self.kind.setCurrentIndex(max(0, list(TEMPLATE_TYPES).index(settings.default_type)
                                      if settings.default_type in TEMPLATE_TYPES else 0))
        self.unit = QLineEdit(settings.unit)
        self.unit.setPlaceholderText("如：市审计局")
        self.body = body_box(settings.body)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(datetime.now().year)
        self.period = QComboBox()
        self.period.addItems(PERIODS)
        form.addRow("报告类型", self.kind)
        form.addRow("单位", self.unit)
        form.addRow("党组织", self.body)
        form.addRow("年份", self.year)
        form.addRow("时段", self.period)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self):
        return self.kind.currentData(), self.unit.text().strip(), self.year.value(), self.period.currentText()

    def body_value(self) -> str:
        return self.body.currentData()

    def remember(self) -> bool:
        """Keep the unit and body for the next new report when they are this unit's (设置 has no
        unit yet, or this one); a report for another unit leaves 设置 alone. True when changed."""
        unit = self.unit.text().strip()
        if not unit or (self.settings.unit and unit != self.settings.unit):
            return False
        changed = (self.settings.unit, self.settings.body) != (unit, self.body_value())
        self.settings.unit, self.settings.body = unit, self.body_value()
        return changed


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("设置")
        form = QFormLayout(self)
        self.unit = QLineEdit(settings.unit)
        self.body = body_box(settings.body)
        self.kind = QComboBox()
        for key in TEMPLATE_TYPES:
            self.kind.addItem(TYPE_NAMES[key], key)
        if settings.default_type in TEMPLATE_TYPES:
            self.kind.setCurrentIndex(list(TEMPLATE_TYPES).index(settings.default_type))
        self.autosave = QSpinBox()
        self.autosave.setRange(2, 300)
        self.autosave.setSuffix(" 秒")
        self.autosave.setValue(settings.autosave_seconds)
        self.font_sets = QComboBox()
        for key, font_set in FONT_SETS.items():
            self.font_sets.addItem(font_set.name, key)
        self.font_sets.setCurrentIndex(max(0, self.font_sets.findData(settings.font_set)))
        self.font_sets.setToolTip("保存和导出的 Word 文档使用的字体。GB/T 9704 要求仿宋、小标宋、黑体、楷体；"
                                  "Windows 10/11 自带仿宋、楷体、黑体，不带 _GB2312 字体和方正字体")
        self.font_note = QLabel()
        self.font_note.setWordWrap(True)
        self.font_sets.currentIndexChanged.connect(self._show_font_note)
        self._show_font_note()
        self.screen_font = QComboBox()
        for key, name in SCREEN_FONT_NAMES.items():
            self.screen_font.addItem(name, key)
        self.screen_font.setCurrentIndex(max(0, self.screen_font.findData(settings.screen_font)))
        self.font_size = QSpinBox()
        self.font_size.setRange(8, 36)
        self.font_size.setSuffix(" 磅")
        self.font_size.setValue(settings.font_size)
        folder = QLabel(f"个人词表与规则文件夹：{resources.user_data_dir()}")
        folder.setWordWrap(True)
        folder.setToolTip("在此文件夹放 rules/terms.toml、stats.toml 等文件，可添加本单位的提法和统计事项，升级不会覆盖")
        self.unit.setToolTip("新建报告时默认填入的单位；导出台账和 Word 落款用报告中写明的单位")
        form.addRow("单位名称", self.unit)
        form.addRow("党组织", self.body)
        form.addRow("默认报告类型", self.kind)
        form.addRow("自动保存间隔", self.autosave)
        form.addRow("公文字体", self.font_sets)
        form.addRow(self.font_note)
        form.addRow("编辑区字体", self.screen_font)
        form.addRow("编辑区字号", self.font_size)
        form.addRow(folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _show_font_note(self) -> None:
        font_set = FONT_SETS[self.font_sets.currentData()]
        self.font_note.setText(font_report(font_set))
        self.font_note.setStyleSheet("color: #c62828" if missing(font_set) else "color: #2e7d32")

    def apply(self) -> None:
        self.settings.unit = self.unit.text().strip()
        self.settings.body = self.body.currentData()
        self.settings.default_type = self.kind.currentData()
        self.settings.autosave_seconds = self.autosave.value()
        self.settings.font_set = self.font_sets.currentData()
        self.settings.screen_font = self.screen_font.currentData()
        self.settings.font_size = self.font_size.value()


class FindReplaceDialog(QDialog):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("查找和替换")
        self.find_box = QLineEdit()
        self.replace_box = QLineEdit()
        self.status = QLabel("")
        find_button = QPushButton("查找下一个")
        replace_one = QPushButton("替换")
        replace_one.setToolTip("替换选中的这一处，再找下一处")
        replace_button = QPushButton("全部替换")
        find_button.clicked.connect(self._find)
        replace_one.clicked.connect(self._replace_one)
        replace_button.clicked.connect(self._replace_all)
        form = QFormLayout()
        form.addRow("查找", self.find_box)
        form.addRow("替换为", self.replace_box)
        row = QHBoxLayout()
        row.addWidget(find_button)
        row.addWidget(replace_one)
        row.addWidget(replace_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.find_box.returnPressed.connect(self._find)

    def _find(self) -> None:
        found = self.window_.find_next(self.find_box.text())
        self.status.setText("" if found else "没有找到")

    def _replace_one(self) -> None:
        found = self.window_.replace_one(self.find_box.text(), self.replace_box.text())
        self.status.setText("" if found else "没有找到")

    def _replace_all(self) -> None:
        n = self.window_.replace_all(self.find_box.text(), self.replace_box.text())
        self.status.setText(f"替换了 {n} 处（可撤销）")
