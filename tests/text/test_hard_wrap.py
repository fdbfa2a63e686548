"""Hard-wrapped text (copied from a PDF or a web page with a line break every N characters) is read
as paragraphs: its lines are not cut sentences, and one hint says so. A single break inside a
paragraph, and lines of one width that are each complete, stay what they were. The texts are written
here, in the manner of such copies."""
from __future__ import annotations

from core.check.engine import check
from core.text.document import parse

# every line broken where it was full (about 30 characters), words split across the breaks
WRAPPED = """同志们：
刚才，各区县党委书记分别作了述职，大家交流了经验，又查找了不
足，体现了问题导向，找准了基层党建存在的薄弱环节，有效传导了压
力，强化了各级党组织管党治党的政治意识，激发了各级党组织书记履
职尽责的内生动力。
过去一年，是全面建设社会主义现代化国家新征程的重要一年，全市各
级党组织和广大党员干部坚持以习近平新时代中国特色社会主义思想为
指导，切实履职尽责，推动基层党建工作往实里抓、往深处走，基层党
组织建设持续夯实，在疫情防控中充分发挥了战斗堡垒和先锋模范作用
，取得了重大战略成果。
"""


def _truncated(text):
    return [(f.message_id, f.severity, text[f.start:f.end]) for f in check(text, rules=["truncated"]).findings]


def test_hard_wrapped_lines_are_paragraphs_with_one_hint():
    doc = parse(WRAPPED)
    assert len(doc.soft_breaks) == 7
    prose = [p for p in doc.paragraphs if p.role == "prose"]
    assert len(prose) == 2 and prose[0].text.endswith("内生动力。") and prose[1].text.endswith("战略成果。")
    sentence = next(s for s in doc.sentences() if "又查找了不" in s.text)
    assert "足，体现了问题导向" in sentence.text and doc.text[sentence.start:sentence.end] == sentence.text
    found = _truncated(WRAPPED)
    assert [(m, s) for m, s, _ in found] == [("truncated.hard-wrapped", "info")]
    fix = check(WRAPPED, rules=["truncated"]).findings[0].suggestion
    assert "又查找了不足，体现了" in fix and "作用，取得了" in fix and fix.count("\n") == 1


def test_the_first_line_of_a_hard_wrapped_text_is_no_title():
    text = WRAPPED.split("\n", 1)[1]
    assert parse(text).title is None


def test_a_hard_wrapped_title_is_one_title():
    text = "中共某市审计局党组关于2024年度落实全面从严治党主体责任情况的报\n告\n" + WRAPPED.split("\n", 1)[1]
    doc = parse(text)
    assert doc.title == "中共某市审计局党组关于2024年度落实全面从严治党主体责任情况的报告"
    assert doc.meta.type == "zhuti"


def test_single_breaks_in_a_report_stay_cut_sentences():
    # each paragraph broken once after its first line, then one long line: a defect of the report
    text = ("一、工作情况\n"
            "三年来，学校领导班子在认真回顾办学历史，不断总结\n"
            "办学经验的基础上，对学校文化进行了认真梳理，确立了“文化治校、文化立校”的发展方略，"
            "形成了学校发展的总体思路和办学目标，并在全校教职工中广泛宣传，取得了广泛共识和良好效果。\n"
            "三年来，学校在落实上级教育部门决策部署、完成重点\n"
            "工作清单的过程中均取得了不俗的成绩，在市直学校年终工作考核中荣获高中组第一名，"
            "年度考核一等奖，教育教学质量稳步提升，社会满意度不断提高，得到了上级部门的充分肯定。\n"
            "1.一些管理工作有待进一步精细化。目前，学校的管理\n"
            "虽然有一定制度和具体流程，但在具体执行过程中，往往由于认识上不够重视、标准要求不够高以及"
            "监管缺位等原因，致使有些工作落实不到位，需要在今后的工作中认真加以改进和完善。\n")
    assert parse(text).soft_breaks == ()
    found = _truncated(text)
    assert [m for m, _, _ in found] == ["truncated.cut"] * 3


def test_lines_of_one_width_that_are_each_complete_are_not_wrapping():
    text = ("一、工作情况\n"
            "强化理论武装　筑牢思想根基之一\n"
            "压实主体责任　扛牢政治担当之二\n"
            "深化作风建设　营造良好生态之三\n"
            "严格监督执纪　保持高压态势之四\n"
            "全年开展中心组集中学习12次。\n")
    assert parse(text).soft_breaks == ()


def test_numbered_items_ending_in_a_note_of_one_width_are_not_wrapping():
    text = ("二、存在的问题\n"
            "（一）理论学习与业务工作结合不够紧密。（请填写：具体表现、事例和数据）\n"
            "（二）基层党支部组织生活还不够规范。（请填写：具体表现、事例和数据）\n"
            "（三）廉政风险防控工作还不够精准。（请填写：具体表现、事例和数据）\n"
            "（四）干部队伍作风建设还有薄弱环节。（请填写：具体表现、事例和数据）\n")
    assert parse(text).soft_breaks == ()
