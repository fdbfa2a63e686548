"""Per-user settings: defaults, round trip, damaged files set aside, recent files, clamping."""
from __future__ import annotations

import json
import os

import pytest

from core.files.drafts import SaveError
from core.files.settings import (
    MAX_PREVIOUS_PAIRS,
    MAX_RECENT,
    Settings,
    load_settings,
    read_settings,
    save_settings,
    settings_path,
)


def test_defaults_when_missing(user_home):
    s = load_settings()
    assert s == Settings()
    assert (s.unit, s.default_type, s.autosave_seconds, s.recent_files, s.font_size) == ("", "zhuti", 3, [], 14)
    assert not (user_home / "settings.json").exists()  # loading never writes


def test_round_trip(user_home):
    s = Settings(unit="区司法局", default_type="shuze", autosave_seconds=30, last_folder="/home/张三/报告",
                 ledger_path="/home/张三/台账.xlsx", font_size=16)
    s.add_recent("/home/张三/报告/2024年度.txt")
    save_settings(s)
    assert settings_path() == user_home / "settings.json"
    raw = (user_home / "settings.json").read_text(encoding="utf-8")
    assert "区司法局" in raw  # readable, not \u escapes: users may open it in Notepad
    assert load_settings() == s
    assert not (user_home / "settings.json.bak").exists()


def test_save_creates_the_data_folder(tmp_path, monkeypatch):
    home = tmp_path / "deeper" / "home"
    monkeypatch.setenv("REPORT_ASSISTANT_HOME", str(home))
    save_settings(Settings(unit="市审计局"))
    assert load_settings().unit == "市审计局"


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b"", b'"text"'])
def test_corrupt_file_gives_defaults_and_is_kept_as_broken(user_home, content):
    path = user_home / "settings.json"
    path.write_bytes(content)
    settings, note = read_settings()
    assert settings == Settings() and "已损坏" in note and "settings.json.broken" in note
    assert (user_home / "settings.json.broken").read_bytes() == content
    assert read_settings() == (Settings(), None)  # said once: the file is whole again


def test_a_damaged_file_keeps_every_setting_that_can_be_read(user_home):
    """A file cut short, or with one broken line, loses only what is broken (issue 25.9)."""
    saved = Settings(unit="县纪委监委", body="党委", autosave_seconds=10, font_set="windows",
                     recent_files=["/报告/一季度.docx", "/报告/二季度.docx"], font_size=18)
    save_settings(saved)
    path = user_home / "settings.json"
    text = path.read_text(encoding="utf-8")
    damaged = text.replace('"font_size": 18', '"font_size": 1８,,')[:text.index('"previous_reports"')]
    path.write_text(damaged, encoding="utf-8")
    settings, note = read_settings()
    assert (settings.unit, settings.body, settings.autosave_seconds, settings.font_set) == \
        ("县纪委监委", "党委", 10, "windows")
    assert settings.recent_files == saved.recent_files
    assert settings.font_size == Settings().font_size  # the broken one alone is back to its default
    assert "单位名称" in note and "最近打开的文件" in note and "编辑区字号" not in note
    assert load_settings() == settings  # written back at once: nothing read is lost by a crash


def test_a_second_corrupt_file_does_not_overwrite_the_first(user_home):
    path = user_home / "settings.json"
    path.write_bytes(b"{first")
    load_settings()
    path.write_bytes(b"{second")
    load_settings()
    assert (user_home / "settings.json.broken").read_bytes() == b"{first"
    assert (user_home / "settings.json.broken.1").read_bytes() == b"{second"


def test_bad_values_fall_back_one_by_one(user_home):
    (user_home / "settings.json").write_text(json.dumps({
        "unit": "  县农业农村局 ", "default_type": "weekly", "autosave_seconds": "fast",
        "recent_files": ["/a.txt", 3, None, "/a.txt", "/b.txt"], "font_size": True,
        "last_folder": 42, "ledger_path": "/台账.xlsx", "unknown_key": 1,
    }, ensure_ascii=False), encoding="utf-8")
    s = load_settings()
    assert s.unit == "县农业农村局"
    assert s.default_type == "zhuti"
    assert s.autosave_seconds == 3
    assert s.recent_files == ["/a.txt", "/b.txt"]
    assert s.font_size == 14
    assert s.last_folder == ""
    assert s.ledger_path == "/台账.xlsx"
    assert (user_home / "settings.json").exists()  # not corrupt as a whole: nothing set aside


