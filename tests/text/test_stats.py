"""The statistics extractor: every shape of count the reports use, and what is not a count."""
from __future__ import annotations

import json

import pytest
from helpers import CLEAN, FIXTURES, SEEDS, read_fixture

from core import resources
from core.check.engine import check
from core.text.document import parse
from core.text.numerals import parse_chinese as chinese_number
from core.text.stats import activities, extract, kinds, parse_number


def items_of(text: str):
    found, _ = extract(parse("一、工作情况\n" + text))
    return [(i.item, i.value, i.measure, i.qualifier, i.placeholder) for i in found]


# Every example in DOMAIN.md's list of countable items, with exactly the items it must give.
DOMAIN_EXAMPLES = [
    ("召开党组会60余次", [("党组会（党委会）", 60, "次", "余", False)]),
    ("研究议题300余项", [("研究议题", 300, "项", "余", False)]),
    ("中心组学习共*次", [("中心组学习", None, "次", None, True)]),
    ("书记讲党课*次", [("讲党课", None, "次", None, True)]),
    ("开展廉政谈话*人次", [("廉政谈话", None, "人次", None, True)]),
    ("党员交心式谈心谈话*余次", [("谈心谈话", None, "次", "余", True)]),
    ("发展入党积极分子*名，党员*名", [("入党积极分子", None, "名", None, True),
                                 ("发展党员", None, "名", None, True)]),
    ("新发展党员3名，5名预备党员按期转正", [("发展党员", 3, "名", None, False),
                                   ("预备党员转正", 5, "名", None, False)]),
    ("下基层调研20余次", [("调研", 20, "次", "余", False)]),
    ("发现问题164个", [("发现问题", 164, "个", None, False)]),
    ("党风廉政主题学习共计9次", [("廉政教育学习", 9, "次", None, False)]),
    ("举办2期清廉文化大讲堂", [("专题培训", 2, "期", None, False)]),
]


@pytest.mark.parametrize("text,expected", DOMAIN_EXAMPLES, ids=[t for t, _ in DOMAIN_EXAMPLES])
def test_domain_examples(text, expected):
    assert items_of(text + "。") == expected


@pytest.mark.parametrize("text,expected", [
    ("召开支委会十二次。", [("支委会", 12, "次", None, False)]),
    ("讲党课两次。", [("讲党课", 2, "次", None, False)]),
    ("开展谈心谈话一百二十人次。", [("谈心谈话", 120, "人次", None, False)]),
    ("开展谈心谈话近百人次。", [("谈心谈话", 100, "人次", "近", False)]),
    ("召开党组会２０多次。", [("党组会（党委会）", 20, "次", "多", False)]),
    ("召开党组会约12次。", [("党组会（党委会）", 12, "次", "约", False)]),
    ("开展廉政谈话50人次以上。", [("廉政谈话", 50, "人次", "以上", False)]),
    ("开展主题党日×次。", [("主题党日", None, "次", None, True)]),
    ("开展主题党日x次。", [("主题党日", None, "次", None, True)]),
    ("举办XX期培训班。", [("专题培训", None, "期", None, True)]),
    ("发放书籍*余本，召开党组会3次。", [("党组会（党委会）", 3, "次", None, False)]),
    ("召开党组会3次，研究议题12项，召开党组会3次。",
     [("党组会（党委会）", 3, "次", None, False), ("研究议题", 12, "项", None, False),
      ("党组会（党委会）", 3, "次", None, False)]),
])
def test_number_shapes(text, expected):
    assert items_of(text) == expected


@pytest.mark.parametrize("text", [
    "2023年召开党组会工作部署会议。",  # a year is not a count
    "第三季度党组会研究了意识形态工作。",  # 第三季度 is not a count
    "党组会议题完成率达98%。",  # a percentage
    "印发《关于加强党组会议规则的通知》（〔2023〕12号）。",  # a document number
    "在第3次党组会上研究部署。",  # an ordinal
    "全年完成招商引资项目12个，实现税收3.5亿元。",  # business figures matching no kind
    "结合12个调研重点开展工作。",  # 个 is not a measure word of 调研
])
def test_not_counts(text):
    assert items_of(text) == []


