"""The families of false alarms and misses a held-out audit found (notes/h-audit.md), each pinned in
the mechanism with texts written here in the manner of the audited ones (never copied from them)."""
from __future__ import annotations

from core.check.engine import check


def _found(text, rule, report_type=None):
    result = check(text, report_type=report_type, rules=[rule])
    return [(result.document.text[f.start:f.end], f.severity, f.message_id) for f in result.findings]


# --- page furniture is residue, not a cut sentence ------------------------------------------------

def test_page_furniture_lines_are_residue_deleted_with_their_line():
    text = ("2024年度镇党委主要负责人履行全面从严治党第一责任人职责情况的报告\n"
            "更新时间：2024-12 来源：会员上传\n"
            "本年度，我认真履行第一责任人职责。\n"
            "声明：本站转载此文是出于传递更多信息之目的，若有侵权请与本站联系删除，谢谢。邮箱\n")
    found = _found(text, "residue")
    assert [f[0].rstrip("\n")[:6] for f in found] == ["更新时间：2", "声明：本站转"]
    assert all(f[1] == "error" for f in found)
    fixes = [f.suggestion for f in check(text, rules=["residue"]).findings]
    assert fixes == ["", ""]
    assert not [f for f in _found(text, "truncated") if "来源" in f[0] or "邮箱" in f[0]]


# --- the duty a 第一责任人 or 主体责任 report is about ----------------------------------------------

def test_a_report_on_another_duty_is_not_one_of_our_types():
    from core.text.document import parse

    for title in ("2025年度镇党委主要负责人履行推进法治建设第一责任人职责情况的报告",
                  "县应急管理局党组书记2024年度履行安全生产第一责任人职责情况报告",
                  "市文旅局党组2024年落实意识形态工作主体责任情况报告",
                  "县档案馆2024年度保密工作第一责任人履职情况报告"):
        assert parse(title + "\n本年度，我认真履行职责。\n").meta.type == "unknown", title
    for title, kind in (("市局党组书记2023年履行第一责任人职责情况报告", "diyi"),
                        ("县应急管理局党组书记2024年度履行全面从严治党和安全生产第一责任人职责情况报告", "diyi"),
                        ("市文旅局党组2024年落实全面从严治党主体责任情况报告", "zhuti")):
        assert parse(title + "\n本年度，我认真履行职责。\n").meta.type == kind, title
    # the preamble decides only when the title is silent, and the same duty test holds there
    body = "工作情况\n本年度，我认真履行推进法治建设第一责任人职责，现将有关情况报告如下：\n"
    assert parse(body).meta.type == "unknown"


def test_another_dutys_report_gets_no_coverage_or_norm_warnings():
    text = ("2025年度镇党委主要负责人履行推进法治建设第一责任人职责情况的报告\n"
            "本年度，我认真履行推进法治建设第一责任人职责，现将有关情况报告如下：\n"
            "一、工作情况\n"
            "（一）强化政治引领。年内组织专题学习研讨6次，带领班子成员系统学习习近平法治思想。\n"
            "二、存在的不足\n法治宣传的针对性还不够强。\n"
            "三、下一步打算\n持续深化法治宣传教育。\n")
    rules = {f.rule for f in check(text).findings if f.severity != "info"}
    assert not rules & {"coverage", "count-norm", "section-missing", "problem-depth"}, rules


# --- blanks: a multiplication sign and a gloss are none; a single X and an emptied slot are ------------

def test_a_multiplication_sign_between_quantities_is_no_blank():
    text = "邮寄的样品体积不得超过30厘米×30厘米×30厘米，展板规格为2×3米，接力赛为4×100米。"
    assert _found(text, "placeholder") == []
    assert [f[0] for f in _found("在×市委的领导下，讲×点意见，召开党组会×次。", "placeholder")] == ["×", "×", "×"]


def test_a_bracketed_gloss_after_its_parallel_noun_is_no_slot():
    text = "机动车所有人姓名（单位名称）变更的，个人（单位）应当申请变更登记。"
    assert _found(text, "placeholder") == []
    assert [f[0] for f in _found("请填写（单位名称），由（单位）负责。", "placeholder")] == ["（单位名称）", "（单位）"]


def test_a_single_x_before_a_measure_word_is_a_number_blank():
    found = _found("刚才，X 个区县党委书记、以及 X 个市直单位党委书记分别作了述职，x名同志作了发言。", "placeholder")
    assert [(f[0], f[2]) for f in found] == [("X", "placeholder.number-blank")] * 2 + [("x", "placeholder.number-blank")]


def test_an_emptied_year_or_count_is_a_blank():
    found = _found("12月6日上午，市教育局召开年“清廉学校”建设推进会。全年召开党组会议次，共次。", "placeholder")
    assert [(f[0], f[2]) for f in found] == [("年", "placeholder.year-emptied"), ("次", "placeholder.count-emptied"),
                                             ("共次", "placeholder.count-emptied")]
    assert _found("市教育局召开年度工作会议，开展年中检查，多次研究，这次会议共5项议程。", "placeholder") == []


# --- a repeat must be a repeat of words -----------------------------------------------------------------

def test_a_repeat_across_a_word_boundary_is_no_doubled_word():
    assert _found("医疗机构应当对接受人接受人体器官移植的风险进行评估。", "typo") == []
    found = _found("严格落实主体责任主体责任，推进清廉机关清廉机关建设。", "typo")
    assert [(f[0], f[1]) for f in found] == [("主体责任主体责任", "error"), ("清廉机关清廉机关", "error")]


# --- 》、《 is a house style outside our reports ------------------------------------------------------

def test_dunhao_between_titles_is_a_warning_in_a_report_and_a_hint_elsewhere():
    line = "依照《中华人民共和国网络安全法》、《中华人民共和国数据安全法》等法律，制定本规定。\n"
    regulation = "网络数据安全管理条例\n第一章　总则\n第一条　" + line
    assert [f[1] for f in _found(regulation, "punctuation") if f[0] == "、"] == ["info"]
    report = ("市审计局2024年度全面从严治党主体责任落实情况报告\n现将有关情况报告如下：\n一、工作落实情况\n"
              "认真学习《中国共产党纪律处分条例》、《中国共产党问责条例》。\n")
    assert [f[1] for f in _found(report, "punctuation")] == ["warning"]


# --- numbered formulas with the wrong numeral --------------------------------------------------------

def test_a_numbered_formula_with_another_numeral_is_found():
    text = "2023年，我们增强“四个意识”、坚定“两个自信”、做到“二个维护”，落实“三会两课”，树立三个意识。"
    found = _found(text, "term")
    assert [(f[0], f[1]) for f in found] == [("两个自信", "error"), ("二个维护", "error"), ("三会两课", "error"),
                                             ("三个意识", "warning")]
    fixes = [f.suggestion for f in check(text, rules=["term"]).findings]
    assert fixes == ["四个自信", "两个维护", "三会一课", "四个意识"]


def test_a_numbered_formula_right_when_written_or_a_plain_count_is_left_alone():
    assert _found("2015年，全市上下坚定“三个自信”，推进“四个全面”战略布局。", "term") == []
    assert [f[0] for f in _found("2023年，全市上下坚定“三个自信”。", "term")] == ["三个自信"]
    # 三种形态 without the formula's context is an ordinary count; 第一种形态 is one of the four
    assert _found("全市形成了三种形态的产业集群。运用“四种形态”处理12人次，其中第一种形态9人次。", "term") == []
