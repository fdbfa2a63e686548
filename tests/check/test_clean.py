"""Hand-written clean reports (tests/fixtures/clean/) must stay free of findings.

They are what a careful drafter hands in; any finding on them is a false positive to fix in the
rules, not in the fixture.
"""
from __future__ import annotations

import pytest
from helpers import CLEAN, read_fixture

from core.check.engine import check

EXPECTED_TYPES = {"zhuti_2024_annual": "zhuti", "zhuti_2024_q3": "zhuti", "diyi_2023": "diyi",
                  "shuze_2024": "shuze", "zhuti_2025_q2_inline": "zhuti", "zhuti_2025_annual_combined": "zhuti",
                  "shuze_2025_oral_member": "shuze", "shuze_2024_secretary": "shuze"}


def test_there_is_a_clean_report_of_each_type():
    assert {p.stem for p in CLEAN} == set(EXPECTED_TYPES)


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.stem)
def test_clean_report_has_no_findings(path):
    result = check(read_fixture(path))
    assert result.document.meta.type == EXPECTED_TYPES[path.stem]
    assert [(f.rule, f.message) for f in result.findings] == []


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.stem)
def test_clean_report_checklist_all_pass(path):
    result = check(read_fixture(path))
    assert all(item.status == "pass" for item in result.checklist)
    assert {"title", "structure", "placeholder", "problems", "measures", "period"} <= {
        item.id for item in result.checklist}


def test_breaking_a_clean_report_is_caught():
    text = read_fixture(next(p for p in CLEAN if p.stem == "zhuti_2024_annual"))
    broken = text.replace("二、存在的问题", "二、其他情况").rstrip().rstrip("。")
    errors = [f.rule for f in check(broken).findings if f.severity == "error"]
    assert {"section-missing", "truncated"} <= set(errors)
    # the absent problems part is one finding, not one per rule
    assert errors.count("section-missing") == 1 and "problem-depth" not in errors


def _fixture(stem: str):
    return check(read_fixture(next(p for p in CLEAN if p.stem == stem)))


def _items(result, part_id):
    from core.check.rules.problems import items_of

    return items_of(result.document, result.parts[part_id])


def test_inline_problems_and_measures_are_parts():
    """对照上级要求，自身还有一些差距：一是… / 针对上述问题，下一步一是…: found by what they say."""
    result = _fixture("zhuti_2025_q2_inline")
    problems = result.parts["problems"]
    assert problems.found and problems.by_content and not problems.headings
    assert [i.title[:4] for i in _items(result, "problems")] == ["一是理论", "二是校园", "三是个别"]
    assert len(_items(result, "plan")) == 3


def test_one_part_with_problems_and_measures_is_split():
    """二、存在问题及整改措施 →（一）存在的问题 1.–5. （二）整改措施 1.–5."""
    result = _fixture("zhuti_2025_annual_combined")
    problems, plan = _items(result, "problems"), _items(result, "plan")
    assert len(problems) == 5 and problems[0].title.startswith("理论学习转化运用不够")
    assert len(plan) == 5 and plan[0].title.startswith("深化理论学习")


def test_a_members_oral_report_is_judged_as_one():
    """述职 to a meeting: its opening is free; a member's 述责述廉 is not held to the eight areas."""
    result = _fixture("shuze_2025_oral_member")
    assert result.document.paragraphs[0].kind == "byline"
    assert "secretary" not in result.document.meta.variants
    assert result.parts["lianjie"].found


def test_a_secretarys_integrity_sub_part_is_found():
    result = _fixture("shuze_2024_secretary")
    assert "secretary" in result.document.meta.variants
    lianjie = result.parts["lianjie"]
    assert lianjie.found and result.document.headings[lianjie.headings[0]].title.startswith("坚守廉洁自律")
