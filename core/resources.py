"""Load the data files under resources/ (TOML), merged with the user's own additions.

Shipped data lives in `resources/`; a user's additions live in the per-user data folder
(`user_data_dir()`) under the same relative path and are merged over the shipped file, so an
upgrade that replaces `resources/` never loses them. An entry with the `id` of a shipped entry
overrides the fields it names (the rest stay as shipped); other entries are appended.
"""
from __future__ import annotations

import os
import re
import sys
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.messages import regex_error, toml_error

APP_NAME = "主体责任报告助手"
APP_DIR_NAME = "report-assistant"


def resources_dir() -> Path:
    # PyInstaller unpacks data next to the executable; in a checkout it sits beside core/.
    base = getattr(sys, "_MEIPASS", None)
    return Path(base) / "resources" if base else Path(__file__).resolve().parent.parent / "resources"


def user_data_dir() -> Path:
    """Per-user folder for settings, user word lists, autosaves. REPORT_ASSISTANT_HOME overrides it."""
    override = os.environ.get("REPORT_ASSISTANT_HOME")
    if override:
        return Path(override)
    if sys.platform == "win32":
        root = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(root) / APP_DIR_NAME
    root = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(root) / APP_DIR_NAME


class ResourceError(Exception):
    """A data file is missing or malformed; the message names the file and the reason."""


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ResourceError(f"规则文件 {path} 格式有误：{toml_error(exc)}") from exc
    except UnicodeDecodeError as exc:
        raise ResourceError(f"规则文件 {path} 不是 UTF-8 编码，请用记事本“另存为”UTF-8。") from exc


def _merge(shipped: dict, user: dict) -> dict:
    merged = dict(shipped)
    for key, value in user.items():
        base = merged.get(key)
        if isinstance(base, list) and isinstance(value, list):
            by_id = {e.get("id"): i for i, e in enumerate(base) if isinstance(e, dict) and e.get("id")}
            combined = list(base)
            for entry in value:
                if isinstance(entry, dict) and entry.get("id") in by_id:
                    # the user's fields win; fields they did not write keep the shipped value
                    combined[by_id[entry["id"]]] = {**combined[by_id[entry["id"]]], **entry}
                else:
                    combined.append(entry)
            merged[key] = combined
        elif isinstance(base, dict) and isinstance(value, dict):
            merged[key] = _merge(base, value)
        else:
            merged[key] = value
    return merged


_CACHED: list = []


def data_cache(func):
    """functools.cache, remembered so `clear_cache` can reset everything derived from the data."""
    cached = cache(func)
    _CACHED.append(cached)
    return cached


@data_cache
def load(name: str) -> dict:
    """A resource file (relative to resources/, e.g. "rules/terms.toml") merged with the user's copy."""
    shipped = _read_toml(resources_dir() / name)
    user = _read_toml(user_data_dir() / name)
    return _merge(shipped, user) if user else shipped


def clear_cache() -> None:
    """Forget loaded data (after the user edits their word lists, and between tests)."""
    for cached in _CACHED:
        cached.cache_clear()


def compile_pattern(source: str, where: str) -> re.Pattern:
    try:
        return re.compile(source)
    except re.error as exc:
        raise ResourceError(f"{where} 中的正则表达式 {source!r} 无效：{regex_error(exc)}") from exc


@dataclass(frozen=True)
class Part:
    id: str
    name: str
    headings: tuple[re.Pattern, ...]  # a heading whose title matches is this part
    any_level: bool  # the heading may be at any level, not only the top one
    fallback_other_headings: bool  # top-level headings that are no other part count as this one
    closing: tuple[re.Pattern, ...]  # may instead be a sentence in the closing paragraphs
    severity: str
    content: tuple[re.Pattern, ...] = ()  # a sentence anywhere that opens the part inline
    content_keywords: tuple[re.Pattern, ...] = ()  # a paragraph with two of these is the part
    subheading_max: int = 16  # a lower-level heading counts when its title is at most this long


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    title_patterns: tuple[re.Pattern, ...]
    body_patterns: tuple[re.Pattern, ...]
    parts: tuple[Part, ...]
    preamble_required: bool
    short_name: str = ""  # what menus show (情况通报); name is the full title


