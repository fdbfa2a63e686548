"""The data a batch review passes around, shared by batch (which makes it), batch_workbook and tongbao
(which write it): ReportReview and Example, BatchError, the score weights, and the sentence keys
by which reports copying each other are found."""
from __future__ import annotations

import hashlib
import os
from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from core import resources
from core.check.compare import comparable_sentences, normalize_sentence
from core.files.atomic import lock_files


class BatchError(Exception):
    """The batch cannot run or its workbook cannot be written; str() is one Chinese sentence."""


@dataclass
class ReportReview:
    """What the workbook needs from one report. Sent between processes, so plain data only."""
    file: str  # relative to the reviewed folder
    error: str | None = None  # why the file could not be read or checked
    unit: str = ""
    unit_blank: str = ""  # the report's blank where its unit goes (市**局), when it has one
    type_name: str = ""
    period: str = ""
    chars: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    groups: dict[str, tuple[int, int]] = field(default_factory=dict)  # checklist id -> (errors, warnings)
    missing: tuple[str, ...] = ()
    blanks: int = 0
    problems: int = 0
    answered: int = 0
    score: int | None = None
    # (line, column, severity, checklist title, message, excerpt, suggestion)
    findings: list[tuple] = field(default_factory=list)
    # (kind id, item, measure word, value or None, qualifier, blank)
    totals: list[tuple] = field(default_factory=list)
    notes: tuple[str, ...] = ()
    # stable hashes of the report's normalised sentences: the workbook finds reports that copy
    # each other without sending or keeping their text
    sentence_keys: bytes = b""  # packed 64-bit integers (array "Q"): small to send and to keep
    type_id: str = ""  # zhuti, diyi, shuze, tongbao, unknown
    year: int | None = None
    # a few findings per checklist group, kept (unlike `findings`) for the 情况通报 draft:
    # checklist id -> [Example]
    examples: dict[str, list] = field(default_factory=dict)
    annotated: str = ""  # the annotated copy, relative to the annotation folder
    annotate_error: str = ""  # why the annotated copy could not be written

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.problems if self.problems else None


@dataclass(frozen=True)
class Example:
    """One finding, as the 通报 draft may quote it: where, what, and the words around it."""
    line: int
    rule: str
    severity: str
    message: str
    quote: str  # the finding's own text, cut short
    before: str  # the words just before it in its clause (back to the last punctuation)
    suggestion: str | None
    after: str = ""  # the words just after it in its clause


@resources.data_cache
def score_weights() -> dict:
    """The scoring data of resources/batch.toml: the default weights, and under "groups" each
    checklist group's own (its weights, its cap; None: no cap)."""
    data = resources.load("batch.toml").get("score", {})
    out = {"error": data.get("error", 8), "warning": data.get("warning", 2), "info": data.get("info", 0),
           "group_cap": data.get("group_cap", 20), "poor": data.get("poor", 60), "fair": data.get("fair", 80)}
    groups = {}
    for gid, entry in data.get("group", {}).items():
        groups[gid] = {s: entry.get(s, out[s]) for s in ("error", "warning", "info")}
        groups[gid]["group_cap"] = None if entry.get("uncapped") else entry.get("group_cap", out["group_cap"])
    out["groups"] = groups
    return out


def group_weights(gid: str) -> dict:
    """{"error", "warning", "info", "group_cap"} for one checklist group (group_cap None: no cap)."""
    w = score_weights()
    return w["groups"].get(gid) or {s: w[s] for s in ("error", "warning", "info", "group_cap")}


