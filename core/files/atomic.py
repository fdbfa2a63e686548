"""Writing a file so that a crash, a power cut or a full disk leaves either the old or the new file,
never half of one: a temporary file beside the target, fsync, `os.replace` (atomic on one
filesystem, POSIX and NTFS), then the folder fsynced. Also the check that Word/WPS has the target open
(its ~$name owner file), and every failure as a `SaveError` in one Chinese sentence.

The temporary file has a short name of its own (`.report-assistant-<12 hex>.tmp`, 35 bytes), so any
name the filesystem allows can be saved; one left behind by a writer that was killed is removed by a
later save into the same folder once it is stale (see `remove_stale_temps`).
"""
from __future__ import annotations

import errno
import io
import os
import re
import secrets
import shutil
import stat
import sys
import time
from pathlib import Path

try:
    import fcntl  # POSIX advisory locks: a live writer's temp file is locked while it is filled
except ImportError:  # Windows
    fcntl = None

BACKUP_SUFFIX = ".bak"
BACKUP_MODE = 0o600
TMP_SUFFIX = ".tmp"
TMP_PREFIX = ".report-assistant-"
# Only names of this exact shape are ever removed as leftovers; the older shape (.<name>.<8 hex>.tmp,
# before 2026-12) only for the kinds of file this program writes.
_OUR_TEMP = re.compile(r"\.report-assistant-[0-9a-f]{12}\.tmp")
_OLD_TEMP = re.compile(r"\..+\.(?:docx|xlsx|txt|json|toml|bak)\.[0-9a-f]{8}\.tmp", re.IGNORECASE)
STALE_TEMP_SECONDS = 3600  # a temp untouched this long belongs to a writer that died (a save takes seconds)
_SWEEP_EVERY = 600  # look at one folder's leftovers at most this often
_last_sweep: dict[str, float] = {}
NAME_MAX = 255  # bytes (ext4, most POSIX filesystems) and UTF-16 units (NTFS, FAT32 long names)


class SaveError(Exception):
    """A file could not be written; str() is one Chinese sentence naming the file and the reason.

    `SaveError(path, reason)` builds the sentence; `SaveError(message)` takes a finished one
    (callers and tests that already have the whole sentence).

    `existed` says whether the target was there before the write (a failed write leaves it as it
    was); None when not known. Callers add “原文件未改动” only when it is True.
    """

    def __init__(self, path: str | os.PathLike, reason: str | None = None, *, existed: bool | None = None):
        self.existed = existed
        if reason is None:
            self.path = None
            self.reason = str(path)
            super().__init__(str(path))
            return
        self.path = str(path)
        self.reason = reason
        super().__init__(f"无法保存“{self.path}”：{reason}")


def save_text(path: str | os.PathLike, text: str, *, backup: bool = True) -> Path | None:
    """Write `text` as UTF-8 (no BOM, line endings exactly as given) atomically.

    With `backup`, an existing target's previous content is kept as `<name>.bak` (an older .bak is
    replaced). Returns the backup's path, or None when no backup was made. Raises SaveError on any
    failure; the target is then byte-for-byte unchanged and no temporary file is left behind.
    """
    target = Path(path)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        # lone surrogates can arrive through the clipboard; writing them would corrupt the file
        raise SaveError(target, "文字中含有无法保存的字符（可能是从别处粘贴的乱码）。") from None
    return _atomic_write(target, _bytes_writer(data), backup=backup, mode=None)


def save_with(path: str | os.PathLike, write, *, backup: bool = False, before_replace=None) -> Path | None:
    """Atomically save whatever `write(binary_file)` produces (a workbook's `save`, say), with the
    same guarantees and errors as `save_text`. `before_replace()` runs when the new file is complete,
    just before it replaces the old one: a last check that may raise to keep the old file (say, the
    target was opened in Excel while the workbook was being written)."""
    def fill(fd: int) -> None:
        out = _Output(fd)
        try:
            write(out)
            out.flush()
        finally:
            out.finish()

    return _atomic_write(Path(path), fill, backup=backup, mode=None, before_replace=before_replace)


