"""导出台账 and the 统计 tab in the window: the report's own unit and period, confirmed; what the
export will do to an existing ledger; the export off the GUI thread; 未提及 and the figures that are
not this period's activities; the chart's norm line explained."""
from __future__ import annotations

import threading
from pathlib import Path

import openpyxl
import pytest
from helpers import CLEAN, read_fixture
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from core.files.settings import Settings

ANNUAL = read_fixture(next(p for p in CLEAN if p.name == "zhuti_2024_annual.txt"))  # 市审计局 2024年度
BLANK_UNIT = ("市**局2024年第三季度全面从严治党主体责任落实情况报告\n"
              "2024年第三季度，市**局党组认真落实主体责任。现将有关情况报告如下：\n"
              "一、工作落实情况\n召开党组会3次，开展主题党日3次。\n")


@pytest.fixture
def window(make_window, monkeypatch):
    w = make_window(Settings(unit="市委宣传部"))
    w.messages = []
    for kind in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, kind, lambda *a, **k: w.messages.append(a[2]))
    return w


class _Target(type(Path())):  # the ledger's path, remembering how the file dialog was asked
    asked: list


@pytest.fixture
def ledger_file(tmp_path, monkeypatch):
    out = _Target(tmp_path / "台账.xlsx")
    out.asked = []

    def save_name(*args, **kwargs):
        out.asked.append(kwargs)
        return str(out), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    return out


def answer_dialog(monkeypatch, answer):
    """Replace the dialog's exec: `answer(dialog)` looks at it, may type, and returns accept or not."""
    seen = []

    def exec_(dialog):
        seen.append(dialog)
        return QDialog.DialogCode.Accepted if answer(dialog) else QDialog.DialogCode.Rejected

    monkeypatch.setattr("ui.ledger_export.LedgerExportDialog.exec", exec_)
    return seen


def units_in(path) -> set[str]:
    ws = openpyxl.load_workbook(path)["台账明细"]
    return {r[2] for r in ws.iter_rows(min_row=3, values_only=True) if r[2]}


def test_the_report_is_filed_under_its_own_unit_not_the_settings_one(window, ledger_file, monkeypatch):
    seen = answer_dialog(monkeypatch, lambda d: d.ok_button.isEnabled())
    window.set_text(ANNUAL, None)
    window.export_ledger()
    dialog = seen[0]
    assert (dialog.unit.text(), dialog.period.text()) == ("市审计局", "2024年度")
    assert "取自报告标题" in dialog.unit_note.text()
    assert "新建" in dialog.target_note.text()
    assert units_in(ledger_file) == {"市审计局"}  # not 设置's 市委宣传部
    assert "市审计局" in window.messages[-1] and "2024年度" in window.messages[-1]
    assert (window.settings.ledger_unit, window.settings.ledger_period) == ("市审计局", "2024年度")
    assert window.settings.unit == "市委宣传部"


def test_a_blank_unit_must_be_filled_first(window, ledger_file, monkeypatch):
    def fill(dialog):
        assert dialog.unit.text() == "" and not dialog.ok_button.isEnabled()
        assert "空白" in dialog.unit_note.text() and "市**局" in dialog.unit_note.text()
        dialog.unit.setText("市**局")  # typing the blank back is still a blank
        assert not dialog.ok_button.isEnabled()
        dialog.unit.setText("市城管局")
        assert dialog.ok_button.isEnabled()
        return True

    seen = answer_dialog(monkeypatch, fill)
    window.set_text(BLANK_UNIT, None)
    window.export_ledger()
    assert seen and units_in(ledger_file) == {"市城管局"}


def test_a_cancelled_dialog_writes_nothing(window, ledger_file, monkeypatch):
    answer_dialog(monkeypatch, lambda d: False)
    window.set_text(ANNUAL, None)
    window.export_ledger()
    assert not ledger_file.exists() and window.messages == []


