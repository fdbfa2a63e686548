"""A local log file (rotated, in the user's data folder) and a Chinese message for an error nobody
foresaw, with its traceback in the log: the windowed program has no console to print it to."""
from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtCore import QTimer, QtMsgType
from PySide6.QtWidgets import QApplication, QMessageBox

from ui import logbook


@pytest.fixture
def logging_on(user_home):
    handler = logbook.start_logging(max_bytes=2000)
    yield handler
    logbook.stop_logging(handler)


def test_the_log_is_in_the_users_folder_and_rotates(logging_on, user_home):
    path = logbook.log_path()
    assert path.parent.parent == user_home  # the per-user data folder, nothing elsewhere
    assert "启动" in path.read_text(encoding="utf-8")
    for i in range(40):
        logbook.log.info("第%d条：%s", i, "很长的一行" * 10)
    assert path.with_name(path.name + ".1").exists()  # rotated, so it never grows without end
    assert not path.with_name(path.name + f".{logbook.BACKUPS + 1}").exists()


@pytest.mark.qt_no_exception_capture
def test_an_unforeseen_error_in_the_window_is_logged_and_told_in_chinese(window, qtbot, logging_on):
    reporter = logbook.ErrorReporter()
    reporter.install()
    try:
        def broken_slot():
            raise ZeroDivisionError("除数为零")

        QTimer.singleShot(0, broken_slot)  # as a bug in a slot would: Qt hands it to sys.excepthook
        qtbot.waitUntil(lambda: reporter.box is not None and reporter.box.isVisible())
        box = reporter.box
        shown = box.text() + box.informativeText()
        assert "内部错误" in shown and str(logbook.log_path()) in shown and "不会发送" in shown
        assert [b.text() for b in box.buttons() if b.text()] and all(
            "OK" not in b.text() for b in box.buttons())
        assert "ZeroDivisionError" in box.detailedText()
        logbook.log.handlers[-1].flush()
        logged = logbook.log_path().read_text(encoding="utf-8")
        assert "未处理的异常" in logged and "broken_slot" in logged and "ZeroDivisionError" in logged
        box.close()
        assert window.isVisible()  # the window goes on
    finally:
        reporter.uninstall()


@pytest.mark.qt_no_exception_capture
def test_an_error_on_another_thread_is_told_on_the_windows_thread(window, qtbot, logging_on):
    reporter = logbook.ErrorReporter()
    reporter.install()
    try:
        worker = threading.Thread(target=lambda: [][1])
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: reporter.box is not None and reporter.box.isVisible())
        assert "IndexError" in reporter.box.detailedText()
        assert QApplication.instance().thread() is reporter.box.thread()
        reporter.box.close()
    finally:
        reporter.uninstall()


def test_one_message_at_a_time(window, qtbot, logging_on):
    reporter = logbook.ErrorReporter()
    reporter.tell("第一个")
    first = reporter.box
    reporter.tell("第二个")  # while the first is shown: logged only, not another box
    assert reporter.box is first and isinstance(first, QMessageBox)
    first.close()
    assert logging.getLogger("report_assistant") is logbook.log


def test_qt_messages_still_reach_stderr_as_qt_prints_them(capsys):
    # The bundle's smoke test and a developer's QT_LOGGING_RULES read Qt's lines on stderr; the
    # log file must not swallow them (it did once, and the smoke test saw no first paint).
    class Context:
        category = "qt.widgets.painting"

    logbook.qt_message(QtMsgType.QtDebugMsg, Context(), "Drawing QRegion(0,0 10x10) of MainWindow(0x1)")
    assert capsys.readouterr().err == "qt.widgets.painting: Drawing QRegion(0,0 10x10) of MainWindow(0x1)\n"


def test_qt_messages_without_a_console_go_only_to_the_log(monkeypatch):
    monkeypatch.setattr(sys, "stderr", None)  # the bundled Windows program
    logbook.qt_message(QtMsgType.QtWarningMsg, None, "QFont::setPointSize: Point size <= 0")
