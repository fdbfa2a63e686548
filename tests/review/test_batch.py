"""Batch review: a folder of reports in, one workbook (总览, 明细, 台账) out."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
from helpers import CLEAN, SEEDS, read_fixture

from core import resources
from core.check.engine import check
from core.review.batch import (
    BatchError,
    ReportReview,
    _reviews,
    find_reports,
    review_file,
    review_text,
    run_batch,
    score,
)
from core.review.batch_workbook import OVERVIEW_COLUMNS
from core.text.stats import report_totals
from main import main

HEADER_ROWS = 3  # 总览: title, group titles, 错误/警告


@pytest.fixture
def folder(tmp_path):
    """Seeds and clean reports in two folders, one unreadable file, one .docx, one formula trap."""
    root = tmp_path / "各单位 报告"
    (root / "二季度").mkdir(parents=True)
    for p in SEEDS:
        shutil.copy(p, root / p.name)
    for p in CLEAN:
        shutil.copy(p, root / "二季度" / p.name)
    (root / "坏文件.txt").write_bytes(b"\x00\x01\x02\x03binary\xff\xfe" * 20)
    (root / "公式.txt").write_text('=HYPERLINK("http://example.com","点我")\n+1+2\n', encoding="utf-8")
    (root / "~$正在编辑.docx").write_bytes(b"lock")  # Word's lock file: not a report
    (root / ".隐藏.txt").write_text("隐藏文件", encoding="utf-8")
    (root / "说明.pdf").write_bytes(b"%PDF-1.4")
    import docx

    d = docx.Document()
    for line in read_fixture(CLEAN[0]).splitlines():
        d.add_paragraph(line)
    d.save(root / "二季度" / "报告.docx")
    return root


def _sheet_rows(ws, first=1):
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True)]


def _overview(path):
    wb = openpyxl.load_workbook(path)
    ws = wb["总览"]
    header = [c for c in next(ws.iter_rows(min_row=2, max_row=2, values_only=True))]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=HEADER_ROWS + 1, values_only=True)]
    return wb, rows


def test_find_reports_skips_lock_hidden_and_other_files(folder):
    found, problems = find_reports(folder)
    names = [p.relative_to(folder).as_posix() for p in found]
    assert problems == []
    assert "~$正在编辑.docx" not in names and ".隐藏.txt" not in names and "说明.pdf" not in names
    assert "二季度/报告.docx" in names and "公式.txt" in names
    assert len(names) == len(SEEDS) + len(CLEAN) + 3
    assert found == find_reports(folder)[0]  # stable order


def test_review_matches_the_one_checking_path():
    text = read_fixture(SEEDS[1])
    review = review_text(text, "x.txt")
    result = check(text)
    assert (review.errors, review.warnings) == (result.errors, result.warnings)
    assert len(review.findings) == len(result.findings)
    assert review.blanks == sum(1 for f in result.findings if f.rule == "placeholder") > 0
    assert {k: v for k, v in review.groups.items()} == {
        i.id: (sum(f.severity == "error" for f in i.findings), sum(f.severity == "warning" for f in i.findings))
        for i in result.checklist if i.findings}
    assert [(t[0], t[2], t[3]) for t in review.totals] == [
        (k, u, v.value) for (k, u), v in report_totals(result.stats).items()]


def test_score_caps_each_group_and_clean_reports_score_100():
    assert score({}) == 100
    assert score({"term": ["warning"] * 50}) == 80  # capped at 20
    assert score({"placeholder": ["error"], "term": ["warning", "warning"]}) == 93
    assert score({"term": ["info"] * 9}) == 100
    assert score({f"g{i}": ["error"] * 5 for i in range(6)}) == 0
    for path in CLEAN:
        assert review_text(read_fixture(path), path.name).score == 100


def test_score_order_a_reviewer_agrees_with():
    """Issue 22.10: seed 000 has every figure blank (24 blanks) and scored 70, above seed 004
    (50), whose warnings are mostly cosmetic (7 headings numbered 1、). Blanks and residue count
    in full; numbering and punctuation little."""
    by_seed = {p.name[:3]: review_text(read_fixture(p), p.name) for p in SEEDS}
    assert by_seed["000"].blanks == 24
    assert by_seed["000"].score < by_seed["004"].score
    assert score({"placeholder": ["error"] * 24}) < score({"placeholder": ["error"] * 5})
    assert score({"residue": ["error"] * 4}) == 100 - 4 * 8  # no cap
    assert score({"numbering": ["warning"] * 30}) >= 95
    # one blank costs more than one cosmetic warning, less than a missing part
    assert score({"numbering": ["warning"]}) > score({"placeholder": ["error"]}) > score({"structure": ["error"]})


def test_the_workbook_states_the_scoring_method(tmp_path):
    folder = tmp_path / "报告"
    folder.mkdir()
    for p in SEEDS[:2]:
        shutil.copy(p, folder / p.name)
    out = tmp_path / "r.xlsx"
    run_batch(folder, out, workers=1)
    wb = openpyxl.load_workbook(out)
    assert "得分的算法见“评分办法”页" in wb["总览"]["A1"].value
    ws = wb["评分办法"]
    method = "\n".join(ws.cell(r, 1).value for r in range(2, ws.max_row + 1))
    assert "从100分起扣" in method and "每处错误扣8分" in method and "最多扣20分" in method
    assert "“空白待填”：每处错误扣3分，不设上限" in method
    assert "“标题序号”：每处警告扣1分，最多扣5分" in method


def test_problems_and_answered_share():
    review = review_text(read_fixture(SEEDS[2]), "seed.txt")
    unanswered = sum(1 for f in check(read_fixture(SEEDS[2])).findings if f.rule == "problem-measure")
    assert review.problems >= 3
    assert review.answered == review.problems - unanswered


def test_unreadable_file_is_a_row_with_its_reason(tmp_path):
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    review = review_file(str(bad), str(tmp_path))
    assert review.file == "坏.docx" and review.error and review.score is None


def test_batch_workbook(folder, tmp_path):
    out = tmp_path / "审查结果.xlsx"
    seen = []
    summary = run_batch(folder, out, workers=1, progress=lambda d, t, f: seen.append((d, t, f)))
    total = len(SEEDS) + len(CLEAN) + 3
    assert summary.total == total and summary.reviewed == total and not summary.cancelled
    assert summary.unreadable == 1
    assert [s[0] for s in seen] == list(range(1, total + 1)) and seen[-1][1] == total

    wb, rows = _overview(out)
    assert wb.sheetnames == ["总览", "明细", "台账", "评分办法"]
    assert "共" in wb["总览"]["A1"].value
    assert len(rows) == total
    # worst first: the unreadable file, then ascending scores
    assert rows[0]["文件"] == "坏文件.txt" and "无法读取" in rows[0]["说明"]
    scores = [r["得分"] for r in rows[1:]]
    assert scores == sorted(scores)
    by_file = {r["文件"]: r for r in rows}
    for p in CLEAN:
        row = by_file[f"二季度/{p.name}"]
        assert row["得分"] == 100 and row["错误"] == 0 and row["缺少部分"] is None
    seed = by_file[SEEDS[1].name]
    review = review_text(read_fixture(SEEDS[1]), SEEDS[1].name)
    assert (seed["得分"], seed["错误"], seed["警告"], seed["空白待填"]) == (
        review.score, review.errors, review.warnings, review.blanks)
    assert by_file["二季度/报告.docx"]["单位"] == by_file[f"二季度/{CLEAN[0].name}"]["单位"]

    # errors and warnings per checklist group, under a two-row header
    ws = wb["总览"]
    group_header = [c.value for c in ws[2]]
    sub_header = [c.value for c in ws[3]]
    col = group_header.index("空白待填", len(OVERVIEW_COLUMNS))
    assert sub_header[col:col + 2] == ["错误", "警告"]
    seed_row = next(r for r in ws.iter_rows(min_row=4) if r[1].value == SEEDS[1].name)
    assert seed_row[col].value == review.groups["placeholder"][0]
    assert ws.conditional_formatting and ws.freeze_panes == "C4"

    # 明细: every finding, with excerpt; the formula-looking text stays text
    detail = wb["明细"]
    header = [c.value for c in detail[1]]
    assert header[:3] == ["文件", "单位", "行"]
    detail_rows = _sheet_rows(detail, 2)
    assert sum(1 for r in detail_rows if r[0] == SEEDS[1].name) == len(review.findings)
    assert any(r[0] == "坏文件.txt" and "二进制" in r[6] for r in detail_rows)
    for row in detail.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value

    # 台账: one column per readable report under its period, the numbers as in the report
    ledger = wb["台账"]
    columns = _ledger_columns(ledger)
    assert [c.value for c in ledger[2]][:3] == ["类别", "指标", "计量单位"]
    assert len([c for c in columns if not c[1].endswith("合计")]) == total - 1
    annual = next(p for p in CLEAN if p.name == "zhuti_2024_annual.txt")
    unit_col = columns.index(("2024年度", "市审计局")) + 4
    party = next(r for r in ledger.iter_rows(min_row=4, values_only=True) if r[1] == "党组会（党委会）")
    assert party[unit_col - 1] == report_totals(check(read_fixture(annual)).stats)[("dangzuhui", "次")].value


def _ledger_columns(ws) -> list[tuple[str, str]]:
    """(报告期, unit or 合计) of each report column of the batch 台账, reading the merged period row."""
    periods, label = [], None
    for cell in list(ws[2])[3:]:
        label = cell.value if cell.value is not None else label
        periods.append(label)
    return list(zip(periods, [c.value for c in list(ws[3])[3:]]))


def _annual_report(unit: str, year: int, party: int) -> str:
    return (f"{unit}{year}年度全面从严治党主体责任落实情况报告\n{year}年，{unit}党组坚持以习近平新时代中国特色社会主义思想为指导。"
            f"现将有关情况报告如下：\n一、工作落实情况\n全年召开党组会{party}次，开展谈心谈话40人次。\n")


def _quarter_report(unit: str, year: int, party: int) -> str:
    return (f"{unit}{year}年第三季度全面从严治党主体责任落实情况报告\n{year}年第三季度，{unit}党组认真落实主体责任。"
            f"现将有关情况报告如下：\n一、工作落实情况\n本季度召开党组会{party}次。\n")


def test_batch_ledger_never_adds_up_different_periods(tmp_path):
    root = tmp_path / "报告"
    root.mkdir()
    (root / "a.txt").write_text(_annual_report("市审计局", 2024, 12), encoding="utf-8")
    (root / "b.txt").write_text(_annual_report("市统计局", 2024, 15), encoding="utf-8")
    (root / "c.txt").write_text(_quarter_report("市审计局", 2023, 3), encoding="utf-8")
    (root / "d.txt").write_text(_quarter_report("市财政局", 2023, 4), encoding="utf-8")
    (root / "e.txt").write_text(_annual_report("市财政局", 2023, 20), encoding="utf-8")
    out = tmp_path / "审查结果.xlsx"
    run_batch(root, out, workers=1)
    ws = openpyxl.load_workbook(out)["台账"]
    columns = _ledger_columns(ws)
    # chronological groups, each with the unit in the column header and its period above it
    assert columns == [("2023年第三季度", "市审计局"), ("2023年第三季度", "市财政局"), ("2023年第三季度", "2023年第三季度合计"),
                       ("2023年度", "市财政局"),
                       ("2024年度", "市审计局"), ("2024年度", "市统计局"), ("2024年度", "2024年度合计")]
    assert all(not c[1].endswith("合计") or c[1] == f"{c[0]}合计" for c in columns)
    party = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[1] == "党组会（党委会）")
    figures = dict(zip(columns, party[3:]))
    assert figures[("2023年第三季度", "2023年第三季度合计")] == 3 + 4
    assert figures[("2024年度", "2024年度合计")] == 12 + 15  # the 2023 reports are not in it
    assert figures[("2023年度", "市财政局")] == 20
    assert "合计" not in [c.value for c in ws[3]][:3]


def test_batch_ledger_keeps_yu_in_a_total(tmp_path):
    """60余 + 24 is 84余, not 84: the 合计 says the total is at least that."""
    root = tmp_path / "报告"
    root.mkdir()
    (root / "a.txt").write_text(_annual_report("市审计局", 2024, 12).replace("党组会12次", "党组会60余次"), encoding="utf-8")
    (root / "b.txt").write_text(_annual_report("市统计局", 2024, 24), encoding="utf-8")
    (root / "c.txt").write_text(_annual_report("市财政局", 2024, 12), encoding="utf-8")
    out = tmp_path / "审查结果.xlsx"
    run_batch(root, out, workers=1)
    ws = openpyxl.load_workbook(out)["台账"]
    columns = _ledger_columns(ws)
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value == "党组会（党委会）")
    cells = dict(zip(columns, list(ws[row])[3:]))
    total = cells[("2024年度", "2024年度合计")]
    assert total.value == 60 + 24 + 12 and "余" in total.number_format
    talks = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value == "谈心谈话")
    plain = dict(zip(columns, list(ws[talks])[3:]))[("2024年度", "2024年度合计")]
    assert plain.value == 120 and "余" not in plain.number_format


def test_overview_and_ledger_print_legibly(folder, tmp_path):
    """Issue 22.11: fitted to one page width, 总览 printed at 3.5 pt. Landscape A4 at 8 pt or more,
    columns over several pages with the header rows and the naming columns repeated, page numbers."""
    from core.review.batch_workbook import DETAIL_COLUMNS

    out = tmp_path / "审查结果.xlsx"
    run_batch(folder, out, workers=1)
    wb = openpyxl.load_workbook(out)
    for name in ("总览", "明细", "台账"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9", name
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, name
    for name in ("总览", "台账"):
        ws = wb[name]
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ws.page_setup.scale * 11 / 100 >= 8, name  # the default 11 pt font
        assert ws.print_title_rows == "$2:$3" and ws.print_title_cols == "$A:$C", name
    # 明细 fits its width to the page: A4 landscape less the margins holds it at 8 pt or more
    ws = wb["明细"]
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    printable_mm = 297 - 25.4 * (ws.page_margins.left + ws.page_margins.right)
    sheet_mm = sum(w * 7 + 5 for _h, w in DETAIL_COLUMNS) * 25.4 / 96  # Excel: 7 px a width unit at 96 dpi
    assert min(1.0, printable_mm / sheet_mm) * 11 >= 8
    # a long file name wraps in its column, and its row is tall enough for it
    overview = wb["总览"]
    long_row = next(r for r in range(4, overview.max_row + 1)
                    if len(str(overview.cell(r, 2).value or "")) > 30 and isinstance(overview.cell(r, 1).value, int))
    assert overview.cell(long_row, 2).alignment.wrap_text
    assert overview.row_dimensions[long_row].height >= 30


def test_a_blank_unit_is_shown_as_a_blank(tmp_path):
    root = tmp_path / "报告"
    root.mkdir()
    (root / "x.txt").write_text(_annual_report("市**局", 2024, 12), encoding="utf-8")
    out = tmp_path / "审查结果.xlsx"
    run_batch(root, out, workers=1)
    wb = openpyxl.load_workbook(out)
    assert _ledger_columns(wb["台账"]) == [("2024年度", "单位空白（市**局）")]
    _wb, rows = _overview(out)
    assert rows[0]["单位"] == "单位空白（市**局）"


def test_parallel_workers_give_the_same_workbook(folder, tmp_path):
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    run_batch(folder, one, workers=1)
    run_batch(folder, two, workers=2)
    for name in ("总览", "明细", "台账"):
        a = _sheet_rows(openpyxl.load_workbook(one)[name], 2)
        b = _sheet_rows(openpyxl.load_workbook(two)[name], 2)
        assert a == b, name


def test_cancelling_keeps_what_was_done(folder, tmp_path):
    out = tmp_path / "r.xlsx"
    done = []
    summary = run_batch(folder, out, workers=1, progress=lambda d, t, f: done.append(d),
                        cancelled=lambda: len(done) >= 3)
    assert summary.cancelled and summary.reviewed == 3
    wb, rows = _overview(out)
    assert len(rows) == 3 and "已取消" in wb["总览"]["A1"].value


def test_a_dying_worker_costs_one_file_and_the_batch_goes_on(tmp_path):
    for i in range(6):
        shutil.copy(CLEAN[i % len(CLEAN)], tmp_path / f"{i}.txt")
    shutil.copy(CLEAN[0], tmp_path / "3-crash.txt")
    from batch_helpers import crash_on_marked

    paths = sorted(tmp_path.glob("*.txt"))
    reviews = list(_reviews(paths, tmp_path, None, 2, lambda: False, work=crash_on_marked))
    assert [r.file for r in reviews] == [p.name for p in paths]
    # the files in flight when the worker died are retried: only the one that kills a worker
    # on its own is listed as failed
    assert [r.file for r in reviews if r.error] == ["3-crash.txt"]


def test_a_pool_that_broke_while_files_were_handed_out_fails_them_instead_of_raising(tmp_path):
    # The flaky BrokenProcessPool: a worker died between two submits, and the next submit raised.
    from concurrent.futures.process import BrokenProcessPool

    from batch_helpers import crash_on_marked

    from core.review.batch import _Workers

    crash = tmp_path / "crash.txt"
    crash.write_text("x", encoding="utf-8")
    pool = _Workers(1)
    try:
        with pytest.raises(BrokenProcessPool):
            pool.submit(crash_on_marked, str(crash)).result()
        late = pool.submit(crash_on_marked, str(crash))  # the pool is broken now: no exception here
        with pytest.raises(BrokenProcessPool):
            late.result()
        pool.renew()
        ok = pool.submit(crash_on_marked, str(CLEAN[0]), str(CLEAN[0].parent)).result()
        assert ok.error is None
    finally:
        pool.shutdown()


def test_refuses_before_working(folder, tmp_path):
    empty = tmp_path / "空"
    empty.mkdir()
    with pytest.raises(BatchError, match="没有 .txt 或 .docx"):
        run_batch(empty, tmp_path / "r.xlsx")
    with pytest.raises(BatchError, match="不是一个文件夹"):
        run_batch(tmp_path / "不存在", tmp_path / "r.xlsx")
    with pytest.raises(BatchError, match=".xlsx"):
        run_batch(folder, tmp_path / "r.csv")
    out = tmp_path / "结果.xlsx"
    out.write_bytes(b"previous workbook")
    (tmp_path / "~$结果.xlsx").write_bytes(b"lock")
    with pytest.raises(BatchError, match="正在Excel、WPS或LibreOffice中打开"):
        run_batch(folder, out, workers=1)
    assert out.read_bytes() == b"previous workbook"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_read_only_result_is_refused_and_kept(folder, tmp_path):
    out = tmp_path / "只读.xlsx"
    out.write_bytes(b"keep me")
    out.chmod(0o444)
    with pytest.raises(BatchError, match="只读"):
        run_batch(folder, out, workers=1)
    assert out.read_bytes() == b"keep me"


def test_unlistable_subfolder_is_a_row(folder, tmp_path, monkeypatch):
    locked = folder / "锁住的"
    locked.mkdir()
    real_walk = os.walk

    def walk(top, onerror=None, **kw):  # as os.walk reports a folder it may not list
        for here, dirs, files in real_walk(top, onerror=onerror, **kw):
            if Path(here) == locked:
                onerror(PermissionError(13, "Permission denied", str(locked)))
                continue
            yield here, dirs, files

    monkeypatch.setattr(os, "walk", walk)
    summary = run_batch(folder, tmp_path / "ok.xlsx", workers=1)
    _wb, rows = _overview(tmp_path / "ok.xlsx")
    assert any(r["文件"] == "锁住的" and "无法打开这个文件夹" in r["说明"] for r in rows)
    assert summary.unreadable == 2


def test_cli_batch(folder, tmp_path, capsys):
    out = tmp_path / "审查 结果.xlsx"
    assert main(["batch", str(folder), "--out", str(out), "--workers", "1"]) == 0
    printed = capsys.readouterr()
    assert "共审查" in printed.out and str(out) in printed.out and "最需要关注：坏文件.txt" in printed.out
    assert out.is_file()
    assert main(["batch", str(tmp_path / "nope"), "--out", str(out)]) == 2
    assert "不是一个文件夹" in capsys.readouterr().err


def test_review_is_small_and_picklable():
    import pickle

    review = review_text(read_fixture(SEEDS[3]), "seed.txt")
    assert isinstance(pickle.loads(pickle.dumps(review)), ReportReview)
    assert len(pickle.dumps(review)) < 50_000


@pytest.mark.parametrize("example", resources.load("batch.toml")["example"], ids=lambda e: e["note"])
def test_score_examples(example):
    assert score(example["groups"]) == example["score"]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process group is POSIX")
def test_ctrl_c_on_the_command_line_writes_what_was_done(tmp_path):
    import signal
    import subprocess

    from helpers import ROOT

    folder = tmp_path / "many"
    folder.mkdir()
    text = read_fixture(SEEDS[3])
    for i in range(600):
        (folder / f"{i:03d}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "r.xlsx"
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "batch", str(folder), "--out", str(out),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", start_new_session=True)
    # Wait for the progress line that says reports are done (printed every 50 when not on a terminal),
    # however long the machine takes to get there; then Ctrl+C.
    progress = []
    for line in proc.stderr:
        progress.append(line)
        if line.startswith("已审查 ") and not line.startswith("已审查 600/"):
            break
    else:
        pytest.fail("the batch ended without a progress line: " + "".join(progress)[-2000:])
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl+C in a terminal does: the whole group gets it
    stdout, rest = proc.communicate(timeout=120)
    stderr = "".join(progress) + rest
    assert "Traceback" not in stderr, stderr[-2000:]
    if proc.returncode == 0:
        pytest.skip("the batch finished before Ctrl+C arrived")
    assert proc.returncode == 130 and "已取消" in stdout
    wb, rows = _overview(out)
    assert 0 < len(rows) < 600 and "已取消" in wb["总览"]["A1"].value


def test_reports_copying_each_other_are_found(tmp_path):
    """Two units handing in the same text (another's name swapped in) are flagged in 总览; the
    template wording every report shares is not copying."""
    folder = tmp_path / "各单位"
    folder.mkdir()
    for p in [*SEEDS, *CLEAN]:
        shutil.copy(p, folder / p.name)
    annual = next(p for p in CLEAN if p.name == "zhuti_2024_annual.txt")
    (folder / "抄的.txt").write_text(read_fixture(annual).replace("市审计局", "市档案局"), encoding="utf-8")
    out = tmp_path / "r.xlsx"
    run_batch(folder, out, workers=1)
    _wb, rows = _overview(out)
    by_file = {r["文件"]: r for r in rows}
    assert by_file["抄的.txt"]["与他份雷同"] > 0.9 and by_file["抄的.txt"]["雷同对象"] == annual.name
    assert by_file[annual.name]["雷同对象"] == "抄的.txt"
    others = [r["与他份雷同"] or 0 for f, r in by_file.items() if f not in ("抄的.txt", annual.name)]
    assert max(others) < 0.5


def test_cross_copies_see_through_a_swapped_unit_name():
    from core.review.reviews import cross_copies

    body = "\n".join(f"{{unit}}第{i}项工作：{{unit}}党组把第{i}件事情落到实处，取得了明显的成效。" for i in "一二三四五六")
    reviews = [review_text(f"{unit}2024年度落实全面从严治党主体责任情况的报告\n{body.format(unit=unit)}", f"{n}.txt")
               for n, unit in enumerate(["市审计局", "市档案局"])]
    assert reviews[0].sentence_keys == reviews[1].sentence_keys
    assert cross_copies(reviews) == {0: (1.0, 1), 1: (1.0, 0)}


def test_cross_copies_ignore_template_sentences():
    from core.review.reviews import cross_copies

    template = "现将本单位全面从严治党主体责任落实情况报告如下。"
    texts = [f"某单位{i}年度报告\n{template}\n一、工作情况\n本单位今年做了第{i}件非常独特的事情，与众不同的一句话。"
             for i in "甲乙丙丁戊己"]
    reviews = [review_text(t, f"{n}.txt") for n, t in enumerate(texts)]
    assert cross_copies(reviews) == {}
