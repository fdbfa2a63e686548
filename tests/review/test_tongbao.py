"""Batch review back into Word: annotated copies of every report, and a draft 情况通报."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import CLEAN, SEEDS, read_fixture

from core import resources
from core.check.compare import PreviousReport, copied_share
from core.check.engine import check
from core.check.rules.problems import Item, answered_by
from core.files.textio import read_report
from core.review.batch import BatchError, review_file, review_text, run_batch
from core.review.reviews import cross_copies
from core.review.tongbao import compose, phrasings, settle, wording
from main import main

ANNUAL = next(p for p in CLEAN if p.name == "zhuti_2024_annual.txt")
SHUZE = next(p for p in CLEAN if p.name == "shuze_2024.txt")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _unit_report(unit: str, *, blank: bool = False, residue: bool = False) -> str:
    """The clean annual report as another unit's, with a blank and/or web residue put in."""
    text = read_fixture(ANNUAL).replace("市审计局", unit)
    if blank:
        text = text.replace("全年召开党组会26次", "全年召开党组会*次")
    if residue:
        text = text.replace("二、存在的问题\n", "二、存在的问题\n##paidbegin##\n")
    return text


def _shuze_without_shulian() -> str:
    """A short 述责述廉 report with no 廉洁自律 (述廉) part."""
    return """市统计局党组书记2024年度述责述廉报告
现将本人2024年度履行全面从严治党责任情况报告如下：
一、履行职责情况
（一）带头加强政治建设。全年主持召开党组会22次，研究全面从严治党议题19项。
（二）抓好理论学习。全年开展中心组学习12次，其中专题研讨4次。
二、存在的问题
（一）理论学习不够系统。全年专题研讨仅4次，比如对统计法的研讨只安排了1次。
（二）督促检查不够经常。对2个支部的检查各只有1次。
（三）谈心谈话不够深入。全年谈心谈话30人次，其中深入交流的仅5人次。
三、下一步工作打算
（一）系统开展理论学习，每月开展专题研讨1次。
（二）经常督促检查，每季度对各支部检查1次。
（三）深入开展谈心谈话，班子成员每半年与分管科室干部逐一谈心。
"""


@pytest.fixture
def units(tmp_path):
    """Six units: three with blanks, two with web residue, one 述责述廉 without 述廉, and one
    that handed in another unit's report."""
    folder = tmp_path / "各单位报告"
    (folder / "区县").mkdir(parents=True)
    (folder / "市财政局.txt").write_text(_unit_report("市财政局", blank=True), encoding="utf-8")
    (folder / "市商务局.txt").write_text(_unit_report("市商务局", blank=True, residue=True), encoding="utf-8")
    (folder / "区县" / "市水务局.txt").write_text(_unit_report("市水务局", blank=True), encoding="utf-8")
    (folder / "区县" / "市林业局.txt").write_text(_unit_report("市林业局", residue=True), encoding="utf-8")
    (folder / "市统计局.txt").write_text(_shuze_without_shulian(), encoding="utf-8")
    (folder / "市档案局.txt").write_text(_unit_report("市档案局").replace("市档案局", "市档案局"), encoding="utf-8")
    import docx

    document = docx.Document()
    for line in _unit_report("市气象局").splitlines():
        document.add_paragraph(line)
    document.save(folder / "市气象局.docx")
    return folder


def _report_rows(ws) -> list[int]:
    """总览's rows of reports (the 评分办法 lines follow the table)."""
    return [r for r in range(4, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int)]


# --- the wording data ----------------------------------------------------------------------------

def test_every_checklist_group_has_wording():
    ids = {e["id"] for e in resources.load("checklist.toml")["item"]}
    groups = wording()["groups"]
    assert ids <= set(groups)
    for gid, entry in groups.items():
        assert entry["problem"] and entry["requirement"] and entry["detail"], gid


