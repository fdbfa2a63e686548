"""The main window: editor, checklist, statistics, outline; files, autosave and settings.

It holds no checking logic: every result comes from core.check.engine.check through BackgroundRunner.
"""
from __future__ import annotations

import re
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QMainWindow, QMessageBox, QPlainTextEdit,
                               QPushButton, QSpinBox, QSplitter, QStyle, QTableWidget, QTableWidgetItem,
                               QTabWidget, QTextBrowser, QVBoxLayout, QWidget)

from core import resources
from core.files.drafts import AutosaveStore, SaveError, new_draft_id, save_text
from core.text.metadata import report_unit
from core.files.settings import Settings, load_settings, save_settings
from core.files.templates import TEMPLATE_TYPES, render_template
from core.files.textio import ReadError, read_report_with_notes
from ui.app import install_qt_translations
from ui.editor import ReportEditor
from ui.panels import ChecklistPanel, OutlinePanel, StatsPanel
from ui.worker import BackgroundRunner

if TYPE_CHECKING:
    from core.check.engine import CheckResult

DEBOUNCE_MS = 300
# "" (not None) means "detect from the title": None must never go through Qt item data (see panels.py)
TYPE_NAMES = {"": "自动识别", "zhuti": "主体责任落实情况报告", "diyi": "第一责任人履责报告",
              "shuze": "述责述廉报告", "tongbao": "情况通报"}
PERIODS = ("年度", "上半年", "下半年", "第一季度", "第二季度", "第三季度", "第四季度")
REPORT_FILES = "报告 (*.txt *.docx);;所有文件 (*)"  # the open dialogs' filter
DOCX_FILTER = "Word 文档 (*.docx)"
TXT_FILTER = "文本文件 (*.txt)"
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def period_text(year: int | None, period: str | None) -> str:
    """2023年度, 2023年第三季度, 2023年 (no "2023年年度")."""
    if year is None:
        return period or ""
    if period in (None, "", "年度"):
        return f"{year}年度" if period == "年度" else f"{year}年"
    return f"{year}年{period}"