def score_method(titles: dict[str, str]) -> list[str]:
    """The scoring method in words, from the data, for the workbook (titles: checklist id → title)."""
    w = score_weights()
    lines = [f"每份报告从100分起扣，最低0分：每处错误扣{w['error']}分，每处警告扣{w['warning']}分"
             + (f"，每处提示扣{w['info']}分" if w["info"] else "，提示不扣分")
             + f"；同一检查项最多扣{w['group_cap']}分。"]
    for gid, g in w["groups"].items():
        parts = []
        if g["error"] != w["error"] or g["group_cap"] is None:
            parts.append(f"每处错误扣{g['error']}分")
        if g["warning"] != w["warning"]:
            parts.append(f"每处警告扣{g['warning']}分")
        parts.append("不设上限" if g["group_cap"] is None else f"最多扣{g['group_cap']}分")
        lines.append(f"“{titles.get(gid, gid)}”：" + "，".join(parts) + "。")
    lines.append(f"得分低于{w['poor']}分标红，低于{w['fair']}分标黄。分值可在 resources/batch.toml 中调整。")
    return lines


def sentence_keys(doc) -> bytes:
    """Hashes of the sentences long enough to compare, normalised as the comparison with last
    period's report does. blake2b, not hash(): str hashes differ from process to process."""
    # A unit copying another's report swaps in its own name; with the name masked the sentences
    # still match. Short names (市局) are left alone: they are parts of too many other words.
    unit = normalize_sentence(doc.meta.unit or "")
    masked = (lambda norm: norm.replace(unit, "@")) if len(unit) >= 3 else (lambda norm: norm)
    keys = {int.from_bytes(hashlib.blake2b(masked(norm).encode("utf-8"), digest_size=8).digest(), "big")
            for _s, norm in comparable_sentences(doc)}
    return array("Q", sorted(keys)).tobytes()


def key_array(review: ReportReview) -> array:
    """A review's sentence keys, unpacked."""
    keys = array("Q")
    keys.frombytes(review.sentence_keys)
    return keys


def cross_copies(reviews: list[ReportReview]) -> dict[int, tuple[float, int]]:
    """For each review (by index): the largest share of its sentences found in one other report of
    the batch, and that report's index. Sentences most reports share (现将……报告如下) are template
    wording, not copying, and are left out once there are enough reports to tell."""
    postings: dict[int, list[int]] = {}
    for i, r in enumerate(reviews):
        for key in key_array(r):
            postings.setdefault(key, []).append(i)
    common = len(reviews) // 2 if len(reviews) >= 6 else len(reviews)
    out = {}
    for i, r in enumerate(reviews):
        keys = key_array(r)
        if not keys:
            continue
        shared: Counter[int] = Counter()
        for key in keys:
            holders = postings[key]
            if 1 < len(holders) <= common:
                shared.update(j for j in holders if j != i)
        if shared:
            j, count = max(shared.items(), key=lambda kv: (kv[1], -kv[0]))
            out[i] = (count / len(keys), j)
    return out


def timestamp() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M")


def refuse_unwritable_output(path, where: str, suffix: str, wrong_suffix: str, open_in: str) -> None:
    """Refuse before any work when a batch output (the workbook, the 通报 draft) could not be written
    afterwards: `where` opens each message, `wrong_suffix` says what the file must be, `open_in` names
    the programs that may hold it open."""
    if path.suffix.lower() != suffix:
        raise BatchError(where + wrong_suffix)
    if path.is_dir():
        raise BatchError(where + "这是一个文件夹，不是文件。")
    if not path.parent.is_dir():
        raise BatchError(where + f"文件夹“{path.parent}”不存在。")
    lock = next((lock for lock in lock_files(path) if lock.exists()), None)
    if lock is not None:
        raise BatchError(where + f"该文件正在{open_in}中打开（发现锁定文件“{lock.name}”），请先关闭它。")
    # mode bits as well as access(): root may write anything, but a read-only file is a choice
    if path.exists() and (not path.stat().st_mode & 0o222 or not os.access(path, os.W_OK)):
        raise BatchError(where + "该文件是只读的，请另选一个文件名。")
    if not os.access(path.parent, os.W_OK):
        raise BatchError(where + f"没有在文件夹“{path.parent}”中写入文件的权限。")
