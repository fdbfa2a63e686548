"""Reading a ledger file: whether it may be written (lock files, permissions), whether the package is
sound, loading it, and the Chinese reason for an OS error."""
from __future__ import annotations

import io
import os
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_dependents
from openpyxl.reader.excel import _find_workbook_part
from openpyxl.xml.functions import fromstring

from core.files.atomic import SaveError, lock_files, save_with
from core.office.ledger.fast_load import fast_inline_strings
from core.office.ledger.lock import is_our_lock, lock_path
from core.office.ledger.schema import LedgerError, os_reason, quoted  # noqa: F401 - os_reason, quoted: callers import them from here


def lock_file(path: Path) -> Path | None:
    """The lock file next to a workbook that is open in an office program, if there is one
    (``~$台账.xlsx`` from Excel and WPS, ``.~lock.台账.xlsx#`` from LibreOffice; core.files.atomic).
    The lock of a ledger export (core.office.ledger.lock, the same ``~$`` name) is not one."""
    ours = lock_path(path)
    return next((lock for lock in lock_files(path)
                 if lock.exists() and not (lock == ours and is_our_lock(lock))), None)


def office_lock_error(path: Path, lock: Path) -> LedgerError:
    return LedgerError(
        f"无法写入台账{quoted(path)}：该文件正在Excel、WPS或LibreOffice中打开（发现锁定文件{quoted(lock)}），"
        f"请先关闭它再导出；如果确实已经关闭，请删除这个锁定文件后重试。", path)


def refuse_if_office_open(path: Path) -> None:
    lock = lock_file(path)
    if lock is not None:
        raise office_lock_error(path, lock)


def save_workbook(wb, path: Path, held=None, write=None) -> None:
    """Write the workbook through the one atomic writer; if the file was opened in Excel while the
    ledger was being built, keep the old file and say so. ``held``: the ledger's lock, which must
    still be ours at the swap; ``write(binary_file)`` writes the file (default: ``wb.save``)."""
    def still_closed() -> None:
        if lock_file(path) is not None or (held is not None and not held.still_ours()):
            raise LedgerError(f"无法写入台账{quoted(path)}：该文件刚刚在Excel、WPS或LibreOffice中被打开，请关闭后重试。", path)

    try:
        save_with(path, write or wb.save, before_replace=still_closed)
    except SaveError as exc:
        unchanged = "，原文件未改动" if exc.existed else ""  # nothing to leave unchanged when there was no file
        raise LedgerError(f"无法写入台账{quoted(path)}：{exc.reason.rstrip('。')}{unchanged}。", path) from None


def check_writable(path: Path) -> None:
    folder = path.parent
    if path.is_dir():
        raise LedgerError(f"无法写入台账{quoted(path)}：这是一个文件夹，不是Excel文件。", path)
    if path.suffix.lower() != ".xlsx":
        raise LedgerError(f"无法写入台账{quoted(path)}：台账只能保存为 .xlsx 格式的Excel工作簿。", path)
    if not folder.is_dir():
        raise LedgerError(f"无法写入台账{quoted(path)}：所在文件夹{quoted(folder)}不存在。", path)
    refuse_if_office_open(path)
    if path.exists() and not os.access(path, os.W_OK):
        raise LedgerError(f"无法写入台账{quoted(path)}：该文件是只读的，请取消只读属性或另选一个文件。", path)
    if not os.access(folder, os.W_OK):
        raise LedgerError(f"无法写入台账{quoted(path)}：没有在文件夹{quoted(folder)}中写入文件的权限。", path)


def _verify(archive: zipfile.ZipFile, tails: dict[str, bytes] | None) -> str | None:
    """Read every part once, as ``testzip`` does (zipfile checks each CRC on reading); the first
    damaged part's name, or None. ``tails`` gets what follows the cells of each worksheet (the
    parts openpyxl might drop are there: core.office.ledger.package looks there, without reading
    a big sheet a second time)."""
    for info in archive.infolist():
        name = info.filename
        try:
            with archive.open(info) as part:
                if tails is not None and name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = part.read()
                    at = xml.rfind(b"</sheetData>")
                    tails[name] = xml[at:] if at >= 0 else xml
                else:
                    while part.read(1 << 20):
                        pass
        except zipfile.BadZipFile:
            return name
    return None


