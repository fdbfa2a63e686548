"""Per-user settings in user_data_dir()/settings.json.

Loading never fails: a missing file gives the defaults; a damaged one is set aside as
settings.json.broken (so nothing the user configured is destroyed), every setting that can still be
read from it is kept and written back at once, and `read_settings` says so, once, for the window
to tell the user; a single bad value falls back to its own default without discarding the others.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from core.files.drafts import save_text
from core.files.templates import BODIES, has_template
from core.resources import user_data_dir

SETTINGS_FILE = "settings.json"
MAX_RECENT = 10
MAX_PREVIOUS_PAIRS = 50  # reports remembered with their last period's report; oldest forgotten first
AUTOSAVE_RANGE = (2, 300)  # seconds: faster thrashes the disk, slower risks losing real work
FONT_SIZE_RANGE = (6, 72)
FONT_SET_KEYS = ("gb2312", "windows", "founder")  # core.office.docx_export.FONT_SETS
SCREEN_FONTS = ("fangsong", "sans")  # the editor: the report's 仿宋, or a plain screen font


@dataclass
class Settings:
    unit: str = ""  # 单位名称 offered for new documents (a report's own unit goes into its ledger rows)
    default_type: str = "zhuti"  # zhuti | diyi | shuze | tongbao
    body: str = "党组"  # the unit's Party body (党组/党委/党工委/党总支/党支部), filled into new reports
    autosave_seconds: int = 3  # the longest stretch of typing a crash can cost
    recent_files: list[str] = field(default_factory=list)  # newest first, at most 10, no duplicates
    last_folder: str = ""
    ledger_path: str = ""
    # unit and 报告期 of the last ledger export: the next export says so when they differ
    ledger_unit: str = ""
    ledger_period: str = ""
    font_size: int = 14
    font_set: str = "gb2312"  # the fonts a .docx names (设置 → 公文字体)
    screen_font: str = "fangsong"
    # report file -> last period's report it was compared with, so reopening it compares again
    previous_reports: dict[str, str] = field(default_factory=dict)
    # report file -> the report type chosen for it by hand, so reopening it is checked the same way
    report_types: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        cleaned = _clean(asdict(self))
        for f in fields(self):
            setattr(self, f.name, cleaned[f.name])

    def add_recent(self, path: str | os.PathLike) -> None:
        """Put `path` first; an earlier entry for the same file moves up instead of repeating."""
        entry = os.path.abspath(os.fspath(path))
        self.recent_files = _dedupe([entry, *self.recent_files])

    def remember_previous(self, report: str | os.PathLike, previous: str | os.PathLike | None) -> None:
        """Pair a report with last period's report (None forgets the pair); newest pairs kept."""
        self.previous_reports = _remember(self.previous_reports, report,
                                          None if previous is None else os.path.abspath(os.fspath(previous)))

    def previous_for(self, report: str | os.PathLike) -> str | None:
        return _recall(self.previous_reports, report)

    def remember_type(self, report: str | os.PathLike, report_type: str | None) -> None:
        """The report type chosen by hand for a report file (None: detect it again)."""
        self.report_types = _remember(self.report_types, report, report_type or None)

    def type_for(self, report: str | os.PathLike) -> str | None:
        return _recall(self.report_types, report)


def _remember(pairs: dict[str, str], report: str | os.PathLike, value: str | None) -> dict[str, str]:
    """`pairs` with report → value (None removes it); the newest MAX_PREVIOUS_PAIRS kept."""
    key = _path_key(os.path.abspath(os.fspath(report)))
    kept = {k: v for k, v in pairs.items() if _path_key(k) != key}
    if value is not None:
        kept[os.path.abspath(os.fspath(report))] = value
    return dict(list(kept.items())[-MAX_PREVIOUS_PAIRS:])


def _recall(pairs: dict[str, str], report: str | os.PathLike) -> str | None:
    key = _path_key(os.path.abspath(os.fspath(report)))
    return next((v for k, v in pairs.items() if _path_key(k) == key), None)


def settings_path() -> Path:
    return user_data_dir() / SETTINGS_FILE


# What each setting is called on screen, for saying which ones a damaged file still gave
FIELD_NAMES = {"unit": "单位名称", "body": "党组织", "default_type": "默认报告类型", "autosave_seconds": "自动保存间隔",
               "recent_files": "最近打开的文件", "last_folder": "上次的文件夹", "ledger_path": "台账文件",
               "ledger_unit": "上次导出台账的单位", "ledger_period": "上次导出台账的报告期",
               "font_size": "编辑区字号", "font_set": "公文字体", "screen_font": "编辑区字体",
               "previous_reports": "对比过的上期报告", "report_types": "指定过的报告类型"}


def load_settings() -> Settings:
    """The saved settings, or the defaults. Never raises."""
    return read_settings()[0]


