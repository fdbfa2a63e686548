"""Run the ⟦⟧ examples of a rule or word-list file: the test suite, `main.py rules test` and 我的提法
(before it saves a user's list) all use this.

An example is a text with the span the rule must flag marked ⟦like this⟧, the message id it must
report (`expect`) and its suggestion (`suggestion`, absent: none); a counterexample is a text that
must give no finding of the rule. Optional: `type` (report type), `frame` (a named text of the
file's [frame] table the example is put into at {text}), `date` / `counter_date` ("YYYY-MM": fills
the frame's {year} and {period}), `old` (last period's report, for the comparison's rules). In a
word list the examples sit in the entries; there `expect` defaults to the entry's message
("<rule>.<id>" when it has its own, else "<rule>.list") and `suggestion` to a literal entry's `right`.
Where the examples are, and of which rule, is declared in resources/schema.toml (`examples`).

Each example must be reported exactly once: at the marked span, with the expected message and fix,
and that message nowhere else in the text.
"""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass

from core import resources, schema
from core.check.checklist import rules_with
from core.check.compare import PreviousReport
from core.check.engine import check
from core.check.rules import RULES
from core.check.rules.messages import messages

MARK = re.compile("⟦(.*?)⟧", re.S)
_PERIOD_BY_MONTH = {3: "第一季度", 6: "上半年", 9: "第三季度", 12: "年度"}


@dataclass
class Example:
    file: str  # relative to resources/, rules/terms.toml
    rule: str
    label: str  # term #3 xjp-abbreviation: which entry, for people
    entry: dict
    frame: dict  # the file's [frame] texts
    fix_is_counterexample: bool = False
    line: int | None = None  # of the entry in the file's text, when known
    path: tuple = ()  # of the entry in the file's data: ("term", 3)

    @property
    def word_list(self) -> bool:
        return "wrong" in self.entry or "pattern" in self.entry

    @property
    def where(self) -> str:
        at = f"第{self.line}行 " if self.line else ""
        return f"{self.file} {at}[{self.rule}] {self.label}"


def examples_of(file: str, data: dict, text: str | None = None) -> list[Example]:
    """The examples in `data` (the file `file` as parsed; `text` its source, for line numbers)."""
    lines = schema.key_lines(text) if text is not None else {}
    # a user's file may use the frames of the shipped one
    frames = {**resources.shipped(file).get("frame", {}), **data.get("frame", {})}
    out = []
    for source in schema.example_sources(resources.resources_dir(), file):
        path = tuple(source["at"].split("."))
        entries = data
        for key in path:
            entries = entries.get(key, {}) if isinstance(entries, dict) else {}
        for n, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict) or not ({"example", "counterexample"} & set(entry)):
                continue
            rule = source.get("rule") or entry.get("rule", "")
            name = entry.get("note") or entry.get("id") or entry.get("wrong") or entry.get("name") or ""
            out.append(Example(file, rule, f"{'.'.join(path)} #{n + 1} {name}".strip(), entry,
                               frames, bool(source.get("fix_is_counterexample")),
                               lines.get((*path, n)), (*path, n)))
    return out


def shipped_examples(file: str | None = None) -> list[Example]:
    """Every example of the shipped files (or of one)."""
    files = [file] if file else schema.declared_files(resources.resources_dir())
    out = []
    for name in files:
        text = (resources.resources_dir() / name).read_text(encoding="utf-8")
        out += examples_of(name, resources.shipped(name), text)
    return out


@dataclass
class FileReport:
    """A rule file checked as the program would use it: what breaks its declaration, and each example
    run with the failures it gave (an empty list: it passed)."""
    file: str
    problems: list  # core.schema.Problem; their entries are left out and their examples not run
    results: list[tuple[Example, list[str]]]

    @property
    def failed(self) -> list[tuple[Example, list[str]]]:
        return [(e, f) for e, f in self.results if f]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.failed


def run_user_file(file: str, text: str) -> FileReport:
    """`text` as the user's copy of `file` (not yet saved, or a copy elsewhere): checked against the
    declaration, and the examples of its entries run with it merged over the shipped lists, together
    with the user's other files, just as checking would use it."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        data = None
    with resources.overlay({file: text}):
        problems = list(resources.user_file(file)[1])
        left_out = {p.entry for p in problems}
        chosen = [] if data is None else [
            e for e in examples_of(file, data, text)
            if not any(e.path[:len(bad)] == bad for bad in left_out)]
        return FileReport(file, problems, [(e, failures(e)) for e in chosen])


def run_shipped_file(file: str) -> FileReport:
    """A shipped file's examples, with the shipped lists only (the user's additions set aside)."""
    text = (resources.resources_dir() / file).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    problems = schema.check(file, data, resources.resources_dir(), compile_regex=True, text=text)
    with resources.overlay({name: "" for name in schema.declared_files(resources.resources_dir())}):
        return FileReport(file, problems, [(e, failures(e)) for e in examples_of(file, data, text)])


def unmarked(text: str) -> str:
    return MARK.sub(r"\1", text)


def framed(example: Example, text: str, date: str | None) -> str:
    """The text put into its frame (if it names one), markers kept."""
    if "frame" not in example.entry:
        return text
    frame = example.frame[example.entry["frame"]]
    year, month = (int(x) for x in date.split("-")) if date else (None, None)
    return frame.format(text=text, year=year, period=_PERIOD_BY_MONTH.get(month, "年度"))


def marked_spans(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text without markers, and the marked spans in it."""
    spans, out, last = [], [], 0
    for m in MARK.finditer(text):
        out.append(text[last:m.start()])
        start = sum(map(len, out))
        out.append(m.group(1))
        spans.append((start, start + len(m.group(1))))
        last = m.end()
    out.append(text[last:])
    return "".join(out), spans