@pytest.mark.parametrize("token,value", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一百二十", 120),
                                         ("两", 2), ("百", 100), ("三千五百", 3500), ("一万二千", 12000),
                                         ("一二", None)])
def test_chinese_numbers(token, value):
    assert chinese_number(token) == value


def test_blank_tokens():
    assert parse_number("*") == (None, True)
    assert parse_number("××") == (None, True)
    assert parse_number("XX") == (None, True)
    assert parse_number("１２") == (12, False)


def _kind_examples():
    for entry in resources.load("stats.toml")["kind"]:
        for n, example in enumerate(entry.get("example", [])):
            yield pytest.param(entry, example, id=f"{entry['id']}-{n}")


def _kind_counterexamples():
    for entry in resources.load("stats.toml")["kind"]:
        for n, example in enumerate(entry.get("counterexample", [])):
            yield pytest.param(entry, example, id=f"{entry['id']}-not-{n}")


@pytest.mark.parametrize("entry,example", list(_kind_examples()))
def test_every_kind_example(entry, example):
    found, _ = extract(parse("一、工作情况\n" + example["text"]))
    mine = [i for i in found if i.kind == entry["id"]]
    assert len(mine) >= example.get("nth", 1), f"{entry['id']} not found in {example['text']}"
    got = mine[example.get("nth", 1) - 1]
    assert (got.value, got.measure, got.qualifier, got.placeholder, got.role) == (
        example.get("value"), example["measure"], example.get("qualifier"), example.get("placeholder", False),
        example.get("role", "done"))


@pytest.mark.parametrize("entry,example", list(_kind_counterexamples()))
def test_every_kind_counterexample(entry, example):
    """Texts where the kind is named but nothing of it was done in the period."""
    found, _ = extract(parse("一、工作情况\n" + example["text"]))
    assert not [i for i in activities(found) if i.kind == entry["id"]], example["text"]


def test_standard_set_is_covered():
    names = {k.name for k in kinds()}
    for wanted in ["党组会（党委会）", "研究议题", "中心组学习", "第一议题", "讲党课", "主题党日", "支部党员大会",
                   "支委会", "党小组会", "组织生活会", "民主生活会", "谈心谈话", "廉政谈话", "提醒谈话", "诫勉谈话",
                   "警示教育", "专题培训", "调研", "发展党员", "入党积极分子", "预备党员转正", "志愿服务",
                   "发现问题", "整改问题", "处分", "巡察（单位）", "督查检查"]:
        assert wanted in names
    assert len(names) >= 28


def test_user_file_adds_a_kind(user_home):
    (user_home / "stats.toml").write_text(
        '[[kind]]\nid = "qingnian"\nname = "青年理论学习小组活动"\ncategory = "理论学习"\n'
        "phrases = ['青年理论学习小组(?:活动)?']\nmeasures = [\"次\"]\n", encoding="utf-8")
    resources.clear_cache()
    assert ("青年理论学习小组活动", 6, "次", None, False) in items_of("开展青年理论学习小组活动6次。")
    assert items_of("召开党组会3次。")  # shipped kinds still there


def test_user_file_written_before_the_rename_keeps_its_measure_words(user_home):
    """A user's stats.toml from before "units" was renamed "measures" still works."""
    (user_home / "stats.toml").write_text(
        '[[kind]]\nid = "qingnian"\nname = "青年理论学习小组活动"\ncategory = "理论学习"\n'
        "phrases = ['青年理论学习小组(?:活动)?']\nunits = [\"场\"]\n", encoding="utf-8")
    resources.clear_cache()
    assert ("青年理论学习小组活动", 6, "场", None, False) in items_of("开展青年理论学习小组活动6场。")


