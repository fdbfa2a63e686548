"""Rule `grammar`: the edges the examples in grammar.toml do not show."""
from __future__ import annotations

from core.check.engine import check
from core.check.rules import grammar
from core.check.rules.voice import quoted
from core.text.document import parse

HEAD = "市审计局2024年度全面从严治党主体责任落实情况报告\n现将有关情况报告如下：\n一、工作落实情况\n"


def _found(text: str):
    result = check(HEAD + text, rules=["grammar"])
    doc = result.document.text
    return [(f.message_id, doc[f.start:f.end], f.suggestion) for f in result.findings]


def test_quoted_words_are_the_speaker_s_not_the_unit_s():
    assert _found("习近平总书记指出：“为进一步加强党风廉政建设。”我们认真学习。") == []
    assert quoted(parse("他强调：“要‘抓’好。”随后"))[5] == 1


def test_a_numbered_heading_is_not_a_fragment():
    assert _found("（一）为进一步加强党风廉政建设\n局党组召开专题会议，研究部署全年工作。") == []


def test_doubled_youguan_with_a_verb_between_is_two_phrases():
    assert _found("组织有关人员迅速分析有关情况，按照国家有关规定加大对参加有关技能竞赛的支持。") == []


def test_one_finding_per_place():
    found = _found("为进一步加强党风廉政建设。")
    assert len(found) == 1


def test_fragment_needs_the_sentence_to_stop_there():
    assert _found("为进一步加强党风廉政建设，局党组召开专题会议。") == []
    assert [f[0] for f in _found("为进一步加强党风廉政建设。局党组召开专题会议。")] == ["grammar.fragment-wei"]


def test_de_di_de_fixes_are_offered():
    found = _found("各支部“三会一课”落实的不够到位，党员认真的学习了党章。")
    assert [(f[1], f[2]) for f in found] == [("的", "得"), ("的", "地")]


def test_a_quoted_name_may_stand_inside_the_yi_wei_frame():
    """以创建“清廉机关”抓手: the name in quotes is part of what 以 takes, and 为 is still missing."""
    found = _found("以创建“清廉机关”抓手，推动廉洁文化建设。")
    assert [(f[0], f[1], f[2]) for f in found] == [("grammar.frame-yi-wei", "抓手", "为抓手")]
    assert _found("以创建“清廉机关”为抓手，推动廉洁文化建设，以“三个以案”警示教育为引领。") == []


def test_a_sentence_that_is_only_a_noun_phrase_lost_its_verb():
    found = _found("局党组开展警示教育3次。全体党员干部的纪律意识和规矩意识。")
    assert [(f[0], f[1]) for f in found] == [("grammar.no-predicate", "全体党员干部的纪律意识和规矩意识。")]


def test_a_noun_phrase_sentence_with_a_verb_a_count_or_a_nominal_verb_is_left_alone():
    for text in ("全体党员干部的纪律意识和规矩意识明显增强。",  # a verb
                 "其中，党员的谈心谈话12次。",  # a count: lists of figures are verbless on purpose
                 "我们认真学习。年轻干部的培养使用。",  # 的 + verb: a noun
                 "我们坚持统一领导。统一的部署和要求。",  # an adjective before 的: 统一 builds the phrase
                 "习近平总书记强调：“全体党员的理想信念。”"):  # a quotation
        assert [f for f in _found(text) if f[0] == "grammar.no-predicate"] == [], text


def test_de_for_de_after_any_verb_with_a_degree_complement():
    found = _found("党员学习笔记记录的不够详细，个别支部学习的不够深入。")
    assert [(f[1], f[2]) for f in found] == [("的", "得"), ("的", "得")]
    assert _found("他是比较好的同志，取得了很好的成绩。") == []


def test_every_pattern_starts_with_something_the_re_module_can_scan_for():
    """grammar runs each pattern over the whole text: one that begins with a look-behind or a look-ahead
    is tried at every character (de-for-de-complement cost a third of a millisecond that way). Put the
    look-behind after the first character it guards: (?P<at>的)(?<=[\\u4e00-\\u9fff]的)."""
    from re import _parser

    from core.text import multimatch

    for entry in grammar.patterns():
        tree = _parser.parse(entry.regex.pattern, entry.regex.flags)
        assert multimatch._first_scan(tree, entry.regex.flags), entry.id
