"""The parser: what users paste becomes the same Document, with spans pointing at the text."""
from __future__ import annotations

import pytest
from helpers import SEEDS, read_fixture

from core.text.document import normalize, parse
from core.text.numerals import parse_chinese as chinese_to_int

REPORT = """市审计局2024年度全面从严治党主体责任落实情况报告

2024年，局党组认真落实全面从严治党主体责任。现将有关情况报告如下：
一、工作落实情况
（一）加强政治建设。全年召开党组会24次。
1.严格落实第一议题制度。共学习30次。
（1）完善学习制度。
二、存在的问题
（一）理论学习不够深入。
三、下一步工作打算
（一）加强理论学习。
"""


def test_headings_levels_numbers_and_titles():
    doc = parse(REPORT)
    assert doc.title == "市审计局2024年度全面从严治党主体责任落实情况报告"
    got = [(h.level, h.number, h.value, h.title) for h in doc.headings]
    assert got[:4] == [(1, "一、", 1, "工作落实情况"), (2, "（一）", 1, "加强政治建设。"),
                       (3, "1.", 1, "严格落实第一议题制度。"), (4, "（1）", 1, "完善学习制度。")]
    assert [h.level for h in doc.headings] == [1, 2, 3, 4, 1, 2, 1, 2]
    # spans point into the text
    for h in doc.headings:
        assert doc.text[h.start:h.marker_end] == h.number
        assert doc.text[h.marker_end:h.title_end] == h.title
    assert doc.headings[1].parent == 0 and doc.headings[2].parent == 1 and doc.headings[3].parent == 2


def test_heading_body_and_sentences():
    doc = parse(REPORT)
    body = [p for p in doc.paragraphs if p.kind == "heading-body"]
    assert body[0].text == "全年召开党组会24次。"
    assert doc.text[body[0].start:body[0].end] == body[0].text
    sentences = [s.text for p in doc.preamble for s in p.sentences]
    assert sentences == ["2024年，局党组认真落实全面从严治党主体责任。", "现将有关情况报告如下："]
    for s in doc.sentences():
        assert doc.text[s.start:s.end] == s.text


def test_section_extent_runs_to_next_heading_of_same_level():
    doc = parse(REPORT)
    first = doc.headings[0]
    assert doc.text[first.start:first.section_end].rstrip().endswith("完善学习制度。")
    assert doc.headings[-1].section_end == len(doc.text.rstrip())


@pytest.mark.parametrize("variant", [
    REPORT.replace("\n", "\r\n"),
    "\ufeff" + REPORT,
    REPORT.replace("\n\n", "\n"),
    "本文系作者原创投稿，仅供学习参考，请勿照搬照抄！\n" + REPORT,
    "\n\n   \n" + REPORT,
    REPORT.replace("（一）", "(一)").replace("1.", "1、"),
    REPORT.replace("1.", "1．"),
    REPORT.replace("\n一、", "\n　　一、").replace("\n（一）", "\n  （一）"),
])
def test_pasted_variants_parse_alike(variant):
    doc = parse(variant)
    assert doc.title == "市审计局2024年度全面从严治党主体责任落实情况报告"
    assert [(h.level, h.value) for h in doc.headings] == [(1, 1), (2, 1), (3, 1), (4, 1), (1, 2), (2, 1),
                                                          (1, 3), (2, 1)]
    assert doc.meta.year == 2024 and doc.meta.type == "zhuti"


def test_normalize_only_touches_bom_and_line_endings():
    assert normalize("\ufeffa\r\nb\rc\n") == "a\nb\nc\n"
    doc = parse("标题报告\r\n正文。")
    assert "\r" not in doc.text


def test_title_split_over_two_lines_is_joined():
    doc = parse("关于市审计局2024年度全面从严治党\n主体责任落实情况报告\n现将有关情况报告如下：\n一、工作情况\n")
    assert doc.title == "关于市审计局2024年度全面从严治党主体责任落实情况报告"
    assert doc.meta.unit == "市审计局"


def test_no_title_when_first_line_is_a_sentence():
    doc = parse("局党组认真落实主体责任，取得明显成效。\n一、工作情况\n")
    assert doc.title is None


def test_signature_and_date_are_not_body():
    doc = parse(REPORT + "\n中共市审计局党组\n2025年1月6日\n")
    kinds = [p.kind for p in doc.paragraphs[-2:]]
    assert kinds == ["signature", "signature"]


@pytest.mark.parametrize("numeral,value", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20),
                                           ("九十九", 99), ("两", 2), ("", None), ("十十", None)])
def test_chinese_numerals(numeral, value):
    assert chinese_to_int(numeral) == value


EXPECTED_META = {
    "000": ("zhuti", "市委宣传部", 2023, "第三季度"),
    "001": ("diyi", None, 2023, "年度"),  # 市局: the name was removed (a blank)
    "002": ("zhuti", None, 2023, "上半年"),
    "003": ("tongbao", None, 2019, "年度"),
    "004": ("shuze", None, 2023, "年度"),
}


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_metadata(path):
    doc = parse(read_fixture(path))
    meta = doc.meta
    assert (meta.type, meta.unit, meta.year, meta.period) == EXPECTED_META[path.name[:3]]


def test_seed_003_title_is_found_below_the_site_notice():
    doc = parse(read_fixture(SEEDS[3]))
    assert doc.title == "关于落实全面从严治党主体责任情况通报"
    assert doc.paragraphs[0].kind == "junk" or doc.title_start > 0


