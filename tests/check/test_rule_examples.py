"""Every rule example in resources/ is run here, all of one shape (see the top of each data file).

An example is a text with the span the rule must flag marked ⟦like this⟧, the message id it must
report (`expect`) and its suggestion (`suggestion`, absent: none); a counterexample is a text that
must give no finding of the rule. Optional: `type` (report type), `frame` (a named text of the
file's [frame] table the example is put into at {text}), `date` / `counter_date` ("YYYY-MM": fills
the frame's {year} and {period}). In a word list the examples sit in the entries; there `expect`
defaults to the entry's message ("<rule>.<id>" when it has its own, else "<rule>.list") and
`suggestion` to a literal entry's `right`.
"""
from __future__ import annotations

import re

import pytest
from conftest import CLEAN, SEEDS, read_fixture

from core import resources
from core.check.compare import PreviousReport
from core.check.engine import check
from core.check.rules import RULES
from core.check.rules.messages import messages

MARK = re.compile("⟦(.*?)⟧", re.S)


@pytest.fixture(scope="module")
def examples_home(tmp_path_factory):
    """One empty per-user folder for the whole module: these tests only read the shipped rules, and
    clearing the loaded rules before each of two thousand examples (conftest's user_home) recompiled
    the typo list every time — minutes instead of seconds."""
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("home")
        patch.setenv("REPORT_ASSISTANT_HOME", str(home))
        resources.clear_cache()
        yield home
    resources.clear_cache()


@pytest.fixture(autouse=True)
def user_home(examples_home):
    """Overrides conftest's per-test folder (see examples_home)."""
    return examples_home

# (file, where the examples are in it, the rule they are of; None: the entry's `rule`)
SOURCES = [
    ("rules/examples.toml", ("example",), None),
    ("rules/placeholder.toml", ("placeholder",), "placeholder"),
    ("rules/residue.toml", ("residue",), "residue"),
    ("rules/terms.toml", ("term",), "term"),
    ("rules/outdated.toml", ("outdated",), "outdated"),
    ("rules/typos.toml", ("typo",), "typo"),
    ("rules/typos.toml", ("repeated", "example"), "typo"),
    ("rules/typos.toml", ("doubled", "example"), "typo"),
    ("rules/typos_common.toml", ("typo",), "typo"),
    ("rules/coverage.toml", ("area",), "coverage"),
    ("rules/coverage.toml", ("lianjie", "example"), "coverage"),
    ("rules/problems.toml", ("depth", "example"), "problem-depth"),
    ("rules/problems.toml", ("measure", "example"), "problem-measure"),
    ("rules/compare.toml", ("example",), None),
    ("rules/formulations.toml", ("name",), "formulation"),
    ("rules/formulations.toml", ("campaign",), "formulation"),
    ("rules/formulations.toml", ("example",), "formulation"),
    ("rules/consistency.toml", ("example",), None),
    ("rules/grammar.toml", ("pattern",), "grammar"),
]
# rules reported only when the report is compared with last period's (an example gives `old`)
COMPARISON_RULES = {"copied", "followup"}
# word lists: an entry is a pattern; its fix must not trigger the rule again
WORD_LISTS = {"placeholder", "residue", "term", "typo"}
COMMON_TYPOS = "rules/typos_common.toml"  # plain pairs: caught once, and the fix is the counterexample
_PERIOD_BY_MONTH = {3: "第一季度", 6: "上半年", 9: "第三季度", 12: "年度"}


def _entries(file: str, path: tuple[str, ...]) -> list[dict]:
    data = resources.load(file)
    for key in path[:-1]:
        data = data.get(key, {})
    return data.get(path[-1], [])


def examples():
    """(file, rule, label, entry) for every example entry of every source."""
    for file, path, rule_id in SOURCES:
        for n, entry in enumerate(_entries(file, path)):
            rule = rule_id or entry["rule"]
            name = entry.get("note") or entry.get("id") or entry.get("wrong") or entry.get("name") or ""
            yield file, rule, f"{'.'.join(path)} #{n + 1} {name}".strip(), entry


def unmarked(text: str) -> str:
    return MARK.sub(r"\1", text)


def framed(file: str, entry: dict, text: str, date: str | None) -> str:
    """The text put into its frame (if it names one), markers kept."""
    if "frame" not in entry:
        return text
    frame = resources.load(file)["frame"][entry["frame"]]
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


def expected(rule: str, entry: dict, word_list: bool) -> tuple[str, str | None]:
    """The message id and suggestion the example must give."""
    if not word_list:
        return entry.get("expect"), entry.get("suggestion")
    default = f"{rule}.{entry.get('id') or entry.get('wrong')}" if "message" in entry else f"{rule}.list"
    return entry.get("expect", default), entry.get("suggestion", entry.get("right"))


def _describe(findings) -> str:
    return "; ".join(f"{f.start}-{f.end} {f.message_id} {f.suggestion!r}" for f in findings) or "no finding"


@pytest.mark.parametrize("file,rule,label,entry",
                         [pytest.param(*e, id=f"{e[0]}:{e[1]}:{e[2]}") for e in examples()])
