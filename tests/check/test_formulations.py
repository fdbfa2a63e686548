"""Rule `formulation`: near misses of official names found without listing them, 全会 届次, campaigns
against the report's period. The data's own examples run in test_rule_examples.py; these pin the
mechanism's edges."""
from __future__ import annotations

from core.check.engine import check
from core.check.rules.formulations import describe, distance, near_misses, title_misses

REPORT = "市审计局{year}年度全面从严治党主体责任落实情况报告\n现将有关情况报告如下：\n一、工作落实情况\n{text}"


def _found(text: str, year: int = 2024):
    result = check(REPORT.format(year=year, text=text), rules=["formulation"])
    doc = result.document.text
    return [(f.message_id, f.severity, doc[f.start:f.end], f.suggestion) for f in result.findings]


def test_distance_counts_a_swap_of_neighbours_once():
    assert distance("主体责任", "主体任责", 2) == 1
    assert distance("主体责任", "主体责任", 2) == 0
    assert distance("主体责任", "政治责任", 1) == 2  # over the limit: limit + 1


def test_describe_says_what_differs():
    assert describe("习近平新时代中国特色社会主义思想", "习近平新时代特色社会主义思想") == "漏了“中国”"
    assert describe("中央八项规定及其实施细则精神", "中央八项规定及其实施细则的精神") == "多了“的”"
    assert "词序" in describe("集中统一", "统一集中")


def test_a_name_changed_in_a_way_nobody_listed_is_found():
    # none of these strings is in any word list
    for wrong in ("习近平新时代中国特色社会主意思想", "习近平新时代中国特色社会主义的思想",
                  "习近平新时代中过特色社会主义思想"):
        found = _found(f"深入学习{wrong}，持续强化理论武装。")
        assert [f[0] for f in found] == ["formulation.near-miss"], (wrong, found)
        assert found[0][1] == "error" and found[0][2] == wrong
        assert found[0][3] == "习近平新时代中国特色社会主义思想"


def test_correct_names_and_their_listed_variants_are_silent():
    text = ("坚持以习近平新时代中国特色社会主义思想为指导，深入学习习近平经济思想、习近平法治思想，"
            "学习习近平新时代中国特色社会主义经济思想，严格落实中央八项规定及其实施细则精神，"
            "严格执行中央八项规定及其实施细则，坚定维护党中央权威和集中统一领导。")
    assert _found(text) == []


def test_a_stretch_that_shares_only_an_edge_character_is_another_word():
    # 学【习贯彻新时代…思想】 begins with the 习 of 学习: not a near miss of 习近平新时代…思想
    assert near_misses("深入学习贯彻新时代中国特色社会主义思想。") == []


def test_titles_compare_the_whole_title_and_ignore_the_edition():
    assert title_misses("学习《中国共产党纪律处分条例（2023年修订）》。") == []
    found = title_misses("学习《中国共产党纪律处份条例》。")
    assert [(f[2].name, f[3]) for f in found] == [("中国共产党纪律处分条例", "near-miss")]


def test_a_sibling_title_one_word_apart_is_not_a_near_miss():
    # two characters changed is another document, not a slip (保密法/监察法实施条例)
    assert title_misses("依据《中华人民共和国保密法实施条例》开展检查。") == []


def test_differences_in_numbers_only_are_not_near_misses():
    assert title_misses("学习《习近平关于全面从严治党论述摘编（2016年版）》。") == []


def test_name_before_its_date_gets_the_earlier_wording_as_the_fix():
    found = _found("深入学习习近平总书记关于党的自我革命的战略思想。", year=2023)
    assert found and found[0][3] == "关于党的自我革命的重要论述"
    found = _found("深入学习习近平总书记关于党的自我革命的战略思想。", year=2024)
    assert found and found[0][3] == "关于党的自我革命的重要思想"


def test_plenum_without_session_is_silent_when_the_text_names_the_session():
    assert _found("深入学习贯彻党的二十届三中全会精神，认真落实三中全会部署。") == []
    found = _found("认真落实三中全会部署。")
    assert found == [("formulation.plenum-no-session", "warning", "三中全会", "党的二十届三中全会")]


def test_plenum_lists_are_read_item_by_item():
    assert _found("深入学习贯彻党的十九大和十九届二中、三中、四中全会精神。", year=2019) == []
    found = _found("深入学习贯彻党的二十大和二十届二中、三中、四中全会精神。", year=2024)
    assert [f[0] for f in found] == ["formulation.plenum-before"]  # 四中全会 came in 2025-10


def test_quoted_plenum_is_the_speaker_s_words():
    assert _found("习近平总书记强调：“三中全会是划时代的。”") == []


def test_campaign_recalled_with_its_year_is_not_current():
    assert _found("2021年开展党史学习教育以来，我局持续推动学习常态化。", year=2022) == []
    assert _found("我局曾扎实开展保持共产党员先进性教育活动。", year=2023) == []


def test_campaign_current_only_in_a_report_of_a_known_type():
    text = "2023年工作要点\n一、工作安排\n扎实开展保持共产党员先进性教育活动。"
    assert check(text, rules=["formulation"]).findings == []


def test_campaign_in_the_plan_speaks_of_the_next_period():
    plan = ("市审计局2024年度全面从严治党主体责任落实情况报告\n现将有关情况报告如下：\n一、工作落实情况\n"
            "扎实开展党纪学习教育。\n二、存在的问题\n三、下一步工作打算\n扎实开展党纪学习教育。")
    found = check(plan, rules=["formulation"]).findings
    assert [f.message_id for f in found] == ["formulation.campaign-current"]
    assert found[0].start > plan.index("三、下一步")


def test_a_user_s_own_official_name_is_looked_for_and_protects_its_siblings(user_home):
    from core import resources

    (user_home / "rules").mkdir()
    (user_home / "rules" / "formulations.toml").write_text(
        '[canonical]\ndocument = ["某市机关党建工作责任制实施办法", "中华人民共和国保密法实施条例"]\n', encoding="utf-8")
    resources.clear_cache()
    found = title_misses("学习《某市机关党建工作责任制实施细法》。")
    assert [(f[2].name, f[3]) for f in found] == [("某市机关党建工作责任制实施办法", "near-miss")]
    assert title_misses("依据《中华人民共和国保密法实施条例》。") == []


def test_a_short_name_s_characters_in_another_order_are_other_words_unless_it_starts_the_same():
    assert near_misses("组织党员学习党纪教育读本。") == []
    found = near_misses("以党纪教育学习为契机。")
    assert [(f[2].name, f[3]) for f in found] == [("党纪学习教育", "reordered")]
