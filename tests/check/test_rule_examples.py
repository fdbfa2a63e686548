"""Every rule example in resources/ is run here, with the same code `main.py rules test` and 我的提法
use (core/check/examples.py, where the example shape is described); where the examples of each file
are is declared in resources/schema.toml."""
from __future__ import annotations

import pytest
from helpers import CLEAN, ROOT, SEEDS, read_fixture

from core import resources
from core.check import examples as ex
from core.check.checklist import declarations, declared_items
from core.check.compare import PreviousReport
from core.check.engine import check
from core.check.examples import apply_suggestions  # noqa: F401 - tests/text/test_properties.py imports it from here
from core.check.rules import RULES
from core.check.rules.messages import messages

# Users' own lists in the shape the per-user folder holds them; their entries have no message of
# their own, so they are the examples of the lists' default messages (term.list …).
USER_LISTS = ROOT / "tests" / "fixtures" / "user_rules"


def _user_list_reports() -> list:
    return [ex.run_user_file(p.relative_to(USER_LISTS).as_posix(), p.read_text(encoding="utf-8"))
            for p in sorted(USER_LISTS.rglob("*.toml"))]


@pytest.mark.parametrize("example", [pytest.param(e, id=f"{e.file}:{e.rule}:{e.label}")
                                     for e in ex.shipped_examples()])
def test_rule_example(example):
    assert ex.failures(example) == [], example.where


def test_users_lists_examples_pass_as_the_checker_uses_them():
    reports = _user_list_reports()
    assert len(reports) == 4
    for report in reports:
        assert report.problems == [] and report.results, report.file
        assert report.failed == [], [(e.where, f) for e, f in report.failed]


def example_texts() -> list[str]:
    """The code rules' example texts (markers removed), for the tests over all findings of a full check
    (the word lists' thousand sentences would cost minutes there)."""
    return [ex.unmarked(ex.framed(e, e.entry["example"], e.entry.get("date")))
            for e in ex.shipped_examples("rules/examples.toml") if "example" in e.entry]


def test_every_rule_has_an_example():
    covered = {e.rule for e in ex.shipped_examples() if "example" in e.entry}
    assert set(RULES) <= covered, set(RULES) - covered


def test_every_message_has_an_example():
    """Each message a rule can report is shown by at least one example; a list's default message
    (term.list …) only ever shows for a user's entry without a message of its own, so a user's list
    in tests/fixtures/user_rules shows it."""
    covered = {ex.expected(e)[0] for e in ex.shipped_examples() if "example" in e.entry}
    for report in _user_list_reports():
        covered |= {ex.expected(e)[0] for e, _ in report.results if "example" in e.entry}
    assert sorted(set(messages()) - covered) == []


def test_a_broken_example_names_its_file_rule_and_example():
    entry = {"rule": "title", "note": "坏例子", "example": "⟦市审计局⟧2024年度全面从严治党主体责任落实情况报告",
             "expect": "title.no-year"}
    example = ex.Example("rules/examples.toml", "title", "example #1 坏例子", entry, {}, line=12)
    assert example.where == "rules/examples.toml 第12行 [title] example #1 坏例子"
    assert ex.failures(example) == ["例子中⟦市审计局⟧处没有查出问题；规则查出的是：没有查出任何问题。"]


def test_an_example_reported_twice_fails():
    """An example shows one thing: the message it expects is reported once, where it is marked."""
    shipped = next(e for e in ex.shipped_examples("rules/typos.toml") if e.entry.get("id") == "zhang-account")
    entry = {**shipped.entry, "example": "努力做到⟦帐⟧实相符和帐目清楚。"}
    failed = ex.failures(ex.Example("rules/typos.toml", "typo", "typo #1", entry, {}))
    assert len(failed) == 1 and "应恰好报出一次，却报出2次" in failed[0]


def test_a_pair_of_straight_quotes_becomes_chinese_quotes():
    """The straight-quote example has one quote (each example is reported once); a pair alternates."""
    text = '一、工作落实情况\n严格落实"三会一课"制度。'
    assert [f.suggestion for f in ex.rule_findings(text, "punctuation")] == ["“", "”"]


def test_every_rule_says_why_its_severities_are_what_they_are():
    """checklist.toml [rule.<id>] severity.<level> gives a one-line reason for each level a rule can report."""
    reasons = {rule_id: d.severity for rule_id, d in declarations().items()}
    assert set(RULES) | {"copied", "followup"} <= set(reasons)
    for rule_id, levels in reasons.items():
        assert set(levels) <= {"error", "warning", "info"} and all(levels.values()), rule_id
    for msg in messages().values():
        assert msg.levels() <= set(reasons.get(msg.rule, {})), (msg.id, msg.levels())


def test_rules_report_only_the_severities_they_explain():
    reasons = {rule_id: d.severity for rule_id, d in declarations().items()}
    texts = [read_fixture(p) for p in SEEDS] + example_texts()
    for text in texts:
        for f in check(text).findings:
            assert f.severity in reasons.get(f.rule, {}), (f.rule, f.severity, f.message)


def test_every_rule_the_engine_can_report_has_a_checklist_item():
    """A rule missing from checklist.toml would land silently in “其他”."""
    listed = {r for item in declared_items() for r in item.rules}
    reported = set(RULES)
    for example in resources.load("rules/compare.toml")["example"]:
        new = ex.unmarked(example.get("example") or example["counterexample"])
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
