"""Every entry of every rule's data carries an example that must trigger it and one that must not.

One parametrized test runs them all, so adding a word-list entry or a rule example is enough to
have it tested.
"""
from __future__ import annotations

import pytest

from core import resources
from core.check.engine import check
from core.check.rules import RULES
from core.check.rules.coverage import areas, lianjie
from core.check.rules.problems import Item, answered_by, is_concrete

WORD_LISTS = [("rules/placeholder.toml", "placeholder", "placeholder"),
              ("rules/residue.toml", "residue", "residue"),
              ("rules/terms.toml", "term", "term"),
              ("rules/typos.toml", "typo", "typo")]


def _word_list_cases():
    for file, key, rule_id in WORD_LISTS:
        for n, entry in enumerate(resources.load(file).get(key, [])):
            name = entry.get("id") or entry.get("wrong") or str(n)
            yield pytest.param(rule_id, entry, id=f"{rule_id}:{name}")


def _rule_findings(text: str, rule_id: str, report_type: str | None = None):
    return [f for f in check(text, report_type=report_type, rules=[rule_id]).findings if f.rule == rule_id]


def apply_suggestions(text: str, findings) -> str:
    """Apply every suggestion, last first so earlier offsets stay valid; overlaps are skipped."""
    out, limit = text, len(text) + 1
    for f in sorted(findings, key=lambda f: f.start, reverse=True):
        if f.suggestion is None or f.end > limit:
            continue
        out = out[:f.start] + f.suggestion + out[f.end:]
        limit = f.start
    return out


@pytest.mark.parametrize("rule_id,entry", list(_word_list_cases()))
def test_word_list_entry(rule_id, entry):
    bad = _rule_findings(entry["bad"], rule_id)
    assert bad, f"{rule_id} entry did not fire on its bad example: {entry['bad']}"
    assert not _rule_findings(entry["good"], rule_id), f"fired on its good example: {entry['good']}"
    if any(f.suggestion is not None for f in bad):
        fixed = apply_suggestions(entry["bad"], bad)
        left = [f for f in _rule_findings(fixed, rule_id) if f.suggestion is not None]
        assert not left, f"the fix re-triggers the rule: {fixed}"


_QUARTER_BY_MONTH = {3: "第一季度", 6: "上半年", 9: "第三季度", 12: "年度"}


def _dated_report(body: str, date: str, in_plan: bool) -> str:
    year, month = (int(x) for x in date.split("-"))
    period = _QUARTER_BY_MONTH.get(month, "年度")
    head = f"市审计局{year}年{period}全面从严治党主体责任落实情况报告\n现将有关情况报告如下：\n"
    if in_plan:
        return head + "一、工作落实情况\n二、存在的问题\n三、下一步工作打算\n" + body
    return head + "一、工作落实情况\n" + body


def _outdated_cases():
    for entry in resources.load("rules/outdated.toml").get("outdated", []):
        yield pytest.param(entry, id=f"outdated:{entry['id']}")


@pytest.mark.parametrize("entry", list(_outdated_cases()))
def test_outdated_entry(entry):
    in_plan = entry.get("scope") == "plan"
    bad = _dated_report(entry["bad"], entry["bad_date"], in_plan)
    good = _dated_report(entry["good"], entry["good_date"], in_plan)
    assert _rule_findings(bad, "outdated"), f"did not fire: {entry['bad']} @ {entry['bad_date']}"
    assert not _rule_findings(good, "outdated"), f"fired: {entry['good']} @ {entry['good_date']}"


def _example_cases():
    for n, entry in enumerate(resources.load("rules/examples.toml").get("example", [])):
        yield pytest.param(entry, id=f"{entry['rule']}:{entry.get('note', n)}")


@pytest.mark.parametrize("entry", list(_example_cases()))
def test_rule_example(entry):
    rule_id = entry["rule"]
    assert rule_id in RULES
    assert _rule_findings(entry["bad"], rule_id, entry.get("type")), entry["note"]
    assert not _rule_findings(entry["good"], rule_id, entry.get("type")), \
        [f.message for f in _rule_findings(entry["good"], rule_id, entry.get("type"))]


def _coverage_cases():
    for area in resources.load("rules/coverage.toml").get("area", []):
        yield pytest.param(area, id=f"coverage:{area['id']}")