def test_an_existing_ledger_is_added_to_and_the_dialog_says_what_it_replaces(window, ledger_file, monkeypatch):
    seen = answer_dialog(monkeypatch, lambda d: True)
    window.set_text(ANNUAL, None)
    window.export_ledger()
    rows = openpyxl.load_workbook(ledger_file)["台账明细"].max_row
    window.settings.ledger_unit = "市委宣传部"  # as if the last export had been another unit's
    window.export_ledger()
    dialog = seen[-1]
    note = dialog.target_note.text()
    assert "追加" in note and f"“市审计局 2024年度”的主体责任落实情况报告已有的{rows - 2}行" in note and "替换" in note
    assert "上次导出" in dialog.change_note.text() and "市委宣传部" in dialog.change_note.text()
    # the file dialog does not ask "replace the file?": the export adds to it
    assert all(k.get("options") == QFileDialog.Option.DontConfirmOverwrite for k in ledger_file.asked)
    assert openpyxl.load_workbook(ledger_file)["台账明细"].max_row == rows
    assert "替换了" in window.messages[-1]
    # another period of the same unit: nothing to replace
    dialog = None

    def other_period(d):
        d.period.setText("2023年度")
        assert "不替换任何行" in d.target_note.text() and "已改动" in d.period_note.text()
        return True

    answer_dialog(monkeypatch, other_period)
    window.export_ledger()
    assert openpyxl.load_workbook(ledger_file)["台账明细"].max_row == rows + (rows - 2)


def test_a_period_that_is_not_one_is_refused(window, ledger_file, monkeypatch):
    def typo(dialog):
        dialog.period.setText("2024年第五季度")
        assert not dialog.ok_button.isEnabled() and "报告期" in dialog.ok_button.toolTip()
        return False

    answer_dialog(monkeypatch, typo)
    window.set_text(ANNUAL, None)
    window.export_ledger()


def test_the_export_runs_off_the_gui_thread_with_progress(window, ledger_file, monkeypatch, qtbot):
    import core.office.report_ledger as report_ledger

    real = report_ledger.export_to_ledger
    threads, steps = [], []

    def recording(*args, progress=None, **kwargs):
        threads.append(threading.current_thread())

        def relay(i, n, label):
            steps.append(label)
            progress(i, n, label)

        return real(*args, progress=relay, **kwargs)

    monkeypatch.setattr(report_ledger, "export_to_ledger", recording)
    answer_dialog(monkeypatch, lambda d: True)
    window.ledger_exporter.synchronous = False
    window.set_text(ANNUAL, None)
    window.export_ledger()
    qtbot.waitUntil(lambda: bool(window.messages), timeout=60000)
    assert threads and threads[0] is not threading.main_thread()
    assert steps[-1] == "保存台账" and "项统计写入" in window.messages[-1]
    assert not window.ledger_exporter.busy and window.ledger_exporter.progress_bar.isHidden()


# --- the 统计 tab ---------------------------------------------------------------------------------

QUARTER = ("区司法局2024年第三季度全面从严治党主体责任落实情况报告\n"
           "2024年第三季度，区司法局党组认真落实主体责任。现将有关情况报告如下：\n"
           "一、工作落实情况\n召开党组会2次，开展主题党日3次。\n")


def test_kinds_the_norms_require_but_the_report_never_mentions(window):
    window.set_text(QUARTER, None)
    label = window.stats.unmentioned_label
    assert not label.isHidden() and label.text().startswith("未提及")
    assert "讲党课（每季度至少1次）" in label.text() and "支委会" in label.text()
    assert "党组会" not in label.text() and "主题党日" not in label.text()  # mentioned, with numbers
    assert "民主生活会" not in label.text()  # a yearly norm says nothing about one quarter
    window.set_text(QUARTER.replace("开展主题党日3次", "开展主题党日3次，书记讲党课1次"), None)
    assert "讲党课" not in window.stats.unmentioned_label.text()


