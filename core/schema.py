"""What each rule and word-list file may contain: keys and their types, declared in resources/schema.toml.

`check` returns every place a file breaks its declaration — an unknown key (`mesage =`), a value of
the wrong type, a severity other than error/warning/info, a missing required key, and in the user's
own files a regular expression that does not compile or could run for minutes — each naming the
file, the entry, the key and (given the text) the line, in Chinese. Shipped data is refused at load;
a user's bad entry is left out alone (`without`), so one slip never stops the checking.
"""
from __future__ import annotations

import difflib
import re
import string
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.regex_safety import regex_problem, replace_problem

SCHEMA_FILE = "schema.toml"
SEVERITIES = ("error", "warning", "info")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
SCALARS = ("str", "int", "float", "bool", "any", "regex", "severity", "month", "template")
TYPE_NAMES = {"str": "文字（用英文引号括起来）", "int": "整数", "float": "数", "bool": "true 或 false",
              "regex": "正则表达式（文字，用英文单引号括起来）", "severity": '"error"、"warning" 或 "info"',
              "month": '"YYYY-MM" 形式的年月（如 "2024-06"）', "any": "任意值", "template": "文字（用英文引号括起来）"}
TEMPLATE_FIELDS = ("match", "suggestion")  # what a word list's message may quote: {match}, {suggestion}
_MONTH = re.compile(r"[0-9]{4}(?:-(?:0[1-9]|1[0-2]))?")


# --- the declarations -------------------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    name: str  # Chinese, for messages
    keys: dict  # key -> parsed type
    required: tuple  # each a key, or a tuple of keys of which one is enough
    other: object = None  # the type of keys not listed, None: not allowed


@dataclass(frozen=True)
class FileSpec:
    name: str
    top: Kind
    examples: tuple[dict, ...]  # {at, rule?, fix_is_counterexample?}


class SchemaError(Exception):
    """resources/schema.toml itself is malformed (a programming error: the tests catch it)."""


def parse_type(text: str):
    """A type expression of schema.toml as a tuple tree: ("str",), ("list", T), ("map", T),
    ("table", kind), ("tables", kind), ("enum", values), ("union", (T, …))."""
    parts = _split_top(text, "|")
    if len(parts) > 1:
        options = tuple(parse_type(p) for p in parts)
        if all(o[0] == "enum" for o in options):
            return ("enum", tuple(v for o in options for v in o[1]))
        return ("union", options)
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return ("enum", (text[1:-1],))
    m = re.fullmatch(r"(list|map|table|tables)\[(.*)\]", text)
    if m:
        inner = m.group(2).strip()
        return (m.group(1), inner if m.group(1) in ("table", "tables") else parse_type(inner))
    if text in SCALARS:
        return (text,)
    raise SchemaError(f"{SCHEMA_FILE}: unknown type {text!r}")


def _split_top(text: str, sep: str) -> list[str]:
    out, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "[":
            depth += 1
        elif not quoted and ch == "]":
            depth -= 1
        elif not quoted and depth == 0 and ch == sep:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


@cache
def _schema_at(path: Path) -> tuple[dict, dict]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    kinds: dict[str, Kind] = {}

    def kind(name: str, seen=()) -> Kind:
        if name in kinds:
            return kinds[name]
        if name not in raw.get("kind", {}) or name in seen:
            raise SchemaError(f"{SCHEMA_FILE}: no kind {name!r}")
        entry = raw["kind"][name]
        base = kind(entry["extends"], (*seen, name)) if "extends" in entry else None
        own = {k: parse_type(t) for k, t in entry.get("keys", {}).items()}
        keys = {**own, **{k: t for k, t in (base.keys if base else {}).items() if k not in own}}
        required = entry.get("required", list(base.required) if base else [])
        other = parse_type(entry["other"]) if "other" in entry else (base.other if base else None)
        kinds[name] = Kind(entry.get("name", name), keys, tuple(tuple(r) if isinstance(r, list) else r
                                                                for r in required), other)
        return kinds[name]

    for name in raw.get("kind", {}):
        kind(name)
    files = {}
    for name, entry in raw.get("file", {}).items():
        top = Kind(entry.get("name", name), {k: parse_type(t) for k, t in entry.get("keys", {}).items()}, (),
                   parse_type(entry["other"]) if "other" in entry else None)
        files[name] = FileSpec(entry.get("name", name), top, tuple(entry.get("examples", ())))
    for spec in files.values():  # every kind a file names exists
        for t in [*spec.top.keys.values(), spec.top.other]:
            _kinds_named(t, kinds)
    return kinds, files


