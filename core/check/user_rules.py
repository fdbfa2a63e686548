"""The user's own word lists (terms, stat items and their norms), edited from the window.

They live in the per-user folder under the same names as the shipped files and are merged over
them (see core.resources), so an upgrade never overwrites them. Before anything is saved it is held
to the file's declaration (resources/schema.toml) and its examples are run as the checker would use
them (core.check.examples): a broken entry never reaches the checker, and a row whose example the
rules do not catch is pointed at.
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field

from core import resources, schema
from core.check.findings import SEVERITY_LABELS
from core.files.drafts import save_text
from core.messages import toml_error

USER_FILES = {
    "terms": ("rules/terms.toml", "规范提法"),
    "typos": ("rules/typos.toml", "错别字"),
    "stats": ("stats.toml", "统计事项与常规要求"),
}
# The lists edited as a table (错误写法 → 正确写法); the TOML table name of each.
WORD_LISTS = {"terms": "term", "typos": "typo"}
DEFAULT_SEVERITY = {"terms": "warning", "typos": "error"}

EXAMPLES = {
    "terms": '''# 本单位自己的提法。每条：wrong（错误写法）和 right（正确写法），或 pattern / replace（正则）。
# [[term]]
# id = "local-unit-name"
# wrong = "市审计所"
# right = "市审计局"
# message = "本单位名称应写作“市审计局”。"
# example = "⟦市审计所⟧党组。"
# counterexample = "市审计局党组。"
''',
    "typos": '''# 本单位常见的错别字。每条：wrong（错误写法）和 right（正确写法）。
# [[typo]]
# wrong = "布署"
# right = "部署"
''',
    "stats": '''# 本单位自己的统计事项，或修改已有事项（写上已有 id，只写要改的字段）。
# 改常规要求（如党课每年至少 2 次）：
# [[kind]]
# id = "dangke"
# norm = { per = "year", min = 2 }
#
# 给已有事项添加说法：
# [[kind]]
# id = "dangke"
# extra_phrases = ["微党课"]
#
# 新事项：
# [[kind]]
# id = "qingnian"
# name = "青年理论学习小组活动"
# category = "理论学习"
# phrases = ['青年理论学习小组(?:活动)?']
# measures = ["次"]
''',
}


@dataclass
class UserFile:
    key: str
    relative: str
    title: str

    @property
    def path(self):
        return resources.user_data_dir() / self.relative

    def read(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return EXAMPLES[self.key]


def user_files() -> list[UserFile]:
    return [UserFile(key, rel, title) for key, (rel, title) in USER_FILES.items()]


def validate(key: str, text: str) -> str | None:
    """None when `text` is a usable file for `key`, else a Chinese sentence saying what is wrong and
    on which line (the first problem; see `text_problems` for all)."""
    problems = text_problems(key, text, examples=False)
    return problems[0] if problems else None


def text_problems(key: str, text: str, examples: bool = True) -> list[str]:
    """Everything wrong with `text` as the user's file for `key`, in Chinese with lines: what breaks
    the file's declaration, then (`examples`) each example the rules, with this file in place, do not
    report as written."""
    relative = USER_FILES[key][0]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [f"格式有误：{toml_error(exc)}"]
    problems = schema.check(relative, data, resources.resources_dir(), shipped=resources.shipped(relative),
                            compile_regex=True, text=text)
    if problems or not examples:
        return [str(p) for p in problems]
    return [f"{e.where}：{reason}" for e, failed in example_results(key, text) for reason in failed]


def example_results(key: str, text: str) -> list:
    """(example, failures) for each example of the entries in `text`, run with `text` as the user's
    file for `key` (core.check.examples.run_user_file)."""
    from core.check.examples import run_user_file  # deferred: it loads every rule, which only a save needs

    return run_user_file(USER_FILES[key][0], text).results


def save(key: str, text: str, examples: bool = True) -> None:
    """Validate, run the examples (`examples`) and save; raises ValueError (bad content, a failing
    example) or drafts.SaveError (cannot write)."""
    problems = text_problems(key, text, examples)
    if problems:
        raise ValueError(problems[0])
    relative = USER_FILES[key][0]
    path = resources.user_data_dir() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    save_text(path, text)
    resources.clear_cache()


# --- the word lists as a table ----------------------------------------------------------------

COLUMNS = ("wrong", "right", "message", "severity", "example")
COLUMN_NAMES = {"wrong": "错误写法", "right": "正确写法", "message": "说明", "severity": "级别", "example": "示例"}


@dataclass
class WordRule:
    """One row of the table: a wrong form, the right one, why, how serious, an example sentence."""
    wrong: str = ""
    right: str = ""
    message: str = ""
    severity: str = "warning"
    example: str = ""
    id: str = ""
    extra: dict = field(default_factory=dict)  # other fields of the entry, written back as they were

    def is_empty(self) -> bool:
        return not any((self.wrong.strip(), self.right.strip(), self.message.strip(), self.example.strip()))


@dataclass
class RowProblem:
    row: int | None  # 0-based row of the table; None: an entry the table does not show
    column: str  # one of COLUMNS
    message: str  # Chinese, names the row and the column

    def __str__(self) -> str:
        return self.message


def read_word_rules(key: str) -> tuple[list[WordRule], list[dict]]:
    """The user's entries of a word list: the rows a table can show, and the entries it cannot
    (regular expressions), which are kept and written back untouched. A file that does not parse
    gives no rows: the caller shows `validate`'s message."""
    text = next(f for f in user_files() if f.key == key).read()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return [], []
    rows, others = [], []
    for entry in data.get(WORD_LISTS[key], []):
        if not isinstance(entry, dict) or "pattern" in entry or "wrong" not in entry:
            others.append(entry)
            continue
        # bad/good: the example keys of files saved before the one example shape (still read)
        known = {"id", "wrong", "right", "message", "severity", "example", "counterexample", "bad", "good"}
        example = str(entry.get("example", "")).replace("⟦", "").replace("⟧", "") or str(entry.get("bad", ""))
        rows.append(WordRule(wrong=str(entry.get("wrong", "")), right=str(entry.get("right", "")),
                             message=str(entry.get("message", "")),
                             severity=entry.get("severity", DEFAULT_SEVERITY[key]),
                             example=example, id=str(entry.get("id", "")),
                             extra={k: v for k, v in entry.items() if k not in known}))
    return rows, others