def test_file_with_bom_is_read(user_home):
    (user_home / "settings.json").write_bytes(b"\xef\xbb\xbf" + json.dumps({"unit": "区委"}).encode())
    assert load_settings().unit == "区委"


@pytest.mark.parametrize("value,expected", [(1, 2), (0, 2), (-5, 2), (2, 2), (5, 5), (300, 300), (1000, 300),
                                            (7.9, 7), (float("inf"), 300), (float("nan"), 3)])
def test_autosave_is_clamped(user_home, value, expected):
    assert Settings(autosave_seconds=value).autosave_seconds == expected
    (user_home / "settings.json").write_text(json.dumps({"autosave_seconds": value}), encoding="utf-8")
    assert load_settings().autosave_seconds == expected


def test_save_clamps_values_changed_after_construction(user_home):
    s = Settings()
    s.autosave_seconds = 9999
    save_settings(s)
    assert load_settings().autosave_seconds == 300


def test_recent_files_newest_first_no_duplicates_at_most_ten(tmp_path):
    s = Settings()
    paths = [tmp_path / f"报告{i}.txt" for i in range(12)]
    for p in paths:
        s.add_recent(p)
    assert len(s.recent_files) == MAX_RECENT == 10
    assert s.recent_files == [str(p) for p in reversed(paths)][:10]
    s.add_recent(str(paths[5]))  # opened again: moves to the front, not repeated
    assert s.recent_files[0] == str(paths[5])
    assert s.recent_files.count(str(paths[5])) == 1
    assert len(s.recent_files) == 10


def test_recent_files_same_file_spelled_differently(tmp_path):
    s = Settings()
    s.add_recent(tmp_path / "a.txt")
    s.add_recent(str(tmp_path) + os.sep + "." + os.sep + "a.txt")
    assert s.recent_files == [str(tmp_path / "a.txt")]


def test_recent_files_limited_on_load(user_home):
    (user_home / "settings.json").write_text(json.dumps({"recent_files": [f"/r{i}.txt" for i in range(25)]}),
                                             encoding="utf-8")
    assert load_settings().recent_files == [f"/r{i}.txt" for i in range(10)]


def test_save_failure_raises_save_error_in_chinese(tmp_path, monkeypatch):
    blocker = tmp_path / "home"
    blocker.write_text("这是一个文件，不是文件夹", encoding="utf-8")
    monkeypatch.setenv("REPORT_ASSISTANT_HOME", str(blocker))
    with pytest.raises(SaveError) as info:
        save_settings(Settings(unit="区委"))
    assert "settings.json" in str(info.value) and str(info.value).startswith("无法保存")
    assert load_settings() == Settings()  # and loading still works, with defaults


def test_previous_report_pairs_are_remembered_and_forgotten(user_home, tmp_path):
    s = Settings()
    report, last_year = tmp_path / "2025年报告.txt", tmp_path / "2024年报告.docx"
    s.remember_previous(report, last_year)
    s.remember_previous(str(tmp_path) + os.sep + "." + os.sep + "2025年报告.txt", last_year)  # same file
    assert s.previous_reports == {str(report): str(last_year)}
    save_settings(s)
    loaded = load_settings()
    assert loaded.previous_for(report) == str(last_year)
    loaded.remember_previous(report, None)
    assert loaded.previous_for(report) is None and loaded.previous_reports == {}


def test_previous_report_pairs_keep_the_newest(tmp_path):
    s = Settings()
    for i in range(MAX_PREVIOUS_PAIRS + 5):
        s.remember_previous(tmp_path / f"r{i}.txt", tmp_path / f"old{i}.txt")
    assert len(s.previous_reports) == MAX_PREVIOUS_PAIRS
    assert s.previous_for(tmp_path / "r0.txt") is None
    assert s.previous_for(tmp_path / f"r{MAX_PREVIOUS_PAIRS + 4}.txt") == str(tmp_path / f"old{MAX_PREVIOUS_PAIRS + 4}.txt")


def test_damaged_previous_report_pairs_fall_back(user_home):
    (user_home / "settings.json").write_text(json.dumps({
        "unit": "区委", "previous_reports": {"/a.txt": "/old.txt", "/b.txt": 3, "": "/x.txt"}}), encoding="utf-8")
    assert load_settings().previous_reports == {"/a.txt": "/old.txt"}
    (user_home / "settings.json").write_text(json.dumps({"unit": "区委", "previous_reports": ["/a.txt"]}),
                                             encoding="utf-8")
    loaded = load_settings()
    assert loaded.previous_reports == {} and loaded.unit == "区委"