@pytest.mark.parametrize("entry", resources.load("tongbao.toml")["group"], ids=lambda g: g["id"])
def test_each_wording_entry_example_shows_its_problem(entry):
    if entry["id"] == "copying":
        a, b = (review_text(t.strip(), f"{n}.txt") for n, t in enumerate(entry["example"]))
        found = cross_copies([a, b])
        assert found and found[0][0] > copied_share()
        return
    previous = PreviousReport(entry["previous"].strip()) if "previous" in entry else None
    result = check(entry["example"].strip(), previous=previous)
    item = next(i for i in result.checklist if i.id == entry["id"])
    assert any(f.severity != "info" for f in item.findings), entry["id"]


@pytest.mark.parametrize("entry", resources.load("tongbao.toml")["group"], ids=lambda g: g["id"])
def test_each_requirement_answers_its_problem(entry):
    """The project's own problem-measure check must see the requirement answer the problem."""
    problem = Item(entry["problem"], entry["problem"], 0, 1, 1)
    requirement = Item(entry["requirement"], f"{entry['requirement']}。{entry['detail']}", 0, 1, 1)
    assert answered_by(problem, [requirement]) is not None


def test_a_phrasing_that_repeats_the_defect_is_replaced():
    """Quoting a blank would put the blank into the 通报: the draft falls back to words."""
    from core.review.reviews import Example

    ex = Example(7, "term", "error", "“xjp”是网络缩写，公文中应写为“习近平总书记”。", "xjp", "深入学习", "习近平总书记",
                 "重要讲话精神")
    choices = phrasings(wording()["groups"]["term"], ex)
    assert choices[0] == "“深入学习xjp重要讲话精神”中的提法应为“习近平总书记”"
    assert "“深入学习”之后的提法应为“习近平总书记”" in choices
    assert not any(re.search(r"第\d+行", c) for c in choices)  # the unit's Word file has no line numbers
    reviews = [review_text(_unit_report(u, blank=True, residue=True).replace("深入学习", "深入学习xjp"), f"{u}.txt")
               for u in ("市财政局", "市商务局")]
    draft = compose(reviews)
    remaining = settle(draft)
    text, _spans = draft.text(with_signature=True)
    assert "xjp" not in text and "的提法应为“习近平总书记”" in text
    assert "##" not in text and "*" not in text
    assert remaining and all(f.rule == "placeholder" and set(text[f.start:f.end]) <= set("×20") for f in remaining)


# --- the draft -----------------------------------------------------------------------------------

def _lines_of(path) -> list[str]:
    return read_report(path).split("\n")


# the marked blanks the reviewer fills: 主送, the resubmission deadline and recipient, contact, 落款, date
BLANK_LINES = ("××××：", "（", "联系人：", "××××", "20××年××月××日")
TOOL_WORDS = ("疑似", "可能", "全部修正", "方面有问题", "检查清单", "未能识别", "第1行", "行）", "报告助手", "得分", "分）")


def _blank_line(line: str) -> bool:
    return line.startswith(BLANK_LINES) and ("×" in line)