def name_from_title(title: str | None, suffix: str) -> str:
    """A file name from the report's title: characters Windows refuses dropped, kept short."""
    name = re.sub(r"\s+", "", _NOT_IN_NAMES.sub("", title or ""))[:60].strip(". ")
    return (name or "报告") + suffix


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None, runner: BackgroundRunner | None = None,
                 autosave: AutosaveStore | None = None):
        super().__init__()
        install_qt_translations()  # Qt's own buttons and menus in Chinese, whoever made the window
        self.settings = settings or load_settings()
        self.runner = runner or BackgroundRunner(self)
        self.autosave = autosave or AutosaveStore()
        self.draft_id = new_draft_id()
        self.path: Path | None = None
        self.result: CheckResult | None = None
        self.revision = 0
        self.checked_revision = -1
        self.last_check_ms = 0.0
        self._check_started = 0.0
        self.report_type: str | None = None
        self.previous = None  # core.check.compare.PreviousReport while comparing with last period's report
        self.previous_path: Path | None = None
        self.opened_path: Path | None = None  # the file opened (a .docx too), for remembered pairings
        # self.path is a .docx another program wrote: saving over it loses its own formatting, so
        # the user is asked first
        self.foreign_docx = False
        self.opened_text: str | None = None  # its text as read: a .docx unchanged since is annotated itself
        self.annotate_thread = None  # the running 导出带批注的 Word 文档, if any

        self.editor = ReportEditor()
        self.checklist = ChecklistPanel()
        self.stats = StatsPanel()
        self.outline = OutlinePanel()
        tabs = QTabWidget()
        tabs.addTab(self.checklist, "检查清单")
        tabs.addTab(self.stats, "统计")
        self.tabs = tabs
        splitter = QSplitter()
        splitter.addWidget(self.outline)
        splitter.addWidget(self.editor)
        splitter.addWidget(tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)  # the editor never disappears; the side panes may
        self.outline.setMinimumWidth(120)
        tabs.setMinimumWidth(240)
        splitter.splitterMoved.connect(self._panes_moved)
        self.splitter = splitter
        self._panes_by_user = False  # once the user drags a divider, the widths are theirs
        self.setCentralWidget(splitter)
        QWidget.setTabOrder(self.editor, self.checklist.tree)  # Tab in the editor goes to the checklist

        self.check_timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.check_timer.timeout.connect(self.start_check)
        self.autosave_timer = QTimer(self, singleShot=True, interval=self.settings.autosave_seconds * 1000)
        self.autosave_timer.timeout.connect(self.write_autosave)
        self.editor.document().contentsChanged.connect(self._text_edited)
        self.editor.document().modificationChanged.connect(lambda _m: self._update_title())
        self.editor.cursorPositionChanged.connect(self._update_position)
        self.checklist.spanActivated.connect(self.editor.select_span)
        self.checklist.fixRequested.connect(self._fix_group)
        self.checklist.spanPreviewed.connect(self.editor.preview_span)
        self.checklist.leaveRequested.connect(self.editor.setFocus)
        self.editor.spanGone.connect(self._span_gone)
        self.stats.spanActivated.connect(self.editor.select_span)
        self.stats.exportRequested.connect(self.export_ledger)
        self.outline.spanActivated.connect(self.editor.select_span)
        self.runner.finished.connect(self._check_done)
        self.runner.failed.connect(self._check_failed)

        self._build_status_bar()
        self._ledger_exporter = None  # made at the first 导出台账: it loads openpyxl (0.2 s at start-up)
        self._build_menus()
        self.setAcceptDrops(True)
        self.resize(1320, 820)
        self._update_title()
        self.apply_screen_font()

    # --- layout pieces ---------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        self.words_label = QLabel("字数 0")
        self.position_label = QLabel("第1行，第1列")
        self.type_label = QLabel("类型：—")
        self.check_label = QLabel("")
        self.compare_label = QLabel("")
        self.compare_label.setToolTip("底色标出的句子与上期报告相同或基本相同；“工具”菜单可取消对比")
        for w in (self.compare_label, self.words_label, self.position_label, self.type_label, self.check_label):
            self.statusBar().addPermanentWidget(w)
        self.words_label.setToolTip("按 WPS/Word 的方式计数：每个汉字和中文标点算一个字，每个英文单词或数字算一个")

    def _build_menus(self) -> None:
        def action(menu, text, slot, shortcut=None, tip=None):
            a = QAction(text, self)
            if shortcut is not None:
                a.setShortcut(shortcut)
            if tip:
                a.setStatusTip(tip)
                a.setToolTip(tip)
            a.triggered.connect(slot)
            menu.addAction(a)
            return a

        file_menu = self.menuBar().addMenu("文件(&F)")
        new = action(file_menu, "新建(&N)…", self.new_from_template, QKeySequence.StandardKey.New, "按报告类型从模板新建")
        open_ = action(file_menu, "打开(&O)…", self.open_dialog, QKeySequence.StandardKey.Open, "打开 .txt 或 .docx 报告")
        self.recent_menu = file_menu.addMenu("最近打开(&R)")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        save = action(file_menu, "保存(&S)", self.save, QKeySequence.StandardKey.Save,
                      "保存报告（Word 文档或文本文件），原文件保留为 .bak")
        action(file_menu, "另存为(&A)…", self.save_as, QKeySequence.StandardKey.SaveAs)
        export = action(file_menu, "导出 Word 文档(&D)…", self.export_docx, QKeySequence("Ctrl+E"),
                        "按 GB/T 9704 公文格式导出定稿：去掉网页残留，加落款")
        action(file_menu, "导出带批注的 Word 文档(&M)…", self.export_annotated, None,
               "每个问题作为一条批注写进 Word 文档：打开的是 .docx 时加在它的副本上，原有版式不变")
        action(file_menu, "导出台账(&L)…", self.export_ledger, None, "把统计追加到 Excel 台账")
        file_menu.addSeparator()
        action(file_menu, "设置(&T)…", self.edit_settings, None, "单位名称、公文字体、编辑区字体、自动保存间隔")
        action(file_menu, "我的提法与统计事项(&W)…", self.edit_user_rules, None,
               "添加本单位的规范提法、统计事项，修改常规要求（次数标准）")
        action(file_menu, "退出(&X)", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = self.menuBar().addMenu("编辑(&E)")
        action(edit_menu, "撤销(&U)", self.editor.undo, QKeySequence.StandardKey.Undo)
        action(edit_menu, "重做(&R)", self.editor.redo, QKeySequence.StandardKey.Redo)
        edit_menu.addSeparator()
        action(edit_menu, "查找和替换(&F)…", self.find_replace, QKeySequence.StandardKey.Find)
        action(edit_menu, "查找下一个", lambda: self.find_next(), QKeySequence.StandardKey.FindNext)
        edit_menu.addSeparator()
        self.next_finding_action = action(edit_menu, "下一个问题(&N)", lambda: self.go_to_finding(True),
                                          QKeySequence(Qt.Key.Key_F8), "选中光标之后的下一处问题")
        self.previous_finding_action = action(edit_menu, "上一个问题(&P)", lambda: self.go_to_finding(False),
                                              QKeySequence("Shift+F8"), "选中光标之前的上一处问题")
        self.focus_checklist_action = action(edit_menu, "转到检查清单(&L)", self.focus_checklist,
                                             QKeySequence(Qt.Key.Key_F6),
                                             "用方向键浏览问题，回车转到原文，Esc 回到正文")

        tools_menu = self.menuBar().addMenu("工具(&T)")
        action(tools_menu, "与上期报告对比(&P)…", self.choose_previous, QKeySequence("Ctrl+Shift+P"),
               "选上期（上年）报告：标出照搬的句子，核对上期承诺是否写到，列出比上期少的数字")
        self.stop_compare_action = action(tools_menu, "取消对比", self.stop_comparing, None, "不再与上期报告对比")
        self.stop_compare_action.setEnabled(False)
        tools_menu.addSeparator()
        action(tools_menu, "批量审查文件夹(&B)…", lambda: self.batch_review(), QKeySequence("Ctrl+Shift+B"),
               "检查一个文件夹里的全部报告，结果（总览、明细、台账）写入一个 Excel 工作簿；也可以把文件夹拖进窗口")

        view_menu = self.menuBar().addMenu("视图(&V)")
        self.side_action = action(view_menu, "检查清单和统计(&C)", self._toggle_side, QKeySequence("Ctrl+Shift+L"),
                                  "显示或收起右侧的检查清单和统计，让正文更宽")
        self.outline_action = action(view_menu, "大纲(&O)", self._toggle_outline, QKeySequence("Ctrl+Shift+O"),
                                     "显示或收起左侧的大纲")
        for a in (self.side_action, self.outline_action):
            a.setCheckable(True)
            a.setChecked(True)
        view_menu.addSeparator()
        action(view_menu, "放大", lambda: self.editor.zoomIn(1), QKeySequence.StandardKey.ZoomIn)
        action(view_menu, "缩小", lambda: self.editor.zoomOut(1), QKeySequence.StandardKey.ZoomOut)

        help_menu = self.menuBar().addMenu("帮助(&H)")
        action(help_menu, "使用说明(&H)", self.show_help, QKeySequence.StandardKey.HelpContents)
        action(help_menu, "关于(&A)", self.show_about)

        files = self.addToolBar("文件")
        files.setObjectName("files")
        files.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        style = self.style()
        for act, icon, text in ((new, QStyle.StandardPixmap.SP_FileIcon, "新建"),
                                (open_, QStyle.StandardPixmap.SP_DialogOpenButton, "打开"),
                                (save, QStyle.StandardPixmap.SP_DialogSaveButton, "保存"),
                                (export, QStyle.StandardPixmap.SP_ArrowRight, "导出")):
            act.setIcon(style.standardIcon(icon))
            act.setIconText(text)  # short words on the buttons; the menus keep the full names
            files.addAction(act)
        self.file_toolbar = files
        toolbar = self.addToolBar("报告类型")
        toolbar.setObjectName("report-type")
        toolbar.addWidget(QLabel(" 报告类型："))
        self.type_box = QComboBox()
        for key, name in TYPE_NAMES.items():
            self.type_box.addItem(name, key)
        self.type_box.setToolTip("默认按标题识别报告类型；识别不对时在这里指定")
        self.type_box.currentIndexChanged.connect(self._type_changed)
        toolbar.addWidget(self.type_box)

    @property
    def ledger_exporter(self):
        if self._ledger_exporter is None:
            from ui.ledger_export import LedgerExporter

            self._ledger_exporter = LedgerExporter(self)
        return self._ledger_exporter

    # --- panes ------------------------------------------------------------------------------
    OUTLINE_FROM = 1150  # narrower windows start without the outline: the editor needs the width

    def fit_panes(self) -> None:
        """The editor gets most of the width: the checklist about 28 % (280–400 px), the outline
        up to 180 px and only on wide windows."""
        width = max(self.splitter.width(), self.width() - 20)
        side = min(400, max(280, int(width * 0.28))) if self.side_action.isChecked() else 0
        outline_wanted = self.outline_action.isChecked() if self._outline_by_user else width >= self.OUTLINE_FROM
        self.outline.setVisible(outline_wanted)
        self.outline_action.setChecked(outline_wanted)
        outline = min(180, int(width * 0.13)) if outline_wanted else 0
        self.splitter.setSizes([outline, max(300, width - outline - side), side])

    _outline_by_user = False

    def _panes_moved(self, *_args) -> None:
        self._panes_by_user = True
        self.outline_action.setChecked(self.outline.isVisible() and self.splitter.sizes()[0] > 0)
        self.side_action.setChecked(self.tabs.isVisible() and self.splitter.sizes()[2] > 0)

    def _toggle_side(self) -> None:
        self.tabs.setVisible(self.side_action.isChecked())
        if self.side_action.isChecked():
            self.fit_panes()

    def _toggle_outline(self) -> None:
        self._outline_by_user = True
        self.outline.setVisible(self.outline_action.isChecked())
        if self.outline_action.isChecked():
            self.fit_panes()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._panes_by_user:
            self.fit_panes()

    # --- editing and checking --------------------------------------------------------------
    def _text_edited(self) -> None:
        # Called on every keystroke: only bump the revision and restart two timers.
        self.revision += 1
        self.check_timer.start()
        # Not restarted by later keystrokes: during non-stop typing the draft is still written
        # every autosave_seconds, so a crash costs at most that much typing.
        if self.editor.document().isModified() and not self.autosave_timer.isActive():
            self.autosave_timer.start()

    def _type_changed(self) -> None:
        self.report_type = self.type_box.currentData() or None
        self.start_check()

    def start_check(self) -> None:
        self.check_timer.stop()  # this check covers the text a pending debounce would check again
        self._check_started = time.perf_counter()
        self.runner.start_check(self.revision, self.editor.toPlainText(), self.report_type, self.previous)

    def _check_done(self, revision: int, result: CheckResult) -> None:
        if revision != self.revision:
            return  # the text changed since this check started: a newer one is on its way
        self.checked_revision = revision
        self.result = result
        self.last_check_ms = (time.perf_counter() - self._check_started) * 1000
        comparison = result.comparison
        self.editor.show_findings(result.document.text, result.findings, comparison.reused if comparison else ())
        self.checklist.show_result(result)
        self.stats.show_result(result)
        self.outline.show_result(result)
        meta = result.document.meta
        self.words_label.setText(f"字数 {result.word_count}")
        self.type_label.setText(f"类型：{TYPE_NAMES.get(meta.type, '未识别')}　{period_text(meta.year, meta.period)}")
        self.check_label.setText(f"检查于 {datetime.now():%H:%M:%S}（{self.last_check_ms:.0f} 毫秒）")
        if comparison is not None:
            missing = len(comparison.unmentioned)
            self.compare_label.setText(f"对比上期：雷同{comparison.share:.0%}，"
                                       + (f"承诺未写到{missing}条" if missing else "上期承诺均已写到"))
            self.compare_label.setToolTip(f"正在与{comparison.previous_name}对比；底色标出的句子与上期报告相同或"
                                          f"基本相同；“工具”菜单可取消对比")
        else:
            self.compare_label.setText("")

    def go_to_finding(self, forward: bool = True) -> bool:
        finding = self.editor.neighbour_finding(forward)
        if finding is None:
            self.statusBar().showMessage("没有需要处理的问题" if self.result is not None else "尚未检查", 5000)
            return False
        self.editor.select_span(finding.start, finding.end)
        self.tabs.setCurrentWidget(self.checklist)
        self.checklist.show_finding(finding.start, finding.end)
        from ui.editor import SEVERITY_TEXT

        self.statusBar().showMessage(f"[{SEVERITY_TEXT[finding.severity]}] {finding.message}", 15000)
        return True

    def focus_checklist(self) -> None:
        self.tabs.setCurrentWidget(self.checklist)
        self.checklist.focus_list()

    def _fix_group(self, findings: list) -> None:
        applied = self.editor.apply_fixes(findings)
        skipped = len(findings) - applied
        self.statusBar().showMessage(f"已修正{applied}处（可撤销）" +
                                     (f"；{skipped}处因文字已改动或相互重叠未修改，重新检查后再试" if skipped else ""),
                                     8000)

    def _span_gone(self) -> None:
        # The clicked finding's text was edited after the check: nothing is selected (the new
        # characters must not be overwritten); the check runs now instead of after the pause.
        self.statusBar().showMessage("这处文字在上次检查后已经改动，正在重新检查……", 5000)
        self.check_timer.stop()
        self.start_check()

    def _check_failed(self, revision: int, message: str) -> None:
        self.check_label.setText("检查出错")
        self.statusBar().showMessage(f"检查时出现内部错误，已跳过本次检查：{message}", 10000)

    def _update_position(self) -> None:
        cursor = self.editor.textCursor()
        self.position_label.setText(f"第{cursor.blockNumber() + 1}行，第{cursor.positionInBlock() + 1}列")

    # --- documents -------------------------------------------------------------------------
    def _update_title(self) -> None:
        name = self.path.name if self.path else "未命名"
        mark = "*" if self.editor.document().isModified() else ""
        self.setWindowTitle(f"{mark}{name} — {resources.APP_NAME}")

    def _set_document_path(self, path: Path | None) -> None:
        from core.office.docx_export import written_here

        self.foreign_docx = path is not None and path.suffix.lower() == ".docx" and not written_here(path)

    def set_text(self, text: str, path: Path | None, modified: bool = False) -> None:
        if path is None:
            self.foreign_docx = False
        self.path = path
        self.editor.setPlainText(text)
        self.editor.document().setModified(modified)
        self._update_title()
        self.start_check()

    def maybe_keep_changes(self) -> bool:
        """Ask about unsaved changes; True when it is fine to replace the text."""
        if not self.editor.document().isModified() or not self.editor.toPlainText().strip():
            return True
        answer = unsaved_changes_box(self).exec()
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return True

    def dialog_folder(self) -> Path:
        """Where file dialogs start: the report's folder, else the last folder used, else the
        user's documents (never the program's own folder)."""
        for candidate in (self.path, self.opened_path):
            if candidate is not None and candidate.parent.is_dir():
                return candidate.parent
        if self.settings.last_folder and Path(self.settings.last_folder).is_dir():
            return Path(self.settings.last_folder)
        documents = Path.home() / "Documents"
        return documents if documents.is_dir() else Path.home()

    def _title_text(self) -> str | None:
        return self.result.document.title if self.result is not None else None

    def open_dialog(self) -> None:
        if not self.maybe_keep_changes():
            return
        path, _ = QFileDialog.getOpenFileName(self, "打开报告", str(self.dialog_folder()),
                                              REPORT_FILES)
        if path:
            self.open_file(path)

    def open_file(self, path: str | Path) -> bool:
        try:
            text, notes = read_report_with_notes(path)
        except ReadError as exc:
            QMessageBox.warning(self, "无法打开", str(exc))
            return False
        path = Path(path)
        self._load_remembered_previous(path)  # before set_text, so the first check already compares
        if notes:  # images, text boxes: not text, but the user must know they were left out
            QMessageBox.information(self, "部分内容未读入", f"“{path.name}”" + "；".join(notes) + "。")
        self.opened_path = path
        self.opened_text = text
        self._set_document_path(path)
        self.set_text(text, path)
        if self.foreign_docx:
            self.statusBar().showMessage(f"“{path.name}”是在 Word/WPS 中编辑的文档：保存时会先询问，"
                                         f"以免丢掉它原有的格式", 10000)
        self.settings.add_recent(str(path))
        self.settings.last_folder = str(path.parent)
        self._save_settings_quietly()
        return True

    def new_from_template(self) -> None:
        if not self.maybe_keep_changes():
            return
        dialog = NewReportDialog(self.settings, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            kind, unit, year, period = dialog.values()
            self._end_comparing()  # a new report is not the one last period's report was paired with
            self.opened_path = self.opened_text = None
            # the unit typed here is this report's; the default unit in 设置 stays as it is
            self.set_text(render_template(kind, unit=unit, year=year, period=period), None, modified=True)

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        if self.foreign_docx:
            return self._save_foreign_docx()
        return self._write(self.path)

    def _save_foreign_docx(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "保存 Word 文档",
                          f"“{self.path.name}”是在 Word/WPS 中编辑过的文档。本程序按公文格式重新保存它，"
                          f"文中原有的字体、表格、图片等格式会丢失。\n\n建议另存为一个新文件；"
                          f"如果覆盖，原文件会保留为“{self.path.name}.bak”。", parent=self)
        save_as = box.addButton("另存为新文件…", QMessageBox.ButtonRole.AcceptRole)
        overwrite = box.addButton("覆盖原文件", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save_as)
        box.exec()
        if box.clickedButton() is save_as:
            return self.save_as()
        if box.clickedButton() is overwrite:
            return self._write(self.path)
        return False

    def suggested_save_path(self) -> Path:
        """Beside the report: the same file, a new name beside a Word document of someone else's,
        or a name from the title (a new report is a .docx)."""
        if self.path is not None and self.foreign_docx:
            return self.path.with_name(f"{self.path.stem}（修改稿）.docx")
        if self.path is not None:
            return self.path
        if self.opened_path is not None:  # restored from a draft whose file is gone
            return self.opened_path
        return self.dialog_folder() / name_from_title(self._title_text(), ".docx")

    def suggested_export_path(self) -> Path:
        """Beside the report; never the report's own .docx, which the export (web residue left
        out, 落款 added) would replace."""
        report = self.path or self.opened_path
        if report is None:
            return self.dialog_folder() / name_from_title(self._title_text(), ".docx")
        if report.suffix.lower() == ".docx":
            return report.with_name(f"{report.stem}（定稿）.docx")
        return report.with_suffix(".docx")

    def save_as(self) -> bool:
        suggested = self.suggested_save_path()
        chosen = TXT_FILTER if suggested.suffix.lower() == ".txt" else DOCX_FILTER
        path, used = QFileDialog.getSaveFileName(self, "保存报告", str(suggested), f"{DOCX_FILTER};;{TXT_FILTER}",
                                                 chosen)
        if not path:
            return False
        if not path.lower().endswith((".txt", ".docx")):
            path += ".txt" if used == TXT_FILTER else ".docx"
        return self._write(Path(path))

    def apply_screen_font(self) -> None:
        from ui.fonts import screen_font

        self.editor.setFont(screen_font(self.settings.screen_font, self.settings.font_size))

    def font_set(self):
        from core.office.docx_export import FONT_SETS

        return FONT_SETS[self.settings.font_set]

    def _write(self, path: Path) -> bool:
        dropped = 0
        try:
            if path.suffix.lower() == ".docx":
                from core.office.docx_export import save_docx

                dropped = save_docx(self.editor.toPlainText(), path, fonts=self.font_set(),
                                    report_type=self.report_type)["dropped"]
            else:
                save_text(path, self.editor.toPlainText())
        except SaveError as exc:
            # the draft stays in the editor and in the autosave
            self.write_autosave()
            QMessageBox.warning(self, "保存失败", f"{exc}\n\n文字仍在编辑器中，并已自动保存一份草稿。")
            return False
        self.path = path
        self.foreign_docx = False
        self.editor.document().setModified(False)
        self.autosave.discard(self.draft_id)
        self.settings.add_recent(str(path))
        if self.previous_path is not None:
            self.settings.remember_previous(path, self.previous_path)
        self.settings.last_folder = str(path.parent)
        self._save_settings_quietly()
        self._update_title()
        note = f"；{dropped}个不可见的控制字符无法写入 Word 文档，已略去" if dropped else ""
        self.statusBar().showMessage(f"已保存到 {path}{note}", 8000 if dropped else 5000)
        return True

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for entry in self.settings.recent_files:
            act = self.recent_menu.addAction(entry)
            act.triggered.connect(lambda _=False, p=entry: self.maybe_keep_changes() and self.open_file(p))
        if not self.settings.recent_files:
            self.recent_menu.addAction("（无）").setEnabled(False)

    def export_ledger(self) -> None:
        """Add the report's counts to an Excel ledger under the unit and 报告期 the report states,
        confirmed in a dialog; the writing runs off the GUI thread."""
        if self.ledger_exporter.busy:
            self.statusBar().showMessage("上一次导出台账还没有完成，请稍候。", 5000)
            return
        if self.result is None or self.checked_revision != self.revision:
            self.start_check()
            self.runner.wait()
            QApplication.processEvents()
        if self.result is None or not self.result.stats:
            QMessageBox.information(self, "导出台账", "报告中没有找到可统计的事项。")
            return
        result = self.result
        # no "replace the file?" question: the export adds to an existing ledger, as the next dialog says
        path, _ = QFileDialog.getSaveFileName(self, "导出到台账（新建或追加到已有台账）",
                                              self.settings.ledger_path or "台账.xlsx", "Excel 工作簿 (*.xlsx)",
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        chosen = self.ledger_exporter.ask(result, path)
        if chosen is None:
            return
        unit, period = chosen
        self.ledger_exporter.start(path, result, unit, period, str(self.path or self.opened_path or ""))

    def export_docx(self) -> None:
        from core.cli import blocking_findings
        from core.office.docx_export import ExportError, export_docx

        if self.result is None or self.checked_revision != self.revision:
            self.start_check()
            self.runner.wait()
            QApplication.processEvents()
        if self.result is None:
            return
        blocking = blocking_findings(self.result)
        if blocking:
            blanks = sum(1 for f in blocking if f.rule == "placeholder")
            residue = len(blocking) - blanks
            left = "、".join(part for n, part in ((blanks, f"{blanks}处空白待填"), (residue, f"{residue}处网页残留")) if n)
            answer = QMessageBox.question(
                self, "还有未处理的问题", f"报告中还有{left}。仍然导出吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        text = self.result.document.text
        # the unit that signs the report (a report of another unit is not signed as ours)
        signer = report_unit(self.result.document).signer
        signature = SignatureDialog(text, signer or self.result.document.meta.unit or self.settings.unit,
                                    self.result.document.meta.type, self)
        if signature.exec() != QDialog.DialogCode.Accepted:
            return
        unit, date = signature.values()
        target, _ = QFileDialog.getSaveFileName(self, "导出 Word 文档", str(self.suggested_export_path()),
                                                DOCX_FILTER)
        if not target:
            return
        if not target.lower().endswith(".docx"):
            target += ".docx"
        try:
            export_docx(text, target, unit=unit, date=date,
                        report_type=self.result.document.meta.type, fonts=self.font_set())
        except ExportError as exc:
            QMessageBox.warning(self, "导出失败", str(exc))
            return
        from ui.fonts import missing

        absent = missing(self.font_set())
        note = f"（本机缺少{'、'.join(absent)}，见“设置”中的公文字体）" if absent else ""
        self.statusBar().showMessage(f"已导出 {target}{note}", 10000)

    def export_annotated(self) -> None:
        from ui.annotate_export import export_annotated

        export_annotated(self)

    # --- last period's report, and batch review ---------------------------------------------
    def choose_previous(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择上期报告", str(self.dialog_folder()),
                                              REPORT_FILES)
        if path:
            self.compare_with(path)

    def compare_with(self, path: str | Path) -> bool:
        try:
            self._load_previous(Path(path))
        except ReadError as exc:
            QMessageBox.warning(self, "无法打开上期报告", str(exc))
            return False
        # remembered, so reopening this report compares with the same file again
        for report in {self.path, self.opened_path} - {None}:
            self.settings.remember_previous(report, path)
        self._save_settings_quietly()
        self.start_check()
        self.statusBar().showMessage(f"正在与上期报告“{Path(path).name}”对比：雷同句子以底色标出，"
                                     f"数字增减见“统计”页", 10000)
        return True

    def stop_comparing(self) -> None:
        for report in {self.path, self.opened_path} - {None}:
            self.settings.remember_previous(report, None)
        self._save_settings_quietly()
        self._end_comparing()
        self.start_check()

    def _load_previous(self, path: Path) -> None:
        """Read and parse last period's report; raises ReadError."""
        from core.check.compare import PreviousReport

        text, _notes = read_report_with_notes(path)
        self.previous = PreviousReport(text, name=f"上期报告“{path.name}”", report_type=self.report_type)
        self.previous_path = path
        self.stop_compare_action.setEnabled(True)

    def _end_comparing(self) -> None:
        self.previous = None
        self.previous_path = None
        self.stop_compare_action.setEnabled(False)

    def _resume_comparison(self, previous: str | None, report: Path | None) -> None:
        """After crash recovery: the comparison the draft was made with (recorded in the draft,
        else remembered for its file)."""
        if previous is None and report is not None:
            previous = self.settings.previous_for(report)
        self._load_remembered_previous(report, previous)

    def _load_remembered_previous(self, report: Path | None, remembered: str | None = None) -> None:
        """Opening a report ends any comparison, then resumes the one this report had last time.
        No dialog when that file is gone or unreadable: the user did not ask for it just now."""
        self._end_comparing()
        if remembered is None and report is not None:
            remembered = self.settings.previous_for(report)
        if remembered is None:
            return
        try:
            self._load_previous(Path(remembered))
        except ReadError:
            self.statusBar().showMessage(f"上次对比的上期报告“{Path(remembered).name}”无法读取，本次不对比", 10000)
            return
        self.statusBar().showMessage(f"按上次的选择，与上期报告“{Path(remembered).name}”对比", 10000)

    def batch_review(self, folder: str | None = None) -> None:
        from ui.batch_dialog import BatchDialog

        dialog = BatchDialog(self.settings, self)
        if folder:
            dialog.folder.setText(folder)
        dialog.exec()
        if dialog.folder_used:
            self.settings.last_folder = dialog.folder_used
            self._save_settings_quietly()

    # --- autosave --------------------------------------------------------------------------
    def write_autosave(self) -> None:
        if not self.editor.document().isModified():
            return
        try:
            self.autosave.save(self.draft_id, self.editor.toPlainText(),
                               source_path=str(self.path or self.opened_path or "") or None,
                               report_type=self.report_type,
                               previous_path=str(self.previous_path) if self.previous_path else None)
        except (SaveError, OSError) as exc:
            self.statusBar().showMessage(f"自动保存失败：{exc}", 10000)

    def offer_restore(self) -> bool:
        """After a crash: offer the newest draft left behind. True when one was restored."""
        drafts = [d for d in self.autosave.pending() if d.draft_id != self.draft_id]
        if not drafts:
            return False
        from core.text.wordcount import wps_word_count

        draft = drafts[0]
        where = f"（原文件：{draft.source_path}）" if draft.source_path else ""
        answer = QMessageBox.question(
            self, "恢复草稿",
            f"上次程序没有正常关闭，发现一份 {draft.saved_at:%Y-%m-%d %H:%M:%S} 自动保存的草稿{where}，"
            f"共 {wps_word_count(draft.text)} 字。要恢复吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            for d in drafts:
                self.autosave.discard(d.draft_id)
            return False
        source = Path(draft.source_path) if draft.source_path else None
        if source is not None and source.suffix.lower() not in (".txt", ".docx"):
            source = None
        self.opened_path = source  # the same file as before the crash
        self._resume_comparison(draft.previous_path, source)
        if draft.report_type in TYPE_NAMES and draft.report_type:
            self.type_box.blockSignals(True)
            self.type_box.setCurrentIndex(self.type_box.findData(draft.report_type))
            self.type_box.blockSignals(False)
            self.report_type = draft.report_type
        self._set_document_path(source if source is not None and source.exists() else None)
        self.set_text(draft.text, source if source is not None and source.exists() else None, modified=True)
        self.autosave.discard(draft.draft_id)
        self.write_autosave()  # under this session's id, so a second crash loses nothing either
        return True

    def _save_settings_quietly(self) -> None:
        try:
            save_settings(self.settings)
        except SaveError as exc:
            self.statusBar().showMessage(str(exc), 10000)

    # --- find and replace, settings ---------------------------------------------------------
    def find_replace(self) -> None:
        if not hasattr(self, "_find_dialog"):
            self._find_dialog = FindReplaceDialog(self)
        self._find_dialog.show()
        self._find_dialog.raise_()
        self._find_dialog.find_box.setFocus()

    def find_next(self, text: str | None = None) -> bool:
        text = text if text is not None else getattr(self, "_last_find", "")
        if not text:
            return False
        self._last_find = text
        if self.editor.find(text):
            return True
        cursor = self.editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.Start)
        self.editor.setTextCursor(cursor)
        return self.editor.find(text)

    def replace_one(self, old: str, new: str) -> bool:
        """替换: replace the found text under the cursor, then find the next one. False when there
        is nothing (left) to replace."""
        if not old:
            return False
        cursor = self.editor.textCursor()
        if cursor.selectedText() != old:  # nothing found yet: find first, replace on the next click
            return self.find_next(old)
        cursor.insertText(new)  # one undo step
        self.editor.setTextCursor(cursor)
        self.find_next(old)
        return True

    def replace_all(self, old: str, new: str) -> int:
        if not old:
            return 0
        text = self.editor.toPlainText()
        count = text.count(old)
        if count:
            cursor = self.editor.textCursor()
            cursor.beginEditBlock()
            cursor.select(cursor.SelectionType.Document)
            cursor.insertText(text.replace(old, new))
            cursor.endEditBlock()
        return count

    def edit_settings(self) -> None:
        self.settings.font_size = self.editor.font().pointSize()  # zoomed since the start
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            dialog.apply()
            self.autosave_timer.setInterval(self.settings.autosave_seconds * 1000)
            self.apply_screen_font()
            self._save_settings_quietly()

    def edit_user_rules(self) -> None:
        dialog = UserRulesDialog(self)
        dialog.exec()
        if dialog.saved:
            self.runner.reload_rules()
            self.start_check()

    # --- help ---------------------------------------------------------------------------------
    def show_help(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("使用说明")
        dialog.resize(720, 600)
        browser = QTextBrowser()
        browser.setOpenExternalLinks(False)  # the program opens nothing online
        try:
            browser.setMarkdown((resources.resources_dir() / "help.md").read_text(encoding="utf-8"))
        except OSError:
            browser.setPlainText("找不到使用说明文件（resources/help.md），请重新安装程序。")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        self._help_dialog = dialog  # kept for tests and so it is not collected while shown
        dialog.show()

    def about_text(self) -> str:
        from core import __version__
        from core.files.user_rules import rule_counts

        counts = rule_counts()
        listed = "、".join(f"{name}{n}条" + (f"（其中本单位词表{mine}条）" if mine else "")
                          for name, (n, mine) in counts.items())
        return (f"{resources.APP_NAME}　版本 {__version__}\n\n"
                f"起草和审核全面从严治党主体责任报告：边写边查、统计台账、公文格式导出、与上期报告对比、批量审查。"
                f"全程离线运行，不联网。\n\n"
                f"检查依据：{listed}。\n\n"
                f"数据文件夹（设置、自动保存的草稿、本单位词表）：\n{resources.user_data_dir()}")

    def show_about(self) -> None:
        QMessageBox.about(self, f"关于{resources.APP_NAME}", self.about_text())

    # --- drag and drop, closing ---------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if urls and Path(urls[0]).is_dir():  # a folder of reports: review them all
            self.batch_review(urls[0])
        elif urls and self.maybe_keep_changes():
            self.open_file(urls[0])

    def closeEvent(self, event) -> None:
        if not self.maybe_keep_changes():
            event.ignore()
            return
        self.autosave.discard(self.draft_id)
        self.settings.font_size = self.editor.font().pointSize()
        self._save_settings_quietly()
        self.runner.shutdown()
        if self._ledger_exporter is not None:
            self._ledger_exporter.wait()  # a ledger being written is finished, not cut off
        if self.annotate_thread is not None:
            self.annotate_thread.wait(30000)  # a copy being written is finished, not cut off
        event.accept()


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
        from PySide6.QtCore import QDate
        from PySide6.QtWidgets import QCheckBox, QDateEdit

        from core.text.document import parse

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
            note = QLabel("落款右对齐，日期用阿拉伯数字，如“2024年1月5日”。")
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


class NewReportDialog(QDialog):
    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.setWindowTitle("新建报告")
        form = QFormLayout(self)
        self.kind = QComboBox()
        for key in TEMPLATE_TYPES:
            self.kind.addItem(TYPE_NAMES[key], key)
        self.kind.setCurrentIndex(max(0, list(TEMPLATE_TYPES).index(settings.default_type)
                                      if settings.default_type in TEMPLATE_TYPES else 0))
        self.unit = QLineEdit(settings.unit)
        self.unit.setPlaceholderText("如：市审计局")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(datetime.now().year)
        self.period = QComboBox()
        self.period.addItems(PERIODS)
        form.addRow("报告类型", self.kind)
        form.addRow("单位", self.unit)
        form.addRow("年份", self.year)
        form.addRow("时段", self.period)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self):
        return self.kind.currentData(), self.unit.text().strip(), self.year.value(), self.period.currentText()


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("设置")
        form = QFormLayout(self)
        self.unit = QLineEdit(settings.unit)
        self.kind = QComboBox()
        for key in TEMPLATE_TYPES:
            self.kind.addItem(TYPE_NAMES[key], key)
        if settings.default_type in TEMPLATE_TYPES:
            self.kind.setCurrentIndex(list(TEMPLATE_TYPES).index(settings.default_type))
        self.autosave = QSpinBox()
        self.autosave.setRange(2, 300)
        self.autosave.setSuffix(" 秒")
        self.autosave.setValue(settings.autosave_seconds)
        from core.office.docx_export import FONT_SETS
        from ui.fonts import SCREEN_FONT_NAMES

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
        from core.office.docx_export import FONT_SETS
        from ui.fonts import font_report, missing

        font_set = FONT_SETS[self.font_sets.currentData()]
        self.font_note.setText(font_report(font_set))
        self.font_note.setStyleSheet("color: #c62828" if missing(font_set) else "color: #2e7d32")

    def apply(self) -> None:
        self.settings.unit = self.unit.text().strip()
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


class WordTable(QWidget):
    """One word list as a table: 错误写法, 正确写法, 说明, 级别, 示例; a row per entry."""

    def __init__(self, key: str, parent=None):
        from core.files import user_rules

        super().__init__(parent)
        self.key = key
        self.user_rules = user_rules
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
        rule = rule or self.user_rules.WordRule(severity=self.user_rules.DEFAULT_SEVERITY[self.key])
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, name in enumerate(self.user_rules.COLUMNS):
            if name == "severity":
                box = QComboBox()
                for key, text in self.user_rules.SEVERITIES.items():
                    box.addItem(text, key)
                box.setCurrentIndex(max(0, box.findData(rule.severity)))
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
        column = self.user_rules.COLUMNS.index(name)
        if name == "severity":
            box = self.table.cellWidget(row, column)
            box.setCurrentIndex(box.findData(value))
        else:
            self.table.item(row, column).setText(value)

    def rules(self) -> list:
        out = []
        for row in range(self.table.rowCount()):
            values = {}
            for column, name in enumerate(self.user_rules.COLUMNS):
                if name == "severity":
                    values[name] = self.table.cellWidget(row, column).currentData()
                else:
                    item = self.table.item(row, column)
                    values[name] = item.text() if item is not None else ""
            first = self.table.item(row, 0)
            ident, extra = self._kept.get(first.data(Qt.ItemDataRole.UserRole) if first else 0, ("", {}))
            out.append(self.user_rules.WordRule(**values, id=ident, extra=extra))
        return out

    def clear_marks(self) -> None:
        for row in range(self.table.rowCount()):
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                if item is not None:
                    item.setBackground(QColor(0, 0, 0, 0))
                    item.setToolTip("")

    def mark(self, problem) -> None:
        """Point at the cell that is wrong: red, selected, its message as the tooltip."""
        column = self.user_rules.COLUMNS.index(problem.column)
        item = self.table.item(problem.row, column)
        if item is not None:
            item.setBackground(QColor("#ffcdd2"))
            item.setToolTip(problem.message)
        self.table.setCurrentCell(problem.row, column)
        self.table.scrollTo(self.table.model().index(problem.row, column))


class UserRulesDialog(QDialog):
    """The user's own word lists as tables (规范提法, 错别字) and stat items with norms as text;
    everything is checked before anything is saved."""

    def __init__(self, parent=None):
        from core.files import user_rules

        super().__init__(parent)
        self.user_rules = user_rules
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

    def save(self) -> bool:
        # all or nothing: every tab is checked before any file is written
        for key, table in self.tables.items():
            table.clear_marks()
            problems = self.user_rules.check_word_rules(table.rules())
            if problems:
                for problem in problems:
                    table.mark(problem)
                table.mark(problems[0])
                self.tabs.setCurrentWidget(table)
                more = f"（另有{len(problems) - 1}处，已用红色标出）" if len(problems) > 1 else ""
                self.status.setText(f"没有保存：{problems[0]}{more}")
                return False
        for key, editor in self.editors.items():
            problem = self.user_rules.validate(key, editor.toPlainText())
            if problem:
                self.tabs.setCurrentWidget(editor)
                self.status.setText(f"没有保存：{problem}")
                return False
        try:
            for key, table in self.tables.items():
                rules = [r for r in table.rules() if not r.is_empty()]
                f = next(f for f in self.user_rules.user_files() if f.key == key)
                if rules or table.others or f.path.exists():
                    self.user_rules.save_word_rules(key, rules, table.others)
            for key, editor in self.editors.items():
                self.user_rules.save(key, editor.toPlainText())
        except ValueError as exc:
            self.status.setText(f"没有保存：{exc}")
            return False
        except SaveError as exc:
            self.status.setText(str(exc))
            return False
        self.saved = True
        self.status.setText("已保存，检查会立即使用新的词表。")
        return True