def save_bytes(path: str | os.PathLike, data: bytes, *, backup: bool = False,
               mode: int | None = None) -> Path | None:
    """Atomically save `data`; `mode` forces the new file's permission bits (0o600 for private
    files). Same guarantees and errors as `save_text`."""
    return _atomic_write(Path(path), _bytes_writer(data), backup=backup, mode=mode)


def _bytes_writer(data: bytes):
    def fill(out: int) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(out, view):]
    return fill


def _atomic_write(target: Path, fill, *, backup: bool, mode: int | None, before_replace=None) -> Path | None:
    """The one write path: temp file, fsync, optional backup, os.replace. `fill(fd)` writes the
    content; `mode` forces the new file's permission bits."""
    # Write through a symbolic link rather than replacing the link with a plain file.
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    folder = target.parent
    if target.is_dir():
        raise SaveError(target, "这是一个文件夹，不是文件。")
    if not folder.is_dir():
        raise SaveError(target, f"文件夹“{folder}”不存在。")

    old = _stat_or_none(target)
    if old is not None and not _writable(target, old):
        # POSIX would let os.replace overwrite a read-only file; respect the user's intent instead
        raise SaveError(target, "文件是只读的。请取消只读属性，或用“另存为”保存到别处。", existed=True)
    if mode is None:
        mode = stat.S_IMODE(old.st_mode) if old is not None else None
    _sweep(folder)  # before writing: on a full disk the leftovers' space may be what this save needs

    tmp = None
    bak_tmp = None
    try:
        tmp_path, fd = _new_temp(folder, mode)
        tmp = _finish_temp(tmp_path, fd, fill)
        backup_path = None
        if backup and old is not None:
            backup_path = backup_path_of(target)
            # Copy, not rename: the target must exist and be complete at every instant.
            bak_tmp = _copy_to_temp(target, folder)
            replace_with_retry(bak_tmp, backup_path)
            bak_tmp = None
        if before_replace is not None:
            before_replace()
        replace_with_retry(tmp, target)
        tmp = None
        _fsync_folder(folder)
        return backup_path
    except OSError as exc:
        raise SaveError(target, os_error_reason(exc), existed=old is not None) from None
    finally:
        for leftover in (tmp, bak_tmp):
            if leftover is not None:
                try:
                    os.unlink(leftover)
                except OSError:
                    pass


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SaveError(path, os_error_reason(exc)) from None


def _writable(path: Path, st: os.stat_result) -> bool:
    # Both checks: os.access is always True for root, the mode bits carry the "read-only" flag.
    return bool(st.st_mode & 0o222) and os.access(path, os.W_OK)


def backup_path_of(target: str | os.PathLike) -> Path:
    """Where the previous version of `target` is kept: `<name>.bak`, the name shortened (its
    extension kept) when that would pass the filesystem's limit on a name's length."""
    target = Path(target)
    name = target.name + BACKUP_SUFFIX
    limit = _name_max(target.parent)
    if _name_fits(name, limit):
        return target.with_name(name)
    stem, ext = target.stem, target.suffix + BACKUP_SUFFIX
    while stem and not _name_fits(stem + "…" + ext, limit):
        stem = stem[:-1]
    return target.with_name(stem + "…" + ext)


def _name_max(folder: Path) -> int:
    try:
        return min(NAME_MAX, os.pathconf(folder, "PC_NAME_MAX"))
    except (AttributeError, OSError, ValueError):
        return NAME_MAX


def _name_fits(name: str, limit: int) -> bool:
    encoded = name.encode("utf-8", "surrogateescape")
    return len(encoded) <= limit and len(name.encode("utf-16-le", "surrogatepass")) // 2 <= limit