@data_cache
def profiles() -> tuple[Profile, ...]:
    data = load("profiles.toml")
    out = []
    defaults = data.get("part_defaults", {})
    for entry in data.get("profile", []):
        where = f"profiles.toml [{entry.get('id')}]"
        part_entries = [_with_defaults(p, defaults.get(p["id"], {})) for p in entry.get("part", [])]
        parts = tuple(
            Part(id=p["id"], name=p["name"],
                 headings=tuple(compile_pattern(s, where) for s in p.get("headings", [])),
                 any_level=p.get("any_level", False),
                 fallback_other_headings=p.get("fallback_other_headings", False),
                 closing=tuple(compile_pattern(s, where) for s in p.get("closing", [])),
                 severity=p.get("severity", "error"),
                 content=tuple(compile_pattern(s, where) for s in p.get("content", [])),
                 content_keywords=tuple(compile_pattern(s, where) for s in p.get("content_keywords", [])),
                 subheading_max=p.get("subheading_max", 16))
            for p in part_entries)
        out.append(Profile(
            id=entry["id"], name=entry["name"],
            title_patterns=tuple(compile_pattern(s, where) for s in entry.get("title_patterns", [])),
            body_patterns=tuple(compile_pattern(s, where) for s in entry.get("body_patterns", [])),
            parts=parts, preamble_required=entry.get("preamble_required", True),
            short_name=entry.get("short_name") or entry["name"]))
    return tuple(out)


@data_cache
def report_types() -> dict[str, str]:
    """Report type id → its short Chinese name (zhuti → 主体责任落实情况报告), in the order menus, the
    command line and the templates list them: profiles.toml's type_order, then any other profile.
    Read without compiling the profiles' patterns, so the window can ask for it at start-up."""
    data = load("profiles.toml")
    names = {e["id"]: e.get("short_name") or e["name"] for e in data.get("profile", [])}
    order = [t for t in data.get("type_order", []) if t in names]
    return {t: names[t] for t in [*order, *(t for t in names if t not in order)]}


def _with_defaults(part: dict, default: dict) -> dict:
    """A profile's part over the shared defaults for that part; lists are joined, the part's first."""
    merged = {**default, **part}
    for key, value in default.items():
        if isinstance(value, list) and isinstance(part.get(key), list):
            merged[key] = part[key] + [v for v in value if v not in part[key]]
    return merged


@dataclass(frozen=True)
class Variant:
    """A kind of report within a type (a meeting's report, a secretary's 述责述廉) that changes
    which rules apply."""
    id: str
    name: str
    types: tuple[str, ...]
    title_patterns: tuple[re.Pattern, ...]
    opening_patterns: tuple[re.Pattern, ...]
    skip: frozenset[str]


@data_cache
def variants() -> tuple[Variant, ...]:
    out = []
    for entry in load("profiles.toml").get("variant", []):
        where = f"profiles.toml [variant {entry.get('id')}]"
        out.append(Variant(
            id=entry["id"], name=entry.get("name", entry["id"]), types=tuple(entry.get("types", ())),
            title_patterns=tuple(compile_pattern(s, where) for s in entry.get("title_patterns", [])),
            opening_patterns=tuple(compile_pattern(s, where) for s in entry.get("opening_patterns", [])),
            skip=frozenset(entry.get("skip", []))))
    return tuple(out)


def profile(type_id: str) -> Profile | None:
    return next((p for p in profiles() if p.id == type_id), None)


@data_cache
def junk_line_patterns() -> tuple[re.Pattern, ...]:
    """Whole lines that are web residue, so the parser does not take them for a title or text."""
    data = load("rules/residue.toml")
    return tuple(compile_pattern(e["pattern"], "rules/residue.toml")
                 for e in data.get("residue", []) if e.get("line"))
