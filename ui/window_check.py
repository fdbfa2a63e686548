"""The window's checking: the debounced check through the worker, showing its result in every pane,
moving between findings, fixes, and the comparison with last period's report."""
from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from core.files.textio import ReadError, read_report_with_notes
from ui import file_dialogs
from ui.editor import SEVERITY_TEXT
from ui.labels import TYPE_NAMES, period_text
from ui.logbook import log
from ui.window_files import REPORT_FILES

if TYPE_CHECKING:
    from core.check.engine import CheckResult


class CheckActions:
    """Mixin for MainWindow: it owns the widgets, runner and timers these methods use."""

    def _text_edited(self) -> None:
        # Called on every keystroke: only bump the revision and restart two timers.
        self.revision += 1
        self.check_timer.start()
        if self._message_until_edit:
            self._message_until_edit = False
            self.statusBar().clearMessage()
        # Not restarted by later keystrokes: during non-stop typing the draft is still written
        # every autosave_seconds, so a crash costs at most that much typing.
        if self.editor.document().isModified() and not self.autosave_timer.isActive():
            self.autosave_timer.start()

    def _type_changed(self) -> None:
        self.report_type = self.type_box.currentData() or None
        if self.doc.file is not None:  # remembered with the file, like its comparison
            self.settings.remember_type(self.doc.file, self.report_type)
            self._save_settings_quietly()
        self.start_check()

    def start_check(self) -> None:
        self.check_timer.stop()  # this check covers the text a pending debounce would check again
        self._check_started = time.perf_counter()
        self.runner.start_check(self.revision, self.editor.toPlainText(), self.report_type, self.previous)

    def is_checked(self) -> bool:
        """The last result is of the text now in the editor."""
        return self.result is not None and self.checked_revision == self.revision

    def when_checked(self, then, purpose: str) -> None:
        """Call then(result) with the check of the text now in the editor: at once when the last
        check is of it, else when the check started now arrives. Meanwhile a progress dialog with
        取消 keeps the window responsive (the check runs in its own process); nothing ever goes on
        with an older text's result. `purpose`: what waits, in words (导出 Word 文档)."""
        if not self.is_checked():
            self.start_check()
        if self.is_checked():  # the last check was of this text, or the runner checks at once (tests)
            then(self.result)
            return
        self._cancel_waiting()
        progress = QProgressDialog(f"正在检查最新的文字，检查完成后{purpose}……", "取消", 0, 0, self)
        progress.setWindowTitle(purpose)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)  # a check of a usual report arrives before it shows

        def arrived(*_args) -> None:
            if self.is_checked():
                self._cancel_waiting()
                then(self.result)

        def failed(_revision: int, message: str) -> None:
            self._cancel_waiting()
            QMessageBox.warning(self, purpose, f"检查出错，没有{purpose}：{message}")

        def cancelled() -> None:
            self._cancel_waiting()
            self.statusBar().showMessage(f"已取消{purpose}", 5000)

        # connected after _check_done, so self.result is the new one when arrived() runs
        self.runner.finished.connect(arrived)
        self.runner.failed.connect(failed)
        progress.canceled.connect(cancelled)
        self._waiting = (progress, arrived, failed)

    _waiting = None  # (progress dialog, slots) while an export waits for its check

    def _cancel_waiting(self) -> None:
        if self._waiting is None:
            return
        progress, arrived, failed = self._waiting
        self._waiting = None
        self.runner.finished.disconnect(arrived)
        self.runner.failed.disconnect(failed)
        progress.canceled.disconnect()
        progress.close()
        progress.deleteLater()

    def _check_done(self, revision: int, result: CheckResult) -> None:
        if revision != self.revision:
            return  # the text changed since this check started: a newer one is on its way
        self.checked_revision = revision
        self.result = result
        self.last_check_ms = (time.perf_counter() - self._check_started) * 1000
        comparison = result.comparison
        self.editor.show_findings(result.document.text, result.findings, comparison.reused if comparison else ())
        self.editor.highlighter.follow(result.document)
        self.checklist.show_result(result)
        self.stats.show_result(result)
        self.outline.show_result(result)
        meta = result.document.meta
        self.words_label.setText(f"字数 {result.word_count}")
        chosen = "（手动指定）" if self.report_type else ""
        self.type_label.setText(f"类型：{TYPE_NAMES.get(meta.type, '未识别')}{chosen}　{period_text(meta.year, meta.period)}")
        self.type_label.setToolTip("在工具栏“报告类型”中为这份报告指定了类型；选“自动识别”按标题识别" if chosen else
                                   "按标题识别的报告类型；识别不对时在工具栏“报告类型”中指定")
        self.check_label.setText(f"检查于 {datetime.now():%H:%M:%S}（{self.last_check_ms:.0f} 毫秒）")
        if comparison is not None:
            missing = len(comparison.unmentioned)
            self.compare_label.setText(f"对比上期：雷同{comparison.share:.0%}，"
                                       + (f"承诺未写到{missing}条" if missing else "上期承诺均已写到"))
            self.compare_label.setToolTip(f"正在与{comparison.previous_name}对比；底色标出的句子与上期报告相同或"
                                          f"基本相同；“工具”菜单可取消对比")
        else:
            self.compare_label.setText("")
        self._show_rule_problems(getattr(result, "rule_problems", ()))

    def _show_rule_problems(self, problems) -> None:
        """Bad entries in the user's own lists are left out of checking: said once when they change,
        and all of them in the tooltip of 检查于."""
        if tuple(problems) == getattr(self, "_rule_problems_shown", ()):
            return
        self._rule_problems_shown = tuple(problems)
        self.check_label.setToolTip("\n".join(problems))
        if problems:
            more = f"（共{len(problems)}处，都在“检查于”的提示中）" if len(problems) > 1 else ""
            self.statusBar().showMessage(f"自己的词表有误：{problems[0]}{more}", 30000)

    def go_to_finding(self, forward: bool = True) -> bool:
        finding = self.editor.neighbour_finding(forward)
        if finding is None:
            self.statusBar().showMessage("没有需要处理的问题" if self.result is not None else "尚未检查", 5000)
            return False
        self.editor.select_span(finding.start, finding.end)
        self.tabs.setCurrentWidget(self.checklist)
        self.checklist.show_finding(finding.start, finding.end)
        self.statusBar().showMessage(f"[{SEVERITY_TEXT[finding.severity]}] {finding.message}", 15000)
        return True

    def _preview_finding(self, start: int, end: int) -> None:
        """Arrows in the checklist: the finding shown in the editor, its message in the status bar
        (not the message of the finding F8 went to before)."""
        self.editor.preview_span(start, end)
        finding = next((f for f in self.editor.findings if (f.start, f.end) == (start, end)), None)
        if finding is not None:
            self.statusBar().showMessage(f"[{SEVERITY_TEXT[finding.severity]}] {finding.message}", 15000)
        else:
            self.statusBar().clearMessage()

    def _forget_finding_message(self) -> None:
        self.statusBar().clearMessage()

    def focus_checklist(self) -> None:
        """F6 / Ctrl+Tab: to the checklist, and from there back to the text."""
        if self.checklist.tree.hasFocus():
            self.editor.setFocus()
            return
        self.statusBar().clearMessage()  # the message was about where the cursor was
        self.tabs.setCurrentWidget(self.checklist)
        if not self.tabs.isVisible():  # folded away (视图): show it, the keys are going there
            self.side_action.setChecked(True)
            self._toggle_side()
        self.checklist.focus_list()

    def _fix_group(self, findings: list) -> None:
        applied = self.editor.apply_fixes(findings)
        skipped = len(findings) - applied
        self.statusBar().showMessage(f"已修正{applied}处（可撤销）" +
                                     (f"；{skipped}处因文字已改动或相互重叠未修改，重新检查后再试" if skipped else ""),
                                     8000)
        self._message_until_edit = True  # after an undo or the next keystroke it is no longer true

    _message_until_edit = False  # the status bar's message describes the text as it is now

    def _span_gone(self) -> None:
        # The clicked finding's text was edited after the check: nothing is selected (the new
        # characters must not be overwritten); the check runs now instead of after the pause.
        self.statusBar().showMessage("这处文字在上次检查后已经改动，正在重新检查……", 5000)
        self.check_timer.stop()
        self.start_check()

    def _check_failed(self, revision: int, message: str) -> None:
        log.warning("检查出错：%s", message)
        stopped = message.startswith("检查")  # the check service's own sentences: a time limit, a crash
        self.check_label.setText("检查已停止" if stopped else "检查出错")
        self.statusBar().showMessage(message if stopped else f"检查时出现内部错误，已跳过本次检查：{message}", 30000)

    def _update_position(self) -> None:
        cursor = self.editor.textCursor()
        # 段 (a line of the text, however the screen wraps it), as the checklist counts
        self.position_label.setText(f"第{cursor.blockNumber() + 1}段，第{cursor.positionInBlock() + 1}字")

    # --- last period's report ----------------------------------------------------------------
    def choose_previous(self) -> None:
        path, _ = file_dialogs.get_open_file_name(self, "选择上期报告", str(self.dialog_folder()),
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
        # deferred: it imports every rule module, which the window otherwise leaves to the check process
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
