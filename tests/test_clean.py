"""Hand-written clean reports (tests/fixtures/clean/) must stay free of findings.

They are what a careful drafter hands in; any finding on them is a false positive to fix in the
rules, not in the fixture.
"""
from __future__ import annotations

import pytest

from conftest import CLEAN, read_fixture
from core.engine import check

EXPECTED_TYPES = {"zhuti_2024_annual": "zhuti", "zhuti_2024_q3": "zhuti", "diyi_2023": "diyi",
                  "shuze_2024": "shuze"}


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
