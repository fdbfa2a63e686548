"""A local log file, and what happens when the program meets an error it did not expect.

The bundled Windows program has no console: an exception there used to leave nothing behind. Now
every unexpected exception (on the window's thread or any other) is written with its traceback to
a log in the per-user data folder — rotated, readable only by the user, never sent anywhere — and
the user gets a Chinese message that says the text is safe and where the log is. Qt's own warnings
go to the same log.
"""
from __future__ import annotations

import logging
import os
import platform
import sys
import threading
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtCore import QObject, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from core import __version__, resources

LOG_NAME = "report-assistant.log"
MAX_BYTES = 1_000_000  # four files of 1 MB at most: months of ordinary use
BACKUPS = 3
log = logging.getLogger("report_assistant")


def log_path() -> Path:
    return resources.user_data_dir() / "logs" / LOG_NAME


def start_logging(max_bytes: int = MAX_BYTES) -> logging.Handler | None:
    """Write the program's log to log_path(); None (and nothing written) when the folder cannot
    be made — a log must never stop the program from starting."""
    path = log_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=max_bytes, backupCount=BACKUPS, encoding="utf-8")
        if sys.platform != "win32":
            os.chmod(path, 0o600)  # tracebacks name the user's files
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.info("启动 %s %s；Python %s；%s", resources.APP_NAME, __version__, platform.python_version(),
             platform.platform())
    return handler


def stop_logging(handler: logging.Handler | None) -> None:
    if handler is not None:
        log.removeHandler(handler)
        handler.close()


class _Relay(QObject):
    happened = Signal(str)  # a traceback from another thread, shown on the window's thread


class ErrorReporter(QObject):
    """sys.excepthook and threading.excepthook: log the traceback, then tell the user once."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.relay = _Relay()
        self.relay.happened.connect(self.tell)
        self.box: QMessageBox | None = None  # the message shown; another error meanwhile is only logged
        self._previous = (sys.excepthook, threading.excepthook)

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def excepthook(self, kind, value, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous[0](kind, value, tb)
            return
        text = "".join(traceback.format_exception(kind, value, tb))
        log.error("未处理的异常：\n%s", text)
        if threading.current_thread() is threading.main_thread():
            self.tell(text)
        else:
            self.relay.happened.emit(text)

    def thread_excepthook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    def tell(self, details: str) -> None:
        if self.box is not None and self.box.isVisible():
            return  # one message at a time: an error repeated in every repaint must not bury the window
        app = QApplication.instance()
        parent = app.activeWindow() if app is not None else None
        box = QMessageBox(QMessageBox.Icon.Critical, "程序内部错误",
                          "程序遇到一个内部错误，刚才的操作没有完成。", QMessageBox.StandardButton.Ok, parent)
        box.setInformativeText(
            "编辑器中的文字没有丢失，未保存的内容也在自动保存的草稿中；建议先保存报告。\n\n"
            f"错误的详细情况已记在本机的日志文件中（不会发送到任何地方），需要时可交给技术支持：\n{log_path()}")
        box.setDetailedText(details)
        box.button(QMessageBox.StandardButton.Ok).setText("知道了")
        self.box = box
        box.open()  # not exec(): an error inside a modal loop must not start another one


def qt_message(kind, context, message: str) -> None:
    """Qt's own warnings into the log (a windowed program has nowhere else to print them), and on
    stderr as Qt itself would print them where there is one: a developer's QT_LOGGING_RULES and the
    bundle's smoke test (which waits for Qt's first-paint line) read them there."""
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(kind, logging.ERROR)
    log.log(level, "Qt：%s", message)
    if sys.stderr is not None:  # None in the bundled Windows program, which has no console
        category = getattr(context, "category", None)
        prefix = f"{category}: " if category and category != "default" else ""
        try:
            sys.stderr.write(f"{prefix}{message}\n")
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed or broken pipe must not become an error of its own
            pass


def install(app: QApplication) -> ErrorReporter:
    """At start: the log, the exception hooks and Qt's messages."""
    start_logging()
    reporter = ErrorReporter(app)
    reporter.install()
    qInstallMessageHandler(qt_message)
    return reporter
