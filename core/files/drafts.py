"""Saving reports and autosaving unsaved work, so that no keystroke is ever lost.

Reports are saved with `save_text` of core/files/atomic.py (imported here too, where callers have
long found it): never half a file, whatever happens during the write.

`AutosaveStore` keeps one JSON file per editing session in the per-user data folder; after a crash
the next start lists them with `pending()` and offers to restore them. A damaged draft (a disk
error, a file cut short) is never dropped without a word: what can be read of it is offered with
a note of what could not, and a file with no readable text is moved to autosave/damaged/ and
named in `unreadable`, for the window to say so.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

# save_text, save_with, SaveError and replace_with_retry are imported from here by older callers.
from core.files.atomic import (  # noqa: F401
    BACKUP_SUFFIX,
    TMP_SUFFIX,
    SaveError,
    os_error_reason,
    replace_with_retry,
    save_bytes,
    save_text,
    save_with,
)
from core.resources import user_data_dir

_DRAFT_FORMAT = 1
_DRAFT_ID = re.compile(r"[A-Za-z0-9_-]{1,80}")
_STALE_TMP_SECONDS = 3600  # an autosave temp this old belongs to a process that died mid-write


# --- autosave ------------------------------------------------------------------------------


@dataclass
class Draft:
    draft_id: str
    text: str
    source_path: str | None  # the file the draft belongs to; None for a new, never-saved report
    saved_at: datetime  # timezone-aware local time
    report_type: str | None = None
    previous_path: str | None = None  # last period's report it was being compared with
    problem: str | None = None  # what of a damaged draft could not be read (None: it is whole)


def new_draft_id() -> str:
    """Unique per editing session: time for sorting by eye, pid and randomness against collisions."""
    return f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{secrets.token_hex(4)}"


class AutosaveStore:
    """One JSON file per draft: text and metadata in one atomic write, so they never disagree."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder is not None else user_data_dir() / "autosave"
        # (file name, why) of draft files the last pending() found unreadable and set aside
        self.unreadable: list[tuple[str, str]] = []

    def _ensure_folder(self) -> None:
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if sys.platform != "win32":
                # unsaved reports can be confidential; mkdir's mode is masked by umask, chmod is not
                os.chmod(self.folder, 0o700)
        except OSError as exc:
            raise SaveError(self.folder, os_error_reason(exc)) from None

    def path_of(self, draft_id: str) -> Path:
        if not _DRAFT_ID.fullmatch(draft_id or ""):
            raise ValueError(f"草稿编号“{draft_id}”无效：只能包含字母、数字、“-”和“_”。")
        return self.folder / f"{draft_id}.json"

    def save(self, draft_id: str, text: str, *, source_path: str | None,
             report_type: str | None = None, previous_path: str | None = None) -> Path:
        """Write the draft (mode 0o600) atomically; raises SaveError when it cannot be written."""
        path = self.path_of(draft_id)
        self._ensure_folder()
        record = {
            "format": _DRAFT_FORMAT,
            "draft_id": draft_id,
            "source_path": None if source_path is None else str(source_path),
            "report_type": report_type,
            "previous_path": None if previous_path is None else str(previous_path),
            "saved_at": datetime.now().astimezone().isoformat(),
            "chars": len(text),
            "pid": os.getpid(),
            "text": text,
        }
        try:
            data = json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")
        except UnicodeEncodeError:
            raise SaveError(path, "文字中含有无法保存的字符（可能是从别处粘贴的乱码）。") from None
        save_bytes(path, data, mode=0o600)
        return path

    def pending(self) -> list[Draft]:
        """Drafts left behind, newest first; a damaged one with what could be read of it (its
        `problem` says what could not). Files with no readable text are moved to damaged/ and
        listed in self.unreadable. Never raises."""
        self.unreadable = []
        try:
            files = [p for p in self.folder.iterdir() if p.suffix == ".json" and p.is_file()]
        except OSError:
            return []
        self._remove_stale_temps()
        drafts = []
        for p in files:
            draft = _load_draft(p)
            if draft is None:
                draft = _salvage(p)
            if draft is not None:
                drafts.append(draft)
            else:
                self._set_aside(p)
        drafts.sort(key=lambda d: d.saved_at, reverse=True)
        return drafts

    def _set_aside(self, path: Path) -> None:
        """Keep an unreadable draft file where it is not offered again (someone may still get
        something out of it), and note it for the user."""
        try:
            size = path.stat().st_size
            reason = "文件是空的" if size == 0 else f"{size}字节，读不出文字"
            damaged = self.folder / "damaged"
            damaged.mkdir(mode=0o700, exist_ok=True)
            os.replace(path, damaged / path.name)
        except OSError:
            return  # offered again next time, which loses nothing
        self.unreadable.append((path.name, reason))

    def discard(self, draft_id: str) -> None:
        """Forget a draft (after the user saved or declined it). Never raises: a draft that cannot
        be removed is simply offered again next time, which loses nothing."""
        try:
            self.path_of(draft_id).unlink()
        except (OSError, ValueError):
            pass

    def _remove_stale_temps(self) -> None:
        # Temps of a process killed mid-write; recent ones may belong to a running instance.
        cutoff = time.time() - _STALE_TMP_SECONDS
        try:
            for p in self.folder.glob(f".*{TMP_SUFFIX}"):
                try:
                    if p.stat().st_mtime < cutoff:
                        p.unlink()
                except OSError:
                    pass
        except OSError:
            pass


