"""Focused tests of rule mechanics the data examples do not reach."""
from __future__ import annotations

from core import resources
from core.check.engine import check, excerpt, line_column


def _found(text, rule, report_type=None):
    result = check(text, report_type=report_type, rules=[rule])
    return [(result.document.text[f.start:f.end], f.severity, f.suggestion) for f in result.findings]


def test_old_wording_inside_a_quoted_document_title_is_left_alone():
    quoted = "学习《关于坚持和完善“两个坚决维护”的若干意见》。"
    plain = "坚定落实“两个坚决维护”。"
    assert _found(quoted, "term") == []
    assert _found(plain, "term")
    # errors are still reported inside titles: 《xjp著作选读》
    assert _found("购置《xjp著作选读》。", "term") == [("xjp", "error", "习近平")]


def test_a_whole_residue_line_is_deleted_with_its_line_break():
    text = "标题报告\n##paidend##\n正文。"
    result = check(text, rules=["residue"])
    f = result.findings[0]
    assert text[f.start:f.end] == "##paidend##\n" and f.suggestion == ""


def test_first_entry_wins_where_two_overlap():
    found = _found("学习xjp著作选读。", "term")
    assert found == [("xjp", "error", "习近平")]


def test_each_blank_is_one_error():
    found = _found("召开党组会*次，讲党课×次，举办XX期培训，市**局，20xx年，（待补充）。", "placeholder")
    assert [f[0] for f in found] == ["*", "×", "XX", "**", "20xx", "（待补充）"]
    assert all(f[1] == "error" for f in found)


def test_document_numbers_and_decimals_are_not_blanks_or_headings():
    text = "市审计局2024年度全面从严治党主体责任落实情况报告\n依据〔2024〕12号文件，完成率98.5%。\n"
    assert _found(text, "placeholder") == []
    assert check(text).document.headings == []


def test_quarterly_plan_may_speak_of_the_same_year():
    base = "区司法局2024年第三季度全面从严治党主体责任落实情况报告\n现将有关情况报告如下：\n一、工作落实情况\n二、存在的问题\n三、下一步工作打算\n"
    assert _found(base + "2024年第四季度，我局将继续加强学习。", "period") == []
    assert _found(base + "2023年，我局将继续加强学习。", "period")


def test_user_word_list_is_merged_over_the_shipped_one(user_home):
    (user_home / "rules").mkdir()
    (user_home / "rules" / "terms.toml").write_text(
        '[[term]]\nid = "local-name"\nwrong = "市审计所"\nright = "市审计局"\n'
        'bad = "市审计所党组。"\ngood = "市审计局党组。"\n', encoding="utf-8")
    resources.clear_cache()
    assert _found("市审计所党组认真落实。", "term") == [("市审计所", "error", "市审计局")]
    assert _found("学习xjp讲话。", "term")  # shipped entries are still there


def test_a_broken_user_file_names_itself_and_checking_goes_on(user_home):
    (user_home / "rules").mkdir()
    (user_home / "rules" / "terms.toml").write_text("[[term]\nbroken", encoding="utf-8")
    resources.clear_cache()
    assert _found("学习xjp讲话。", "term")  # the shipped list still works (issue 25 point 15)
    said = [str(p) for p in resources.user_problems()]
    assert len(said) == 1 and "rules/terms.toml" in said[0] and "第1行" in said[0] and "暂不使用" in said[0]


def test_checklist_status_follows_the_worst_finding():
    result = check("召开党组会*次。")
    items = {i.id: i for i in result.checklist}
    assert items["placeholder"].status == "fail"
    assert items["placeholder"].count == 1
    assert items["typo"].status == "pass"


def test_coverage_only_for_zhuti_and_shuze():
    ids = {i.id for i in check("关于落实全面从严治党主体责任情况通报\n正文。").checklist}
    assert "coverage" not in ids
    ids = {i.id for i in check("市审计局2024年度全面从严治党主体责任落实情况报告\n正文。").checklist}
    assert "coverage" in ids


def test_line_column_and_excerpt():
    text = "第一行\n第二行有问题的地方\n"
    start = text.index("问题")
    assert line_column(text, start) == (2, 5)
    assert excerpt(text, start, start + 2, context=2) == "…行有问题的地…"


def test_a_text_copied_with_ascii_punctuation_gets_one_warning_not_one_per_paragraph():
    paragraph = "一是学习不够深入,二是调研不够,三是整改不彻底,四是监督不力。\n"
    text = "一、工作落实情况\n" + paragraph * 6
    found = [f for f in check(text, rules=["punctuation"]).findings if f.rule == "punctuation"]
    assert len(found) == 6
    assert [f.severity for f in found].count("warning") == 1
    assert "共18处，分在6个地方" in next(f.message for f in found if f.severity == "warning")
    assert all(f.suggestion for f in found)  # 全部修正 still turns every one of them


def test_repeated_words_are_looked_for_only_where_characters_come_again():
    """_repeated_matches gives what _REPEATED.finditer gives (the same spans, in order), trying the
    expression only where two characters recur two to four places on."""
    import random

    from core.check.rules import repeated

    cases = ["", "研", "研究研究", "主体责任主体责任主体责任", "氛围氛围。", "党的党的建设", "工作工作工",
             "实事求是是", "一个一个", "哈哈哈哈", "𠀀𠀀𠀀𠀀研究研究", "研究\ud800研究研究", "abab研究ab研究"]
    rng = random.Random(7)
    alphabet = "研究工作党的建设主体责任，。"
    cases += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(500)]
    for text in cases:
        expected = [m.span() for m in repeated._REPEATED.finditer(text)]
        assert [m.span() for m in repeated._repeated_matches(text)] == expected, text