def check_package(path: Path, data: bytes, tails: dict[str, bytes] | None = None) -> None:
    """Refuse what openpyxl would misread or silently drop: not a zip, bad CRC, missing sheets."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise LedgerError(f"无法读取台账{quoted(path)}：这是加密的或旧版（.xls）的Excel文件，"
                          f"请在Excel中去掉密码或另存为 .xlsx 后再导出。", path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            bad = _verify(archive, tails)
            if bad is not None:
                raise LedgerError(f"无法读取台账{quoted(path)}：文件已损坏（其中的{bad}校验失败）。", path)
            if "[Content_Types].xml" not in names:
                raise LedgerError(f"无法读取台账{quoted(path)}：工作簿缺少必要的组成部分"
                                  f"（[Content_Types].xml），文件可能已损坏。", path)
            manifest = Manifest.from_tree(fromstring(archive.read("[Content_Types].xml")))
            part = _find_workbook_part(manifest)
            workbook = part.PartName[1:]
            if workbook not in names:
                raise LedgerError(f"无法读取台账{quoted(path)}：工作簿缺少必要的组成部分（{workbook}），"
                                  f"文件可能已损坏。", path)
            folder, _, name = workbook.rpartition("/")
            rels_path = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
            if rels_path in names:
                for rel in get_dependents(archive, rels_path):
                    if rel.TargetMode == "External":
                        continue
                    if rel.Type.endswith(("/worksheet", "/chartsheet", "/styles")) and rel.target not in names:
                        raise LedgerError(f"无法读取台账{quoted(path)}：工作簿缺少必要的组成部分"
                                          f"（{rel.target}），文件可能已损坏。", path)
    except LedgerError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise LedgerError(f"无法读取台账{quoted(path)}：它不是有效的Excel工作簿（.xlsx），"
                          f"可能已损坏，或者只是把别的文件改成了 .xlsx 扩展名。", path) from None
    except Exception as exc:  # noqa: BLE001 - anything else in the package is damage too
        raise LedgerError(f"无法读取台账{quoted(path)}：工作簿的结构无法识别，文件可能已损坏"
                          f"（{type(exc).__name__}）。", path) from None


@dataclass(frozen=True)
class Original:
    """The file a ledger was read from: its bytes, and each worksheet's XML after its cells."""

    data: bytes
    tails: dict[str, bytes]


def load_ledger(path: Path):
    """(workbook, the Original it was read from); (None, an empty Original) for an empty file."""
    try:
        data = path.read_bytes()
    except PermissionError:
        raise LedgerError(f"无法读取台账{quoted(path)}：没有读取这个文件的权限，"
                          f"或者它正被其他程序独占打开。", path) from None
    except OSError as exc:
        raise LedgerError(f"无法读取台账{quoted(path)}：{os_reason(exc)}。", path) from None
    if not data:  # an empty file holds nothing to lose: start a new ledger in it
        return None, Original(b"", {})
    tails: dict[str, bytes] = {}
    check_package(path, data, tails)
    try:
        with fast_inline_strings(), warnings.catch_warnings():
            # "extension is not supported and will be removed": core.office.ledger.package keeps them
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            return openpyxl.load_workbook(io.BytesIO(data), rich_text=True, keep_links=True), Original(data, tails)
    except KeyError as exc:
        raise LedgerError(f"无法读取台账{quoted(path)}：工作簿缺少必要的组成部分（{exc.args[0] if exc.args else ''}），"
                          f"文件可能已损坏。", path) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise LedgerError(f"无法读取台账{quoted(path)}：文件内容已损坏或不是Excel工作簿，无法打开"
                          f"（{type(exc).__name__}）。", path) from None