def test_rule_example(file, rule, label, entry):
    where = f"{file} [{rule}] {label}"
    assert "example" in entry or "counterexample" in entry, f"{where}: neither example nor counterexample"
    assert rule in RULES or (rule in COMPARISON_RULES and "old" in entry), f"{where}: no rule {rule}"
    word_list = "wrong" in entry or "pattern" in entry
    if "example" in entry:
        text, spans = marked_spans(framed(file, entry, entry["example"], entry.get("date")))
        assert len(spans) == 1, f"{where}: the example must mark one span ⟦…⟧, it marks {len(spans)}"
        msg_id, suggestion = expected(rule, entry, word_list)
        assert msg_id, f"{where}: no expect"
        assert msg_id in messages() or (word_list and msg_id.startswith(f"{rule}.")), \
            f"{where}: unknown message id {msg_id}"
        found = rule_findings(text, rule, entry.get("type"), entry.get("old"))
        hit = [f for f in found if (f.start, f.end) == spans[0]]
        assert hit, f"{where}: nothing reported at ⟦{text[slice(*spans[0])]}⟧ ({_describe(found)})"
        assert any(f.message_id == msg_id for f in hit), f"{where}: expected {msg_id}, got {_describe(hit)}"
        assert any(f.message_id == msg_id and f.suggestion == suggestion for f in hit), \
            f"{where}: expected the suggestion {suggestion!r}, got {_describe(hit)}"
        if rule in WORD_LISTS and word_list and suggestion is not None:
            fixed = apply_suggestions(text, found)
            left = [f for f in rule_findings(fixed, rule, entry.get("type")) if f.suggestion is not None]
            assert not left, f"{where}: the fix re-triggers the rule: {fixed}"
        if file == COMMON_TYPOS:
            assert len(found) == 1, f"{where}: caught {len(found)} times: {_describe(found)}"
            assert apply_suggestions(text, found) == entry["counterexample"], \
                f"{where}: the fix gives {apply_suggestions(text, found)}"
    if "counterexample" in entry:
        text = unmarked(framed(file, entry, entry["counterexample"], entry.get("counter_date", entry.get("date"))))
        found = rule_findings(text, rule, entry.get("type"), entry.get("old"))
        assert not found, f"{where}: the counterexample gives {[f.message for f in found]}"


def example_texts() -> list[str]:
    """The code rules' example texts (markers removed), for the tests over all findings of a full check
    (the word lists' thousand sentences would cost minutes there)."""
    return [unmarked(framed(file, entry, entry["example"], entry.get("date")))
            for file, _, _, entry in examples() if "example" in entry and file == "rules/examples.toml"]


def test_every_rule_has_an_example():
    covered = {rule for _, rule, _, entry in examples() if "example" in entry}
    assert set(RULES) <= covered, set(RULES) - covered


def test_a_broken_example_names_its_file_rule_and_example():
    entry = {"rule": "title", "note": "坏例子", "example": "⟦市审计局⟧2024年度全面从严治党主体责任落实情况报告",
             "expect": "title.no-year"}
    with pytest.raises(AssertionError, match=r"rules/examples.toml \[title\] example #1 坏例子: nothing reported"):
        test_rule_example("rules/examples.toml", "title", "example #1 坏例子", entry)


def test_every_rule_says_why_its_severities_are_what_they_are():
    """checklist.toml [severity.<rule>] gives a one-line reason for each level a rule can report."""
    reasons = resources.load("checklist.toml").get("severity", {})
    assert set(RULES) | {"copied", "followup"} <= set(reasons)
    for rule_id, levels in reasons.items():
        assert set(levels) <= {"error", "warning", "info"} and all(levels.values()), rule_id
    for msg in messages().values():
        assert msg.levels() <= set(reasons.get(msg.rule, {})), (msg.id, msg.levels())


def test_rules_report_only_the_severities_they_explain():
    reasons = resources.load("checklist.toml")["severity"]
    texts = [read_fixture(p) for p in SEEDS] + example_texts()
    for text in texts:
        for f in check(text).findings:
            assert f.severity in reasons.get(f.rule, {}), (f.rule, f.severity, f.message)


def test_every_rule_the_engine_can_report_has_a_checklist_item():
    """A rule missing from checklist.toml would land silently in “其他”."""
    listed = {r for item in resources.load("checklist.toml")["item"] for r in item["rules"]}
    reported = set(RULES)
    for example in resources.load("rules/compare.toml")["example"]:
        new = unmarked(example.get("example") or example["counterexample"])
        reported |= {f.rule for f in check(new, previous=PreviousReport(example["old"])).findings}
    assert {"copied", "followup"} <= reported  # the comparison's rules were seen
    assert reported <= listed, f"not in any checklist.toml item: {sorted(reported - listed)}"


def test_every_finding_lands_in_a_checklist_item_of_its_report_type():
    """A rule that fires for a type whose checklist does not show its item would land in “其他”."""
    texts = [read_fixture(p) for p in [*SEEDS, *CLEAN]] + example_texts()
    for text in texts:
        for report_type in (None, "zhuti", "diyi", "shuze", "tongbao"):
            result = check(text, report_type=report_type)
            assert not [i for i in result.checklist if i.id == "other"], (report_type, text[:40])