def rule_findings(text: str, rule: str, report_type: str | None = None, old: str | None = None):
    previous = PreviousReport(old) if old is not None else None
    return [f for f in check(text, report_type=report_type, rules=[rule], previous=previous).findings
            if f.rule == rule]


def apply_suggestions(text: str, findings) -> str:
    """Apply every suggestion, last first so earlier offsets stay valid; overlaps are skipped."""
    out, limit = text, len(text) + 1
    for f in sorted(findings, key=lambda f: f.start, reverse=True):
        if f.suggestion is None or f.end > limit:
            continue
        out = out[:f.start] + f.suggestion + out[f.end:]
        limit = f.start
    return out


def expected(example: Example) -> tuple[str | None, str | None]:
    """The message id and suggestion the example must give."""
    entry = example.entry
    if not example.word_list:
        return entry.get("expect"), entry.get("suggestion")
    own = f"{example.rule}.{entry.get('id') or entry.get('wrong')}" if "message" in entry else f"{example.rule}.list"
    return entry.get("expect", own), entry.get("suggestion", entry.get("right"))


@functools.cache
def word_list_message_ids() -> frozenset[str]:
    """The ids of shipped word-list entries with a message of their own (outdated.theme-education-…):
    an example of rules/examples.toml may expect one of them too."""
    return frozenset(expected(e)[0] for e in shipped_examples() if e.word_list and "message" in e.entry)


def describe(text: str, findings) -> str:
    """What the rule found, for people: 第3–6个字“市审计所”（term.list，建议“市审计局”）."""
    if not findings:
        return "没有查出任何问题"
    out = []
    for f in findings:
        fix = "，没有建议" if f.suggestion is None else "，建议删除" if f.suggestion == "" else f"，建议“{f.suggestion}”"
        out.append(f"第{f.start + 1}–{f.end}个字“{text[f.start:f.end]}”（{f.message_id}{fix}）")
    return "；".join(out)


def failures(example: Example) -> list[str]:
    """What is wrong with one example, in Chinese; empty when it passes."""
    entry, rule = example.entry, example.rule
    # the comparison's rules (declared needs_previous) are reported only when an example gives `old`
    if rule not in RULES and not (rule in rules_with("needs_previous") and "old" in entry):
        return [f"没有规则“{rule}”。"]
    out = []
    if "example" in entry:
        out += _example_failures(example)
    if "counterexample" in entry:
        text = unmarked(framed(example, entry["counterexample"], entry.get("counter_date", entry.get("date"))))
        found = rule_findings(text, rule, entry.get("type"), entry.get("old"))
        if found:
            out.append(f"反例“{_short(text)}”不应查出问题，却查出：{describe(text, found)}。")
    return out


def _example_failures(example: Example) -> list[str]:
    entry, rule = example.entry, example.rule
    text, spans = marked_spans(framed(example, entry["example"], entry.get("date")))
    if len(spans) != 1:
        return [f"例子应当用 ⟦ ⟧ 恰好标出一处要查出的文字，这里标了{len(spans)}处。"]
    span = spans[0]
    marked = text[span[0]:span[1]]
    msg_id, suggestion = expected(example)
    if not msg_id:
        return ["例子没有写 expect（应报出的提示编号）。"]
    if msg_id not in messages() and not (example.word_list and msg_id.startswith(f"{rule}.")) \
            and msg_id not in word_list_message_ids():
        return [f"提示编号“{msg_id}”不存在（见 resources/rules/messages.toml）。"]
    found = rule_findings(text, rule, entry.get("type"), entry.get("old"))
    hit = [f for f in found if (f.start, f.end) == span]
    if not hit:
        return [f"例子中⟦{marked}⟧处没有查出问题；规则查出的是：{describe(text, found)}。"]
    if not any(f.message_id == msg_id for f in hit):
        return [f"⟦{marked}⟧处应报出提示 {msg_id}，实际是：{describe(text, hit)}。"]
    if not any(f.message_id == msg_id and f.suggestion == suggestion for f in hit):
        want = "没有建议" if suggestion is None else "建议删除" if suggestion == "" else f"建议“{suggestion}”"
        return [f"⟦{marked}⟧处应{want}，实际是：{describe(text, hit)}。"]
    out = []
    same = [f for f in found if f.message_id == msg_id]
    if len(same) != 1:
        out.append(f"提示 {msg_id} 应恰好报出一次，却报出{len(same)}次：{describe(text, same)}。")
    # declared fix_rechecked (not outdated: the fix of a dated phrase may be dated too, judged by the period)
    if rule in rules_with("fix_rechecked") and example.word_list and suggestion is not None:
        fixed = apply_suggestions(text, found)
        left = [f for f in rule_findings(fixed, rule, entry.get("type")) if f.suggestion is not None]
        if left:
            out.append(f"按建议改正后“{_short(fixed)}”仍然查出：{describe(fixed, left)}。")
    if example.fix_is_counterexample:
        fixed = apply_suggestions(text, found)
        if fixed != entry.get("counterexample"):
            out.append(f"按建议改正后得到“{_short(fixed)}”，与反例“{entry.get('counterexample')}”不同。")
    return out


def _short(text: str, limit: int = 60) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= limit else text[:limit] + "…"
