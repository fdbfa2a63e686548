"""The one seam through which the window starts background work.

A check runs on a pool thread over a plain `str` snapshot; each job carries the revision of the
text it saw, and the window drops any result older than its current revision. Tests set
`synchronous = True` so a job runs at once on the calling thread.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from core.engine import check


class _Relay(QObject):
    done = Signal(int, object)  # revision, CheckResult
    failed = Signal(int, str)


class _CheckJob(QRunnable):
    def __init__(self, relay: _Relay, revision: int, text: str, report_type: str | None, previous=None):
        super().__init__()
        self.relay, self.revision, self.text, self.report_type = relay, revision, text, report_type
        self.previous = previous

    def run(self) -> None:
        try:
            result = check(self.text, report_type=self.report_type, previous=self.previous)
            result.word_count  # counted here, off the GUI thread
        except Exception as exc:  # a rule bug must not take the window down; it is shown instead
            self.relay.failed.emit(self.revision, f"{type(exc).__name__}: {exc}")
            return
        self.relay.done.emit(self.revision, result)


class BackgroundRunner(QObject):
    finished = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.synchronous = False
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # checks are sequential; a newer one supersedes older ones
        self._relay = _Relay()
        self._relay.done.connect(self.finished)
        self._relay.failed.connect(self.failed)

    def start_check(self, revision: int, text: str, report_type: str | None, previous=None) -> None:
        """`previous`: a core.compare.PreviousReport to compare with (read-only, safe to share)."""
        job = _CheckJob(self._relay, revision, text, report_type, previous)
        if self.synchronous:
            job.run()
        else:
            self.pool.start(job)

    def start_call(self, func) -> None:
        """Run any callable in the background (jieba's start-up load)."""
        if self.synchronous:
            func()
            return

        class _Call(QRunnable):
            def run(self_inner):
                func()

        self.pool.start(_Call())

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
