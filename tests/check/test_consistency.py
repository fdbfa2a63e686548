"""Rules `body-name` and `consistency`: the unit's own Party body, 文号, dates and the 落款. The data's
examples run in test_rule_examples.py; these pin the edges."""
from __future__ import annotations

from core.check.engine import check

HEAD = "市审计局党组2024年度全面从严治党主体责任落实情况报告\n现将有关情况报告如下：\n一、工作落实情况\n"
SCHOOL = "2024年度某中学党委全面从严治党主体责任落实情况报告\n现将有关情况报告如下：\n一、工作情况\n"


def _found(text: str, rule: str):
    result = check(text, rules=[rule])
    doc = result.document.text
    return [(f.message_id, f.severity, doc[f.start:f.end], f.suggestion) for f in result.findings]


def test_body_name_leaves_other_bodies_and_generic_pairs_alone():
    text = SCHOOL + ("认真落实《党委（党组）落实全面从严治党主体责任规定》，传达市教育局党组会议精神，"
                     "局党组书记到校调研，各级党组书记抓党建述职会议召开。")
    assert _found(text, "body-name") == []


def test_body_name_is_silent_when_the_report_does_not_say_whose_it_is():
    text = "2024年度全面从严治党主体责任落实情况报告\n现将有关情况报告如下：\n一、工作情况\n全年召开党组会12次，党委会4次。"
    assert _found(text, "body-name") == []


def test_body_name_reads_the_signature():
    text = ("2024年度全面从严治党主体责任落实情况报告\n现将有关情况报告如下：\n一、工作情况\n全年召开党组会12次。\n"
            "中共某某学校委员会\n2025年1月10日")
    assert [f[0] for f in _found(text, "body-name")] == ["body-name.bare-other"]


def test_a_court_case_number_is_not_a_doc_number():
    assert _found(HEAD + "依据（2024）浙0602刑初123号判决书，给予开除党籍处分。", "consistency") == []


def test_doc_number_with_square_brackets_alone_is_still_reported():
    found = _found(HEAD + "按照《通知》（市纪发[2024]12号）要求开展自查。", "consistency")
    assert found == [("consistency.doc-number", "warning", "市纪发[2024]12号", "市纪发〔2024〕12号")]


def test_leap_day_exists_only_in_leap_years():
    assert _found(HEAD + "2024年2月29日，召开党组会。", "consistency") == []
    assert [f[0] for f in _found(HEAD + "2023年2月29日，召开党组会。", "consistency")] == ["consistency.no-such-date"]
    assert [f[0] for f in _found(HEAD + "13月5日，召开党组会。", "consistency")] == ["consistency.no-such-date"]


def test_a_right_weekday_is_silent():
    assert _found(HEAD + "2024年3月5日（星期二）召开民主生活会。", "consistency") == []


def test_chinese_numerals_in_an_old_signature_follow_the_old_standard():
    old = ("市审计局党组2010年度党风廉政建设责任制落实情况报告\n现将有关情况报告如下：\n一、工作落实情况\n"
           "全年召开党组会24次。\n中共市审计局党组\n二〇一一年一月十日")
    assert _found(old, "consistency") == []


def test_an_ordinary_last_paragraph_is_not_an_undated_signature():
    text = HEAD + "全年召开党组会24次。\n二、下一步工作打算\n持续加强党的建设"
    assert _found(text, "consistency") == []