def _kinds_named(t, kinds) -> None:
    if t is None:
        return
    if t[0] in ("table", "tables") and t[1] not in kinds:
        raise SchemaError(f"{SCHEMA_FILE}: no kind {t[1]!r}")
    if t[0] in ("list", "map"):
        _kinds_named(t[1], kinds)
    if t[0] == "union":
        for o in t[1]:
            _kinds_named(o, kinds)


def schema(resources_dir: Path) -> tuple[dict, dict]:
    """(kinds, files) declared in resources/schema.toml."""
    return _schema_at(resources_dir / SCHEMA_FILE)


# --- problems ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    file: str  # relative name, rules/terms.toml
    title: str  # the file's Chinese name, 规范提法
    path: tuple  # where in the data: ("term", 2, "mesage")
    entry: tuple  # what to leave out: the innermost [[…]] entry holding it, else the top-level key
    label: str  # [[term]] 第3条（id = "x"）
    key: str  # the key the problem is about ("" for the entry or file as a whole)
    reason: str
    line: int | None = None
    user: bool = False  # in the user's own file (the message then says it is left out)

    def __str__(self) -> str:
        where = f"第{self.line}行，" if self.line else ""
        what = f"{self.label}的“{self.key}”" if self.key else self.label
        said = f"{self.title}（{self.file}）{where}{what}：{self.reason}"
        if self.user:
            if not self.entry:
                said += "这个文件暂不使用，"
            elif len(self.entry) == 1:
                said += f"“{self.entry[0]}”暂不使用，"
            else:
                said += "这一条暂不使用，"
            said += "其余照常检查。"
        return said


class _Checker:
    def __init__(self, file: str, spec: FileSpec, kinds: dict, shipped: dict | None, compile_regex: bool,
                 user: bool):
        self.file, self.spec, self.kinds = file, spec, kinds
        self.shipped, self.compile_regex, self.user = shipped, compile_regex, user
        self.problems: list[Problem] = []

    def add(self, path, entry, label, key, reason) -> None:
        # an entry's label is made only when it has a problem: most entries have none
        label = label() if callable(label) else label
        self.problems.append(Problem(self.file, self.spec.name, tuple(path), tuple(entry), label, key, reason,
                                     user=self.user))

    def table(self, value: dict, kind: Kind, path: list, entry: list, label: str, shipped, new: bool,
              prefix: str = "") -> None:
        for key, v in value.items():
            t = kind.keys.get(key, kind.other)
            if t is None:
                self.add([*path, key], entry or [*path, key], label, prefix + key, _unknown_key(key, kind))
                continue
            sub = shipped.get(key) if isinstance(shipped, dict) else None
            self.value(v, t, [*path, key], entry, label, prefix + key, sub)
        if self.compile_regex and isinstance(value.get("pattern"), str) and isinstance(value.get("replace"), str) \
                and "pattern" in kind.keys and not any(p.path[:len(path) + 1] == (*path, "pattern")
                                                       for p in self.problems):
            reason = replace_problem(value["pattern"], value["replace"])
            if reason:
                self.add([*path, "replace"], entry or path, label, prefix + "replace", reason)
        if new and kind.required and not all(any(o in value for o in need) if isinstance(need, tuple)
                                             else need in value for need in kind.required):
            missing = ["“" + "”或“".join(options) + "”" for options in
                       (need if isinstance(need, tuple) else (need,) for need in kind.required)
                       if not any(o in value for o in options)]
            self.add(path, entry or path, label, "", f"缺少{'、'.join(missing)}。")

    def value(self, v, t, path, entry, label, key, shipped) -> None:
        reason = self._scalar(v, t) if t[0] in SCALARS or t[0] == "enum" else None
        if reason is not None:
            self.add(path, entry or path, label, key, reason)
            return
        if t[0] in SCALARS or t[0] == "enum":
            return
        if t[0] == "union":
            if any(_fits(v, o) for o in t[1]):
                option = next(o for o in t[1] if _fits(v, o))
                self.value(v, option, path, entry, label, key, shipped)
            else:
                names = "或".join(_type_name(o) for o in t[1])
                self.add(path, entry or path, label, key, f"应为{names}，这里是{_shown(v)}。")
            return
        if t[0] == "list":
            if not isinstance(v, list):
                self.add(path, entry or path, label, key, f"应为列表 [ ]（{_type_name(t)}），这里是{_shown(v)}。")
                return
            for i, item in enumerate(v):
                self.value(item, t[1], [*path, i], entry, label, f"{key}第{i + 1}项", None)
            return
        if t[0] == "map":
            if not isinstance(v, dict):
                self.add(path, entry or path, label, key, f"应为一张表（{{ }} 或 [表名]），这里是{_shown(v)}。")
                return
            for k, item in v.items():
                sub = shipped.get(k) if isinstance(shipped, dict) else None
                self.value(item, t[1], [*path, k], entry, label, f"{key}.{k}", sub)
            return
        kind = self.kinds[t[1]]
        if t[0] == "table":
            if not isinstance(v, dict):
                self.add(path, entry or path, label, key, f"应为一张表 [{_dotted(path)}]，这里是{_shown(v)}。")
                return
            if entry:  # a table inside an entry (norm = { … }): its keys are named norm.per
                self.table(v, kind, path, entry, label, shipped, new=False, prefix=f"{key}.")
            else:
                self.table(v, kind, path, entry, f"[{_dotted(path)}]", shipped, new=False)
            return
        # tables: [[…]] entries, each checked alone; one that names a shipped entry's id only changes it
        if not isinstance(v, list) or not all(isinstance(e, dict) for e in v):
            self.add(path, entry or path, label, key, f"应写成一组 [[{_dotted(path)}]] 条目，这里是{_shown(v)}。")
            return
        by_id = {e["id"]: e for e in shipped if isinstance(e, dict) and e.get("id") is not None} \
            if isinstance(shipped, list) else {}
        dotted = _dotted(path)
        for i, item in enumerate(v):
            base = by_id.get(item["id"]) if by_id and isinstance(item.get("id"), str) else None
            self.table(item, kind, [*path, i], [*path, i], _EntryLabel(dotted, i, item), base, new=base is None)

    def _scalar(self, v, t) -> str | None:
        kind = t[0]
        if kind == "enum":
            if v in t[1]:
                return None
            return f"只能是{'、'.join(_shown(x) for x in t[1])}之一，这里是{_shown(v)}。"
        if kind == "any":
            return None
        if kind == "severity":
            if v in SEVERITIES:
                return None
            return (f"级别只能是 \"error\"（错误）、\"warning\"（警告）或 \"info\"（提示），这里是{_shown(v)}"
                    f"{_close(v, SEVERITIES)}。")
        if not _fits(v, t):
            return f"应为{TYPE_NAMES[kind]}，这里是{_shown(v)}。"
        if kind == "month" and not _MONTH.fullmatch(v):
            return f"应写成 \"YYYY-MM\"（如 \"2024-06\"），这里是{_shown(v)}。"
        if kind == "regex" and self.compile_regex:
            return regex_problem(v)
        if kind == "template":
            return template_problem(v)
        return None