@pytest.mark.parametrize("entry", list(_coverage_cases()))
def test_coverage_area(entry):
    area = next(a for a in areas() if a.id == entry["id"])
    assert area.present(entry["good"])
    assert not area.present(entry["bad"])


def test_lianjie_examples():
    whole, topics, min_topics = lianjie()
    for example in resources.load("rules/coverage.toml")["lianjie"]["example"]:
        assert whole.present(example["good"])
        covered = sum(t.present(example["good"]) for t in topics)
        # a `thin` example has 述廉 content, but too little of it (the rule warns, it does not fail)
        assert covered < min_topics if example.get("thin") else covered >= min_topics
        assert not whole.present(example["bad"])


def test_problem_data_examples():
    data = resources.load("rules/problems.toml")
    for example in data["depth"]["example"]:
        assert not is_concrete(example["bad"])
        assert is_concrete(example["good"])
    for example in data["measure"]["example"]:
        problem = _item(example["problem"])
        assert answered_by(problem, [_item(example["answered"])]) is not None
        assert answered_by(problem, [_item(example["unanswered"])]) is None


def _item(text: str) -> Item:
    title = text[:text.find("。") + 1]
    return Item(title, text, 0, len(text), len(title))


def test_every_rule_has_an_example():
    covered = {e["rule"] for e in resources.load("rules/examples.toml")["example"]}
    covered |= {rule_id for _, _, rule_id in WORD_LISTS} | {"outdated", "coverage"}
    assert set(RULES) <= covered, set(RULES) - covered


def test_repeated_word_examples():
    from core.check.rules.patterns import repeated_words

    for example in resources.load("rules/typos.toml")["repeated"]["example"]:
        assert repeated_words(example["bad"]), example["bad"]
        assert not repeated_words(example["good"]), example["good"]


def test_every_rule_says_why_its_severities_are_what_they_are():
    """checklist.toml [severity.<rule>] gives a one-line reason for each level a rule can report."""
    reasons = resources.load("checklist.toml").get("severity", {})
    assert set(RULES) | {"copied", "followup"} <= set(reasons)
    for rule_id, levels in reasons.items():
        assert set(levels) <= {"error", "warning", "info"} and all(levels.values()), rule_id


def test_rules_report_only_the_severities_they_explain():
    from conftest import SEEDS, read_fixture

    reasons = resources.load("checklist.toml")["severity"]
    texts = [read_fixture(p) for p in SEEDS]
    texts += [e["bad"] for e in resources.load("rules/examples.toml")["example"]]
    for text in texts:
        for f in check(text).findings:
            assert f.severity in reasons.get(f.rule, {}), (f.rule, f.severity, f.message)



def test_common_typo_list_examples():
    """The long list of plain pairs (typos_common.toml): every bad sentence is caught once, no good
    one is, and the fix is the good sentence. Run through the rule's own scanner in one test (1,500
    full checks would cost minutes)."""
    from core.check.rules.patterns import scan, typo_entries

    matchers = typo_entries()
    problems = []
    for entry in resources.load("rules/typos_common.toml")["typo"]:
        bad = scan(None, entry["bad"], "typo", matchers)
        at = entry["bad"].find(entry["wrong"])
        # one finding, on the wrong words (a longer entry of the list may be the one that claims them)
        if len(bad) != 1 or not (bad[0].start <= at < bad[0].end):
            problems.append(f"bad not caught once: {entry['bad']}")
        elif apply_suggestions(entry["bad"], bad) != entry["good"]:
            problems.append(f"fix gives {apply_suggestions(entry['bad'], bad)} not {entry['good']}")
        if scan(None, entry["good"], "typo", matchers):
            problems.append(f"fires on good: {entry['good']}")
    assert not problems, "\n".join(problems[:20])


def test_every_finding_lands_in_a_checklist_item_of_its_report_type():
    """A rule that fires for a type whose checklist does not show its item would land in “其他”."""
    from conftest import CLEAN, SEEDS, read_fixture

    texts = [read_fixture(p) for p in [*SEEDS, *CLEAN]]
    texts += [e["bad"] for e in resources.load("rules/examples.toml")["example"]]
    for text in texts:
        for report_type in (None, "zhuti", "diyi", "shuze", "tongbao"):
            result = check(text, report_type=report_type)
            assert not [i for i in result.checklist if i.id == "other"], (report_type, text[:40])