def test_the_chart_explains_its_norm_line(window):
    window.set_text(QUARTER, None)
    bars = {name: norm for name, _value, norm in window.stats.chart.bars}
    assert bars["党组会（党委会）"] == 3  # monthly: three in a quarter
    caption = window.stats.chart_caption.text()
    assert "红线" in caption and "本季度" in caption and "至少" in caption
    image = window.stats.chart.grab()  # the legend is drawn with the bars
    assert not image.isNull()
    tongbao = QUARTER.replace("全面从严治党主体责任落实情况报告", "落实全面从严治党主体责任情况通报")
    window.set_text(tongbao, None)
    assert "不按次数标准" in window.stats.chart_caption.text()
    assert all(norm is None for _n, _v, norm in window.stats.chart.bars)


ROLES = ("区司法局2024年第三季度全面从严治党主体责任落实情况报告\n"
         "2024年第三季度，区司法局党组认真落实主体责任。现将有关情况报告如下：\n"
         "一、工作落实情况\n召开党组会2次，开展主题党日3次，书记讲党课1次。巡察反馈问题15个，已完成整改15个。"
         "明确要求各支部每季度至少开展主题党日3次。对已完成整改的15个问题开展回头看。\n"
         "二、存在的问题\n（一）学习不够深入。个别党员学习不够主动。\n"
         "三、下一步工作打算\n（一）加强学习。计划召开党组会3次。\n")


def test_figures_that_are_not_period_activities_are_listed_apart(window):
    window.set_text(QUARTER, None)
    assert window.stats.excluded_table.isHidden()
    window.set_text(ROLES, None)
    result = window.result
    table = window.stats.excluded_table
    assert not table.isHidden()
    rows = {(table.item(r, 0).text(), table.item(r, 1).text(), table.item(r, 2).text())
            for r in range(table.rowCount())}
    assert rows == {("主题党日", "3次", "要求"), ("整改问题", "15个", "引用"), ("党组会（党委会）", "3次", "计划")}
    plan = next(i for i in result.stats_excluded if i.role == "plan")
    row = next(r for r in range(table.rowCount()) if table.item(r, 2).text() == "计划")
    spans = []
    window.stats.spanActivated.connect(lambda s, e: spans.append((s, e)))
    window.stats._excluded_clicked(row, 0)
    assert spans == [(plan.start, plan.end)]
    # and they are not counted: not in this period's table, the chart, or the ledger
    listed = [window.stats.table.item(r, 0).text() for r in range(window.stats.table.rowCount())]
    assert listed.count("党组会（党委会）") == 1 and listed.count("整改问题（巡视巡察）") == 1
    assert {name: v for name, v, _n in window.stats.chart.bars}["党组会（党委会）"] == 2


def test_the_ledger_takes_only_period_activities(window, ledger_file, monkeypatch):
    answer_dialog(monkeypatch, lambda d: True)
    window.set_text(ROLES, None)
    window.export_ledger()
    rows = [r for r in openpyxl.load_workbook(ledger_file)["台账明细"].iter_rows(min_row=3, values_only=True)]
    assert sorted((r[5], r[7]) for r in rows) == sorted((i.item, i.value) for i in window.result.stats)
    figures = {r[4]: r[6] for r in openpyxl.load_workbook(ledger_file)["汇总"].iter_rows(min_row=3, values_only=True)}
    assert figures["整改问题（巡视巡察）"] == 15 and figures["党组会（党委会）"] == 2


