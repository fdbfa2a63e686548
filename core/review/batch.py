"""Batch review: check every report under a folder in worker processes and write one workbook.

The workbook a reviewer in a 机关工委 or 纪委 needs for a 通报 on report quality:

* **总览** – one row per report, worst first: unit, type, period, length, a score, errors and
  warnings per checklist group, missing parts, blanks, problems and how many have a measure.
* **明细** – every finding with its place and excerpt.
* **台账** – every unit's countable items side by side, one column per report.

Reports are checked by the same `core.check.engine.check` as everywhere else, in worker processes (a
check is pure Python, so threads would share one core). Each worker sends back a small, picklable
`ReportReview`; findings stream into 明细 as they arrive and are not kept, so memory stays flat
however many reports there are. A file that cannot be read becomes a row with its reason.
Cancelling stops handing out files and writes what was done.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from core import resources
from core.check.engine import check, excerpt, line_column
from core.check.findings import SEVERITY_LABELS
from core.check.rules.problems import items_of
from core.files.textio import ReadError, read_report_traced, read_report_with_notes
from core.office.annotate import AnnotateError, annotate_docx, annotate_text, check_output
from core.office.report_ledger import report_period
from core.review.batch_workbook import ReviewWorkbook, check_target
from core.review.reviews import BatchError, Example, ReportReview, group_weights, sentence_keys
from core.review.tongbao import MARK, check_tongbao_target, write_tongbao
from core.text import segment
from core.text.metadata import report_unit
from core.text.stats import report_totals
from core.text.wordcount import wps_word_count

REPORT_SUFFIXES = (".txt", ".docx")
_IN_FLIGHT_PER_WORKER = 4  # files handed to each worker ahead: keeps it busy, keeps cancel quick


EXAMPLES_PER_GROUP = 3
# written into a batch's folder of annotated copies: a later batch over a folder holding it
# leaves that folder out
ANNOTATION_MARKER = ".报告助手-带批注的报告.txt"


@dataclass
class AnnotateJob:
    """Write an annotated copy of each report into `folder` (same relative path, .docx)."""
    folder: str
    info: bool = False


@dataclass
class BatchSummary:
    path: str
    total: int  # reports found
    reviewed: int  # rows written (unreadable files included)
    unreadable: int
    cancelled: bool
    seconds: float
    worst: list[tuple[str, int | None]] = field(default_factory=list)  # (file, score), worst first
    annotated: int = 0  # annotated copies written
    annotate_failed: int = 0
    annotate_folder: str | None = None
    tongbao: str | None = None  # the 情况通报 draft written
    skipped_own: int = 0  # 通报 drafts this program wrote, not reviewed


# --- one report ------------------------------------------------------------------------------

def score(groups: dict[str, list]) -> int:
    """100 less each group's weighted findings, a group costing at most its cap (blanks and web
    residue have none: every one must be fixed; cosmetic groups cost little)."""
    lost = 0
    for gid, severities in groups.items():
        w = group_weights(gid)
        cost = sum(w[s] for s in severities)
        lost += cost if w["group_cap"] is None else min(w["group_cap"], cost)
    return max(0, 100 - lost)


def review_text(text: str, file: str, report_type: str | None = None, notes: tuple[str, ...] = (),
                result=None) -> ReportReview:
    """`result`: the check of `text` when the caller already has it."""
    result = result or check(text, report_type=report_type)
    doc = result.document
    meta = doc.meta
    profile = resources.profile(meta.type)
    review = ReportReview(file=file, notes=notes)
    review.unit = meta.unit or ""
    review.type_id, review.year = meta.type, meta.year
    stated = report_unit(doc)
    review.unit_blank = (stated.stated or "") if stated.blank else ""
    review.type_name = profile.name if profile else "未能识别"
    review.period = report_period(meta) or ""
    review.chars = wps_word_count(doc.text)
    review.errors, review.warnings = result.errors, result.warnings
    review.infos = len(result.findings) - result.errors - result.warnings
    severities: dict[str, list] = {}
    for item in result.checklist:
        if item.findings:
            e = sum(1 for f in item.findings if f.severity == "error")
            w = sum(1 for f in item.findings if f.severity == "warning")
            review.groups[item.id] = (e, w)
            severities[item.id] = [f.severity for f in item.findings]
    review.score = score(severities)
    review.missing = tuple(loc.part.name for loc in result.parts.values() if not loc.found)
    review.blanks = sum(1 for f in result.findings if f.rule == "placeholder")
    problems = items_of(doc, result.parts.get("problems"))
    review.problems = len(problems)
    plan = result.parts.get("plan")
    if plan is not None and plan.found:
        unanswered = sum(1 for f in result.findings if f.rule == "problem-measure")
        review.answered = max(0, len(problems) - unanswered)
    titles = {rule: item.title for item in result.checklist for rule in item.rules}
    for f in result.findings:
        line, column = line_column(doc.text, f.start)
        review.findings.append((line, column, SEVERITY_LABELS[f.severity], titles.get(f.rule, f.rule), f.message,
                                excerpt(doc.text, f.start, f.end), f.suggestion))
    for item in result.checklist:
        # the 通报 names a unit's defects only where they are certain: errors
        shown = sorted((f for f in item.findings if f.severity == "error"), key=lambda f: f.start)[:EXAMPLES_PER_GROUP]
        if shown:
            review.examples[item.id] = [example(doc.text, f) for f in shown]
    for (kind, measure), total in report_totals(result.stats).items():
        review.totals.append((kind, total.item, measure, total.value, total.qualifier, total.placeholder))
    review.sentence_keys = sentence_keys(doc)
    return review


_CLAUSE_STOPS = "，。；：！？、,;:!?\n（）()《》"
_AROUND = 16  # characters of the clause kept either side of a finding


def example(text: str, f) -> Example:
    """The finding with the report's own words around it, within its clause: what a 通报 quotes so
    that the unit finds the place in its Word file (a line number it cannot)."""
    line, _column = line_column(text, f.start)
    quote = text[f.start:f.end].split("\n")[0]
    start = f.start
    while start > 0 and f.start - start < _AROUND and text[start - 1] not in _CLAUSE_STOPS:
        start -= 1
    end = f.start + len(quote)
    after_end = end
    while after_end < len(text) and after_end - end < _AROUND and text[after_end] not in _CLAUSE_STOPS:
        after_end += 1
    return Example(line, f.rule, f.severity, f.message, quote[:40], text[start:f.start], f.suggestion,
                   text[end:after_end])


def review_file(path: str, root: str = "", report_type: str | None = None,
                annotate: AnnotateJob | None = None) -> ReportReview:
    """Read and check one file, and with `annotate` write its annotated copy; never raises (a
    failure is the review's `error`, or `annotate_error`)."""
    shown = os.path.relpath(path, root) if root else path
    trace = None
    try:
        if annotate is None:
            text, notes = read_report_with_notes(path)
        else:
            text, notes, trace = read_report_traced(path)
    except ReadError as exc:
        return ReportReview(file=shown, error=exc.reason)
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop a batch of hundreds
        return ReportReview(file=shown, error=f"读取时出错（{type(exc).__name__}）")
    try:
        result = check(text, report_type=report_type)
        review = review_text(text, shown, report_type, tuple(notes), result=result)
    except Exception as exc:  # noqa: BLE001 - a rule bug on one report: list it, go on
        return ReportReview(file=shown, error=f"检查时出现内部错误（{type(exc).__name__}: {exc}），请把这份文件发给开发人员")
    if annotate is not None:
        _annotate(Path(path), shown, text, result, trace, annotate, review)
    return review


def annotated_name(path: Path, relative: str) -> str:
    """The annotated copy's path relative to the annotation folder: the report's own relative
    path; a .txt becomes .docx, or 名（文本）.docx when a .docx of that name sits beside it."""
    rel = Path(relative)
    if path.suffix.lower() == ".docx":
        return rel.as_posix()
    siblings = [path.with_suffix(s) for s in (".docx", ".DOCX", ".Docx")]
    if any(s.exists() for s in siblings):
        return rel.with_name(rel.stem + "（文本）.docx").as_posix()
    return rel.with_suffix(".docx").as_posix()


def _annotate(path: Path, relative: str, text: str, result, trace, job: AnnotateJob, review: ReportReview) -> None:
    name = annotated_name(path, relative)
    out = Path(job.folder) / name
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        check_output(path, out)
        if trace is None:
            annotate_text(text, out, result, info=job.info)
        else:
            annotate_docx(path, out, result, trace, info=job.info)
    except AnnotateError as exc:
        review.annotate_error = exc.reason
        return
    except OSError as exc:
        review.annotate_error = f"无法创建文件夹“{out.parent}”（{exc.strerror or exc}）"
        return
    except Exception as exc:  # noqa: BLE001 - the review stands even if its copy fails
        review.annotate_error = f"写批注时出现内部错误（{type(exc).__name__}: {exc}）"
        return
    review.annotated = name


def _init_worker() -> None:
    # Ctrl+C belongs to the parent, which cancels in order; workers just finish their file.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    segment.ensure_loaded()


# --- many reports ------------------------------------------------------------------------------

def find_reports(folder: str | os.PathLike, skip: Path | None = None,
                 skip_dirs: tuple[Path, ...] = ()) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every .txt and .docx under `folder` in a stable order, and the subfolders that could not be
    listed (relative path, reason). Office lock files (~$x.docx) and hidden files are not reports,
    nor are `skip` and anything under `skip_dirs` (this batch's own outputs)."""
    root = Path(folder)
    skip_dirs = tuple(d.resolve() for d in skip_dirs)
    found: list[Path] = []
    problems: list[tuple[str, str]] = []

    def failed(exc: OSError) -> None:
        where = os.path.relpath(exc.filename, root) if exc.filename else str(root)
        problems.append((where, "无法打开这个文件夹（没有权限或已被移走）"))

    for here, dirs, files in os.walk(root, onerror=failed):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not (Path(here) / d / ANNOTATION_MARKER).exists()
                         and not (skip_dirs and (Path(here) / d).resolve() in skip_dirs))
        for name in sorted(files):
            if name.startswith(("~$", ".")) or not name.lower().endswith(REPORT_SUFFIXES):
                continue
            path = Path(here) / name
            if skip is not None and path == skip:
                continue
            found.append(path)
    return found, problems


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _reviews(paths: list[Path], root: Path, report_type: str | None, workers: int,
             cancelled: Callable[[], bool], work=review_file) -> Iterator[ReportReview]:
    """Reviews in the order of `paths`; stops early when `cancelled()` turns true. `work` is
    `review_file` (a test passes one that kills its worker)."""
    if workers <= 1 or len(paths) < 3:  # starting processes costs more than it saves here
        for path in paths:
            if cancelled():
                return
            yield work(str(path), str(root), report_type)
        return
    pool = _Workers(workers)
    pending: dict[int, Future] = {}
    submitted = 0
    try:
        for index, path in enumerate(paths):
            while submitted < len(paths) and submitted - index < workers * _IN_FLIGHT_PER_WORKER:
                pending[submitted] = pool.submit(work, str(paths[submitted]), str(root), report_type)
                submitted += 1
            future = pending.pop(index)
            retried = False
            while True:
                if cancelled():
                    return
                try:
                    review = future.result(timeout=0.1)
                    break
                except FutureTimeout:
                    continue
                except BrokenProcessPool:
                    # A worker died (out of memory, killed) and broke every future in flight, not
                    # only its own. Retry this file alone in a new pool: only a file that breaks a
                    # pool by itself is named as the cause.
                    pool.renew()
                    if retried:
                        review = ReportReview(file=os.path.relpath(path, root),
                                              error="检查进程意外退出（文件可能过大，或内存不足）")
                        break
                    retried = True
                    future = pool.submit(work, str(path), str(root), report_type)
            if retried:  # the files waiting were in the broken pool: hand them to the new one
                for i, waiting in list(pending.items()):
                    if not _succeeded(waiting):
                        pending[i] = pool.submit(work, str(paths[i]), str(root), report_type)
            yield review
    finally:
        pool.shutdown()


def _succeeded(future: Future) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


class _Workers:
    """The process pool of one batch, replaced by a fresh one when a worker dies."""

    def __init__(self, workers: int):
        self.workers = workers
        self.context = multiprocessing.get_context("spawn")  # fork is unsafe with Qt threads, absent on Windows
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self.context, initializer=_init_worker)

    def submit(self, *args) -> Future:
        """A future for ``fn(*args)``. A pool that broke since it was last looked at (a worker died
        while files were being handed out) refuses new work: the file then gets a future that
        failed the same way, and is retried like every other file caught in the break."""
        try:
            return self.pool.submit(*args)
        except BrokenProcessPool as exc:
            failed: Future = Future()
            failed.set_exception(exc)
            return failed

    def renew(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._start()

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def run_batch(folder: str | os.PathLike, out: str | os.PathLike, *, workers: int | None = None,
              report_type: str | None = None,
              progress: Callable[[int, int, str], None] | None = None,
              cancelled: Callable[[], bool] | None = None,
              annotate: str | os.PathLike | None = None, annotate_info: bool = False,
              tongbao: str | os.PathLike | None = None) -> BatchSummary:
    """Review every report under `folder` and write the workbook `out` (replaced atomically).

    `progress(done, total, file)` is called after each report; `cancelled()` is polled, and when it
    returns true the reports done so far are written and the summary says `cancelled`. Ctrl+C on
    the command line does the same. Raises BatchError before any work when the folder holds no
    reports or `out` cannot be written, and after the work when writing fails.

    `annotate`: a folder for an annotated copy of every report (core.office.annotate), at the report's
    relative path; 总览 links to each. `tongbao`: a .docx for the draft 情况通报 (core.review.tongbao).
    """
    started = time.perf_counter()
    root = Path(folder)
    target = Path(out)
    if not root.is_dir():
        raise BatchError(f"无法批量审查“{root}”：这不是一个文件夹，或者它不存在。")
    check_target(target)
    annotate_dir = _annotation_folder(root, annotate) if annotate is not None else None
    tongbao_path = Path(tongbao) if tongbao is not None else None
    if tongbao_path is not None:
        check_tongbao_target(tongbao_path)
    paths, folder_problems = find_reports(root, skip_dirs=(annotate_dir,) if annotate_dir else ())
    skip = {p.resolve() for p in (target, tongbao_path) if p is not None and p.exists()}
    paths = [p for p in paths if not skip or p.resolve() not in skip]
    own = [p for p in paths if written_by_us(p)]
    paths = [p for p in paths if p not in own]
    if not paths and not folder_problems:
        raise BatchError(f"文件夹“{root}”（含子文件夹）中没有 .txt 或 .docx 报告。")
    is_cancelled = cancelled or (lambda: False)
    book = ReviewWorkbook(root, annotated=annotate_dir, links_from=target.parent)
    for where, reason in folder_problems:
        book.add(ReportReview(file=where, error=reason))
    work = review_file if annotate_dir is None else partial(
        review_file, annotate=AnnotateJob(str(annotate_dir), annotate_info))
    done, stopped = 0, False
    try:
        for review in _reviews(paths, root, report_type, workers or default_workers(), is_cancelled, work):
            book.add(review)
            done += 1
            if progress is not None:
                progress(done, len(paths), review.file)
    except KeyboardInterrupt:
        stopped = True
    stopped = stopped or done < len(paths)
    book.finish(target, total=len(paths), cancelled=stopped)
    written_tongbao = None
    if tongbao_path is not None:
        written_tongbao = write_tongbao(book.reviews, book.copies(), tongbao_path)
    return BatchSummary(path=str(target), total=len(paths), reviewed=done + len(folder_problems),
                        unreadable=book.unreadable, cancelled=stopped,
                        seconds=time.perf_counter() - started, worst=book.worst(5),
                        annotated=sum(1 for r in book.reviews if r.annotated),
                        annotate_failed=sum(1 for r in book.reviews if r.annotate_error),
                        annotate_folder=str(annotate_dir) if annotate_dir else None,
                        tongbao=written_tongbao, skipped_own=len(own))


def written_by_us(path: Path) -> bool:
    """A 通报 draft this program wrote (an earlier batch's output left in the folder): not a
    report to review. Annotated copies are not judged by content (a unit may go on writing in
    one and hand it in again); their folder carries ANNOTATION_MARKER instead."""
    if path.suffix.lower() != ".docx":
        return False
    try:
        with zipfile.ZipFile(path) as z:
            return "docProps/core.xml" in z.namelist() and MARK.encode("utf-8") in z.read("docProps/core.xml")
    except (OSError, zipfile.BadZipFile, KeyError, RuntimeError):
        return False  # the review will say what is wrong with it


def _annotation_folder(root: Path, folder: str | os.PathLike) -> Path:
    """The folder for annotated copies, created if needed; never the reviewed folder itself,
    where a .docx's copy would land on the report."""
    path = Path(folder)
    where = f"无法把带批注的文档写入“{path}”："
    if path.exists() and not path.is_dir():
        raise BatchError(where + "这是一个文件，不是文件夹。")
    if path.resolve() == root.resolve():
        raise BatchError(where + "不能是报告所在的文件夹本身（会覆盖原报告），请另选一个文件夹，如“审阅”。")
    try:
        path.mkdir(parents=True, exist_ok=True)
        marker = path / ANNOTATION_MARKER
        if not marker.exists():
            marker.write_text("这个文件夹里是报告助手批量审查时写出的带批注文档；再次批量审查时，"
                              "这个文件夹不作为报告审查。删除本文件即可恢复。\n", encoding="utf-8")
    except OSError as exc:
        raise BatchError(where + f"无法创建这个文件夹（{exc.strerror or exc}）。") from None
    if not os.access(path, os.W_OK):
        raise BatchError(where + "没有写入权限。")
    return path
