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
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from core import schema
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
                    changed = {**combined[by_id[entry["id"]]], **entry}
                    if id(entry) in _origins:
                        _origins[id(changed)] = _origins[id(entry)]
                    combined[by_id[entry["id"]]] = changed
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


@cache
def _shipped_at(path: Path) -> dict:
    """A shipped file, parsed and held to its declaration in resources/schema.toml. Read once per
    process: shipped files do not change while the program runs (clear_cache keeps them)."""
    data = _read_toml(path)
    name = path.relative_to(resources_dir()).as_posix()
    problems = schema.check(name, data, resources_dir())
    if problems:
        shown = "；".join(str(p) for p in problems[:5])
        more = f"（另有{len(problems) - 5}处）" if len(problems) > 5 else ""
        raise ResourceError(f"程序自带的规则文件 {path} 有误：{shown}{more}")
    return data


def table_rows(name: str) -> list[list[str]]:
    """The tab-separated rows of a derived data file under resources/ ("lm/pinyin.txt"), without
    its # comment lines; none when the file is missing (the rules that use it then stay silent)."""
    return list(iter_table_rows(name))


def iter_table_rows(name: str):
    """`table_rows` one at a time: a large table (rules/pos.txt, 97,000 rows) read into sets this way
    leaves the process 12 MB smaller than with every row held in a list first (the allocator keeps
    the memory the list's strings took)."""
    try:
        with (resources_dir() / name).open(encoding="utf-8") as lines:
            for line in lines:
                line = line.rstrip("\r\n")
                if line and not line.startswith("#"):
                    yield line.split("\t")
    except OSError:
        return


def shipped(name: str) -> dict:
    """The shipped file alone, without the user's additions."""
    return _shipped_at(resources_dir() / name)


@dataclass(frozen=True)
class Origin:
    """Where a user's entry comes from, to name it when it misbehaves."""
    file: str  # rules/terms.toml
    path: tuple  # ("term", 2)
    label: str  # 规范提法（rules/terms.toml）第12行 [[term]] 第3条（wrong = “市审计所”）

    def __str__(self) -> str:
        return self.label


_origins: dict[int, Origin] = {}  # id() of a user entry's dict (kept alive by the caches) -> where from
_overlay: dict[str, str] = {}  # file -> text used instead of the user's file (examples before saving)
_disabled: dict[tuple, str] = {}  # (file, path) -> why: entries stopped by the check process's time limit
_user_seen = False  # something loaded since the last clear_cache came from the user's files


@data_cache
def user_file(name: str) -> tuple[dict, tuple[schema.Problem, ...]]:
    """The user's copy of `name` without its bad entries, and what was wrong (Chinese, with lines).
    A file that cannot be read or parsed is left out as a whole; the shipped data still applies."""
    global _user_seen
    path = user_data_dir() / name
    title = schema.file_title(resources_dir(), name)
    whole = partial(schema.Problem, name, title, (), (), "", "", user=True)
    if name in _overlay:
        raw = _overlay[name].encode("utf-8")
    else:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return {}, ()
        except OSError as exc:
            _user_seen = True
            return {}, (whole(f"无法读取：{exc.strerror or exc}。"),)
    _user_seen = True
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, (whole("不是 UTF-8 编码，请用记事本“另存为”UTF-8。"),)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return {}, (whole(f"格式有误：{toml_error(exc)}"),)
    problems = schema.check(name, data, resources_dir(), shipped=shipped(name), compile_regex=True, text=text,
                            user=True)
    lines = schema.key_lines(text)
    for (file, where), why in _disabled.items():
        if file == name and _get(data, where) is not None:
            problems.append(schema.Problem(name, title, where, where, _entry_label(data, where), "", why,
                                           lines.get(where), user=True))
    left_out = {p.entry for p in problems}
    for key, value in data.items():
        for i, entry in enumerate(value if isinstance(value, list) else ()):
            if isinstance(entry, dict) and (key, i) not in left_out:
                line = lines.get((key, i))
                at = f"第{line}行 " if line else ""
                _origins[id(entry)] = Origin(name, (key, i), f"{title}（{name}）{at}{_entry_label(data, (key, i))}")
    return schema.without(data, problems), tuple(problems)


def _get(data, path: tuple):
    for p in path:
        try:
            data = data[p]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _entry_label(data: dict, path: tuple) -> str:
    entry = _get(data, path)
    name = next((f"{k} = “{entry[k]}”" for k in ("id", "wrong", "name", "pattern")
                 if isinstance(entry, dict) and isinstance(entry.get(k), str)), "")
    return f"[[{path[0]}]] 第{path[1] + 1}条" + (f"（{name}）" if name else "")


def user_problems() -> list[schema.Problem]:
    """What is wrong in the user's own files, every declared file read (each problem's entry is left out)."""
    return [p for name in schema.declared_files(resources_dir()) for p in user_file(name)[1]]


def origin(entry: dict) -> Origin | None:
    """Where a loaded entry comes from when it is the user's (None: shipped)."""
    return _origins.get(id(entry))


@data_cache
def load(name: str) -> dict:
    """A resource file (relative to resources/, e.g. "rules/terms.toml") merged with the user's copy;
    the user's bad entries are left out (see user_problems)."""
    base = shipped(name)
    user, _ = user_file(name)
    return _merge(base, user) if user else base


def clear_cache() -> None:
    """Forget loaded data (after the user edits their word lists, and between tests)."""
    global _user_seen
    for cached in _CACHED:
        cached.cache_clear()
    _origins.clear()
    _user_seen = False


def user_data_loaded() -> bool:
    """Whether anything loaded since the last clear_cache came from the user's own files (or an
    overlay): the tests keep the shipped data loaded across tests that have none."""
    return _user_seen


@contextmanager
def overlay(texts: dict[str, str]):
    """Use `texts` (file -> TOML text) as the user's copies of those files for a while: the examples
    of a list are run with it before it is saved."""
    saved = dict(_overlay)
    _overlay.update(texts)
    clear_cache()
    try:
        yield
    finally:
        _overlay.clear()
        _overlay.update(saved)
        clear_cache()


def disable(file: str, path: tuple, why: str) -> None:
    """Leave a user's entry out from now on (the check process stopped on it)."""
    _disabled[(file, tuple(path))] = why
    clear_cache()


def enable_all() -> None:
    """The user saved their lists again: entries stopped before get another chance."""
    _disabled.clear()
    clear_cache()


# The check process sets this to learn which user entry is running, so a check it stops for taking
# too long can name (and leave out) the entry that caused it. Called only for the user's entries.
watch = None


def using(where: Origin | None) -> None:
    if watch is not None:
        watch(where)


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