def test_draft_tongbao_from_a_batch(units, tmp_path):
    out = tmp_path / "审查结果.xlsx"
    target = tmp_path / "关于审核情况的通报.docx"
    summary = run_batch(units, out, workers=1, tongbao=target)
    assert summary.tongbao == str(target) and target.is_file()
    text = read_report(target)
    lines = text.split("\n")
    # title with the batch's period and kind; 主送, 落款 and date are the marked blanks
    assert lines[0] == "关于2024年度全面从严治党主体责任报告审核情况的通报"
    assert lines[2] == "××××：" and lines[-2:] == ["××××", "20××年××月××日"]
    result = check(text)
    assert result.document.meta.type == "tongbao" and result.document.meta.year == 2024
    for f in result.findings:  # the draft passes its own check but for the marked blanks
        line = lines[text.count("\n", 0, f.start)]
        assert f.rule == "placeholder" and _blank_line(line), (f, line)
    assert not any(word in text for word in TOOL_WORDS), [w for w in TOOL_WORDS if w in text]
    assert not re.search(r"第\d+行", text)
    # 一、基本情况: how many, of which kinds and periods, how many without errors
    basic = lines[lines.index("一、基本情况") + 1]
    assert "本次共审核报告7份，来自7个单位" in basic
    assert "落实全面从严治党主体责任情况报告6份" in basic and "述责述廉报告1份" in basic
    assert "报告期均为2024年度" in basic
    assert re.search(r"经审核，2份报告未发现需要退回修改的错误（(市档案局|市气象局)报告、(市档案局|市气象局)报告）", basic)
    # what most did well, counted: 7 reports, 4 without blanks
    assert "从审核情况看，多数报告在以下方面做得较好" in basic and "4份报告没有留下空白或占位符号" in basic
    # 二、存在的主要问题: errors only, the groups most reports have first, with named units
    problems = lines[lines.index("二、存在的主要问题") + 2:lines.index("三、工作要求")]
    blanks = next(p for p in problems if "数据空白" in p)
    assert "3份报告存在这类问题" in blanks and all(u in blanks for u in ("市财政局", "市商务局", "市水务局"))
    assert "中“全年召开党组会”与“次”之间留有空白" in blanks or "中“全年召开党组会”之后留有空白" in blanks
    assert "*" not in blanks
    residue = next(p for p in problems if "残留网页内容" in p)
    assert "2份报告存在这类问题" in residue and "市商务局" in residue and "市林业局" in residue and "##" not in residue
    assert problems.index(blanks) < problems.index(residue)  # three units before two
    # a problem only one unit has: its own paragraph while there are few
    assert any("市统计局" in p and "缺少“廉洁自律情况（述廉）”部分" in p for p in problems)
    # 三、工作要求: 3 to 6, grouped by kind, the last with the resubmission deadline, then contacts
    requirements = lines[lines.index("三、工作要求") + 2:-3]
    numbered = [r for r in requirements if re.match(r"（[一二三四五六七八九十]+）", r)]
    assert 3 <= len(numbered) <= 6 and numbered == requirements[:len(numbered)]
    assert "数据要核实填全" in next(r for r in numbered if r.startswith("（") and "数据要真实准确" in r)
    assert "于×月×日前" in numbered[-1] and requirements[-1].startswith("联系人：×××") and "电话：×" in requirements[-1]


def test_only_errors_are_published_as_a_units_defects(tmp_path):
    """Issue 22.5: a warning is likely, not a fact: a report with warnings only is not named."""
    folder = tmp_path / "报告"
    folder.mkdir()
    (folder / "a.txt").write_text(_unit_report("市财政局", blank=True), encoding="utf-8")
    (folder / "b.txt").write_text(_unit_report("市商务局", blank=True), encoding="utf-8")
    # a level-3 heading numbered 1、 (a warning only), in a report of its own words
    combined = next(p for p in CLEAN if p.name == "zhuti_2025_annual_combined.txt")
    warned = re.sub(r"\n1\.", "\n1、", read_fixture(combined), count=1)
    (folder / "c.txt").write_text(warned, encoding="utf-8")
    unit = review_text(warned, "c.txt").unit
    review = review_text(warned, "c.txt")
    assert review.errors == 0 and review.warnings > 0
    target = tmp_path / "通报.docx"
    run_batch(folder, tmp_path / "r.xlsx", workers=1, tongbao=target)
    lines = _lines_of(target)
    problems = lines[lines.index("二、存在的主要问题") + 2:lines.index("三、工作要求")]
    assert unit and not any(unit in p for p in problems)
    assert any(p.startswith("此外，部分报告在") and "标题序号" in p and "需要核实" in p for p in problems)
    basic = lines[lines.index("一、基本情况") + 1]
    assert f"1份报告未发现需要退回修改的错误（{unit}报告）" in basic