class _EntryLabel:
    """[[term]] 第3条（wrong = “市审计所”）, made when asked (see _Checker.add)."""
    __slots__ = ("dotted", "index", "item")

    def __init__(self, dotted: str, index: int, item: dict):
        self.dotted, self.index, self.item = dotted, index, item

    def __call__(self) -> str:
        name = next((f"{k} = {_shown(self.item[k])}" for k in ("id", "wrong", "name", "rule", "pattern")
                     if isinstance(self.item.get(k), str)), "")
        return f"[[{self.dotted}]] 第{self.index + 1}条" + (f"（{name}）" if name else "")


def _fits(v, t) -> bool:
    kind = t[0]
    if kind in ("str", "regex", "month", "template"):
        return isinstance(v, str)
    if kind == "int":
        return isinstance(v, int) and not isinstance(v, bool)
    if kind == "float":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if kind == "bool":
        return isinstance(v, bool)
    if kind in ("any",):
        return True
    if kind == "severity":
        return isinstance(v, str)
    if kind == "enum":
        return v in t[1]
    if kind in ("list", "tables"):
        return isinstance(v, list)
    if kind in ("map", "table"):
        return isinstance(v, dict)
    if kind == "union":
        return any(_fits(v, o) for o in t[1])
    return False


def _type_name(t) -> str:
    kind = t[0]
    if kind in TYPE_NAMES:
        return TYPE_NAMES[kind]
    if kind == "enum":
        return "、".join(_shown(x) for x in t[1]) + "之一"
    if kind == "list":
        return f"每项为{_type_name(t[1])}的列表"
    if kind == "union":
        return "或".join(_type_name(o) for o in t[1])
    return "一张表"


