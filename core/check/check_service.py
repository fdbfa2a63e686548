"""The window's checks, run in a long-lived worker process.

jieba and the rules are pure Python: on a thread of the window's own process they hold the GIL,
and every keystroke that arrives meanwhile waits (28–35 ms on a busy PC). In a process of their
own they cost the window nothing but sending the text and receiving a small result.

The window talks to `CheckService`; nothing here imports Qt. Jobs carry a revision; only the
newest waiting job is sent (an older one would be dropped by the window anyway), and the text of
each job stays on the window's side, so results travel without it and without the sentences
and part locations the window never reads (`slim`): about 115 KB for a 50,000-character report
instead of 500 KB, unpickled in under two milliseconds.

Start-up: the worker is started before the window is built. jieba needs about a second to load,
and some rules need it (declared `needs_jieba` in resources/checklist.toml: 问题与措施对应 and the
statistical spelling check), so a check that arrives before jieba is loaded runs
without those rules (and 错别字 without its jieba-judged repeated words) and says so
(`pending_rules`); jieba loads right after, and the same job is checked again in full. When the window has nothing to check at start it says so (`warm_up`),
and jieba loads while the user finds their file.

The worker ends when the window closes its pipe — also when the window is killed, since the
pipe's last writer is gone — and a worker that dies is started again for the next job.

A check has a time limit (`time_limit`): one that runs longer is stopped by ending the worker. The
worker notes in shared memory which of the user's own entries it is running, so the window can say
which one caused it; that entry is then left out (as a bad entry in the user's file would be) and
the text is checked again without it. Each result carries what is wrong in the user's own lists
(`rule_problems`, Chinese sentences), which the window shows. The service's own failure messages
are whole Chinese sentences starting with “检查”; a rule's exception is sent as “Type: message”.
"""
from __future__ import annotations

import dataclasses
import json
import multiprocessing
import threading
import time
from collections.abc import Callable

WARM_UP_TEXT = "某单位2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n召开党组会3次，谈心谈话*人次。\n"
# A check of 60,000 characters takes about 0.3 s here; one still running after this many seconds
# (plus one per 10,000 characters) is stuck, most likely on a user's regular expression.
TIME_LIMIT_SECONDS = 20.0
MARKER_BYTES = 1024  # shared memory naming the user's entry being run


# --- the worker process -----------------------------------------------------------------------

def slim(result):
    """The result as it travels to the window: without the text (the window has it; `restore`
    puts it back, into the paragraphs too), without the paragraphs' sentences and the part
    locations (the window reads neither; a full result is one `check()` away). About 100 KB for a
    50,000-character report instead of 500 KB. `word_count` is computed here, off the window."""
    result.word_count  # noqa: B018 - counted now, in the worker
    paragraphs = [dataclasses.replace(p, text="", sentences=[]) for p in result.document.paragraphs]
    document = dataclasses.replace(result.document, text="", paragraphs=paragraphs)
    out = dataclasses.replace(result, document=document, parts={})
    out._word_count = result._word_count
    return out


def restore(result, text: str):
    """The window's side of `slim`: the text back in the document and its paragraphs (a
    paragraph's text is always its span of the document's text)."""
    result.document.text = text
    for p in result.document.paragraphs:
        p.text = text[p.start:p.end]
    return result