def test_units_by_name_unit_less_reports_once_as_files(tmp_path):
    """Issue 22.6: units by the name the report states; a report naming none said once, by its
    file; distinct units counted, not files."""
    folder = tmp_path / "报告"
    folder.mkdir()
    (folder / "甲.txt").write_text(_unit_report("市财政局", blank=True), encoding="utf-8")
    earlier = _unit_report("市财政局").replace("2024", "2023")
    (folder / "乙.txt").write_text(earlier, encoding="utf-8")
    nameless = _unit_report("市财政局", blank=True).replace("市财政局", "市**局")
    (folder / "丙.txt").write_text(nameless, encoding="utf-8")
    target = tmp_path / "通报.docx"
    run_batch(folder, tmp_path / "r.xlsx", workers=1, tongbao=target)
    text = read_report(target)
    basic = text.split("\n")[text.split("\n").index("一、基本情况") + 1]
    assert "本次共审核报告3份，来自1个单位；另有1份报告的报送单位需要核实（文件名“丙.txt”），下文以文件名称之" in basic
    assert text.count("报送单位需要核实") == 1 and "未注明单位" not in text
    problems = text[text.index("二、存在的主要问题"):text.index("三、工作要求")]
    assert "文件“丙.txt”" in problems and "市财政局2024年度报告" in problems  # a unit with two reports: with its period
    assert "“市**局”" not in text and "单位空白" not in text


@pytest.mark.parametrize(("periods", "title_period"), [
    (["2024年度", "2024年度"], "2024年度"),
    (["2024年第三季度", "2024年度"], "2024年"),
    (["2023年度", "2025年度"], "2023—2025年度"),
    (["2023年第三季度", "2025年度"], "2023—2025年"),
    ([None, None], None),
    (["2024年度", None], "2024年度"),
])
def test_the_period_comes_from_the_reports(periods, title_period):
    """Issue 22.7: one period when all share it, else the year or the span of years; never a period
    no report has (a 2019 and a 2020 report were titled 2019年度 with the others unlisted)."""
    from core.review.reviews import ReportReview

    reviews = []
    for n, period in enumerate(periods):
        r = ReportReview(file=f"{n}.txt", unit=f"单位{n}", type_id="zhuti", type_name="落实全面从严治党主体责任情况报告")
        if period:
            r.period, r.year = period, int(period[:4])
        reviews.append(r)
    draft = compose(reviews)
    if title_period:
        assert draft.title == f"关于{title_period}落实全面从严治党主体责任情况报告审核情况的通报"
    else:
        assert draft.title == "关于落实全面从严治党主体责任情况报告审核情况的通报"
        assert not re.search(r"\d{4}", draft.title)
    text, _spans = draft.text()
    basic = text.split("\n")[text.split("\n").index("一、基本情况") + 1]
    for period in filter(None, periods):
        assert period in basic  # every report's period is listed
    if None in periods and any(periods):
        assert "另有1份的报告期需要核实" in basic  # not "没有写明": a three-year summary states 2014年—2016年


def test_the_kind_in_the_title_is_true_of_every_report():
    """A batch with a report of none of the four kinds (a 巡察 notice) is not all 主体责任报告."""
    from core.review.reviews import ReportReview

    def review(type_id, name):
        return ReportReview(file=f"{type_id}.txt", unit="市审计局", type_id=type_id, type_name=name,
                            period="2024年度", year=2024)

    zhuti = review("zhuti", "落实全面从严治党主体责任情况报告")
    shuze = review("shuze", "述责述廉报告")
    other = review("unknown", "未能识别")
    assert compose([zhuti]).title == "关于2024年度落实全面从严治党主体责任情况报告审核情况的通报"
    assert compose([zhuti, shuze]).title == "关于2024年度全面从严治党主体责任报告审核情况的通报"
    draft = compose([zhuti, other])
    assert draft.title == "关于2024年度全面从严治党有关报告审核情况的通报"
    text, _spans = draft.text()
    assert "另有1份不属于以上类别" in text and "未能识别" not in text


