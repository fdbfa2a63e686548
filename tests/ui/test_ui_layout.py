"""The window at 1024×700: the editor keeps most of the width, panes fold away, chart labels
never overlap."""
from __future__ import annotations

import pytest
from helpers import SEEDS, read_fixture

from ui.main_window import MainWindow, period_text
from ui.panels import CountChart


@pytest.fixture
def window(make_window):
    return make_window(show=False)  # each test shows it at its own size


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800), (1920, 1080)])
def test_the_editor_keeps_most_of_the_width(window, qtbot, size):
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.set_text(read_fixture(SEEDS[1]), None)
    outline, editor, side = window.splitter.sizes()
    assert editor >= 0.55 * sum((outline, editor, side)), window.splitter.sizes()
    assert side >= 240  # the checklist stays usable
    assert window.outline.isVisible() == (size[0] >= MainWindow.OUTLINE_FROM)


def test_the_side_panel_folds_away_and_comes_back(window, qtbot):
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    before = window.editor.width()
    window.side_action.trigger()
    assert not window.tabs.isVisible() and not window.side_action.isChecked()
    qtbot.waitUntil(lambda: window.editor.width() > before + 200)
    window.side_action.trigger()
    assert window.tabs.isVisible() and window.splitter.sizes()[2] >= 240
    window.outline_action.trigger()  # the outline on demand, even in a narrow window
    assert window.outline.isVisible() and window.splitter.sizes()[0] > 0


def test_chart_labels_never_overlap(qtbot):
    chart = CountChart()
    qtbot.addWidget(chart)
    chart.resize(300, 160)
    # Latin words in the name too: a machine without a CJK font draws no width for 很长…, and the
    # label must still be too long for 40 % of 300 px
    bars = [(f"第{i}项很长很长的统计事项名称 a rather long item name", i * 3, i) for i in range(28)]
    chart.set_bars(bars)
    rows = chart.layout_rows()
    height = chart.fontMetrics().height()
    for (upper, _), (lower, _) in zip(rows, rows[1:]):
        assert upper.bottom() <= lower.top() and upper.height() >= height
    assert chart.minimumHeight() >= rows[-1][0].bottom()  # it grows (and scrolls) instead of squeezing
    for rect, label in rows:
        assert chart.fontMetrics().horizontalAdvance(label) <= rect.width() + 1
    assert rows[0][1].endswith("…")  # too long for 40 % of 300 px: cut, not drawn over the bar


@pytest.mark.parametrize("year, period, text", [(2025, "年度", "2025年度"), (2025, "第三季度", "2025年第三季度"),
                                                (2025, None, "2025年"), (None, None, "")])
def test_period_wording(year, period, text):
    assert period_text(year, period) == text


def test_the_chart_legend_wraps_instead_of_being_cut(qtbot):
    chart = CountChart()
    qtbot.addWidget(chart)
    chart.set_bars([("党组会（党委会）", 10, 12), ("讲党课", 1, 1)])
    chart.resize(220, 300)
    items = chart.legend_items(True)
    assert len(items) == 3 and len({y for *_, y in items}) > 1  # more than one line
    for _kind, _colour, text, x, _y in items:
        assert x + 18 + chart.fontMetrics().horizontalAdvance(text) <= 220 + 1
    assert chart.minimumHeight() >= 8 + 2 * chart.row_height() + chart.legend_height()