def test_the_docx_is_signed_with_the_reports_unit_not_the_settings_one(window, tmp_path, monkeypatch):
    import re
    import zipfile

    out = tmp_path / "报告.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr("ui.dialogs.SignatureDialog.exec", lambda self: 1)  # the 落款 as prefilled
    window.set_text(ANNUAL, None)  # 市审计局…, no 落款 of its own; 设置 says 市委宣传部
    window.export_docx()
    with zipfile.ZipFile(out) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    paragraphs = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in re.findall(r"<w:p[ >].*?</w:p>", xml)]
    import datetime

    today = datetime.date.today()
    assert [p for p in paragraphs if p.strip()][-2:] == ["市审计局", f"{today.year}年{today.month}月{today.day}日"]
    assert "市委宣传部" not in xml


# --- the chart and the ledger say the same; titles; progress; two writers -------------------------

SEED_001 = read_fixture(Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "001_c64cf84ad31af413.txt")
SEED_004 = read_fixture(Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "004_1c1ceef0f029ea66.txt")


def _summary_figures(path, period) -> dict:
    ws = openpyxl.load_workbook(path)["汇总"]
    header = [c.value for c in ws[2]]
    col = header.index(period)
    return {r[4]: r[col] for r in ws.iter_rows(min_row=3, values_only=True) if r[4]}


@pytest.mark.parametrize("text, unit, period, stated_twice", [
    (ANNUAL, "市审计局", "2024年度", {"专题培训": "7期"}),  # 6期 and 1期: two trainings, added
    (SEED_001, "市统计局", "2023年度", {"调研（班子成员）": "20余次",  # 20余 and, since a date, 8: not added
                                      "调研（时段：第二批主题教育开展以来）": "8次"}),
])
def test_the_chart_and_the_ledger_agree_for_an_item_stated_twice(window, ledger_file, monkeypatch,
                                                                 text, unit, period, stated_twice):
    def confirm(dialog):
        dialog.unit.setText(unit)
        dialog.period.setText(period)
        return True

    answer_dialog(monkeypatch, confirm)
    window.set_text(text, None)
    window.export_ledger()
    chart = dict(zip((name for name, _v, _n in window.stats.chart.bars), window.stats.chart.texts))
    ledger = _summary_figures(ledger_file, period)
    for item, shown in stated_twice.items():
        assert chart[item] == shown
    drawn = {name: value for name, value, _n in window.stats.chart.bars}
    assert drawn == {k: v for k, v in ledger.items() if k in drawn}  # every bar is the ledger's figure
    assert set(drawn) == {k for k, v in ledger.items() if isinstance(v, int)}


def test_the_chart_leaves_out_a_contradiction_and_says_so(window):
    window.set_text(QUARTER.replace("召开党组会2次，", "召开党组会2次，") + "全季度召开党组会5次。\n", None)
    assert "党组会（党委会）" not in [name for name, _v, _n in window.stats.chart.bars]
    assert "党组会（党委会）（2／5次）" in window.stats.chart_caption.text()


def test_a_report_naming_no_unit_asks_for_one(window, ledger_file, monkeypatch):
    def fill(dialog):
        assert dialog.unit.text() == "" and not dialog.ok_button.isEnabled()
        assert "没有写明单位" in dialog.unit_note.text()
        assert dialog.type_label.text() == "述责述廉报告"
        dialog.unit.setText("县直机关工委")
        return dialog.ok_button.isEnabled()

    answer_dialog(monkeypatch, fill)
    window.set_text(SEED_004, None)
    window.export_ledger()
    assert units_in(ledger_file) == {"县直机关工委"}


def test_the_dialog_asks_which_units_the_titles_name_and_the_ledger_remembers(window, ledger_file, monkeypatch):
    def first(dialog):
        assert dialog.title.text() == "市审计局"  # a ledger of one unit: its name
        dialog.title.setText("市直机关工委")
        dialog.title.textEdited.emit("市直机关工委")
        return True

    answer_dialog(monkeypatch, first)
    window.set_text(ANNUAL, None)
    window.export_ledger()
    wb = openpyxl.load_workbook(ledger_file)
    assert wb["台账明细"]["A1"].value == "市直机关工委全面从严治党统计台账（2024年）"

    seen = answer_dialog(monkeypatch, lambda d: True)
    window.set_text(QUARTER, None)  # 区司法局: the ledger now holds two units
    window.export_ledger()
    assert seen[-1].title.text() == "市直机关工委" and "上次导出" in seen[-1].title_note.text()
    assert openpyxl.load_workbook(ledger_file)["汇总"]["A1"].value.startswith("市直机关工委")