def test_the_title_breaks_at_a_phrase_boundary():
    """Issue 22.8: 关于2023年度全面从严治党 / 主体责任报告审核情况的通报 split a term."""
    from core.office.docx_layout import TITLE_LINE, _width, split_title

    for period in ("2023年度", "2019—2025年", "2024年第三季度", ""):
        for kind in ("全面从严治党主体责任报告", "落实全面从严治党主体责任情况报告", "述责述廉报告",
                     "党组（党委）书记履行全面从严治党第一责任人职责情况报告"):
            title = f"关于{period}{kind}审核情况的通报"
            lines = split_title(title)
            assert "".join(lines) == title
            assert all(_width(line) <= TITLE_LINE for line in lines), lines
            for a, b in zip(lines, lines[1:]):
                joint = a[-2:] + b[:2]
                assert joint not in ("从严治党主体"[1:5], "治党主体"), lines
                assert not (a.endswith("全面从严治党") and b.startswith("主体责任")), lines


def test_draft_layout(units, tmp_path):
    target = tmp_path / "通报.docx"
    run_batch(units, tmp_path / "r.xlsx", workers=1, tongbao=target)
    import docx

    document = docx.Document(str(target))
    paragraphs = [p for p in document.paragraphs if p.text]
    addressee = next(p for p in paragraphs if p.text == "××××：")
    ind = addressee._p.pPr.find(f"{W}ind")
    assert ind.get(f"{W}firstLine") == "0"  # 主送 flush left
    body = next(p for p in paragraphs if p.text.startswith("本次共审核"))
    assert body._p.pPr.find(f"{W}ind").get(f"{W}firstLine") == "640"  # body indented two characters
    # 落款 by GB/T 9704 7.3.5.2: the date (longer than the blank unit) 右空二字, the unit starting
    # two characters left of it
    unit, date = paragraphs[-2:]
    assert (unit.text, date.text) == ("××××", "20××年××月××日")
    assert date._p.pPr.find(f"{W}jc").get(f"{W}val") == "right"
    assert date._p.pPr.find(f"{W}ind").get(f"{W}right") == "640"
    assert unit._p.pPr.find(f"{W}jc").get(f"{W}val") == "left"
    assert document.sections[0].page_width.mm == pytest.approx(210, abs=0.5)
    # a paragraph naming a file by its long Latin name may break it at the line's end (Word, WPS)
    for p in paragraphs:
        wrap = p._p.pPr.find(f"{W}wordWrap")
        assert (wrap is not None and wrap.get(f"{W}val") == "0") == bool(re.search(r"[!-~]{12,}", p.text)), p.text
    props = document.core_properties
    assert props.author == "主体责任报告助手" and props.title == _lines_of(target)[0]


def test_draft_with_a_long_file_name_allows_breaking_it(tmp_path):
    folder = tmp_path / "报告"
    folder.mkdir()
    (folder / "report_2024_unit_without_name.txt").write_text(
        _unit_report("市财政局", blank=True).replace("市财政局", "市**局"), encoding="utf-8")
    (folder / "b.txt").write_text(_unit_report("市商务局", blank=True), encoding="utf-8")
    target = tmp_path / "通报.docx"
    run_batch(folder, tmp_path / "r.xlsx", workers=1, tongbao=target)
    import docx

    wrapped = [p.text for p in docx.Document(str(target)).paragraphs
               if p._p.pPr is not None and p._p.pPr.find(f"{W}wordWrap") is not None]
    assert wrapped and all("report_2024_unit_without_name.txt" in t for t in wrapped)


