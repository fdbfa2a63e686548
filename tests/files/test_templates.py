"""The 新建 templates: structurally clean for the real checker, every blank flagged."""
from __future__ import annotations

import re

import pytest

from core import resources
from core.check.engine import check
from core.files.templates import UNIT_BLANK, render_template, template_text, template_types
from core.resources import resources_dir
from core.text.periods import PERIODS

TEMPLATE_TYPES = template_types()

# Rules a template must never trigger: its frame has to be right, only the blanks are missing.
STRUCTURE_RULES = {"section-missing", "section-order", "numbering", "title", "preamble", "truncated",
                   "punctuation", "typo", "term", "residue", "period", "coverage", "problem-measure"}
# Every blank the user must fill: a count (*次, *人次, *名 …) or a to-fill note.
BLANK = re.compile(r"（请填写：[^）\n]*）|[*]")
CASES = [(t, p) for t in TEMPLATE_TYPES for p in ("年度", "第三季度", "上半年", "第四季度")]


@pytest.mark.parametrize("report_type,period", CASES)
def test_template_passes_the_checker_except_for_its_blanks(report_type, period):
    text = render_template(report_type, unit="区司法局", year=2024, period=period)
    result = check(text)
    meta = result.document.meta
    assert (meta.type, meta.year, meta.period, meta.unit) == (report_type, 2024, period, "区司法局")
    wrong = [(f.rule, f.message, text[f.start:f.end]) for f in result.findings if f.rule in STRUCTURE_RULES]
    assert wrong == []
    placeholders = [f for f in result.findings if f.rule == "placeholder"]
    assert placeholders and all(f.severity == "error" for f in placeholders)


@pytest.mark.parametrize("report_type", TEMPLATE_TYPES)
def test_every_blank_is_flagged_as_a_placeholder(report_type):
    text = render_template(report_type, unit="", year=2024, period="年度")
    flagged = set()
    for f in check(text).findings:
        if f.rule == "placeholder":
            flagged.update(range(f.start, f.end))
    blanks = list(BLANK.finditer(text))
    assert len([b for b in blanks if b.group() == "*"]) >= 10  # the counts
    assert len([b for b in blanks if b.group() != "*"]) >= 10  # the free text
    unflagged = [b.group() for b in blanks if b.start() not in flagged]
    assert unflagged == []


@pytest.mark.parametrize("report_type", TEMPLATE_TYPES)
def test_required_content(report_type):
    text = render_template(report_type, unit="市统计局", year=2024, period="年度")
    assert "市统计局" in text
    assert re.search(r"现将[^\n]*(报告|通报)如下：", text)
    assert "现将" in text.split("\n一、")[0]  # the formula closes the preamble, before part 一、
    for area in ("政治", "第一议题", "意识形态", "三会一课", "八项规定", "警示教育", "廉政", "巡视巡察"):
        assert area in text, area
    # three problems answered by three measures, numbered （一）（二）（三）
    problems = re.search(r"\n[一二三四五六]、(存在的问题|存在的不足)\n(.*?)\n[一二三四五六]、", text, re.S).group(2)
    assert re.findall(r"^（([一二三四])）", problems, re.M) == ["一", "二", "三"]
    plan = text[text.rindex("下一步"):]
    assert re.findall(r"^（([一二三四])）", plan, re.M)[:3] == ["一", "二", "三"]
    assert "{" not in text and "}" not in text  # every field was filled


def test_type_specific_parts():
    diyi = render_template("diyi", unit="县农业农村局", year=2023, period="年度")
    assert diyi.count("我") >= 10  # written in the first person
    shuze = render_template("shuze", unit="市统计局", year=2024, period="年度")
    assert "\n二、廉洁自律情况\n" in shuze
    for topic in ("个人有关事项", "家风", "礼品"):
        assert topic in shuze
    assert render_template("tongbao", unit="区委", year=2024, period="年度").split("\n")[0].endswith("通报")


@pytest.mark.parametrize("period,title_part,plan_start", [
    ("年度", "2024年度全面", "2025年，"), ("第三季度", "2024年第三季度全面", "第四季度，"),
    ("上半年", "2024年上半年全面", "下半年，"), ("第四季度", "2024年第四季度全面", "2025年，")])
def test_title_and_plan_follow_the_period(period, title_part, plan_start):
    text = render_template("zhuti", unit="区司法局", year=2024, period=period)
    assert text.startswith("区司法局" + title_part)
    assert "年年度" not in text
    plan = text[text.index("三、下一步工作打算"):]
    assert plan.split("\n")[1].startswith(plan_start)
    if period != "年度":
        assert "全年" not in text  # a quarter counts its own numbers, not a whole year's


