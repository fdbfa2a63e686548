"""The check worker process behind the window (core.check.check_service): results, start-up, restarts."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from helpers import ROOT

from core.check.check_service import CheckService
from core.check.checklist import rules_with

TEXT = "市审计所2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n召开党组会*次。\n"


class Collector:
    def __init__(self):
        self.results, self.failures = [], []
        self.changed = threading.Condition()

    def done(self, revision, result):
        with self.changed:
            self.results.append((revision, result))
            self.changed.notify_all()

    def failed(self, revision, message):
        with self.changed:
            self.failures.append((revision, message))
            self.changed.notify_all()

    def wait_for(self, condition, timeout=60):
        deadline = time.monotonic() + timeout
        with self.changed:
            while not condition():
                left = deadline - time.monotonic()
                assert left > 0, f"timed out; results {[(r, getattr(x, 'pending_rules', ())) for r, x in self.results]}"
                self.changed.wait(left)

    def full(self, revision):
        return [r for rev, r in self.results if rev == revision and not getattr(r, "pending_rules", ())]


@pytest.fixture
def service():
    collector = Collector()
    svc = CheckService(collector.done, collector.failed)
    svc.collector = collector
    yield svc
    svc.stop()


def test_a_first_check_comes_before_jieba_and_again_in_full(service):
    JIEBA_RULES = rules_with("needs_jieba", "all")
    c = service.collector
    text = TEXT + "我们要加强加强学习。\n"  # a two-character word typed twice: judged with jieba
    service.submit(1, text, None)
    c.wait_for(lambda: c.full(1))
    first_revision, first = c.results[0]
    assert first_revision == 1 and set(JIEBA_RULES) <= set(first.pending_rules)  # jieba was not loaded yet
    assert not [f for f in first.findings if f.rule in JIEBA_RULES]
    assert not [f for f in first.findings if "加强" in f.message]  # the first check did not load jieba
    assert [f for f in c.full(1)[0].findings if "加强" in f.message]  # the full one has it
    full = c.full(1)[0]
    assert full.document.text == text and full.word_count > 0  # text re-attached, count made there
    assert [f.rule for f in full.findings if f.rule == "placeholder"] == ["placeholder"]
    # paragraphs come with their text (put back from the window's copy), without sentences
    assert [p.text for p in full.document.paragraphs] == [text[p.start:p.end] for p in full.document.paragraphs]
    assert "召开党组会*次。" in [p.text for p in full.document.paragraphs]
    assert all(p.sentences == [] for p in full.document.paragraphs)
    assert service.wait(5)


def test_only_the_newest_waiting_job_matters_and_wait_settles(service):
    c = service.collector
    service.submit(1, TEXT, None)
    c.wait_for(lambda: c.full(1))
    for revision in (2, 3, 4):
        service.submit(revision, TEXT.replace("*", str(revision)), None)
    assert service.wait(60)
    c.wait_for(lambda: c.full(4))
    assert c.results[-1][0] == 4
    assert not [f for f in c.full(4)[0].findings if f.rule == "placeholder"]


def test_a_killed_worker_is_started_again(service):
    c = service.collector
    service.submit(1, TEXT, None)
    c.wait_for(lambda: c.full(1))
    old = service.pid
    os.kill(old, signal.SIGKILL)
    service._process.join(10)
    service.submit(2, TEXT, None)
    c.wait_for(lambda: c.full(2))
    assert service.pid not in (None, old)


def test_the_users_word_lists_are_read_again_when_they_change(service, user_home):
    c = service.collector
    service.submit(1, TEXT, None)
    c.wait_for(lambda: c.full(1))
    assert not [f for f in c.full(1)[0].findings if f.rule == "term" and f.suggestion == "市审计局"]
    (user_home / "rules").mkdir()
    (user_home / "rules" / "terms.toml").write_text('[[term]]\nwrong = "市审计所"\nright = "市审计局"\n',
                                                    encoding="utf-8")
    service.reload_rules()
    service.submit(2, TEXT, None)
    c.wait_for(lambda: c.full(2))
    assert [f.suggestion for f in c.full(2)[0].findings if f.rule == "term"] == ["市审计局"]


def test_comparing_sends_last_periods_report_once(service):
    from helpers import CLEAN, read_fixture

    from core.check.compare import PreviousReport

    c = service.collector
    text = read_fixture(CLEAN[0])
    previous = PreviousReport(text, name="上期报告")
    service.submit(1, text, None, previous)
    c.wait_for(lambda: c.full(1))
    assert c.full(1)[0].comparison.share == 1.0
    service.submit(2, text + "\n今年新增的一段话，讲述本期独有的新做法和新成效，去年没有。\n", None, previous)
    c.wait_for(lambda: c.full(2))
    assert c.full(2)[0].comparison.share < 1.0


DRIVER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    if __name__ == "__main__":
        from core.check.check_service import CheckService
        s = CheckService()
        s.start()
        print(s.pid, flush=True)
        time.sleep(600)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_the_worker_ends_when_the_window_is_killed(tmp_path):
    script = tmp_path / "window.py"
    script.write_text(DRIVER.format(root=str(ROOT)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    worker = int(proc.stdout.readline())
    proc.kill()
    proc.wait(10)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return  # gone (reaped by init)
        if _zombie(worker):
            return
        time.sleep(0.05)
    pytest.fail(f"the check worker {worker} outlived the killed window")


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
            return fh.read().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


# A user's pattern the static guard lets through (every repeat bounded) that backtracks for minutes on
# a long run of the same character: 66 s on 400 characters here.
SLOW_PATTERN = "市.{0,40}市.{0,40}市.{0,40}市.{0,40}市.{0,40}党"


def test_a_check_past_its_time_limit_is_stopped_and_its_user_entry_left_out(user_home):
    (user_home / "rules").mkdir()
    (user_home / "rules" / "terms.toml").write_text(
        f'[[term]]\nwrong = "市审计所"\nright = "市审计局"\n\n[[term]]\npattern = \'{SLOW_PATTERN}\'\n',
        encoding="utf-8")
    c = Collector()
    service = CheckService(c.done, c.failed, time_limit=2.0)
    try:
        text = TEXT + "市" * 600 + "！\n"
        started = time.monotonic()
        service.submit(1, text, None)
        c.wait_for(lambda: c.failures, timeout=60)
        assert time.monotonic() - started < 30  # not the minutes the pattern would take
        revision, said = c.failures[0]
        assert revision == 1 and said.startswith("检查用了")
        assert "规范提法（rules/terms.toml）第5行 [[term]] 第2条" in said and "暂停使用" in said
        c.wait_for(lambda: c.full(1), timeout=60)  # checked again without it
        result = c.full(1)[0]
        assert [f.suggestion for f in result.findings if f.rule == "term"] == ["市审计局"]  # the other entry works
        assert any("第5行" in p and "仍未算完" in p and "暂不使用" in p for p in result.rule_problems)
        service.submit(2, text + "再写一句。\n", None)  # the entry stays out for the next checks
        c.wait_for(lambda: c.full(2), timeout=60)
        assert len(c.failures) == 1
    finally:
        service.stop()


def test_results_say_what_is_wrong_in_the_users_lists(service, user_home):
    (user_home / "rules").mkdir()
    (user_home / "rules" / "terms.toml").write_text('[[term]]\nwrong = "市审计所"\nright = "市审计局"\n'
                                                    'severity = "eror"\n', encoding="utf-8")
    c = service.collector
    service.submit(1, TEXT, None)
    c.wait_for(lambda: c.full(1))
    problems = c.full(1)[0].rule_problems
    assert len(problems) == 1 and "第4行" in problems[0] and "“eror”" in problems[0]
    assert not c.failures  # the rest is checked as usual