def _new_temp(folder: Path, mode: int | None) -> tuple[str, int]:
    """Create an exclusive temp file beside the target; a new file gets the umask's default mode.

    The name is short (any target name the filesystem allows has room beside it) and of one shape,
    so a leftover is recognised as ours; while it is being filled it is locked (POSIX), so no
    other process takes it for a leftover."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = str(folder / f"{TMP_PREFIX}{secrets.token_hex(6)}{TMP_SUFFIX}")
        try:
            fd = os.open(tmp, flags, 0o600 if mode is not None else 0o666)
        except FileExistsError:
            continue
        _lock(fd)
        if mode is not None:
            try:
                os.chmod(tmp, mode)
            except OSError:
                _close_and_remove(fd, tmp)
                raise
        return tmp, fd
    raise OSError(errno.EEXIST, "无法创建临时文件")


def _lock(fd: int) -> bool:
    """An exclusive advisory lock on an open file, without waiting; False when another process
    holds one. Where locks are not supported (Windows, some network filesystems) it says True:
    there an open file cannot be deleted anyway (Windows) or only the age protects it."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return True
    return True


def remove_stale_temps(folder: str | os.PathLike, *, now: float | None = None) -> list[Path]:
    """Remove the temporary files a killed writer of this program left in `folder`: only names of
    our own shape, only those untouched for `STALE_TEMP_SECONDS`, and never one another process
    still has locked (a live writer). Returns what was removed; never raises."""
    folder = Path(folder)
    cutoff = (time.time() if now is None else now) - STALE_TEMP_SECONDS
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not name.endswith(TMP_SUFFIX) or not (_OUR_TEMP.fullmatch(name) or _OLD_TEMP.fullmatch(name)):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode) or st.st_mtime >= cutoff:
                continue
            if _remove_unless_locked(entry.path):
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone meanwhile, or no right to remove it: leave it
    return removed


def _remove_unless_locked(path: str) -> bool:
    if sys.platform == "win32":
        # Windows refuses to remove a file a writer has open, which is the protection we need
        # (opening it ourselves first would make the removal fail too).
        os.unlink(path)
        return True
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        if not _lock(fd):
            return False
        os.unlink(path)
        return True
    finally:
        os.close(fd)


def _sweep(folder: Path) -> None:
    """`remove_stale_temps`, at most once per folder every few minutes (a batch writes hundreds
    of files into one folder)."""
    key = os.path.normcase(os.path.abspath(folder))
    now = time.monotonic()
    if now - _last_sweep.get(key, -_SWEEP_EVERY) < _SWEEP_EVERY:
        return
    _last_sweep[key] = now
    remove_stale_temps(folder)


class _Output(io.RawIOBase):
    """The temp file as a writer (`wb.save`, `document.save`) sees it.

    When the save is over, done or failed, it lets go of the file: a zip the writer left half
    written (a full disk) finishes itself when it is collected, and its late writes then go
    nowhere, instead of failing on a closed file with an English traceback ("Exception ignored in
    ZipFile.__del__") after our Chinese message."""

    def __init__(self, fd: int):
        super().__init__()
        self._file: io.BufferedWriter | None = open(fd, "wb", closefd=False)
        self._pos = 0  # where a late writer believes it is, once the file is let go

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self._file is None:
            n = len(memoryview(data))
            self._pos += n
            return n
        return self._file.write(data)

    def tell(self) -> int:
        return self._file.tell() if self._file is not None else self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        if self._file is not None:
            return self._file.seek(offset, whence)
        self._pos = max(0, offset if whence == 0 else self._pos + offset)
        return self._pos

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        pass  # the writer does not own the file: `finish` and the atomic writer close it

    def finish(self) -> None:
        """Let go of the file. Unwritten data is dropped after a failure (the temp is removed)."""
        out, self._file = self._file, None
        if out is None:
            return
        try:
            self._pos = out.tell()
        except (OSError, ValueError):
            pass
        try:
            out.close()
        except (OSError, ValueError):
            pass  # a flush that fails again on a full disk: the first error is the one raised