def check_word_rules(rules: list[WordRule]) -> list[RowProblem]:
    """What is wrong with each row, in Chinese, with the row and column to point at."""
    problems = []
    seen: dict[str, int] = {}
    for i, rule in enumerate(rules):
        if rule.is_empty():
            continue
        where = f"第{i + 1}行"
        wrong, right = rule.wrong.strip(), rule.right.strip()

        def add(column: str, text: str, i: int = i, where: str = where) -> None:
            problems.append(RowProblem(i, column, f"{where}“{COLUMN_NAMES[column]}”：{text}"))

        if not wrong:
            add("wrong", "请填写错误的写法。")
        elif "\n" in rule.wrong:
            add("wrong", "错误写法不能分行。")
        elif wrong in seen:
            add("wrong", f"“{wrong}”已在第{seen[wrong] + 1}行写过。")
        else:
            seen[wrong] = i
        if not right:
            add("right", "请填写正确的写法（要删除的文字不适合写在这里）。")
        elif wrong and wrong == right:
            add("right", "正确写法与错误写法相同。")
        elif wrong and wrong in right:
            add("right", "正确写法里含有错误写法，正确的文字也会被标出。这种条目要用正则表达式写在文件里。")
        if rule.severity not in SEVERITY_LABELS:
            add("severity", "级别只能是“错误”“警告”或“提示”。")
        if rule.example.strip() and wrong and wrong not in rule.example:
            add("example", f"示例中没有出现错误写法“{wrong}”。示例是一句含错误写法的原文，用来检验这条规则。")
        if "{" in rule.message or "}" in rule.message:
            add("message", "说明中不能有花括号 { }。")
    return problems


def _toml_string(value: str) -> str:
    # a JSON string is a valid TOML basic string (same escapes: \" \\ \n \uXXXX)
    return json.dumps(value, ensure_ascii=False)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise ValueError(f"无法写入的值：{value!r}")


def _toml_key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isascii() and key.replace("_", "").replace("-", "").isalnum() \
        else _toml_string(key)


