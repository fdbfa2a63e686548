"""Bad input, through the command line and through the window.

The corpus is generated here, in a folder whose path has spaces and Chinese characters: empty and
blank files, a 20 MB text, binary data, invalid UTF-8, GBK, UTF-16 with and without BOM, NUL
bytes, one 1 MB line, emoji and CJK extension characters, corrupt / empty / encrypted / oversized
.docx, a corrupt ledger .xlsx, a read-only folder. Every file gives either a correct result or a
clear Chinese message naming it; nothing crashes, nothing runs past a time bound, and no file that
was there before is changed.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from helpers import CLEAN, ROOT, SEEDS, read_fixture
from PySide6.QtWidgets import QMessageBox

from core.check.engine import check, line_column
from core.files.drafts import AutosaveStore
from core.files.settings import Settings
from core.files.textio import MAX_DOCX_BYTES

BOUND_SECONDS = 120  # no single command or window action may take longer than this
SEED = read_fixture(SEEDS[0])
REPORT = read_fixture(next(p for p in CLEAN if p.name == "zhuti_2024_annual.txt"))
EMOJI = REPORT.replace("市审计局", "市审计局😀", 1).replace("召开党组会26次", "𠀀𪚥召开党组会*次", 1)

# name -> what it must give: "result" (checked like the same text in UTF-8), "message", or "either"
EXPECT = {
    "空文件.txt": "message",
    "只有空白.txt": "message",
    "二十兆 大文件.txt": "message",
    "二进制数据.txt": "message",
    "无效UTF-8.txt": "result",  # a few broken bytes: read, and each shown as 乱码
    "GBK编码.txt": "result",
    "UTF-16带BOM.txt": "result",
    "UTF-16无BOM.txt": "result",
    "夹杂NUL.txt": "either",
    "一兆单行.txt": "result",
    "表情与生僻字.txt": "result",
    "损坏.docx": "message",
    "空的.docx": "message",
    "加密.docx": "message",
    "超大.docx": "message",
    "只是zip.docx": "message",
}
SAME_TEXT = {"GBK编码.txt": SEED, "UTF-16带BOM.txt": SEED, "UTF-16无BOM.txt": SEED, "表情与生僻字.txt": EMOJI}


def _docx_bytes(text: str) -> bytes:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bad") / "坏 输入 语料（测试用）"
    root.mkdir()
    rng = random.Random(7)
    files = {
        "空文件.txt": b"",
        "只有空白.txt": " \n\t\u3000\r\n  \u3000\n".encode("utf-8"),
        "二进制数据.txt": rng.randbytes(64 * 1024),
        "无效UTF-8.txt": SEED.encode("utf-8")[:600] + b"\xff\xfe\xfd\xc3\x28" + SEED.encode("utf-8")[600:],
        "GBK编码.txt": SEED.encode("gbk"),
        "UTF-16带BOM.txt": SEED.encode("utf-16"),
        "UTF-16无BOM.txt": SEED.encode("utf-16-le"),
        "夹杂NUL.txt": SEED.encode("utf-8")[:300] + b"\x00\x00" + SEED.encode("utf-8")[300:] + b"\x00",
        "一兆单行.txt": ("召开党组会12次，研究议题3项，开展谈心谈话**人次，" * 30000).encode("utf-8")[:1024 * 1024 - 2],
        "表情与生僻字.txt": EMOJI.encode("utf-8"),
        "空的.docx": b"",
        "加密.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(4096),
        "只是zip.docx": _zip_without_document(),
    }
    good_docx = _docx_bytes(REPORT)
    files["损坏.docx"] = good_docx[: len(good_docx) // 2]
    for name, data in files.items():
        (root / name).write_bytes(data)
    # 20 MB of plausible text, and a .docx past the size limit (sparse: costs no disk)
    line = ("开展谈心谈话，召开党组会，落实主体责任。" * 20 + "\n").encode("utf-8")
    with open(root / "二十兆 大文件.txt", "wb") as fh:
        for _ in range(20 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    with open(root / "超大.docx", "wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(MAX_DOCX_BYTES + 1024 * 1024)
    (root / "损坏台账.xlsx").write_bytes(b"PK\x03\x04" + rng.randbytes(2000))
    (root / "正常 报告.txt").write_text(REPORT, encoding="utf-8")
    assert set(EXPECT) <= {p.name for p in root.iterdir()}
    return root


def _zip_without_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "not a Word document")
    return out.getvalue()


def _snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h = hashlib.sha256()
            with open(p, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
            out[str(p.relative_to(folder))] = (p.stat().st_mtime_ns, h.hexdigest())
    return out


def _cli(*args, timeout=BOUND_SECONDS, env=None):
    started = time.monotonic()
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout,
                          env={**os.environ, **(env or {}), "PYTHONIOENCODING": "utf-8"})
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    return proc, time.monotonic() - started


# --- command line ------------------------------------------------------------------------------

def test_check_every_file_on_the_command_line(corpus):
    before = _snapshot(corpus)
    names = sorted(EXPECT)
    proc, seconds = _cli("check", "--json", *[corpus / n for n in names])
    assert proc.returncode == 2  # some files could not be read; the others were still checked
    objects = {Path(o["file"]).name: o for o in map(json.loads, proc.stdout.splitlines())}
    assert set(objects) == set(names)
    for name in names:
        got = objects[name]
        if EXPECT[name] == "message":
            assert "error" in got, name
        if EXPECT[name] == "result":
            assert "findings" in got, (name, got.get("error"))
        if "error" in got:
            # the same reason on stderr, in Chinese, naming the file
            line = next(ln for ln in proc.stderr.splitlines() if name in ln)
            assert line.startswith("无法读取“") and got["error"] in line
        if name in SAME_TEXT:
            expected = check(SAME_TEXT[name])
            assert [(f["rule"], f["start"]) for f in got["findings"]] == [
                (f.rule, f.start) for f in expected.findings], name
    broken = [f for f in objects["无效UTF-8.txt"]["findings"] if "乱码" in f["message"]]
    assert len(broken) == 2 and broken[0]["line"] > 1  # \xff\xfe\xfd together, then \xc3
    assert _snapshot(corpus) == before


def test_emoji_and_rare_characters_keep_offsets_right(corpus):
    proc, _ = _cli("check", "--json", corpus / "表情与生僻字.txt")
    result = json.loads(proc.stdout)
    blank = next(f for f in result["findings"] if f["rule"] == "placeholder")
    assert EMOJI[blank["start"]:blank["end"]] == "*"
    assert (blank["line"], blank["column"]) == line_column(EMOJI, blank["start"])
    assert "𠀀𪚥召开党组会*次" in blank["excerpt"]


def test_stats_export_compare_and_ledger_with_bad_files(corpus, tmp_path):
    before = _snapshot(corpus)
    out = tmp_path / "输出 文件夹"
    out.mkdir()
    proc, _ = _cli("stats", "--json", corpus / "一兆单行.txt", corpus / "二进制数据.txt")
    assert proc.returncode == 2 and "二进制数据.txt" in proc.stderr
    stats = json.loads(proc.stdout.splitlines()[0])["stats"]
    assert stats and all(len(s["sentence"]) <= 302 for s in stats)  # a 1 MB "sentence" is clipped

    proc, _ = _cli("export", corpus / "加密.docx", "--docx", out / "x.docx")
    assert proc.returncode == 2 and "加密" in proc.stderr and not (out / "x.docx").exists()
    proc, _ = _cli("export", corpus / "表情与生僻字.txt", "--docx", out / "表情.docx", "--force")
    assert proc.returncode == 0 and (out / "表情.docx").stat().st_size > 0

    proc, _ = _cli("compare", corpus / "损坏.docx", corpus / "正常 报告.txt")
    assert proc.returncode == 2 and "损坏.docx" in proc.stderr

    ledger = corpus / "损坏台账.xlsx"
    proc, _ = _cli("ledger", corpus / "正常 报告.txt", "--out", ledger)
    assert proc.returncode == 2 and "损坏台账.xlsx" in proc.stderr and "损坏" in proc.stderr
    assert _snapshot(corpus) == before


def test_batch_over_the_corpus_lists_every_file(corpus, tmp_path):
    import openpyxl

    before = _snapshot(corpus)
    out = tmp_path / "审查 结果.xlsx"
    proc, seconds = _cli("batch", corpus, "--out", out, "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    sheet = openpyxl.load_workbook(out)["总览"]
    header = [c.value for c in sheet[2]]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    files = {r[1]: dict(zip(header, r)) for r in rows}
    reports = {n for n in EXPECT} | {"正常 报告.txt"}
    assert set(files) == reports  # the .xlsx is not a report
    for name, how in EXPECT.items():
        reason = files[name]["说明"] or ""
        if how == "message":
            assert reason.startswith("无法读取："), name
        if how == "result":
            assert not reason.startswith("无法读取"), name
    assert _snapshot(corpus) == before


# --- read-only folder ------------------------------------------------------------------------

@contextlib.contextmanager
def read_only(folder: Path):
    """Make `folder` refuse new files, also for root (chattr +i); skip when neither works."""
    folder.chmod(0o555)
    immutable = False
    try:
        if os.access(folder, os.W_OK):  # root ignores mode bits
            done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True) if _has("chattr") else None
            immutable = done is not None and done.returncode == 0
        try:
            (folder / ".probe").touch()
        except OSError:
            pass
        else:
            (folder / ".probe").unlink()
            pytest.skip("cannot make a folder read-only here")
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        folder.chmod(0o755)


def _has(program: str) -> bool:
    from shutil import which

    return which(program) is not None


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX folder permissions")
def test_read_only_folder_through_the_command_line(tmp_path):
    folder = tmp_path / "只读 文件夹"
    folder.mkdir()
    (folder / "报告.txt").write_text(REPORT, encoding="utf-8")
    with read_only(folder):
        before = _snapshot(folder)
        proc, _ = _cli("check", folder / "报告.txt")
        assert proc.returncode == 0  # reading is fine
        proc, _ = _cli("export", folder / "报告.txt", "--docx", folder / "报告.docx")
        assert proc.returncode == 2 and ("只读" in proc.stderr or "权限" in proc.stderr)
        proc, _ = _cli("ledger", folder / "报告.txt", "--out", folder / "台账.xlsx")
        assert proc.returncode == 2 and ("权限" in proc.stderr or "只读" in proc.stderr)
        proc, _ = _cli("batch", folder, "--out", folder / "审查.xlsx", "--workers", "1")
        assert proc.returncode == 2 and "审查.xlsx" in proc.stderr
        assert _snapshot(folder) == before


# --- the window --------------------------------------------------------------------------------

@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    from ui.main_window import MainWindow
    from ui.worker import BackgroundRunner

    runner = BackgroundRunner()
    runner.synchronous = True
    w = MainWindow(settings=Settings(), runner=runner, autosave=AutosaveStore(tmp_path / "autosave"))
    qtbot.addWidget(w, before_close_func=lambda win: win.editor.document().setModified(False))
    w.messages = []
    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda *a, **k: w.messages.append(a[2]))
    w.show()
    return w


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_open_every_file_in_the_window(window, corpus, name):
    before = _snapshot(corpus)
    started = time.monotonic()
    opened = window.open_file(corpus / name)
    assert time.monotonic() - started < BOUND_SECONDS
    if EXPECT[name] == "message":
        assert not opened
    if EXPECT[name] == "result":
        assert opened
    if opened:
        assert window.result is not None and window.checked_revision == window.revision
        if name in SAME_TEXT:
            assert window.editor.toPlainText() == SAME_TEXT[name]
            assert [f.start for f in window.result.findings] == [f.start for f in check(SAME_TEXT[name]).findings]
    else:
        assert window.messages and name in window.messages[-1] and "无法读取" in window.messages[-1]
        assert window.editor.toPlainText() == ""  # nothing half-loaded
    assert _snapshot(corpus) == before


def test_window_selects_the_right_place_after_emoji(window, corpus):
    assert window.open_file(corpus / "表情与生僻字.txt")
    blank = next(f for f in window.result.findings if f.rule == "placeholder")
    window.editor.select_span(blank.start, blank.end)
    assert window.editor.textCursor().selectedText() == "*"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX folder permissions")
def test_window_saving_into_a_read_only_folder_keeps_the_text(window, tmp_path):
    folder = tmp_path / "只读 文件夹"
    folder.mkdir()
    (folder / "报告.txt").write_text(REPORT, encoding="utf-8")
    assert window.open_file(folder / "报告.txt")
    window.editor.appendPlainText("新写的一段。")
    with read_only(folder):
        before = _snapshot(folder)
        assert window.save() is False
        assert "报告.txt" in window.messages[-1] and "权限" in window.messages[-1]
        assert window.editor.toPlainText().endswith("新写的一段。")
        assert [d.text for d in window.autosave.pending()][0].endswith("新写的一段。")
        assert _snapshot(folder) == before


def test_window_ledger_export_to_a_corrupt_workbook_leaves_it_alone(window, corpus, monkeypatch):
    from PySide6.QtWidgets import QDialog, QFileDialog

    ledger = corpus / "损坏台账.xlsx"
    before = _snapshot(corpus)
    assert window.open_file(corpus / "正常 报告.txt")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(ledger), ""))
    seen = []

    def confirm(dialog):  # the dialog already says the workbook cannot be read
        seen.append(dialog.target_note.text())
        dialog.unit.setText("市审计局")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr("ui.ledger_export.LedgerExportDialog.exec", confirm)
    window.export_ledger()
    assert "损坏" in seen[0]
    assert "损坏台账.xlsx" in window.messages[-1] and "损坏" in window.messages[-1]
    assert _snapshot(corpus) == before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX folder permissions")
def test_window_docx_export_into_a_read_only_folder(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    folder = tmp_path / "只读 导出"
    folder.mkdir()
    window.set_text(REPORT, None)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(folder / "报告.docx"), ""))
    monkeypatch.setattr("ui.main_window.SignatureDialog.exec", lambda self: 1)  # 落款 as prefilled
    with read_only(folder):
        window.export_docx()
        assert "报告.docx" in window.messages[-1]
        assert list(folder.iterdir()) == []
