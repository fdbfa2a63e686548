"""Issue 20: edited official prose gets no false alarms, and the defects stay caught.

Each test pins one family of false alarm in the mechanism (not a string): the texts are written
here in the manner of the corpus, never copied from it.
"""
from __future__ import annotations

from core.check.engine import check


def _found(text, rule, report_type=None):
    result = check(text, report_type=report_type, rules=[rule])
    return [(result.document.text[f.start:f.end], f.severity, f.message_id) for f in result.findings
            if f.severity != "info"]


# --- 某某 and （单位） ---------------------------------------------------------------------------

def test_anonymised_names_and_alternatives_are_the_genres_convention():
    text = ("经查，王某某、欧阳某某违规收受礼品，给予王某某党内警告处分。"
            "机关（单位）工作人员和有关部门（单位）负责人应当参加。")
    assert _found(text, "placeholder") == []


def test_template_slots_are_still_blanks():
    found = _found("某某单位党组认真落实主体责任。\n（单位）党组书记为第一责任人，（单位名称）负责。", "placeholder")
    assert [f[0] for f in found] == ["某某", "（单位）", "（单位名称）"]
    assert all(f[1] == "error" for f in found)