def test_empty_unit_is_a_flagged_blank():
    text = render_template("zhuti", unit="  ", year=2024, period="年度")
    assert text.startswith(UNIT_BLANK + "2024年度")
    result = check(text)
    assert result.document.meta.type == "zhuti"
    first = [f for f in result.findings if f.rule == "placeholder" and f.start == 0]
    assert first and text[first[0].start:first[0].end] == UNIT_BLANK


def test_unknown_type_raises():
    with pytest.raises(ValueError, match="未知的报告类型"):
        render_template("weekly", unit="区委", year=2024, period="年度")


@pytest.mark.parametrize("year,period", [(2024, "第五季度"), (2024, "2024年度"), (24, "年度"), ("2024", "年度"),
                                         (True, "年度")])
def test_bad_year_or_period_raises(year, period):
    with pytest.raises(ValueError):
        render_template("zhuti", unit="区委", year=year, period=period)


def test_every_period_renders():
    for period in PERIODS:
        for report_type in TEMPLATE_TYPES:
            assert f"2024年{'度' if period == '年度' else period}" in render_template(
                report_type, unit="区委", year=2024, period=period)


@pytest.mark.parametrize("report_type", TEMPLATE_TYPES)
def test_shipped_templates_are_short_utf8_files(report_type):
    raw = (resources_dir() / "templates" / f"{report_type}.txt").read_bytes()
    text = raw.decode("utf-8")
    assert not raw.startswith(b"\xef\xbb\xbf") and "\r" not in text
    assert 1200 <= len(render_template(report_type, unit="区司法局", year=2024, period="年度")) <= 2000
    assert set(re.findall(r"\{(\w+)\}", text)) <= {"unit", "year", "period", "next_year", "year_period",
                                                   "period_span", "next_period", "body", "body_meeting",
                                                   "secretary", "branches"}


def test_user_template_overrides_shipped(user_home):
    folder = user_home / "templates"
    folder.mkdir()
    (folder / "zhuti.txt").write_text("{unit}{year_period}自定义模板{next_year}，保留{其他括号}。\n", encoding="utf-8")
    assert render_template("zhuti", unit="区委", year=2024, period="年度") == "区委2024年度自定义模板2025，保留{其他括号}。\n"
    assert template_text("diyi") == (resources_dir() / "templates" / "diyi.txt").read_text(encoding="utf-8")


def test_unreadable_user_template_falls_back(user_home):
    folder = user_home / "templates"
    folder.mkdir()
    (folder / "zhuti.txt").write_bytes(b"\xff\xfe\xfa broken")
    assert render_template("zhuti", unit="区委", year=2024, period="年度").startswith("区委2024年度全面从严治党")


def test_report_types_come_from_profiles_in_menu_order():
    assert resources.report_types() == {"zhuti": "主体责任落实情况报告", "diyi": "第一责任人履责报告",
                                        "shuze": "述责述廉报告", "tongbao": "情况通报"}
    assert TEMPLATE_TYPES == ("zhuti", "diyi", "shuze", "tongbao")
    assert {p.id for p in resources.profiles()} == set(TEMPLATE_TYPES)


@pytest.mark.parametrize("body", ["党组", "党委", "党工委", "党总支", "党支部"])
@pytest.mark.parametrize("report_type", TEMPLATE_TYPES)
def test_the_units_party_body_is_written_throughout(report_type, body):
    """A 县纪委监委 has a 党组, a 乡镇 a 党委, a small office a 党支部: the report speaks for that
    body (its meeting, its secretary), never a 党组 it does not have."""
    from core.files.templates import BODIES

    text = render_template(report_type, unit="某县某单位", year=2024, period="年度", body=body)
    meeting, secretary, _branches = BODIES[body]
    # 党支部 is named in any report (基层党支部组织生活…): the bodies a unit is led by are not
    others = [b for b in BODIES if b not in (body, "党支部")]
    if report_type != "tongbao":  # a 通报 speaks of the organisations under the unit
        assert f"某县某单位{body}" in text or f"某县某单位{secretary}" in text
        assert meeting in text
        assert not [b for b in others if re.search(f"{b}(?!织)", text.replace("上级党组织", ""))], others
    result = check(text)
    wrong = [(f.rule, f.message, text[f.start:f.end]) for f in result.findings
             if f.rule in STRUCTURE_RULES | {"body-name"}]
    assert wrong == []


def test_an_unknown_body_is_refused():
    with pytest.raises(ValueError, match="党组织"):
        render_template("zhuti", unit="区委", year=2024, period="年度", body="居委会")