def read_settings() -> tuple[Settings, str | None]:
    """The saved settings, and a Chinese sentence when the file was damaged (None otherwise):
    what was set aside, which settings were kept and that the rest are the defaults. Never raises."""
    path = settings_path()
    try:
        raw = path.read_bytes()
    except OSError:
        return Settings(), None  # missing, or unreadable right now: not a reason to set the file aside
    try:
        data = json.loads(raw.decode("utf-8-sig"))  # a BOM from a hand edit in Notepad is fine
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        kept = _salvage(raw.decode("utf-8-sig", errors="replace"))
        settings = Settings(**kept)
        aside = _set_aside(path)
        try:
            save_settings(settings)  # what was read survives even if the program stops before its next save
        except OSError:
            pass
        names = "、".join(FIELD_NAMES[name] for name in kept if getattr(settings, name) == kept[name]) or "无"
        where = f"已另存为“{aside.name}”" if aside else "未能另存"
        return settings, (f"设置文件“{path}”已损坏，{where}。能读出的设置已保留：{names}；"
                          f"其余设置恢复为默认值，可在“文件 → 设置”中重新设定。")
    return Settings(**{f.name: data[f.name] for f in fields(Settings) if f.name in data}), None


def _salvage(text: str) -> dict:
    """The settings still readable in a damaged file: each known key whose value parses on its own
    (the file is written one key a line, so damage elsewhere leaves them whole)."""
    decoder = json.JSONDecoder()
    kept = {}
    for f in fields(Settings):
        for found in re.finditer(rf'"{f.name}"\s*:\s*', text):
            try:
                value, end = decoder.raw_decode(text, found.end())
            except ValueError:
                continue
            # whole only when the file goes on as JSON does: a number cut short (18 → 1) is not taken
            if re.match(r"\s*[,}]", text[end:]):
                kept[f.name] = value
                break
    return kept


def save_settings(s: Settings) -> None:
    """Write atomically; raises SaveError (a Chinese message naming the file) on failure."""
    path = settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # save_text names the missing folder in its SaveError
    text = json.dumps(_clean(asdict(s)), ensure_ascii=False, indent=2) + "\n"
    save_text(path, text, backup=False)


def _set_aside(path: Path) -> Path | None:
    """Rename a damaged file so the user (or support) can still recover what was in it."""
    target = path.with_name(path.name + ".broken")
    n = 1
    while target.exists():  # keep earlier broken copies too
        target = path.with_name(f"{path.name}.broken.{n}")
        n += 1
    try:
        os.replace(path, target)
    except OSError:
        return None  # the next save overwrites it; nothing more can be done without raising
    return target


def _clean(data: dict) -> dict:
    """Each field checked on its own: a bad value becomes that field's default, in range."""
    defaults = {f.name: (f.default_factory() if callable(f.default_factory) else f.default)
                for f in fields(Settings)}
    out = dict(defaults)
    for key in ("unit", "last_folder", "ledger_path", "ledger_unit", "ledger_period"):
        if isinstance(data.get(key), str):
            out[key] = data[key].strip() if key in ("unit", "ledger_unit", "ledger_period") else data[key]
    if data.get("body") in BODIES:
        out["body"] = data["body"]
    if data.get("font_set") in FONT_SET_KEYS:
        out["font_set"] = data["font_set"]
    if data.get("screen_font") in SCREEN_FONTS:
        out["screen_font"] = data["screen_font"]
    if has_template(data.get("default_type")):
        out["default_type"] = data["default_type"]
    out["autosave_seconds"] = _clamped_int(data.get("autosave_seconds"), defaults["autosave_seconds"],
                                           AUTOSAVE_RANGE)
    out["font_size"] = _clamped_int(data.get("font_size"), defaults["font_size"], FONT_SIZE_RANGE)
    recent = data.get("recent_files")
    if isinstance(recent, (list, tuple)):
        out["recent_files"] = _dedupe([r for r in recent if isinstance(r, str) and r])
    for key in ("previous_reports", "report_types"):
        pairs = data.get(key)
        if isinstance(pairs, dict):
            out[key] = dict([(k, v) for k, v in pairs.items()
                             if isinstance(k, str) and isinstance(v, str) and k and v][-MAX_PREVIOUS_PAIRS:])
    out["report_types"] = {k: v for k, v in out["report_types"].items() if has_template(v)}
    return out


def _clamped_int(value, default: int, bounds: tuple[int, int]) -> int:
    # bool is an int in Python, but `true` for a number is a damaged value, not 1
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return default
    lo, hi = bounds
    return int(max(lo, min(hi, value)))  # clamp first: int(inf) would raise


def _path_key(path: str) -> str:
    return os.path.normcase(os.path.normpath(path))


def _dedupe(paths: list[str]) -> list[str]:
    """First occurrence wins; Windows paths differing only in case or slashes are the same file."""
    seen: set[str] = set()
    out = []
    for p in paths:
        key = _path_key(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out[:MAX_RECENT]