def word_rules_toml(key: str, rules: list[WordRule], others: list[dict] = ()) -> str:
    """The same TOML file the loaders read: one [[term]] / [[typo]] per row."""
    table = WORD_LISTS[key]
    used = {str(e.get("id")) for e in others if isinstance(e, dict)}
    lines = [f"# {USER_FILES[key][1]}：本单位自己的条目，由“我的提法与统计事项”窗口保存。",
             "# 每条：wrong 错误写法，right 正确写法，message 说明，severity 级别；example 示例（⟦⟧ 标出错误写法），"
             "counterexample 改正后的示例。", ""]
    for n, rule in enumerate(r for r in rules if not r.is_empty()):
        ident = rule.id or f"user-{table}-{n + 1}"
        while ident in used:
            ident += "-1"
        used.add(ident)
        entry = {"id": ident, "wrong": rule.wrong.strip(), "right": rule.right.strip()}
        if rule.message.strip():
            entry["message"] = rule.message.strip()
        entry["severity"] = rule.severity
        if rule.example.strip():
            example, wrong = rule.example.strip(), rule.wrong.strip()
            # the shipped lists' example shape: the flagged words marked ⟦…⟧ (its first occurrence)
            entry["example"] = example.replace(wrong, f"⟦{wrong}⟧", 1)
            entry["counterexample"] = example.replace(wrong, rule.right.strip())
        entry.update(rule.extra)
        lines.append(f"[[{table}]]")
        lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in entry.items()]
        lines.append("")
    for entry in others:
        lines.append(f"[[{table}]]")
        lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in entry.items()]
        lines.append("")
    return "\n".join(lines)


# where a problem with one of an entry's keys is shown in the table
KEY_COLUMNS = {"wrong": "wrong", "right": "right", "message": "message", "severity": "severity",
               "example": "example", "counterexample": "example", "suggestion": "example", "expect": "example"}


def row_problems(key: str, rules: list[WordRule], others: list[dict] = (), examples: bool = True) -> list[RowProblem]:
    """What is wrong with the table, at its rows and columns: the rows' own mistakes first; when there
    are none, what breaks the file's declaration (a key kept from the file, such as a misspelt one)
    and (`examples`) each example the rules, with these rows in place, do not report as written.
    A problem in an entry the table does not show (a regular expression) has row None."""
    problems = check_word_rules(rules)
    if problems:
        return problems
    text = word_rules_toml(key, rules, others)
    rows = [i for i, rule in enumerate(rules) if not rule.is_empty()]
    relative = USER_FILES[key][0]
    data = tomllib.loads(text)
    found = schema.check(relative, data, resources.resources_dir(), shipped=resources.shipped(relative),
                         compile_regex=True)
    out = []
    for p in found:
        n = p.entry[1] if len(p.entry) == 2 else None
        if n is not None and n < len(rows):
            column = KEY_COLUMNS.get(p.key, "wrong")
            what = f"“{COLUMN_NAMES[column]}”" if p.key in KEY_COLUMNS else f"的“{p.key}”"
            out.append(RowProblem(rows[n], column, f"第{rows[n] + 1}行{what}：{p.reason}"))
        else:
            out.append(RowProblem(None, "wrong", str(p)))
    if out or not examples:
        return out
    for example, failed in example_results(key, text):
        n = example.path[1] if len(example.path) == 2 else None
        for reason in failed:
            if n is not None and n < len(rows):
                out.append(RowProblem(rows[n], "example", f"第{rows[n] + 1}行“示例”：{reason}"))
            else:
                out.append(RowProblem(None, "example", f"{example.where}：{reason}"))
    return out


def save_word_rules(key: str, rules: list[WordRule], others: list[dict] = ()) -> None:
    """Check the rows (their examples run), write the TOML and use it at once.
    Raises ValueError with the first problem, or drafts.SaveError."""
    problems = row_problems(key, rules, others)
    if problems:
        raise ValueError(str(problems[0]))
    save(key, word_rules_toml(key, rules, others), examples=False)


RULE_LISTS = {"规范提法": ("rules/terms.toml", "term"), "时间相关提法": ("rules/outdated.toml", "outdated"),
              "错别字": ("rules/typos.toml", "typo"), "空白占位": ("rules/placeholder.toml", "placeholder"),
              "网页残留": ("rules/residue.toml", "residue"), "统计事项": ("stats.toml", "kind")}


def rule_counts() -> dict[str, tuple[int, int]]:
    """Entries the checker uses per list, and how many of them are the user's own (本单位添加)."""
    out = {}
    for name, (relative, table) in RULE_LISTS.items():
        total = len(resources.load(relative).get(table, []))
        mine = len(resources.user_file(relative)[0].get(table, []))  # those in use: bad ones are left out
        out[name] = (total, mine)
    return out
