"""The report's own unit: from the title, the 落款 or the preamble; blanks reported as blanks."""
from __future__ import annotations

import pytest

from core.text.document import parse
from core.text.metadata import report_unit

BODY = "\n一、工作落实情况\n召开党组会12次。\n"


def unit_of(text: str):
    return report_unit(parse(text))


@pytest.mark.parametrize("title, name, stated", [
    ("市审计局2024年度全面从严治党主体责任落实情况报告", "市审计局", "市审计局"),
    ("关于市审计局2024年度全面从严治党主体责任落实情况的报告", "市审计局", "市审计局"),
    ("中共市审计局党组关于2023年度落实全面从严治党主体责任情况的报告", "市审计局", "中共市审计局党组"),
    ("县农业农村局党组书记2023年履行全面从严治党第一责任人职责情况报告", "县农业农村局", "县农业农村局"),
    ("区司法局2024年第三季度全面从严治党主体责任落实情况报告", "区司法局", "区司法局"),
    # after the year, up to the subject matter; the Party body is not part of the name
    ("2020年度绍兴一中党委党风廉政建设情况分析会情况报告", "绍兴一中", "绍兴一中党委"),
    ("2019年度绍兴一中领导班子个人述职述廉述德述法报告", "绍兴一中", "绍兴一中领导班子"),
    ("关于2023年度市财政局落实全面从严治党主体责任情况的报告", "市财政局", "市财政局"),
    ("2023年第三季度区统计局全面从严治党工作报告", "区统计局", "区统计局"),
    ("市委2023年度全面从严治党工作报告", "市委", "市委"),
])
def test_unit_from_the_title(title, name, stated):
    info = unit_of(title + "\n现将有关情况报告如下：" + BODY)
    assert (info.name, info.stated, info.blank, info.source) == (name, stated, False, "title")
    assert parse(title + BODY).meta.unit == name


@pytest.mark.parametrize("title, stated", [
    ("市**局2023年第三季度全面从严治党主体责任落实情况报告", "市**局"),
    ("××局2023年度全面从严治党主体责任落实情况报告", "××局"),
    ("XX单位2023年度全面从严治党主体责任落实情况报告", "XX单位"),
    ("（请填写：单位名称）2024年度全面从严治党主体责任落实情况报告", "（请填写：单位名称）"),
    ("市局党组书记2023年履行全面从严治党主体责任工作情况报告", "市局"),  # the name was cut out
    ("局党组2023年度全面从严治党主体责任落实情况报告", "局党组"),
])
def test_a_blank_unit_is_a_blank_not_a_name(title, stated):
    doc = parse(title + BODY)
    info = report_unit(doc)
    assert info.name is None and info.blank and info.stated == stated
    assert info.signer is None
    assert doc.meta.unit is None


def test_the_signature_names_the_unit_when_the_title_does_not():
    text = ("2023年度全面从严治党主体责任落实情况报告\n2023年，我局坚持以习近平新时代中国特色社会主义思想为指导。"
            + BODY + "中共绍兴市审计局党组\n2024年1月5日\n")
    info = unit_of(text)
    assert (info.name, info.stated, info.source) == ("绍兴市审计局", "中共绍兴市审计局党组", "signature")
    assert info.signer == "中共绍兴市审计局党组"


def test_a_committee_signature_and_a_date_without_day():
    # as published by a school: 落款 "中共…委员会" above a date that lost its 日
    text = "2020年度全面从严治党情况分析会情况报告" + BODY + "中共绍兴市第一中学委员会\n2021年1月18\n"
    assert unit_of(text).name == "绍兴市第一中学"


def test_the_title_wins_over_the_signature():
    text = "2020年度绍兴一中党委党风廉政建设情况分析会情况报告" + BODY + "中共绍兴市第一中学委员会\n2021年1月18日\n"
    info = unit_of(text)
    assert (info.name, info.source) == ("绍兴一中", "title")


@pytest.mark.parametrize("preamble, name", [
    ("2023年，市审计局党组坚持以习近平新时代中国特色社会主义思想为指导，现将有关情况报告如下：", "市审计局"),
    ("今年以来，县税务局党委认真落实全面从严治党主体责任。", "县税务局"),
    ("2024年上半年，在市委的坚强领导下，区交通运输局党组深入贯彻党的二十大精神。", "区交通运输局"),
    ("2023年，我局坚持以习近平新时代中国特色社会主义思想为指导。", None),  # 我局 names nobody
    ("今年以来,局始终将意识形态工作摆在全局工作的重要位置。", None),
    ("2023年，在市委的坚强领导下，我坚持以习近平新时代中国特色社会主义思想为指导。", None),
])
def test_unit_from_the_preamble(preamble, name):
    info = unit_of("2023年度全面从严治党主体责任落实情况报告\n" + preamble + BODY)
    assert info.name == name and not info.blank


def test_a_masked_preamble_subject_is_a_blank():
    info = unit_of("2023年上半年全面从严治党工作开展情况报告\n上半年，市**局加强思想政治教育，严明党的纪律。" + BODY)
    assert info.blank and info.stated == "市**局" and info.source == "preamble"


def test_a_name_found_later_beats_an_earlier_blank():
    text = "××局2023年度全面从严治党主体责任落实情况报告" + BODY + "中共市审计局党组\n2024年1月5日\n"
    info = unit_of(text)
    assert (info.name, info.blank, info.source) == ("市审计局", False, "signature")


def test_no_unit_anywhere():
    info = unit_of("2023年度全面从严治党述责述廉报告" + BODY)
    assert info.name is None and not info.blank and info.source is None


def test_a_chain_of_roles_is_not_part_of_the_unit():
    info = unit_of("市司法局党组书记、局长2024年度述责述廉报告\n现将有关情况报告如下：" + BODY)
    assert (info.name, info.stated) == ("市司法局", "市司法局")


def test_the_byline_of_a_personal_report():
    text = ("2025年度述职述廉述德述法报告\n（市生态环境局党组成员、副局长　李华）\n各位领导、同志们：\n"
            "现将本人履职情况报告如下：" + BODY)
    info = unit_of(text)
    assert (info.name, info.source) == ("市生态环境局", "byline")
    # a byline with a name only, or roles only, names no unit
    assert unit_of(text.replace("（市生态环境局党组成员、副局长　李华）", "孙洪亮")).name is None
    assert unit_of(text.replace("（市生态环境局党组成员、副局长　李华）", "（党委委员、副校长）")).name is None
