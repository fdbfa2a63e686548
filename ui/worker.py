"""The one seam through which the window starts background work.

A check runs in a long-lived worker process (core.check.check_service) over a plain `str` snapshot, so
pure-Python checking never holds the window's GIL while the user types. Each job carries the
revision of the text it saw, and the window drops any result older than its current revision.
Tests set `synchronous = True` so a job runs at once on the calling thread, in this process.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from core.check.check_service import CheckService, with_rule_problems


class _Relay(QObject):
    """Signals emitted on the service's threads arrive queued on the window's thread."""
    done = Signal(int, object)  # revision, CheckResult
    failed = Signal(int, str)


class BackgroundRunner(QObject):
    finished = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent=None, service: CheckService | None = None):
        super().__init__(parent)
        self.synchronous = False
        self._relay = _Relay()
        self._relay.done.connect(self.finished)
        self._relay.failed.connect(self.failed)
        self.service = service or CheckService()
        self.service.on_done = self._relay.done.emit
        self.service.on_failed = self._relay.failed.emit

    def preload(self) -> None:
        """Start the worker process now, so it has its rules (and jieba) ready for the first check."""
        if not self.synchronous:
            self.service.start()

    def start_check(self, revision: int, text: str, report_type: str | None, previous=None) -> None:
        """`previous`: a core.check.compare.PreviousReport to compare with (sent to the worker once)."""
        if not self.synchronous:
            self.service.submit(revision, text, report_type, previous)
            return
        # deferred: only tests check in this process; the window itself never loads the rules
        from core.check.engine import check

        try:
            result = with_rule_problems(check(text, report_type=report_type, previous=previous))
            result.word_count  # noqa: B018 - as the worker does
        except Exception as exc:  # a rule bug must not take the window down; it is shown instead
            self.failed.emit(revision, f"{type(exc).__name__}: {exc}")
            return
        self.finished.emit(revision, result)

    def prepare_window(self) -> None:
        """Load, in this process, what applying the first result needs: the result's classes (to
        unpickle it; they bring the rules' modules along) and the stat items' norms. Called once
        the window is up and its first check is on its way, so it runs while the worker checks
        instead of after the result has arrived."""
        # deferred: loading these ahead of the first result is this method's whole job
        import core.check.engine  # noqa: F401 - for unpickling CheckResult
        import core.check.stat_overview  # noqa: F401 - the 统计 tab's chart, excluded and unmentioned figures
        from core.text.stats import kinds

        kinds()

    def warm_up(self) -> None:
        """Nothing to check at start: the worker loads jieba now, not at the first check."""
        if not self.synchronous:
            self.service.warm_up()

    def reload_rules(self) -> None:
        """The user's word lists changed: the worker must read them again."""
        if not self.synchronous:
            self.service.reload_rules()

    def wait(self, msecs: int = 30000) -> bool:
        """Until every check asked for has its full result (the signal still has to be
        delivered: process events after this)."""
        return self.synchronous or self.service.wait(msecs / 1000)

    def shutdown(self) -> None:
        self.service.stop()
