"""What the 统计 tab shows beside the counts, as plain data: bars with norms, 未提及, 计划/引用/要求."""
from __future__ import annotations

from core.check.engine import check
from core.check.stat_overview import chart_bars, excluded, norms_apply, unmentioned

QUARTER = ("区司法局2024年第三季度全面从严治党主体责任落实情况报告\n"
           "2024年第三季度，区司法局党组认真落实主体责任。现将有关情况报告如下：\n"
           "一、工作落实情况\n召开党组会2次，开展主题党日3次，开展谈心谈话，书记讲党课1次。\n"
           "二、下一步工作打算\n每月召开支委会。\n")


def test_bars_carry_the_norm_of_the_period():
    bars = {b.item: (b.value, b.norm) for b in chart_bars(check(QUARTER))}
    assert bars["党组会（党委会）"] == (2, 3)  # monthly: three in a quarter
    assert bars["讲党课（书记）"] == (1, 1)  # 书记讲党课: the secretary's, as the norm means


def test_unmentioned_are_the_required_kinds_named_nowhere():
    names = [m.kind.name for m in unmentioned(check(QUARTER))]
    assert "党小组会" in names
    assert "讲党课" not in names and "党组会（党委会）" not in names
    assert "谈心谈话" not in names  # named without a number: another rule's business
    assert "支委会" not in names  # named in the plan: the report does mention it
    assert "民主生活会" not in names  # a yearly norm says nothing about a quarter
    assert all(m.minimum >= 1 and "至少" in m.rule for m in unmentioned(check(QUARTER)))


def test_no_norms_for_a_tongbao():
    tongbao = QUARTER.replace("全面从严治党主体责任落实情况报告", "落实全面从严治党主体责任情况通报")
    result = check(tongbao)
    assert not norms_apply(result)
    assert unmentioned(result) == [] and all(b.norm is None for b in chart_bars(result))


def test_excluded_figures_are_named_by_their_role():
    text = QUARTER + "计划召开党组会3次。\n"
    assert [(role, item.item, item.value) for role, item in excluded(check(text))] == [("计划", "党组会（党委会）", 3)]
    assert excluded(check(QUARTER)) == []