def test_several_units_and_no_title_chosen_name_none(window, ledger_file, monkeypatch):
    def clear(dialog):
        dialog.title.setText("")
        dialog.title.textEdited.emit("")
        return True

    answer_dialog(monkeypatch, clear)
    window.set_text(ANNUAL, None)
    window.export_ledger()
    seen = answer_dialog(monkeypatch, lambda d: True)
    window.begin_document(window.doc.__class__())  # another report, of a second unit
    window.set_text(QUARTER, None)
    window.export_ledger()
    dialog = seen[-1]
    assert dialog.title.text() == "" and "2个单位" in dialog.title_note.text()
    wb = openpyxl.load_workbook(ledger_file)
    assert [wb[name]["A1"].value for name in ("台账明细", "汇总")] == [
        "全面从严治党统计台账（2024年）", "全面从严治党统计台账汇总（2024年）"]


def test_the_export_progress_shows_from_the_start_and_stays(window, ledger_file, monkeypatch, qtbot):
    import core.office.report_ledger as report_ledger

    real = report_ledger.export_to_ledger
    started, go = threading.Event(), threading.Event()

    def slow(*args, **kwargs):
        started.set()
        assert go.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(report_ledger, "export_to_ledger", slow)
    answer_dialog(monkeypatch, lambda d: True)
    window.ledger_exporter.synchronous = False
    window.set_text(ANNUAL, None)
    window.statusBar().showMessage("已导出 报告.docx", 10000)  # a message from just before
    window.export_ledger()
    exporter = window.ledger_exporter
    try:
        assert exporter.progress_label.isVisible() and exporter.progress_bar.isVisible()
        assert "读取台账" in exporter.progress_label.text() and exporter.progress_bar.value() == 1
        assert window.statusBar().currentMessage() == ""
        assert started.wait(60)
        window.statusBar().showMessage("这处文字在上次检查后已经改动", 5000)  # what the window may say meanwhile
        assert exporter.progress_label.isVisible()
    finally:
        go.set()
    qtbot.waitUntil(lambda: bool(window.messages), timeout=60000)
    assert exporter.progress_label.isHidden() and "项统计写入" in window.messages[-1]


def test_the_window_and_a_batch_writing_one_ledger_keep_every_report(window, ledger_file, monkeypatch, qtbot):
    import multiprocessing

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "office"))
    import ledger_race

    ctx = multiprocessing.get_context("spawn")
    ready, go = ctx.Event(), ctx.Event()
    batch = ctx.Process(target=ledger_race.write_pausing, args=(str(ledger_file), ["县教育局", "县民政局"], ready, go))
    batch.start()
    try:
        assert ready.wait(ledger_race.WAIT)  # the batch has read the ledger and holds it
        answer_dialog(monkeypatch, lambda d: True)
        window.ledger_exporter.synchronous = False
        window.set_text(ANNUAL, None)
        window.export_ledger()
        exporter = window.ledger_exporter
        qtbot.waitUntil(lambda: "等待" in exporter.progress_label.text(), timeout=60000)
        assert exporter.progress_label.isVisible() and not window.messages
        go.set()
        batch.join(ledger_race.WAIT)
        qtbot.waitUntil(lambda: bool(window.messages), timeout=60000)
    finally:
        go.set()
        if batch.is_alive():
            batch.kill()
    assert batch.exitcode == 0
    assert units_in(ledger_file) == {"县教育局", "县民政局", "市审计局"}
    assert "项统计写入" in window.messages[-1]
