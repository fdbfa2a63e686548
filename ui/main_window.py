"""The main window: editor, checklist, statistics, outline; its menus, panes, settings and help.

It holds no checking logic: every result comes from core.check.engine.check through BackgroundRunner.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStyle,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core import __version__, resources
from core.check.user_rules import rule_counts
from core.files.drafts import AutosaveStore, new_draft_id
from core.files.settings import Settings, read_settings
from ui.dialogs import FindReplaceDialog, SettingsDialog, SignatureDialog, unsaved_changes_box  # noqa: F401

# Imported from here by tests and callers that knew these names in this module before the split
from ui.document import DocumentState, delegate
from ui.editor import ReportEditor
from ui.fonts import screen_font
from ui.labels import (
    TYPE_NAMES,
    period_text,  # noqa: F401
)
from ui.logbook import log
from ui.notice import NoticeBar
from ui.panels import ChecklistPanel, OutlinePanel, StatsPanel
from ui.translations import install_qt_translations
from ui.user_rules_dialog import UserRulesDialog
from ui.window_check import CheckActions
from ui.window_exports import ExportActions
from ui.window_files import (
    FileActions,
    name_from_title,  # noqa: F401
)
from ui.worker import BackgroundRunner

if TYPE_CHECKING:
    from core.check.engine import CheckResult

DEBOUNCE_MS = 300


class MainWindow(FileActions, CheckActions, ExportActions, QMainWindow):
    """The window shell: panes, menus, toolbars and status bar; find and replace, settings, help.
    Files, checking and exports are in the mixins (ui/window_files.py, window_check.py,
    window_exports.py)."""

    # the current document's, under the names the window has always used
    path = delegate("path")
    opened_path = delegate("opened_path")
    opened_text = delegate("opened_text")
    foreign_docx = delegate("foreign_docx")
    report_type = delegate("report_type")
    previous = delegate("previous")
    previous_path = delegate("previous_path")

    def __init__(self, settings: Settings | None = None, runner: BackgroundRunner | None = None,
                 autosave: AutosaveStore | None = None):
        super().__init__()
        install_qt_translations()  # Qt's own buttons and menus in Chinese, whoever made the window
        settings_note = None
        if settings is None:  # a damaged settings file is said once, with what was kept
            settings, settings_note = read_settings()
        self.settings = settings
        self.runner = runner or BackgroundRunner(self)
        self.autosave = autosave or AutosaveStore()
        self.draft_id = new_draft_id()
        self.doc = DocumentState()  # everything that belongs to the report being edited (ui/document.py)
        self.result: CheckResult | None = None
        self.revision = 0
        self.checked_revision = -1
        self.last_check_ms = 0.0
        self._check_started = 0.0
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
        self.notice = NoticeBar()  # results that matter, in full (the status bar cuts them off)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.notice)
        column.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.check_timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.check_timer.timeout.connect(self.start_check)
        self.autosave_timer = QTimer(self, singleShot=True, interval=self.settings.autosave_seconds * 1000)
        self.autosave_timer.timeout.connect(self.write_autosave)
        self.editor.document().contentsChanged.connect(self._text_edited)
        self.editor.document().modificationChanged.connect(lambda _m: self._update_title())
        self.editor.cursorPositionChanged.connect(self._update_position)
        self.checklist.spanActivated.connect(self.editor.select_span)
        self.checklist.fixRequested.connect(self._fix_group)
        self.checklist.spanPreviewed.connect(self._preview_finding)
        self.checklist.rowLeft.connect(self._forget_finding_message)
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
        if settings_note:
            log.warning(settings_note)
            self.notice.show_message(settings_note, "warning", keep=True)

    # --- layout pieces ---------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        self.words_label = QLabel("字数 0")
        self.position_label = QLabel("第1段，第1字")
        self.position_label.setToolTip("光标所在的段落和字：一段是一个自然段，屏幕上折成几行也算一段，与检查清单的“第N段”一致")
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
        redo = action(edit_menu, "重做(&R)", self.editor.redo, QKeySequence("Ctrl+Y"))
        # Ctrl+Y as in WPS and Word everywhere, and the platform's own key too (Ctrl+Shift+Z)
        redo.setShortcuts(list(dict.fromkeys([QKeySequence("Ctrl+Y"),
                                              *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)])))
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
                                             "用方向键浏览问题，回车转到原文，Esc 或再按 F6 回到正文")
        self.focus_checklist_action.setShortcuts([QKeySequence(Qt.Key.Key_F6), QKeySequence("Ctrl+Tab")])

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

    def apply_screen_font(self) -> None:
        self.editor.setFont(screen_font(self.settings.screen_font, self.settings.font_size))

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
        counts = rule_counts()
        # 错别字 as the README counts them: the list judged in context and the long list of plain pairs
        total, mine = counts["错别字"]
        counts["错别字"] = (total + len(resources.load("rules/typos_common.toml").get("typo", [])), mine)
        listed = "、".join(f"{name}{n}条" + (f"（其中本单位词表{mine}条）" if mine else "")
                          for name, (n, mine) in counts.items())
        return (f"{resources.APP_NAME}　版本 {__version__}\n\n"
                f"起草和审核全面从严治党主体责任报告：边写边查、统计台账、公文格式导出、与上期报告对比、批量审查。"
                f"全程离线运行，不联网。\n\n"
                f"检查依据：{listed}。\n\n"
                f"数据文件夹（设置、自动保存的草稿、本单位词表）：\n{resources.user_data_dir()}")

    def show_about(self) -> None:
        QMessageBox.about(self, f"关于{resources.APP_NAME}", self.about_text())

    # --- closing -------------------------------------------------------------------------------
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