def encode_origin(where) -> bytes:
    """A user's entry (core.resources.Origin) as it sits in shared memory: JSON, within MARKER_BYTES."""
    if where is None:
        return b""
    label = where.label
    while True:
        data = json.dumps([where.file, list(where.path), label], ensure_ascii=False).encode("utf-8")
        if len(data) < MARKER_BYTES:
            return data
        label = label[:len(label) // 2] + "…"


def decode_origin(data: bytes) -> tuple[str, tuple, str] | None:
    try:
        file, path, label = json.loads(data.decode("utf-8"))
    except (ValueError, TypeError):
        return None
    return file, tuple(path), label


def with_rule_problems(result):
    """The result with what is wrong in the user's own lists (their entries were left out)."""
    from core import resources  # deferred: the window imports this module without the rules' data

    result.rule_problems = tuple(str(p) for p in resources.user_problems())
    return result


def _serve(requests, replies, marker=None, busy=None) -> None:
    """The worker's loop: (kind, ...) messages in, ("done"|"failed", seq, revision, payload) out.
    `marker` (shared bytes) names the user's entry being run, `busy` (a shared float) when the
    current check started (0: idle): the window's side reads both to enforce the time limit."""
    import signal  # deferred: only the worker process needs signals and the engine below

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in a terminal belongs to the window
    # deferred: the window imports this module; only the worker process loads the engine and the rules
    from core import resources
    from core.check.checklist import rules_with
    from core.check.engine import check
    from core.text import segment

    if marker is not None:
        def note(where) -> None:
            marker.value = encode_origin(where)

        resources.watch = note

    def started(on: bool) -> None:
        if busy is not None:
            busy.value = time.monotonic() if on else 0.0

    previous = {}  # key -> core.check.compare.PreviousReport
    segment.load_on_demand = False  # no rule may load jieba by the way: it loads when this loop says
    try:
        # The rules read their word lists and compile their patterns on first use: done now,
        # while the window is still starting, so the first real check is quick.
        check(WARM_UP_TEXT, rules=[rule for rule in _all_rules() if rule not in rules_with("needs_jieba", "all")])
    except Exception:  # noqa: BLE001 - a broken word list is reported by the first real check
        pass
    while True:
        try:
            message = requests.recv()
        except (EOFError, OSError):
            return  # the window is gone
        job = None
        warm = False
        while True:  # everything waiting: control messages in order, only the newest check
            kind = message[0]
            if kind == "stop":
                return
            if kind == "warm":
                warm = True
            elif kind == "previous":
                previous = {message[1]: message[2]}
            elif kind == "reload":
                resources.enable_all()  # the user saved their lists: entries stopped before get another chance
                segment.words.cache_clear()
            elif kind == "disable":
                resources.disable(message[1], tuple(message[2]), message[3])
            elif kind == "check":
                job = message
            if not requests.poll():
                break
            try:
                message = requests.recv()
            except (EOFError, OSError):
                return
        if job is None:
            if warm:
                segment.ensure_loaded()
                _prepare_statistics()
            continue
        _, seq, revision, text, report_type, previous_key = job
        old = previous.get(previous_key) if previous_key is not None else None
        partial = not segment.is_loaded()
        try:
            if partial:
                # the rules declared needs_jieba = "all" wait for it; "part" ones run, some findings missing
                rules = [rule for rule in _all_rules() if rule not in rules_with("needs_jieba", "all")]
                started(True)
                result = slim(check(text, report_type=report_type, rules=rules, previous=old))
                started(False)
                result.pending_rules = rules_with("needs_jieba", "all") + rules_with("needs_jieba", "part")
                replies.send(("done", seq, revision, with_rule_problems(result)))
                segment.ensure_loaded()
                _prepare_statistics()
                if requests.poll():
                    continue  # a newer job is waiting: check that one in full instead
            started(True)
            result = slim(check(text, report_type=report_type, previous=old))
            started(False)
            replies.send(("done", seq, revision, with_rule_problems(result)))
        except (EOFError, OSError, BrokenPipeError):
            return
        except Exception as exc:  # noqa: BLE001 - a rule bug must not end the worker; it is shown
            started(False)
            try:
                replies.send(("failed", seq, revision, f"{type(exc).__name__}: {exc}"))
            except (OSError, BrokenPipeError):
                return


def _prepare_statistics() -> None:
    """The spelling rule's statistics (about half a second) and the grammar rule's parts of speech,
    loaded with jieba: after the first result, before the first check with every rule."""
    from core.check.rules import grammar, spelling  # deferred: loaded in the worker process only

    spelling.prepare()
    grammar.prepare()


def _all_rules() -> list[str]:
    from core.check.rules import RULES  # deferred: the rules load in the worker process, not the window

    return list(RULES)


# --- the window's side ------------------------------------------------------------------------

@dataclasses.dataclass
class _Job:
    seq: int  # counts every job, so an answer tells which jobs it settles (revisions may repeat)
    revision: int
    text: str
    report_type: str | None
    previous: object  # core.check.compare.PreviousReport or None


class CheckService:
    """Owns the worker process. `on_done(revision, result)` and `on_failed(revision, message)`
    are called on a background thread; the caller moves them to its own thread."""

    def __init__(self, on_done: Callable | None = None, on_failed: Callable | None = None,
                 time_limit: float = TIME_LIMIT_SECONDS):
        self.on_done = on_done or (lambda revision, result: None)
        self.on_failed = on_failed or (lambda revision, message: None)
        self.time_limit = time_limit  # seconds for a check, plus one per 10,000 characters
        self._disabled: dict[tuple, str] = {}  # (file, path) -> why: user entries a check was stopped on
        self._stopped: tuple | None = None  # (generation, job, entry) of a check being stopped for its time
        self._marker = self._busy = None
        self._lock = threading.Condition()
        self._next: _Job | None = None  # the newest job not yet sent
        self._texts: dict[int, str] = {}  # seq -> text, for the newest jobs sent
        self._seq = 0  # of the last job submitted
        self._answered = 0  # the last job settled by a full result (or a failure)
        self._inflight: _Job | None = None  # the last job sent
        self._retried = 0  # seq of a job already sent again after its worker died
        self._controls: list[tuple] = []
        self._sent_previous: object = None
        self._process = None
        self._requests = None
        self._stopping = False
        self._generation = 0  # bumped at every (re)start: threads of a dead worker stop

    # -- lifetime
    def start(self) -> None:
        """Start the worker now (at program start, so it is ready when the first check comes)."""
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._spawn()

    def _spawn(self) -> None:
        context = multiprocessing.get_context("spawn")  # fork is unsafe with Qt threads, absent on Windows
        # Two one-way pipes: plain OS pipes (a duplex Pipe is a socket pair, and the program
        # opens no sockets), and the sending and receiving threads never share one.
        request_read, request_write = context.Pipe(duplex=False)
        reply_read, reply_write = context.Pipe(duplex=False)
        marker = context.Array("c", MARKER_BYTES, lock=False)
        busy = context.Value("d", 0.0, lock=False)
        process = context.Process(target=_serve, args=(request_read, reply_write, marker, busy), daemon=True,
                                  name="report-assistant-check")
        process.start()
        request_read.close()
        reply_write.close()  # the worker holds the only writer: its death is an EOF here
        self._process, self._requests = process, request_write
        self._marker, self._busy = marker, busy
        self._sent_previous = None
        # the entries earlier workers were stopped on stay left out (sent before any job)
        self._controls[:0] = [("disable", file, list(path), why) for (file, path), why in self._disabled.items()]
        # a job waiting to be sent is still owed; nothing else is
        self._answered = self._seq - 1 if self._next is not None else self._seq
        self._generation += 1
        generation = self._generation
        threading.Thread(target=self._send_loop, args=(generation, request_write), daemon=True,
                         name="check-sender").start()
        threading.Thread(target=self._receive_loop, args=(generation, reply_read), daemon=True,
                         name="check-receiver").start()

    def stop(self, timeout: float = 2.0) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
            process, requests = self._process, self._requests
            self._process = None
        if process is None:
            return
        try:
            requests.send(("stop",))
        except (OSError, BrokenPipeError, ValueError):
            pass
        process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join(1)
        try:
            requests.close()
        except OSError:
            pass

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    # -- jobs
    def submit(self, revision: int, text: str, report_type: str | None, previous=None) -> None:
        with self._lock:
            if self._stopping:
                return
            if self._process is None or not self._process.is_alive():
                self._spawn()
            self._seq += 1
            self._next = _Job(self._seq, revision, text, report_type, previous)
            self._lock.notify_all()

    def warm_up(self) -> None:
        """Nothing to check yet: the worker loads jieba now rather than at the first check."""
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._spawn()
            self._controls.append(("warm",))
            self._lock.notify_all()

    def reload_rules(self) -> None:
        """The user changed their word lists: the worker forgets what it loaded (and the entries it
        was stopped on get another chance)."""
        with self._lock:
            self._disabled.clear()
            self._controls.append(("reload",))
            self._lock.notify_all()

    def wait(self, timeout: float = 30.0) -> bool:
        """Until every job submitted has its full result (or failed); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._answered < self._seq:
                left = deadline - time.monotonic()
                if left <= 0 or self._stopping:
                    return False
                self._lock.wait(left)
        return True

    def _send_loop(self, generation: int, requests) -> None:
        while True:
            with self._lock:
                while (self._next is None and not self._controls and not self._stopping
                       and generation == self._generation):
                    self._lock.wait()
                if self._stopping or generation != self._generation:
                    return
                controls, self._controls = self._controls, []
                job, self._next = self._next, None
                if job is not None:
                    self._inflight = job
                    self._texts[job.seq] = job.text
                    # only the newest texts are kept; an older answer is dropped by the window
                    for old in sorted(self._texts)[:-4]:
                        del self._texts[old]
            try:
                for message in controls:
                    requests.send(message)
                if job is not None:
                    key = None
                    if job.previous is not None:
                        key = id(job.previous)
                        if job.previous is not self._sent_previous:
                            requests.send(("previous", key, job.previous))
                            self._sent_previous = job.previous
                    requests.send(("check", job.seq, job.revision, job.text, job.report_type, key))
            except (OSError, BrokenPipeError, ValueError):
                return  # the worker died; the receiver reports it and the next job restarts it

    def _overdue(self, generation: int) -> None:
        """Stop the worker when its current check has run past the time limit."""
        with self._lock:
            if generation != self._generation or self._process is None or self._stopped is not None:
                return
            since = self._busy.value if self._busy is not None else 0.0
            job = self._inflight
            if not since or job is None:
                return
            limit = self.time_limit + len(job.text) / 10_000
            if time.monotonic() - since < limit:
                return
            entry = decode_origin(self._marker.value) if self._marker is not None else None
            self._stopped = (generation, job, entry, limit)
            process = self._process
        process.kill()  # the receiver then sees the pipe close and reports it (below)

    def _after_stop(self) -> tuple[str, int] | None:
        """Called with the lock held when a worker stopped for its time limit has gone: leaves out the
        entry it was running (and checks the text again without it). The message and revision to report."""
        generation, job, entry, limit = self._stopped
        self._stopped = None
        if entry is None:
            self._answered = max(self._answered, job.seq)
            return (f"检查用了{limit:.0f}秒仍未完成，已经停止（文字太长或太复杂）。修改文字后会重新检查。",
                    job.revision)
        file, path, label = entry
        self._disabled[(file, path)] = f"检查时在一段文字上用了{limit:.0f}秒以上仍未算完（正则表达式要算很久）。"
        if self._next is None:
            self._next = job  # checked again, without that entry
        return (f"检查用了{limit:.0f}秒仍未完成，已经停止：原因是自己的词表中的{label}（正则表达式在这段文字上"
                f"要算很久）。这一条已暂停使用，正在重新检查；可在“我的提法与统计事项”中修改。", job.revision)

    def _receive_loop(self, generation: int, replies) -> None:
        while True:
            try:
                while not replies.poll(0.25):
                    self._overdue(generation)
                kind, seq, revision, payload = replies.recv()
            except (EOFError, OSError):
                said = None
                with self._lock:
                    if generation != self._generation or self._stopping:
                        return
                    self._process = None
                    if self._stopped is not None and self._stopped[0] == generation:
                        said = self._after_stop()
                        if self._next is not None:
                            self._spawn()
                        self._lock.notify_all()
                if said is not None:
                    self.on_failed(said[1], said[0])
                    return
                with self._lock:
                    if generation != self._generation or self._stopping:
                        return
                    job = self._inflight
                    lost = self._answered < self._seq and self._next is None
                    if lost and job is not None and job.seq == self._seq and self._retried != job.seq:
                        # died on the newest job (killed, out of memory): a new worker tries it
                        # once more; a job that kills a worker twice is reported
                        self._retried = job.seq
                        self._next = job
                        lost = False
                    if self._next is not None:
                        self._spawn()
                    else:
                        self._answered = self._seq
                    self._lock.notify_all()
                if lost:
                    self.on_failed(-1, "检查进程意外退出（可能是内存不足），修改文字后会重新检查")
                return
            partial = kind == "done" and getattr(payload, "pending_rules", ())
            with self._lock:
                text = self._texts.get(seq)
                if not partial:
                    self._answered = max(self._answered, seq)
                    self._lock.notify_all()
            if kind == "done":
                if text is None:
                    continue  # a job too old to matter
                self.on_done(revision, restore(payload, text))
            else:
                self.on_failed(revision, payload)
