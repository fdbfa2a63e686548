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


# --- who is speaking --------------------------------------------------------------------------------

REPORT_HEAD = "市审计局2024年度全面从严治党主体责任落实情况报告\n现将有关情况报告如下：\n一、工作落实情况\n"


def test_the_units_own_sentence_is_judged_but_a_quotation_is_left_alone():
    own = REPORT_HEAD + "局党组坚持以新时代中国特色社会主义思想为指导。\n"
    assert [f[2] for f in _found(own, "term")] == ["term.xi-thought-name-dropped"]
    quoted = (REPORT_HEAD + "习近平总书记强调，要用新时代中国特色社会主义思想统一思想、统一行动。\n"
              "党的二十大报告明确指出：“十八大以来，全面从严治党取得历史性成就。”局党组坚决贯彻。\n")
    assert _found(quoted, "term") == []


def test_errors_are_reported_in_quoted_words_too():
    quoted = REPORT_HEAD + "习近平总书记强调，要落实一岗两责。\n"
    assert [f[1] for f in _found(quoted, "term")] == ["error"]


def test_a_text_whose_speaker_is_the_authority_is_quoted_throughout():
    speech = "在全国科技大会上的讲话\n习近平\n同志们：\n我们要坚持以新时代中国特色社会主义思想为指导。\n"
    congress = "团结奋斗\n同志们：\n现在，我代表第十九届中央委员会向大会作报告。\n十八大以来，我们坚持以新时代中国特色社会主义思想为指导。\n"
    assert _found(speech, "term") == [] and _found(congress, "term") == []
    # the same words signed by a unit's leader are judged
    local = "在全市科技大会上的讲话\n张建国\n同志们：\n我们要坚持以新时代中国特色社会主义思想为指导。\n"
    assert _found(local, "term")


def test_a_reprinted_regulation_is_quoted():
    text = ("近日，中共中央印发了《某某工作条例》。\n《某某工作条例》全文如下。\n第一条　为坚持以新时代中国特色社会主义思想为指导，制定本条例。\n")
    assert _found(text, "term") == []
