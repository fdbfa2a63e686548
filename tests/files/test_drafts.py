"""Saving never loses data: atomic writes, backups, failures that leave the file alone, autosave."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from helpers import ROOT

from core.files import drafts
from core.files.drafts import AutosaveStore, Draft, SaveError, new_draft_id, save_text
from core.files.textio import read_report
from core.resources import user_data_dir

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions and signals")

OLD = "区司法局2024年度全面从严治党主体责任落实情况报告\n\n旧版本的正文。\n"
NEW = "区司法局2024年度全面从严治党主体责任落实情况报告\n\n新版本的正文，改过了。\n"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in the folder with a hash of its bytes: equal snapshots = nothing touched."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<dir>"
            for p in sorted(folder.iterdir())}


# --- save_text: the happy path --------------------------------------------------------------


def test_new_file_is_utf8_without_bom_and_no_backup(tmp_path):
    target = tmp_path / "报告.txt"
    assert save_text(target, NEW) is None
    assert target.read_bytes() == NEW.encode("utf-8")
    assert not target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.txt"]  # no temp, no .bak


def test_line_endings_are_written_exactly_as_given(tmp_path):
    target = tmp_path / "a.txt"
    save_text(target, "第一行\r\n第二行\n第三行\r")
    assert target.read_bytes() == "第一行\r\n第二行\n第三行\r".encode()


def test_replacing_keeps_previous_version_as_bak(tmp_path):
    target = tmp_path / "报告.txt"
    save_text(target, OLD)
    bak = save_text(target, NEW)
    assert bak == tmp_path / "报告.txt.bak"
    assert bak.read_text(encoding="utf-8") == OLD
    assert target.read_text(encoding="utf-8") == NEW
    # the next save replaces the old .bak with the version just overwritten
    save_text(target, "第三版。\n")
    assert bak.read_text(encoding="utf-8") == NEW
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.txt", "报告.txt.bak"]


def test_backup_false_makes_no_bak(tmp_path):
    target = tmp_path / "a.txt"
    save_text(target, OLD)
    assert save_text(target, NEW, backup=False) is None
    assert not (tmp_path / "a.txt.bak").exists()
    assert target.read_text(encoding="utf-8") == NEW


def test_gbk_looking_text_round_trips(tmp_path):
    # characters a GBK file would hold, plus ones outside GBK and the BMP, full-width space, mojibake
    text = "锟斤拷烫烫烫　“两个维护”〔2024〕第３号，𠮷野家、镕、堃、赟。\n召开党组会*次，讲党课×次。\n"
    target = tmp_path / "gbk风格.txt"
    save_text(target, text)
    assert target.read_bytes().decode("utf-8") == text
    assert read_report(target) == text


@POSIX
def test_permission_bits_are_kept(tmp_path):
    target = tmp_path / "a.txt"
    save_text(target, OLD)
    for mode in (0o640, 0o600, 0o664):
        os.chmod(target, mode)
        save_text(target, NEW)
        assert stat.S_IMODE(target.stat().st_mode) == mode


@POSIX
def test_new_file_gets_the_umask_default_mode(tmp_path):
    old_umask = os.umask(0o022)
    try:
        save_text(tmp_path / "a.txt", NEW)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644


@POSIX
def test_saving_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.txt"
    save_text(real, OLD)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    save_text(link, NEW)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == NEW


# --- save_text: failures leave the target byte-for-byte unchanged ----------------------------


def _existing(tmp_path) -> Path:
    target = tmp_path / "报告.txt"
    save_text(target, OLD)
    save_text(target, OLD)  # so a .bak exists too: it must survive the failure as well
    return target


def _assert_message(exc: SaveError, path: Path, *words: str):
    message = str(exc)
    assert str(path) in message and message.startswith("无法保存")
    for word in words:
        assert word in message, message


def test_target_is_a_folder(tmp_path):
    folder = tmp_path / "报告.txt"
    folder.mkdir()
    before = snapshot(tmp_path)
    with pytest.raises(SaveError) as info:
        save_text(folder, NEW)
    _assert_message(info.value, folder, "文件夹")
    assert snapshot(tmp_path) == before


def test_missing_parent_folder(tmp_path):
    target = tmp_path / "没有这个文件夹" / "报告.txt"
    with pytest.raises(SaveError) as info:
        save_text(target, NEW)
    _assert_message(info.value, target, "不存在")
    assert list(tmp_path.iterdir()) == []


def test_locked_file_permission_error_on_replace(tmp_path, monkeypatch):
    # Windows refuses os.replace onto a file Word or WPS holds open; tests may run as root,
    # where chmod cannot simulate it, so the refusal is simulated directly.
    target = _existing(tmp_path)
    before = snapshot(tmp_path)

    def locked(src, dst):
        if Path(dst) == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return real_replace(src, dst)

    real_replace = os.replace
    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(SaveError) as info:
        save_text(target, NEW)
    _assert_message(info.value, target, "权限", "占用")
    assert target.read_bytes() == OLD.encode("utf-8")
    assert snapshot(tmp_path) == before  # same files, same bytes: no temp left behind


@pytest.mark.parametrize("failing", ["fsync", "write"])
def test_disk_full(tmp_path, monkeypatch, failing):
    target = _existing(tmp_path)
    before = snapshot(tmp_path)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, failing, full)
    with pytest.raises(SaveError) as info:
        save_text(target, NEW)
    monkeypatch.undo()
    _assert_message(info.value, target, "磁盘空间不足")
    assert snapshot(tmp_path) == before


def test_disk_full_while_making_the_backup(tmp_path, monkeypatch):
    target = _existing(tmp_path)
    before = snapshot(tmp_path)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", full)
    with pytest.raises(SaveError):
        save_text(target, NEW)
    assert snapshot(tmp_path) == before


def test_read_only_file_is_refused(tmp_path):
    # refused by the read-only flag itself, so this holds for root too
    target = _existing(tmp_path)
    os.chmod(target, 0o444)
    try:
        before = snapshot(tmp_path)
        with pytest.raises(SaveError) as info:
            save_text(target, NEW)
        _assert_message(info.value, target, "只读")
        assert snapshot(tmp_path) == before
    finally:
        os.chmod(target, 0o644)


def test_read_only_folder(tmp_path, monkeypatch):
    target = _existing(tmp_path)
    before = snapshot(tmp_path)

    def denied(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(os, "open", denied)  # creating the temp file is what a read-only folder refuses
    with pytest.raises(SaveError) as info:
        save_text(target, NEW)
    monkeypatch.undo()
    _assert_message(info.value, target, "权限")
    assert snapshot(tmp_path) == before


def test_unencodable_text_is_refused_before_touching_anything(tmp_path):
    target = _existing(tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(SaveError) as info:
        save_text(target, "坏字符\ud800")
    _assert_message(info.value, target, "字符")
    assert snapshot(tmp_path) == before


# --- crash safety -------------------------------------------------------------------------

_WRITER = """
import sys
sys.path.insert(0, sys.argv[1])
from core.files.drafts import save_text
target, a, b = sys.argv[2], sys.argv[3], sys.argv[4]
texts = [open(a, encoding="utf-8", newline="").read(), open(b, encoding="utf-8", newline="").read()]
print("ready", flush=True)
i = 0
while True:
    save_text(target, texts[i % 2])
    i += 1