def _copy_to_temp(source: Path, folder: Path) -> str:
    # A backup is for its owner only, whatever the report's own permissions (a shared folder
    # should not collect readable old drafts).
    tmp, fd = _new_temp(folder, BACKUP_MODE)

    def copy(out: int) -> None:
        with open(out, "wb", closefd=False) as dst, source.open("rb") as src:
            shutil.copyfileobj(src, dst)

    return _finish_temp(tmp, fd, copy)


def _finish_temp(tmp: str, fd: int, fill) -> str:
    """Fill the temp, force it to disk and close it; on any failure remove it and re-raise."""
    try:
        fill(fd)
        # fsync before the rename: otherwise a power cut can leave the new name on an empty file
        os.fsync(fd)
    except BaseException:
        _close_and_remove(fd, tmp)
        raise
    try:
        os.close(fd)  # network drives may report a failed write only here
    except OSError:
        _close_and_remove(-1, tmp)
        raise
    return tmp


def _close_and_remove(fd: int, tmp: str) -> None:
    if fd >= 0:
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        os.unlink(tmp)
    except OSError:
        pass


def replace_with_retry(source, destination) -> None:
    """os.replace; on Windows a virus scanner or the search indexer may hold the file for a moment,
    so a PermissionError there is retried a few times. Shared by every atomic writer in core."""
    attempts = 5 if sys.platform == "win32" else 1
    for attempt in range(attempts):
        try:
            os.replace(source, destination)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows cannot open a folder for this."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def os_error_reason(exc: OSError) -> str:
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return "磁盘空间不足，请清理磁盘或保存到别处。"
    if code == errno.EROFS:
        return "磁盘或文件夹是只读的（如光盘、写保护的U盘）。"
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return "没有写入权限（文件或文件夹可能是只读的，或文件正被 Word、WPS 等其他程序占用）。"
    if code == errno.ENAMETOOLONG:
        return "文件名或路径过长。"
    if code == errno.EINVAL:
        return "文件名中含有不允许的字符。"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，不是文件。"
    if isinstance(exc, FileNotFoundError):
        return "文件夹不存在（可能已被移动或删除，或U盘已拔出）。"
    if code == errno.EFBIG:
        return "文件超过了这个磁盘允许的大小（如FAT32格式的U盘单个文件不能超过4GB），请保存到别处。"
    if code == errno.EIO:
        return "磁盘读写出错（U盘或网络盘可能已断开或损坏），请检查后重试或保存到别处。"
    if code in (getattr(errno, "ESTALE", -1), getattr(errno, "ENOTCONN", -1), errno.ETIMEDOUT,
                getattr(errno, "EHOSTDOWN", -1), getattr(errno, "ENETDOWN", -1)):
        return "网络文件夹连接已断开，请检查网络后重试或保存到别处。"
    if code == errno.EBUSY:
        return "文件正被其他程序占用，请关闭后重试。"
    # the system's own words (English on Linux) only after our sentence, with the code to look up
    return f"写入失败（系统错误 {code}：{exc.strerror or exc}）。" if code else f"写入失败（{exc.strerror or exc}）。"


def lock_files(target: Path) -> list[Path]:
    """The owner files Word/WPS (~$ + name, or ~$ over the first characters of a long name) and
    LibreOffice (.~lock.name#) keep beside a document they have open."""
    name, stem = target.name, target.stem
    names = ["~$" + name, ".~lock." + name + "#"]
    if len(stem) >= 8:
        names.append("~$" + name[2:])
    elif len(stem) == 7:
        names.append("~$" + name[1:])
    return [target.with_name(n) for n in names]


def refuse_if_open(target: str | os.PathLike) -> None:
    """SaveError when an office program has `target` open: replacing it under Word loses the user's
    next save there."""
    target = Path(target)
    if any(lock.exists() for lock in lock_files(target)):
        raise SaveError(target, "文件正在 Word/WPS 等程序中打开，请先关闭该文件后再保存。")
