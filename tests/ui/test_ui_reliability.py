"""The window never writes an older text than the one in the editor, says what really happened
when a save and its autosave both fail, offers a damaged draft's readable part, and says once
when its settings file was damaged (issue 25: 3, 7, 8, 9)."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog

from core.check.engine import check
from core.files.drafts import AutosaveStore
from core.files.settings import Settings
from ui.main_window import MainWindow
from ui.worker import BackgroundRunner

OLD = "市审计局2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n召开党组会12次。\n"


class SlowService:
    """Stands in for the check process: a check arrives only when the test delivers it, and
    waiting for it gives up at once (as a check taking longer than any wait would)."""

    def __init__(self):
        self.jobs: list[tuple[int, str]] = []
        self.on_done = self.on_failed = None
        self.pid = None

    def submit(self, revision, text, report_type, previous=None):
        self.jobs.append((revision, text))

    def deliver(self) -> None:
        revision, text = self.jobs.pop()
        self.jobs.clear()
        self.on_done(revision, check(text))

    def wait(self, _seconds) -> bool:
        return False

    def start(self):
        pass

    warm_up = reload_rules = stop = start


@pytest.fixture
def slow(qtbot, tmp_path):
    service = SlowService()
    window = MainWindow(settings=Settings(), runner=BackgroundRunner(service=service),
                        autosave=AutosaveStore(tmp_path / "autosave"))
    qtbot.addWidget(window, before_close_func=lambda w: w.editor.document().setModified(False))
    window.show()
    window.set_text(OLD, None)
    service.deliver()
    qtbot.waitUntil(lambda: window.result is not None and window.checked_revision == window.revision)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    window.editor.insertPlainText("刚刚输入的一句话。")  # typed just before exporting: not checked yet
    window.check_timer.stop()
    return window, service


def _progress(window) -> QProgressDialog | None:
    return next((d for d in window.findChildren(QProgressDialog) if d.isVisible()), None)


def test_export_waits_for_the_check_of_the_text_in_the_editor(slow, qtbot, tmp_path, monkeypatch):
    from core.files.textio import read_report
    from ui.dialogs import SignatureDialog

    window, service = slow
    target = tmp_path / "定稿.docx"
    monkeypatch.setattr(SignatureDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.export_docx()
    assert not target.exists()  # not the previous check's text: it waits, the window stays usable
    qtbot.waitUntil(lambda: _progress(window) is not None)  # with progress and a 取消
    assert _progress(window).labelText().startswith("正在检查最新的文字")
    service.deliver()
    qtbot.waitUntil(target.exists)
    assert "刚刚输入的一句话。" in read_report(target)
    assert _progress(window) is None


def test_an_export_waiting_for_its_check_can_be_cancelled(slow, qtbot, tmp_path, monkeypatch):
    window, service = slow
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a) or ("", ""))
    window.export_ledger()
    qtbot.waitUntil(lambda: _progress(window) is not None)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPushButton

    cancel = next(b for b in _progress(window).findChildren(QPushButton) if b.text() == "取消")
    QTest.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert "已取消导出台账" in window.statusBar().currentMessage()
    service.deliver()  # the check still arrives, for the panes; the export stays cancelled
    qtbot.waitUntil(lambda: window.checked_revision == window.revision)
    assert asked == []


def test_a_save_whose_autosave_also_failed_does_not_claim_a_draft(window, tmp_path, monkeypatch):
    from core.files.drafts import SaveError

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))

    def full_disk(*_a, **_k):
        raise SaveError("无法保存：磁盘已满。")

    monkeypatch.setattr("ui.window_files.save_text", full_disk)
    monkeypatch.setattr(window.autosave, "save", full_disk)
    window.path = tmp_path / "报告.txt"
    window.editor.insertPlainText("没保存的文字。")
    assert window.save() is False
    assert "并已自动保存" not in shown[0] and "草稿也没能保存" in shown[0]
    assert "磁盘已满" in shown[0]
    assert window.editor.toPlainText() == "没保存的文字。"


def test_a_damaged_draft_is_offered_with_what_could_not_be_read(make_window, tmp_path, monkeypatch):
    window = make_window()
    text = OLD + "二、存在的问题\n" + "理论学习不够深入，" * 60 + "\n"
    path = window.autosave.save("20260101-080000-1-damaged", text, source_path=None)
    path.write_bytes(path.read_bytes()[:-40])  # a whole report lacking its last 40 bytes
    (window.autosave.folder / "20260101-070000-1-garbage.json").write_bytes(b"\x00\x01\x02")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    assert window.offer_restore()
    assert "不完整" in asked[0] and "没能读出" in asked[0]
    restored = window.editor.toPlainText()
    assert text.startswith(restored) and len(restored) > len(text) - 40
    notice = window.notice.text()
    assert "读不出" in notice and "20260101-070000-1-garbage.json" in notice and "damaged" in notice


def test_a_damaged_settings_file_is_said_once_with_what_was_kept(user_home, qtbot, tmp_path):
    from core.files.settings import save_settings, settings_path

    save_settings(Settings(unit="县纪委监委", recent_files=["/报告/一季度.docx"]))
    path = settings_path()
    path.write_bytes(path.read_bytes()[:-30])  # cut short: the last settings lost

    def start() -> MainWindow:
        runner = BackgroundRunner()
        runner.synchronous = True
        window = MainWindow(runner=runner, autosave=AutosaveStore(tmp_path / "autosave"))
        qtbot.addWidget(window)
        return window

    window = start()
    assert window.settings.unit == "县纪委监委" and window.settings.recent_files == ["/报告/一季度.docx"]
    notice = window.notice
    assert notice.isVisibleTo(window) and "已损坏" in notice.label.text() and "单位名称" in notice.label.text()
    window.set_text(OLD, None)
    window.begin_document(window.doc.__class__())  # another document: a message about the program stays
    assert notice.isVisibleTo(window)
    again = start()  # the next start: nothing to say
    assert not again.notice.isVisibleTo(again) and again.settings.unit == "县纪委监委"
