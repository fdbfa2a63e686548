"""The one atomic writer (core.files.atomic): fsync before replace, private modes, the Word lock check."""
from __future__ import annotations

import os
import sys

import pytest

from core.files import atomic, drafts
from core.files.atomic import SaveError, lock_files, refuse_if_open, save_bytes, save_text


def test_fsyncs_the_temp_before_replacing(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    target = tmp_path / "报告.txt"
    save_text(target, "第一行\n")
    assert target.read_text(encoding="utf-8") == "第一行\n"
    assert events.index("fsync") < events.index("replace")
    assert [p.name for p in tmp_path.iterdir()] == ["报告.txt"]  # no temp left behind


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_save_bytes_forces_the_mode(tmp_path):
    target = tmp_path / "draft.json"
    save_bytes(target, b"{}", mode=0o600)
    assert target.read_bytes() == b"{}"
    assert target.stat().st_mode & 0o777 == 0o600


def test_lock_files_of_word_wps_and_libreoffice(tmp_path):
    names = [p.name for p in lock_files(tmp_path / "2024年度报告.docx")]
    assert names == ["~$2024年度报告.docx", ".~lock.2024年度报告.docx#", "~$24年度报告.docx"]
    assert "~$短名.docx" in [p.name for p in lock_files(tmp_path / "短名.docx")]


def test_refuse_if_open_names_the_file_in_chinese(tmp_path):
    target = tmp_path / "台账.xlsx"
    refuse_if_open(target)  # nothing open: no error
    (tmp_path / "~$台账.xlsx").write_bytes(b"")
    with pytest.raises(SaveError) as info:
        refuse_if_open(target)
    assert "台账.xlsx" in str(info.value) and "请先关闭" in str(info.value)


def test_drafts_still_offers_the_writer():
    assert drafts.save_text is atomic.save_text and drafts.SaveError is atomic.SaveError