"""


@POSIX
def test_sigkill_at_random_moments_never_leaves_a_partial_file(tmp_path):
    # Two large texts of different lengths: a torn, truncated or mixed write shows as neither.
    a = "".join(f"第{i}段，甲稿内容。\n" for i in range(120_000))
    b = "".join(f"第{i}行：乙稿，长度不同。\n" for i in range(90_000))
    a_bytes, b_bytes = a.encode("utf-8"), b.encode("utf-8")
    (tmp_path / "a.src").write_bytes(a_bytes)
    (tmp_path / "b.src").write_bytes(b_bytes)
    work = tmp_path / "work"
    work.mkdir()
    target = work / "报告.txt"
    target.write_bytes(a_bytes)

    rng = random.Random(20240917)
    seen = set()
    deadline = time.monotonic() + 18
    runs = 0
    while runs < 60 and (runs < 50 or time.monotonic() < deadline):
        # -S: no site import, so each writer starts in a few milliseconds
        proc = subprocess.Popen([sys.executable, "-S", "-c", _WRITER, str(ROOT), str(target),
                                 str(tmp_path / "a.src"), str(tmp_path / "b.src")],
                                stdout=subprocess.PIPE)
        try:
            assert proc.stdout.readline().strip() == b"ready"
            time.sleep(rng.uniform(0, 0.08))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            proc.stdout.close()
        runs += 1
        content = target.read_bytes()
        assert content in (a_bytes, b_bytes), f"run {runs}: target is {len(content)} bytes, neither text"
        seen.add(content == a_bytes)
        bak = work / "报告.txt.bak"
        if bak.exists():
            assert bak.read_bytes() in (a_bytes, b_bytes), f"run {runs}: backup is partial"
        assert time.monotonic() < deadline + 5, "crash test is taking too long"
    assert runs >= 50
    assert seen == {True, False}, "the writer never completed a save: the test proved nothing"


# --- autosave -----------------------------------------------------------------------------


def test_default_folder_is_in_user_data(user_home):
    store = AutosaveStore()
    assert store.folder == user_data_dir() / "autosave" == user_home / "autosave"
    path = store.save(new_draft_id(), "草稿", source_path=None)
    assert path.parent == user_home / "autosave"


def test_save_pending_discard(tmp_path):
    store = AutosaveStore(tmp_path / "autosave")
    draft_id = new_draft_id()
    before = datetime.now().astimezone()
    path = store.save(draft_id, OLD, source_path="D:\\报告\\2024年度.txt", report_type="zhuti")
    assert path.exists()
    [draft] = store.pending()
    assert isinstance(draft, Draft)
    assert (draft.draft_id, draft.text, draft.source_path, draft.report_type) == (
        draft_id, OLD, "D:\\报告\\2024年度.txt", "zhuti")
    assert before - timedelta(seconds=1) <= draft.saved_at <= datetime.now().astimezone()
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["chars"] == len(OLD) and record["source_path"] == "D:\\报告\\2024年度.txt"
    assert datetime.fromisoformat(record["saved_at"]).tzinfo is not None

    store.save(draft_id, NEW, source_path=None)  # the same session overwrites its draft
    [draft] = store.pending()
    assert draft.text == NEW and draft.source_path is None and draft.report_type is None

    store.discard(draft_id)
    assert store.pending() == []
    store.discard(draft_id)  # discarding twice is harmless
    assert [p for p in (tmp_path / "autosave").iterdir()] == []


def test_pending_on_missing_folder_is_empty(tmp_path):
    assert AutosaveStore(tmp_path / "nowhere").pending() == []


def test_two_drafts_coexist_newest_first(tmp_path):
    store = AutosaveStore(tmp_path)
    first, second = new_draft_id(), new_draft_id()
    assert first != second
    store.save(first, "第一份", source_path="a.txt")
    time.sleep(0.02)
    store.save(second, "第二份", source_path="b.txt")
    assert [d.draft_id for d in store.pending()] == [second, first]
    time.sleep(0.02)
    store.save(first, "第一份，又改了", source_path="a.txt")
    assert [d.draft_id for d in store.pending()] == [first, second]
    store.discard(first)
    assert [d.text for d in store.pending()] == ["第二份"]


def test_damaged_drafts_offer_what_can_be_read_and_say_what_could_not(tmp_path):
    store = AutosaveStore(tmp_path)
    good = new_draft_id()
    store.save(good, "好的草稿", source_path=None)
    (tmp_path / "garbage.json").write_bytes(b"\x00\xff not json")
    (tmp_path / "truncated.json").write_text('{"draft_id": "truncated", "text": "半', encoding="utf-8")
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "notext.json").write_text(json.dumps({"draft_id": "notext", "saved_at": "2024-01-01T00:00:00"}),
                                          encoding="utf-8")
    (tmp_path / "badtime.json").write_text(json.dumps({"draft_id": "badtime", "text": "x", "saved_at": "昨天"}),
                                           encoding="utf-8")
    (tmp_path / "wrongid.json").write_text(
        json.dumps({"draft_id": "other", "text": "x", "saved_at": "2024-01-01T00:00:00"}), encoding="utf-8")
    (tmp_path / "empty.json").write_bytes(b"")
    (tmp_path / "folder.json").mkdir()
    drafts = {d.draft_id: d for d in store.pending()}
    assert drafts[good].problem is None and drafts[good].text == "好的草稿"
    # the text is there: offered, with a word on what is not right
    assert drafts["truncated"].text == "半" and "不完整" in drafts["truncated"].problem
    assert drafts["badtime"].text == "x" and drafts["badtime"].problem
    assert drafts["wrongid"].text == "x"
    # nothing to offer: set aside (kept), and named for the user
    assert sorted(name for name, _why in store.unreadable) == ["empty.json", "garbage.json", "list.json",
                                                                "notext.json"]
    assert dict(store.unreadable)["empty.json"] == "文件是空的"
    assert (tmp_path / "damaged" / "garbage.json").read_bytes() == b"\x00\xff not json"
    assert store.pending() and store.unreadable == []  # said once: they are not found again


@pytest.mark.parametrize("cut", [1, 2, 3, 7, 40, 41, 300])
def test_a_draft_cut_short_gives_back_all_but_its_end(tmp_path, cut):
    """A whole report whose draft file lost its last bytes (a disk error): almost all of it is
    offered back, with how many characters are missing."""
    store = AutosaveStore(tmp_path)
    text = "市审计局2024年度全面从严治党主体责任落实情况报告\n" + "召开党组会12次，落实“两个维护”。\\\"引号\"\n" * 40
    path = store.save("20260101-cut", text, source_path="/报告/三季度.docx", report_type="zhuti",
                      previous_path="/报告/上期.docx")
    raw = path.read_bytes()
    path.write_bytes(raw[:-cut])
    [draft] = store.pending()
    assert text.startswith(draft.text) and len(draft.text) >= len(text) - cut
    assert (draft.source_path, draft.report_type, draft.previous_path) == ("/报告/三季度.docx", "zhuti", "/报告/上期.docx")
    assert draft.problem is not None
    if len(draft.text) < len(text):
        assert f"原有{len(text)}个字符，读出{len(draft.text)}个" in draft.problem


def test_naive_timestamp_from_an_old_file_still_sorts(tmp_path):
    store = AutosaveStore(tmp_path)
    store.save("new", "新", source_path=None)
    (tmp_path / "old.json").write_text(
        json.dumps({"draft_id": "old", "text": "旧", "saved_at": "2020-01-01T08:00:00"}), encoding="utf-8")
    assert [d.draft_id for d in store.pending()] == ["new", "old"]


@POSIX
def test_draft_files_are_private(tmp_path):
    old_umask = os.umask(0)  # even a permissive umask must not expose drafts
    try:
        store = AutosaveStore(tmp_path / "autosave")
        path = store.save(new_draft_id(), "机密草稿", source_path=None)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "autosave").stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_bad_draft_id_is_refused(tmp_path):
    store = AutosaveStore(tmp_path)
    for bad in ("../escape", "a/b", "", "带中文"):
        with pytest.raises(ValueError):
            store.save(bad, "x", source_path=None)
    assert list(tmp_path.iterdir()) == []


def test_autosave_failure_is_a_save_error(tmp_path):
    blocker = tmp_path / "autosave"
    blocker.write_text("不是文件夹", encoding="utf-8")
    with pytest.raises(SaveError) as info:
        AutosaveStore(blocker).save(new_draft_id(), "x", source_path=None)
    assert "autosave" in str(info.value)


def test_new_draft_ids_are_unique_and_safe():
    ids = {new_draft_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(drafts._DRAFT_ID.fullmatch(i) for i in ids)
    assert str(os.getpid()) in next(iter(ids))


def test_stale_temp_files_are_cleaned_recent_ones_kept(tmp_path):
    store = AutosaveStore(tmp_path)
    stale = tmp_path / ".x.json.dead.tmp"
    fresh = tmp_path / ".y.json.live.tmp"
    stale.write_text("半", encoding="utf-8")
    fresh.write_text("半", encoding="utf-8")
    old = time.time() - 2 * drafts._STALE_TMP_SECONDS
    os.utime(stale, (old, old))
    assert store.pending() == []
    assert not stale.exists() and fresh.exists()


def test_save_error_from_a_finished_sentence():
    exc = SaveError("无法保存“a.txt”：文件是只读的。")
    assert str(exc) == "无法保存“a.txt”：文件是只读的。" and exc.path is None
    exc = SaveError("a.txt", "磁盘空间不足。")
    assert str(exc) == "无法保存“a.txt”：磁盘空间不足。" and (exc.path, exc.reason) == ("a.txt", "磁盘空间不足。")


@POSIX
def test_backup_is_readable_only_by_the_user(tmp_path):
    target = tmp_path / "报告.txt"
    save_text(target, OLD)
    os.chmod(target, 0o644)
    bak = save_text(target, NEW)
    assert stat.S_IMODE(bak.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # the report itself keeps its mode
