"""The window's file handling: open, new from a template, save and save as, recent files, the
autosaved draft and its restoring after a crash, settings written quietly, drag and drop."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox

from core import resources
from core.files.drafts import SaveError, save_text
from core.files.settings import save_settings
from core.files.templates import render_template
from core.files.textio import ReadError, read_report_with_notes
from core.office.docx_export import FONT_SETS, FontSet, save_docx, written_here
from core.text.wordcount import wps_word_count
from ui import file_dialogs
from ui.dialogs import NewReportDialog, unsaved_changes_box
from ui.document import DocumentState
from ui.labels import TYPE_NAMES
from ui.logbook import log

REPORT_FILES = "报告 (*.txt *.docx);;所有文件 (*)"  # the open dialogs' filter
DOCX_FILTER = "Word 文档 (*.docx)"
TXT_FILTER = "文本文件 (*.txt)"
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def name_from_title(title: str | None, suffix: str) -> str:
    """A file name from the report's title: characters Windows refuses dropped, kept short."""
    name = re.sub(r"\s+", "", _NOT_IN_NAMES.sub("", title or ""))[:60].strip(". ")
    return (name or "报告") + suffix


class FileActions:
    """Mixin for MainWindow: it owns the editor, settings and autosave store these methods use."""

    def _update_title(self) -> None:
        name = self.path.name if self.path else "未命名"
        mark = "*" if self.editor.document().isModified() else ""
        self.setWindowTitle(f"{mark}{name} — {resources.APP_NAME}")

    def _set_document_path(self, path: Path | None) -> None:
        self.foreign_docx = path is not None and path.suffix.lower() == ".docx" and not written_here(path)

    def begin_document(self, state: DocumentState) -> None:
        """Make `state` the window's document. Every view of a per-document choice is set from it
        here, in one place, so nothing the last document had is left on screen or in effect: the
        type selector, the comparison, the checklist's open groups, selected row and scrolling."""
        self.doc = state
        self.type_box.blockSignals(True)
        self.type_box.setCurrentIndex(max(0, self.type_box.findData(state.report_type or "")))
        self.type_box.blockSignals(False)
        self.stop_compare_action.setEnabled(state.previous is not None)
        self.compare_label.setText("")
        self.checklist.use_position(state.checklist)
        self.stats.scroll_to_top()
        self.statusBar().clearMessage()  # a message about the last document is not about this one
        self.notice.document_changed()

    def set_text(self, text: str, path: Path | None, modified: bool = False) -> None:
        if path is None:
            self.foreign_docx = False
        self.path = path
        self.editor.setPlainText(text)
        self.editor.document().setModified(modified)
        self._update_title()
        self.editor.setFocus()  # typing goes into the report at once (not into the outline)
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
        path, _ = file_dialogs.get_open_file_name(self, "打开报告", str(self.dialog_folder()),
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
        # a new document: the type chosen by hand for this file last time, or detected afresh
        self.begin_document(DocumentState(opened_path=path, opened_text=text,
                                          report_type=self.settings.type_for(path)))
        self._load_remembered_previous(path)  # before set_text, so the first check already compares
        if notes:  # images, text boxes: not text, but the user must know they were left out
            QMessageBox.information(self, "部分内容未读入", f"“{path.name}”" + "；".join(notes) + "。")
        self._set_document_path(path)
        self.set_text(text, path)
        if self.report_type and not self.foreign_docx:
            self.statusBar().showMessage(f"按上次为这份报告选定的类型检查：{TYPE_NAMES[self.report_type]}"
                                         f"（可在工具栏“报告类型”中改回自动识别）", 10000)
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
            if dialog.remember():
                self._save_settings_quietly()
            self.begin_document(DocumentState())  # nothing of the report open before carries over
            self.set_text(render_template(kind, unit=unit, year=year, period=period, body=dialog.body_value()),
                          None, modified=True)

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

    def save_as(self) -> bool:
        suggested = self.suggested_save_path()
        chosen = TXT_FILTER if suggested.suffix.lower() == ".txt" else DOCX_FILTER
        path, used = file_dialogs.get_save_file_name(self, "保存报告", str(suggested), f"{DOCX_FILTER};;{TXT_FILTER}",
                                                     chosen)
        if not path:
            return False
        if not path.lower().endswith((".txt", ".docx")):
            path += ".txt" if used == TXT_FILTER else ".docx"
        return self._write(Path(path))

    def font_set(self) -> FontSet:
        """The 公文 fonts chosen in 设置, for saving and exporting Word documents."""
        return FONT_SETS[self.settings.font_set]

    def _write(self, path: Path) -> bool:
        dropped = 0
        try:
            if path.suffix.lower() == ".docx":
                dropped = save_docx(self.editor.toPlainText(), path, fonts=self.font_set(),
                                    report_type=self.report_type)["dropped"]
            else:
                save_text(path, self.editor.toPlainText())
        except SaveError as exc:
            log.warning("保存失败：%s", exc)
            # the draft stays in the editor and, when that can still be written, in the autosave
            kept = self.write_autosave()
            if kept is False:
                where = (f"自动保存的草稿也没能保存（{self._autosave_error}）。文字现在只在编辑器中：请另存到别的"
                         f"位置（如另一个磁盘或U盘），或先把全文复制到别处，再关闭程序。")
            else:
                where = "文字仍在编辑器中，并已自动保存一份草稿。"
            QMessageBox.warning(self, "保存失败", f"{exc}\n\n{where}")
            return False
        self.path = path
        self.foreign_docx = False
        self.editor.document().setModified(False)
        self.autosave.discard(self.draft_id)
        self.settings.add_recent(str(path))
        if self.previous_path is not None:
            self.settings.remember_previous(path, self.previous_path)
        if self.report_type:
            self.settings.remember_type(path, self.report_type)
        self.settings.last_folder = str(path.parent)
        self._save_settings_quietly()
        self._update_title()
        if dropped:
            self.notice.show_message(f"已保存到 {path}；{dropped}个不可见的控制字符无法写入 Word 文档，已略去。",
                                     "warning")
        else:
            self.statusBar().showMessage(f"已保存“{path.name}”", 5000)
        return True

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for entry in self.settings.recent_files:
            act = self.recent_menu.addAction(entry)
            act.triggered.connect(lambda _=False, p=entry: self.maybe_keep_changes() and self.open_file(p))
        if not self.settings.recent_files:
            self.recent_menu.addAction("（无）").setEnabled(False)

    # --- autosave --------------------------------------------------------------------------
    _autosave_error = ""

    def write_autosave(self) -> bool | None:
        """True when the draft was written, False when it could not be (the reason in
        _autosave_error), None when there is nothing unsaved to write."""
        if not self.editor.document().isModified():
            return None
        try:
            self.autosave.save(self.draft_id, self.editor.toPlainText(),
                               source_path=str(self.path or self.opened_path or "") or None,
                               report_type=self.report_type,
                               previous_path=str(self.previous_path) if self.previous_path else None)
        except (SaveError, OSError) as exc:
            self._autosave_error = str(exc)
            log.warning("自动保存失败：%s", exc)
            self.statusBar().showMessage(f"自动保存失败：{exc}", 10000)
            return False
        return True

    def offer_restore(self) -> bool:
        """After a crash: offer the newest draft left behind. True when one was restored."""
        drafts = [d for d in self.autosave.pending() if d.draft_id != self.draft_id]
        restored = bool(drafts) and self._restore(drafts)
        self._tell_unreadable_drafts()  # after the restore, which starts a document afresh
        return restored

    def _restore(self, drafts: list) -> bool:
        draft = drafts[0]
        where = f"（原文件：{draft.source_path}）" if draft.source_path else ""
        damage = (f"\n\n注意：{draft.problem}。恢复后请核对文末，缺的部分需要补上。" if draft.problem else "")
        answer = QMessageBox.question(
            self, "恢复草稿",
            f"上次程序没有正常关闭，发现一份 {draft.saved_at:%Y-%m-%d %H:%M:%S} 自动保存的草稿{where}，"
            f"共 {wps_word_count(draft.text)} 字。要恢复吗？{damage}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            for d in drafts:
                self.autosave.discard(d.draft_id)
            return False
        source = Path(draft.source_path) if draft.source_path else None
        if source is not None and source.suffix.lower() not in (".txt", ".docx"):
            source = None
        # the same file, type and comparison as before the crash
        self.begin_document(DocumentState(opened_path=source, report_type=draft.report_type
                                          if draft.report_type in TYPE_NAMES and draft.report_type else None))
        self._resume_comparison(draft.previous_path, source)
        self._set_document_path(source if source is not None and source.exists() else None)
        self.set_text(draft.text, source if source is not None and source.exists() else None, modified=True)
        self.autosave.discard(draft.draft_id)
        self.write_autosave()  # under this session's id, so a second crash loses nothing either
        return True

    def _tell_unreadable_drafts(self) -> None:
        """Draft files with nothing readable in them were set aside (autosave/damaged): say so."""
        unreadable = self.autosave.unreadable
        if unreadable:
            names = "；".join(f"{name}（{why}）" for name, why in unreadable)
            log.warning("无法读取的草稿：%s", names)
            self.notice.show_message(f"有{len(unreadable)}份自动保存的草稿已损坏，读不出其中的文字：{names}。"
                                     f"文件已移到“{self.autosave.folder / 'damaged'}”保留。", "warning",
                                     folder=self.autosave.folder / "damaged", keep=True)

    def _save_settings_quietly(self) -> None:
        try:
            save_settings(self.settings)
        except SaveError as exc:
            self.statusBar().showMessage(str(exc), 10000)

    # --- drag and drop -----------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if urls and Path(urls[0]).is_dir():  # a folder of reports: review them all
            self.batch_review(urls[0])
        elif urls and self.maybe_keep_changes():
            self.open_file(urls[0])