def _load_draft(path: Path) -> Draft | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        text = record["text"]
        draft_id = record["draft_id"]
        saved_at = datetime.fromisoformat(record["saved_at"])
        source = record.get("source_path")
        report_type = record.get("report_type")
        previous = record.get("previous_path")
        if not isinstance(previous, str):
            previous = None  # drafts written before it was recorded, or a damaged value
        if not isinstance(text, str) or not isinstance(draft_id, str) or path.stem != draft_id:
            return None
        if source is not None and not isinstance(source, str):
            return None
        if report_type is not None and not isinstance(report_type, str):
            return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # ValueError covers bad JSON, bad UTF-8 and a bad timestamp
    if saved_at.tzinfo is None:
        saved_at = saved_at.astimezone()  # naive → local, so sorting never mixes naive and aware
    return Draft(draft_id, text, source, saved_at, report_type, previous)


_STRING = r'"((?:[^"\\]|\\.)*)"'


def _salvage(path: Path) -> Draft | None:
    """What can be read of a damaged draft: the text up to where the file breaks off (the text is
    written last, so a file cut short keeps its metadata and most of its text), the metadata that
    is intact. None when no text can be read at all."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    data = raw.decode("utf-8", errors="replace").rstrip("\ufffd")  # a character cut in two at the end
    start = re.search(r'"text":\s*"', data)
    if start is None:
        return None
    body = re.match(r'(?:[^"\\]|\\.)*', data[start.end():]).group()
    whole = data[start.end() + len(body):start.end() + len(body) + 1] == '"'
    body = re.sub(r'\\(?:u[0-9a-fA-F]{0,3})?$', "", body)  # an escape cut off at the end
    try:
        text = json.loads(f'"{body}"')
    except ValueError:
        return None
    if not text.strip():
        return None

    def field(name: str) -> str | None:
        found = re.search(rf'"{name}":\s*{_STRING}', data[:start.start()])
        try:
            return json.loads(f'"{found.group(1)}"') if found else None
        except ValueError:
            return None

    chars = re.search(r'"chars":\s*(\d+)', data[:start.start()])
    expected = int(chars.group(1)) if chars else None
    if expected is not None and len(text) < expected:
        problem = f"草稿文件不完整：原有{expected}个字符，读出{len(text)}个，末尾约{expected - len(text)}个字符没能读出"
    elif not whole:
        problem = "草稿文件不完整：末尾的一些文字可能没能读出"
    else:
        problem = "草稿文件有损坏：文字已读出，保存时间等信息可能不准"
    try:
        saved_at = datetime.fromisoformat(field("saved_at") or "")
    except ValueError:
        saved_at = datetime.fromtimestamp(path.stat().st_mtime)
    if saved_at.tzinfo is None:
        saved_at = saved_at.astimezone()
    report_type = field("report_type")
    # the file's own name is its id: discarding it after a restore removes this very file
    return Draft(path.stem if _DRAFT_ID.fullmatch(path.stem) else "damaged", text, field("source_path"),
                 saved_at, report_type if report_type and report_type.isalpha() else None,
                 field("previous_path"), problem)