def test_copying_between_units_and_from_last_period(tmp_path):
    folder = tmp_path / "报告"
    folder.mkdir()
    base = _unit_report("市财政局")
    (folder / "市财政局.txt").write_text(base, encoding="utf-8")
    (folder / "市商务局.txt").write_text(base.replace("市财政局", "市商务局"), encoding="utf-8")
    last_year = base.replace("2024", "2023").replace("2025", "2024")
    (folder / "2023年度" / "市财政局.txt").parent.mkdir()
    (folder / "2023年度" / "市财政局.txt").write_text(last_year, encoding="utf-8")  # listed first
    (folder / "市林业局.txt").write_text(read_fixture(SHUZE), encoding="utf-8")
    target = tmp_path / "通报.docx"
    run_batch(folder, tmp_path / "r.xlsx", workers=1, tongbao=target)
    lines = _lines_of(target)
    copying = next(line for line in lines if "报告相互雷同" in line)
    assert "市商务局报告与市财政局2024年度报告有100%的句子相同" in copying \
        or "市财政局2024年度报告与市商务局报告有100%的句子相同" in copying
    assert "市财政局2024年度报告与该单位2023年度报告有100%的句子相同，基本沿用了上期报告" in copying
    assert copying.count("市商务局") == 1  # a pair is named once, not both ways
    requirement = next(line for line in lines if "不得相互照搬" in line)
    assert lines.index(requirement) > lines.index("三、工作要求")