def _shown(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f"“{v if len(v) <= 40 else v[:40] + '…'}”"
    if isinstance(v, (int, float)):
        return f"数字 {v}"
    if isinstance(v, list):
        return "一个列表"
    if isinstance(v, dict):
        return "一张表"
    return type(v).__name__


def _close(v, options) -> str:
    near = difflib.get_close_matches(str(v), list(options), n=1, cutoff=0.6)
    return f"（是不是 “{near[0]}”？）" if near else ""


def _unknown_key(key: str, kind: Kind) -> str:
    near = difflib.get_close_matches(key, list(kind.keys), n=1, cutoff=0.6)
    hint = f"是不是拼错了“{near[0]}”？" if near else ""
    allowed = "、".join(kind.keys)
    return f"没有这一项（{hint}{kind.name}可以写：{allowed}）。"


def _dotted(path) -> str:
    return ".".join(str(p) for p in path if isinstance(p, str))


def check(file: str, data: dict, resources_dir: Path, *, shipped: dict | None = None, compile_regex: bool = False,
          text: str | None = None, user: bool = False) -> list[Problem]:
    """Every way `data` (the parsed file `file`, relative to resources/) breaks its declaration. A file
    with no declaration is not checked (tests/test_schema.py makes sure every shipped one has one).
    `shipped`: for a user's file, the shipped data it is merged over (entries naming a shipped id need
    only the keys they change). `compile_regex`: compile regular expressions and refuse slow ones.
    `text`: the file's text, to give each problem its line."""
    kinds, files = schema(resources_dir)
    spec = files.get(file)
    if spec is None:
        return []
    checker = _Checker(file, spec, kinds, shipped, compile_regex, user)
    checker.table(data, spec.top, [], [], "顶层", shipped or {}, new=False)
    if text is not None:
        lines = key_lines(text)
        checker.problems = [_with_line(p, lines) for p in checker.problems]
    return checker.problems


def _with_line(p: Problem, lines: dict) -> Problem:
    path = p.path
    while path and path not in lines:
        path = path[:-1]
    line = lines.get(path)
    return Problem(p.file, p.title, p.path, p.entry, p.label, p.key, p.reason, line, p.user) if line else p


def declared_files(resources_dir: Path) -> list[str]:
    return list(schema(resources_dir)[1])


def example_sources(resources_dir: Path, file: str) -> tuple[dict, ...]:
    spec = schema(resources_dir)[1].get(file)
    return spec.examples if spec else ()


def file_title(resources_dir: Path, file: str) -> str:
    spec = schema(resources_dir)[1].get(file)
    return spec.name if spec else file


def without(data: dict, problems: list[Problem]) -> dict:
    """`data` less every entry (or top-level key) a problem is in: the rest is still usable."""
    drop = {p.entry for p in problems if p.entry}
    return _without(data, (), drop) if drop else data


def _without(value, path: tuple, drop: set):
    # only the containers on the way to a dropped entry are rebuilt: the other entries stay the same
    # objects (core.resources names a user's entry by its identity)
    if not any(len(d) > len(path) and d[:len(path)] == path for d in drop):
        return value
    if isinstance(value, dict):
        return {k: _without(v, (*path, k), drop) for k, v in value.items() if (*path, k) not in drop}
    if isinstance(value, list):
        return [_without(v, (*path, i), drop) for i, v in enumerate(value) if (*path, i) not in drop]
    return value


# --- where in the text ------------------------------------------------------------------------

_HEADER = re.compile(r"\s*(\[\[?)([^\[\]]+)\]\]?\s*(?:#.*)?$")
_BARE = r"[A-Za-z0-9_-]+|\"(?:[^\"\\]|\\.)*\"|'[^']*'"
_KEY = re.compile(rf"\s*((?:{_BARE})(?:\s*\.\s*(?:{_BARE}))*)\s*=")


def _key_parts(text: str) -> list[str]:
    return [p[1:-1] if p[:1] in "\"'" else p for p in re.findall(_BARE, text)]


def key_lines(text: str) -> dict[tuple, int]:
    """The 1-based line of each table header and key of a TOML text, by path ("term", 2, "message").
    Written for the files people edit (a header per entry, one key per line); anything it cannot
    follow (an inline table's keys) is found at its nearest enclosing key."""
    lines: dict[tuple, int] = {}
    counts: dict[tuple, int] = {}
    current: tuple = ()
    in_string = None
    for n, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            parts = _key_parts(header.group(2))
            resolved: list = []
            for p in parts[:-1] if header.group(1) == "[[" else parts:
                resolved.append(p)
                if tuple(resolved) in counts:
                    resolved.append(counts[tuple(resolved)])
            if header.group(1) == "[[":
                array = (*resolved, parts[-1])
                counts[array] = counts.get(array, -1) + 1
                current = (*array, counts[array])
            else:
                current = tuple(resolved)
            lines.setdefault(current, n)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault((*current, *_key_parts(key.group(1))), n)
            rest = line[key.end():]
            for quote in ("'''", '"""'):
                if rest.count(quote) % 2 == 1:
                    in_string = quote
    return lines


def template_problem(text: str) -> str | None:
    """A message may name {match} and {suggestion}; any other brace would stop the check."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError:
        return "花括号 { } 没有配对（文字里的花括号要写成两个：{{ }}）。"
    bad = [f for f in fields if f not in TEMPLATE_FIELDS]
    if bad:
        return (f"说明中只能用 {{match}}（查出的文字）和 {{suggestion}}（建议写法），不能有“{{{bad[0]}}}”"
                f"（文字里的花括号要写成两个：{{{{ }}}}）。")
    return None
