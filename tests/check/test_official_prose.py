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


def _severity(text, rule, message_id):
    return [f.severity for f in check(text, rules=[rule]).findings if f.message_id == message_id]


def test_dunhao_between_titles_is_a_warning_in_own_words_and_a_hint_in_an_authoritys_text():
    own = REPORT_HEAD + "认真学习《纪律处分条例》、《问责条例》。\n"
    assert _severity(own, "punctuation", "punctuation.dunhao-between-titles") == ["warning"]
    issued = "国务院关于加强安全生产工作的通知\n各地要严格执行《安全生产法》、《消防法》。\n"
    assert _severity(issued, "punctuation", "punctuation.dunhao-between-titles") == ["info"]
    older = "关于加强安全生产工作的意见\n１９９８年，各地要严格执行《安全生产法》、《消防法》。１９９７年已部署。\n"
    assert _severity(older, "punctuation", "punctuation.dunhao-between-titles") == ["info"]


# --- dated rules: the date the words refer to ----------------------------------------------------

def test_old_spellings_in_a_text_written_before_the_standard_are_not_typos():
    old = "政府工作报告\n各位代表：\n１９９５年，我们实行社会统筹和个人帐户相结合，清理呆坏帐。１９９４年的工作如下。\n"
    assert _found(old, "typo") == []
    new = REPORT_HEAD + "组织资产清查，做到帐实相符。\n"
    assert [f[0] for f in _found(new, "typo")] == ["帐"]


def test_a_word_that_ends_an_idiom_is_not_typed_twice():
    assert _found("解放思想、实事求是是我们党的思想路线。", "typo") == []
    assert [f[0] for f in _found("理论武装是是首要政治任务。", "typo")] == ["是是"]


def test_deliberate_reduplication_is_not_a_slip():
    text = ("要一个领域一个领域合理确定目标任务。人民经历了太多太多的磨难。他从不大笔大笔收钱。"
            "老板请托他“关心关心”。公仆公仆，一要为公，二要为仆。设立新兴产业创业创新平台。")
    assert _found(text, "typo") == []
    assert [f[0] for f in _found("营造浓厚的教研氛围氛围。", "typo")] == ["氛围氛围"]


# --- severity that claims no more certainty than it has -------------------------------------------

DIYI_HEAD = "县农业农村局党组书记2024年履行全面从严治党第一责任人职责情况报告\n现将有关情况报告如下：\n一、带头加强政治建设\n"


def test_organised_and_attended_counts_can_both_be_true():
    both = DIYI_HEAD + "全年主持召开党组会26次。我带头执行民主集中制，参加党组会20次。\n"
    assert _severity(both, "count-consistency", "count-consistency.differs") == ["warning"]
    same = DIYI_HEAD + "全年主持召开党组会26次。严格落实议事规则，召开党组会20次。\n"
    assert _severity(same, "count-consistency", "count-consistency.differs") == ["error"]


# --- part recognition in reports ---------------------------------------------------------------------

def test_a_work_heading_naming_problems_and_a_causes_section_are_not_the_problems_part():
    text = ("市审计局2024年度全面从严治党主体责任落实情况报告\n现将有关情况报告如下：\n"
            "一、直面问题短板，推动巡察整改落实\n（一）建立整改台账。巡察反馈问题12个全部建账。\n"
            "二、存在的问题\n（一）理论学习不够系统。全年专题研讨仅2次。\n"
            "三、问题产生的原因\n（一）思想认识有偏差。\n四、下一步工作打算\n（一）完善理论学习制度，每季度专题研讨1次。\n")
    result = check(text)
    problems = result.parts["problems"]
    heads = [result.document.headings[i].title for i in problems.headings]
    assert heads == ["存在的问题"]
    assert not [f for f in result.findings if f.rule in ("section-missing", "problem-measure")]


def test_a_closing_pledge_is_not_a_problem():
    from core.check.rules.problems import items_of
    text = (DIYI_HEAD + "我主持召开党组会26次。\n过去一年，在督促班子成员履行“一岗双责”方面还存在差距。"
            "下一步，我将认真查找存在的不足，切实加以整改。\n")
    result = check(text)
    items = items_of(result.document, result.parts["problems"])
    assert [i.text for i in items] == ["过去一年，在督促班子成员履行“一岗双责”方面还存在差距。"]


def test_reported_speech_goes_on_with_he_and_a_central_meetings_statements_are_quoted():
    news = ("中共中央政治局召开会议 研究部署党风廉政建设工作\n中共中央政治局1月8日召开会议。\n"
            "会议强调，要坚持以新时代中国特色社会主义思想为指导。\n"
            "习近平在会上指出，要坚定不移推进全面从严治党。\n他强调，要用新时代中国特色社会主义思想统一思想。\n")
    assert _found(news, "term") == []
    unit = REPORT_HEAD + "会议强调，要坚持以新时代中国特色社会主义思想为指导。\n他强调，要用新时代中国特色社会主义思想统一思想。\n"
    assert len(_found(unit, "term")) == 2


def test_the_leaders_own_address_is_quoted_but_a_news_headline_about_it_is_not():
    address = "国家主席习近平发表二〇二五年新年贺词\n大家好！我们坚持以新时代中国特色社会主义思想为指导。\n"
    assert _found(address, "term") == []
    news = "习近平在某地考察时强调 推动高质量发展\n记者了解到，各地坚持以新时代中国特色社会主义思想为指导。\n"
    assert _found(news, "term")


def test_numbering_levels_other_than_the_ladder_are_hints():
    under = "一、主要任务\n（1）完善监督制度。\n（2）加强日常监督。\n"
    assert _severity(under, "numbering", "numbering.no-level3-parent") == ["info", "info"]
    inverted = "（一）关于经济形势\n一、农业稳定增长。\n二、工业稳步回升。\n（二）关于今后的任务\n"
    assert _severity(inverted, "numbering", "numbering.no-level1-parent") == ["info"]
    missing = "（一）加强学习。\n一、存在问题\n（一）学习不深。\n"
    assert _severity(missing, "numbering", "numbering.no-level1-parent") == ["warning"]