def test_seeds_tongbao_names_each_seeds_real_problems(tmp_path):
    """Expectations come from the seeds' own reviews, not from fixed counts: every report with an
    error is named under the problem, with words quoted from that report."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for p in SEEDS:
        shutil.copy(p, folder / p.name)
    target = tmp_path / "通报.docx"
    run_batch(folder, tmp_path / "r.xlsx", workers=1, tongbao=target)
    text = read_report(target)
    lines = text.split("\n")
    problems = lines[lines.index("二、存在的主要问题"):lines.index("三、工作要求")]
    reviews = {r.file: r for r in (review_file(str(p), str(folder)) for p in sorted(folder.iterdir()))}

    def name(r):
        return f"{r.unit}报告" if r.unit else f"文件“{r.file}”"

    for gid in wording()["groups"]:
        having = [r for r in reviews.values() if r.groups.get(gid, (0, 0))[0]]
        if not having:
            continue
        problem = wording()["groups"][gid]["problem"]
        paragraph = next(p for p in problems if problem in p)
        if "其他问题" in paragraph:  # problems one report has: each said with its report
            assert len(having) == 1 and f"{name(having[0])}{problem}，" in paragraph
            continue
        named = [r for r in reviews.values() if name(r) in paragraph]
        # up to three examples, each of a report with errors of this kind, the one with most first
        assert len(named) == min(3, len(having)) and all(r in having for r in named), (gid, paragraph)
        most = max(having, key=lambda r: r.groups[gid][0])
        assert name(most) in paragraph
        assert f"{len(having)}份报告存在这类问题" in paragraph or len(having) == 1
    for r in reviews.values():  # a missing part is said of its report
        for part in r.missing:
            assert any(name(r) in p and part in p for p in problems), (r.file, part)
    # every quotation after a report's name is words of that report
    for p in problems:
        for who, quoted in re.findall(r"(文件“[^”]+”|[^；，。（）“”]+报告)中“([^”]+)”", p):
            file = who[3:-1] if who.startswith("文件") else next(f for f, r in reviews.items() if f"{r.unit}报告" == who)
            source = read_report(folder / file).replace("“", "‘").replace("”", "’")
            assert quoted in source, (who, quoted)
    result = check(text)
    assert all(_blank_line(lines[text.count("\n", 0, f.start)]) for f in result.findings)
    assert not any(word in text for word in TOOL_WORDS), [w for w in TOOL_WORDS if w in text]


def test_tongbao_target_is_checked_before_any_work(units, tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    with pytest.raises(BatchError, match="只能保存为 Word 文档"):
        run_batch(units, out, workers=1, tongbao=tmp_path / "通报.txt")
    with pytest.raises(BatchError, match="不存在"):
        run_batch(units, out, workers=1, tongbao=tmp_path / "没有" / "通报.docx")
    (tmp_path / "~$通报.docx").write_bytes(b"lock")
    with pytest.raises(BatchError, match="正在 Word/WPS"):
        run_batch(units, out, workers=1, tongbao=tmp_path / "通报.docx")
    assert not out.exists()
    assert main(["batch", str(units), "--out", str(out), "--tongbao", str(tmp_path / "通报.docx")]) == 2
    assert "通报.docx" in capsys.readouterr().err


# --- annotated copies ----------------------------------------------------------------------------

def test_batch_writes_an_annotated_copy_of_every_report(units, tmp_path):
    out = tmp_path / "结果" / "审查结果.xlsx"
    out.parent.mkdir()
    annotated = tmp_path / "审阅"
    summary = run_batch(units, out, workers=2, annotate=annotated)
    reports = sorted(p.relative_to(units).as_posix() for p in units.rglob("*") if p.is_file())
    expected = sorted(str(Path(r).with_suffix(".docx").as_posix()) for r in reports)
    written = sorted(p.relative_to(annotated).as_posix() for p in annotated.rglob("*.docx"))
    assert written == expected and summary.annotated == len(reports) == 7
    # each copy carries the comments of its own report
    for rel in ("市商务局.docx", "区县/市林业局.docx", "市气象局.docx"):
        with zipfile.ZipFile(annotated / rel) as z:
            comments = z.read("word/comments.xml").decode("utf-8")
        assert "报告助手审阅意见" in comments
    with zipfile.ZipFile(annotated / "市商务局.docx") as z:
        comments = z.read("word/comments.xml").decode("utf-8")
    assert "空白待填" in comments and "网页残留" in comments
    # 总览 links each row to its copy, relative to the workbook
    wb = openpyxl.load_workbook(out)
    ws = wb["总览"]
    header = [c.value for c in ws[2]]
    column = header.index("批注文件") + 1
    assert header[column] == "说明"  # before 说明, so the unreadable-file reason keeps its column
    links = {}
    for row in _report_rows(ws):
        cell = ws.cell(row, column)
        links[ws.cell(row, 2).value] = cell.hyperlink.target if cell.hyperlink else None
    assert len(links) == 7
    for report, href in links.items():
        assert href and not Path(href).is_absolute()
        assert (out.parent / href).resolve() == (annotated / Path(report).with_suffix(".docx")).resolve()


def test_annotation_folder_inside_the_reports_is_not_reviewed_again(units, tmp_path):
    annotated = units / "审阅"
    first = run_batch(units, tmp_path / "a.xlsx", workers=1, annotate=annotated)
    second = run_batch(units, tmp_path / "b.xlsx", workers=1, annotate=annotated)
    assert first.total == second.total == 7


def test_annotation_folder_cannot_be_the_reports_folder(units, tmp_path):
    before = {p: p.read_bytes() for p in units.rglob("*") if p.is_file()}
    with pytest.raises(BatchError, match="不能是报告所在的文件夹本身"):
        run_batch(units, tmp_path / "r.xlsx", workers=1, annotate=units)
    (tmp_path / "文件").write_text("x", encoding="utf-8")
    with pytest.raises(BatchError, match="这是一个文件，不是文件夹"):
        run_batch(units, tmp_path / "r.xlsx", workers=1, annotate=tmp_path / "文件")
    assert {p: p.read_bytes() for p in units.rglob("*") if p.is_file()} == before


def test_text_and_word_report_of_the_same_name_get_two_copies(tmp_path):
    folder = tmp_path / "报告"
    folder.mkdir()
    (folder / "市财政局.txt").write_text(_unit_report("市财政局", blank=True), encoding="utf-8")
    import docx

    document = docx.Document()
    document.add_paragraph(_unit_report("市财政局").split("\n")[0])
    document.add_paragraph("全年召开党组会*次。")
    document.save(folder / "市财政局.docx")
    annotated = tmp_path / "审阅"
    run_batch(folder, tmp_path / "r.xlsx", workers=1, annotate=annotated)
    assert sorted(p.name for p in annotated.glob("*.docx")) == ["市财政局.docx", "市财政局（文本）.docx"]


def test_a_copy_that_cannot_be_written_is_noted_and_the_batch_goes_on(units, tmp_path):
    annotated = tmp_path / "审阅"
    annotated.mkdir()
    blocked = annotated / "市财政局.docx"
    blocked.write_bytes(b"old")
    blocked.chmod(0o444)
    out = tmp_path / "r.xlsx"
    summary = run_batch(units, out, workers=1, annotate=annotated)
    assert summary.annotated == 6 and summary.annotate_failed == 1
    assert blocked.read_bytes() == b"old"
    wb = openpyxl.load_workbook(out)
    ws = wb["总览"]
    header = [c.value for c in ws[2]]
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value == "市财政局.txt")
    assert "未能写出批注文件" in ws.cell(row, header.index("说明") + 1).value
    assert ws.cell(row, header.index("批注文件") + 1).value is None


def test_command_line_batch_options(units, tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    annotated = tmp_path / "审阅"
    target = tmp_path / "通报.docx"
    assert main(["batch", str(units), "--out", str(out), "--workers", "1", "--annotate", str(annotated),
                 "--tongbao", str(target)]) == 0
    printed = capsys.readouterr().out
    assert f"带批注的文档7份已写入“{annotated}”" in printed and "情况通报草稿已写入" in printed
    assert target.is_file() and len(list(annotated.rglob("*.docx"))) == 7


def test_an_earlier_batchs_output_in_the_folder_is_not_reviewed_again(units, tmp_path):
    first = run_batch(units, tmp_path / "a.xlsx", workers=1, annotate=units / "第一次审阅",
                      tongbao=units / "通报草稿.docx")
    second = run_batch(units, tmp_path / "b.xlsx", workers=1, annotate=tmp_path / "第二次")
    assert first.total == second.total == 7 and second.skipped_own == 1
    # a unit's own report that still carries comments from an earlier review is a report
    shutil.copy(units / "第一次审阅" / "市财政局.docx", units / "市财政局（修改稿）.docx")
    third = run_batch(units, tmp_path / "c.xlsx", workers=1)
    assert third.total == 8
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    files = [row[1] for row in wb["总览"].iter_rows(min_row=4, values_only=True) if isinstance(row[0], int)]
    assert not any("第一次审阅" in f or "通报" in f for f in files)


def test_a_file_name_with_a_control_character_costs_only_its_link(units, tmp_path):
    """Issue 25.6: a hyperlink target cannot hold a control character; the workbook (and the 通报)
    must still be written, that one row without its link and a note saying why."""
    odd = units / "市财政局\x01副本.txt"
    odd.write_text(_unit_report("市民政局", blank=True), encoding="utf-8")
    out = tmp_path / "r.xlsx"
    target = tmp_path / "通报.docx"
    summary = run_batch(units, out, workers=1, annotate=tmp_path / "审阅", tongbao=target)
    assert summary.annotated == 8 and out.is_file() and target.is_file()
    ws = openpyxl.load_workbook(out)["总览"]
    header = [c.value for c in ws[2]]
    rows = {ws.cell(r, 2).value: r for r in _report_rows(ws)}
    assert len(rows) == 8
    row = rows["市财政局副本.txt"]
    assert ws.cell(row, header.index("批注文件") + 1).hyperlink is None
    assert "控制字符" in ws.cell(row, header.index("说明") + 1).value
    linked = [r for name, r in rows.items() if ws.cell(r, header.index("批注文件") + 1).hyperlink]
    assert len(linked) == 7