@pytest.mark.parametrize("title,expected", [
    ("区司法局2024年第一季度全面从严治党主体责任落实情况报告", ("zhuti", "第一季度")),
    ("区司法局2024年第2季度全面从严治党主体责任落实情况报告", ("zhuti", "第二季度")),
    ("区司法局2024年下半年全面从严治党主体责任落实情况报告", ("zhuti", "下半年")),
    ("县农业农村局党组书记2023年履行全面从严治党第一责任人职责情况报告", ("diyi", "年度")),
    ("市统计局党组书记2024年度述责述廉报告", ("shuze", "年度")),
    ("关于2024年落实全面从严治党主体责任情况的通报", ("tongbao", "年度")),
    ("学习心得体会", ("unknown", None)),
])
def test_type_and_period_from_title(title, expected):
    meta = parse(title + "\n正文。").meta
    assert (meta.type, meta.period) == expected


def test_type_override():
    doc = parse(REPORT, report_type="shuze")
    assert doc.meta.type == "shuze" and doc.meta.type_source == "given"


# --- the kinds of line that are not sentences (issue 20) -------------------------------------------

NOTICE = """国务院办公厅关于印发
城乡社区服务体系建设
试点工作方案的通知
某办发〔2024〕12号
各省、自治区、直辖市人民政府：
现将有关方案印发给你们，请认真贯彻执行。
某某办公厅
2024年3月5日
（此件公开发布）
城乡社区服务体系建设试点工作方案
第一章　总则
1.1　编制目的
为规范试点工作，制定本方案。
（2024年2月20日市政府常务会议审议通过
2024年3月5日市政府办公厅印发）
稳步推进试点 扎实提升服务质效
一年来，试点地区服务水平稳步提高——
基础更加牢固，服务更加便捷。
组　长：王　华　　市政府副市长
各位代表！
具体如下：
"""


def _roles(doc):
    return {p.text: (p.kind, p.role) for p in doc.paragraphs}


def test_a_title_printed_over_three_lines_is_one_title():
    doc = parse(NOTICE)
    assert doc.title == "国务院办公厅关于印发城乡社区服务体系建设试点工作方案的通知"
    assert doc.text[doc.title_start:doc.title_end].endswith("试点工作方案的通知")


def test_lines_that_are_not_sentences_have_their_role():
    roles = _roles(parse(NOTICE))
    assert roles["某办发〔2024〕12号"] == ("front", "prose")  # under the title, before the text
    assert roles["2024年3月5日"][1] == "dateline"
    assert roles["（此件公开发布）"][1] == "caption"
    assert roles["城乡社区服务体系建设试点工作方案"][1] == "heading"  # the attached text's title
    assert roles["第一章　总则"][1] == "heading"
    assert roles["1.1　编制目的"][1] == "heading"
    assert roles["（2024年2月20日市政府常务会议审议通过"][1] == "caption"  # a caption over two lines
    assert roles["2024年3月5日市政府办公厅印发）"][1] == "caption"
    assert roles["稳步推进试点 扎实提升服务质效"][1] == "heading"
    assert roles["一年来，试点地区服务水平稳步提高——"][1] == "lead-in"
    assert roles["组　长：王　华　　市政府副市长"][1] == "list"
    assert roles["各位代表！"][1] == "salutation"
    assert roles["为规范试点工作，制定本方案。"][1] == "prose"


def test_a_cut_sentence_stays_prose():
    doc = parse("市审计局2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n三年来，学校领导班子在认真回顾办学历史，不断总结\n"
                "办学经验的基础上，确立了发展方略。\n")
    cut = next(p for p in doc.paragraphs if p.text.endswith("不断总结"))
    assert cut.role == "prose" and doc.is_sentence_line(cut)
    assert doc.role_at(cut.start + 3) == "prose"
    assert doc.role_at(doc.title_start) == "title" and doc.role_at(doc.headings[0].start) == "heading"


def test_speech_title_block_subtitle_and_speaker():
    doc = parse("坚定信心 共创未来\n——在全市科技创新大会上的讲话\n（2024年5月6日）\n张　建　国\n同志们：\n今天我们召开大会。\n")
    kinds = [(p.kind, p.role) for p in doc.paragraphs]
    assert kinds[-2] == ("preamble", "salutation")
    assert all(k in ("byline", "front") for k, _ in kinds[:-2]), kinds


def test_quoted_tells_quoted_authority_from_the_writers_own_words():
    text = ("市审计局2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n"
            "局党组书记强调，要压实责任。习近平总书记指出：“全面从严治党永远在路上。”我们坚决落实。\n")
    doc = parse(text)
    own = text.index("要压实责任")
    quote = text.index("全面从严治党永远")
    after = text.index("我们坚决落实")
    assert not doc.quoted(own, own + 3)  # the unit's own secretary is not an authority
    assert doc.quoted(quote, quote + 6)
    assert not doc.quoted(after, after + 4)
    speech = parse("在全国科技大会上的讲话\n习近平\n同志们：\n我们要坚持创新。\n")
    assert speech.quoted(speech.text.index("坚持"), speech.text.index("坚持") + 2)


def test_the_document_number_above_the_title_is_not_the_title():
    doc = parse("中共某某县委员会文件\n某委发〔2024〕3号\n县农业农村局2024年度全面从严治党主体责任落实情况报告\n"
                "现将有关情况报告如下：\n一、工作情况\n")
    assert doc.title == "县农业农村局2024年度全面从严治党主体责任落实情况报告"
    assert [p.kind for p in doc.paragraphs[:2]] == ["front", "front"]
    assert doc.meta.type == "zhuti"
    plain = parse("某委发〔2024〕3号\n")  # nothing else: the line is kept as text
    assert plain.title is None and plain.paragraphs[0].text == "某委发〔2024〕3号"