def test_spans_point_at_the_mention():
    text = "市审计局2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n全年召开党组会24次，研究议题30项。"
    result = check(text)
    got = [(text[i.start:i.end], text[i.number_start:i.number_end], i.sentence) for i in result.stats]
    assert got == [("党组会24次", "24", "全年召开党组会24次，研究议题30项。"),
                   ("研究议题30项", "30", "全年召开党组会24次，研究议题30项。")]


EXPECTED_STATS = json.loads((FIXTURES / "seeds_stats_expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_items_match_fixture(path):
    result = check(read_fixture(path))
    got = [[i.item, i.value, i.measure, i.qualifier, i.placeholder, result.document.text[i.start:i.end]]
           for i in result.stats]
    assert got == EXPECTED_STATS[path.name]


def test_user_file_adds_phrases_and_changes_a_norm(user_home):
    (user_home / "stats.toml").write_text(
        '[[kind]]\nid = "dangke"\nextra_phrases = ["微党课"]\nnorm = { per = "year", min = 2 }\n',
        encoding="utf-8")
    resources.clear_cache()
    assert ("讲党课", 3, "次", None, False) in items_of("开展微党课3次。")
    assert ("讲党课", 2, "次", None, False) in items_of("书记讲党课2次。")  # shipped phrases kept
    kind = next(k for k in kinds() if k.id == "dangke")
    assert (kind.norm_per, kind.norm_min, kind.name) == ("year", 2, "讲党课")


def _done_and_excluded(text: str):
    result = check(text)
    return ([(i.kind, i.value) for i in result.stats],
            [(i.kind, i.value, i.role) for i in result.stats_excluded])


def test_a_figure_in_the_plan_part_is_not_a_period_activity():
    """The clean annual report: 已完成整改15个 (work part) and 对已完成整改的15个问题… (plan part)."""
    from core.text.stats import report_totals

    result = check(read_fixture(next(p for p in CLEAN if p.stem == "zhuti_2024_annual")))
    assert report_totals(result.stats)[("zhenggaiwenti", "个")].value == 15
    assert [(i.kind, i.value, i.role) for i in result.stats_excluded] == [("zhenggaiwenti", 15, "plan")]


def test_requirements_references_and_plans_are_kept_apart():
    head = "市审计局2024年度全面从严治党主体责任落实情况报告\n现将有关情况报告如下：\n一、工作落实情况\n"
    done, excluded = _done_and_excluded(head + "会议明确要求每人至少开展一次调研。全年召开党组会3次，上述3次党组会均研究了党建工作。计划开展警示教育2次。")
    assert done == [("dangzuhui", 3)]
    assert sorted(excluded) == [("dangzuhui", 3, "reference"), ("diaoyan", 1, "requirement"),
                                ("jingshijiaoyu", 2, "plan")]


def test_a_part_of_another_count_is_kept_apart_from_references():
    """其中/剩余/问题中还有 name a part of a count made before: role "part", not "reference"."""
    head = "一、工作落实情况\n"
    done, excluded = _done_and_excluded(
        head + "全年召开党组会12次，其中专题研究意识形态工作的党组会2次。巡察反馈问题20个，已完成整改18个，"
        "问题中还有2个未完成整改。")
    assert done == [("dangzuhui", 12), ("faxianwenti", 20), ("zhenggaiwenti", 18)]
    assert excluded == [("dangzuhui", 2, "part"), ("zhenggaiwenti", 2, "part")]


def test_the_right_item():
    """Problems fed back are 发现问题, not units inspected; units need 家/个单位; 方面 and lecture
    brands for students are not counts of a kind."""
    done, _ = _done_and_excluded(
        "一、工作情况\n区委4个巡察组对区教育体育局直属的32家事业单位开展专项巡察。截至目前，巡察反馈的697个问题，"
        "完成整改688个。会议形成了四个方面的整改收获。深化博雅大讲堂、爸妈课堂“两讲堂”。")
    assert done == [("xuncha", 32), ("faxianwenti", 697), ("zhenggaiwenti", 688)]


