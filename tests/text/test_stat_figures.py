"""口径 of a figure and the one rule that makes a report's figure for the period (the 统计 chart and
the ledger's 汇总 both use it): only what can be added is added, a contradiction is shown, 余 is kept."""
from __future__ import annotations

from pathlib import Path

import pytest

from core import resources
from core.check.engine import check
from core.text.document import parse
from core.text.figures import combine, period_figures, sum_qualifier
from core.text.stats import extract, parse_basis

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _basis_examples():
    for n, example in enumerate(resources.load("stats.toml")["basis"]["example"]):
        yield pytest.param(example, id=f"basis-{n}")


@pytest.mark.parametrize("example", list(_basis_examples()))
def test_every_basis_example(example):
    found, _ = extract(parse("一、工作情况\n" + example["text"]))
    mine = [i for i in found if i.kind == example["kind"]]
    assert len(mine) >= example.get("nth", 1), example["text"]
    assert mine[example.get("nth", 1) - 1].basis == example["basis"], example["text"]


def test_basis_read_back_from_a_ledger():
    assert parse_basis("") == ("", "")
    assert parse_basis("班子成员") == ("", "班子成员")
    assert parse_basis(" 巡视巡察；时段：第二批主题教育开展以来 ") == ("part", "巡视巡察；时段：第二批主题教育开展以来")
    assert parse_basis("每个：每个支部") == ("each", "每个：每个支部")


def test_sums_keep_what_the_figures_say():
    assert sum_qualifier([None, None]) is None
    assert sum_qualifier(["余", None]) == "余"
    assert sum_qualifier(["多", "以上"]) == "余"
    assert sum_qualifier(["近", None]) == "约"
    assert sum_qualifier(["余", "近"]) == "约"


def test_activities_add_up_and_keep_their_yu():
    figure = combine([(60, "余", 1), (24, None, 2)], consistency=False)
    assert (figure.value, figure.qualifier, figure.how, figure.added) == (84, "余", "sum", 2)
    assert figure.number_text() == "84余"


def test_a_total_stated_twice_with_different_numbers_is_a_contradiction_not_the_larger():
    figure = combine([(12, None, 1), (15, None, 2)], consistency=True)
    assert figure.value is None and figure.how == "conflict"
    assert figure.values == ((12, None), (15, None)) and figure.number_text() == "12／15"


def test_the_same_total_twice_is_one_figure_and_keeps_its_yu():
    figure = combine([(60, None, 1), (60, "余", 2), (None, None, 3)], consistency=True)
    assert (figure.value, figure.qualifier, figure.how, figure.blanks) == (60, "余", "one", 1)


def test_two_numbers_in_one_sentence_are_two_things():
    figure = combine([(12, None, 7), (3, None, 7)], consistency=True)
    assert figure.how == "several" and figure.value is None


def test_a_figure_that_is_the_sum_of_the_others_is_their_total():
    figure = combine([(4, None, 1), (32, None, 1), (2, None, 2), (38, None, 3)], consistency=False)
    assert (figure.value, figure.how) == (38, "one")


def test_only_blanks():
    figure = combine([(None, None, 1)], consistency=True)
    assert figure.how == "blank" and figure.number_text() == "待填" and figure.blanks == 1


def _figures(path: Path) -> dict[str, str]:
    result = check(path.read_text(encoding="utf-8"))
    return {f.label: f.figure.number_text() + f.measure for f in period_figures(result.stats)}


def test_problems_of_different_sources_are_never_one_figure():
    figures = _figures(FIXTURES / "clean" / "diyi_2023.txt")
    assert figures["发现问题（主题教育检视）"] == "19个"
    assert figures["发现问题（专项治理）"] == "13个"
    assert figures["发现问题（巡视巡察）"] == "21个"
    assert figures["整改问题（巡视巡察）"] == "19个"
    assert "发现问题" not in figures and not any(v == "53个" for v in figures.values())


def test_a_part_of_the_period_is_not_added_to_the_total():
    figures = _figures(FIXTURES / "seeds" / "001_c64cf84ad31af413.txt")
    assert figures["调研（班子成员）"] == "20余次"
    assert figures["调研（时段：第二批主题教育开展以来）"] == "8次"
    assert not any(v.startswith("28") for v in figures.values())


def test_per_branch_figures_are_not_the_units_total():
    figures = _figures(FIXTURES / "clean" / "zhuti_2024_q3.txt")
    assert figures["主题党日（每个：每个支部）"] == "3次"
    assert "主题党日" not in figures
