"""The window says when a bad entry in the user's own lists is left out, and when a check was stopped."""
from __future__ import annotations

from core import resources


def test_a_bad_user_entry_is_said_once_and_checking_goes_on(user_home, window):
    (user_home / "rules").mkdir()
    (user_home / "rules" / "terms.toml").write_text('[[term]]\nwrong = "市审计所"\nright = "市审计局"\n'
                                                    'severity = "eror"\n', encoding="utf-8")
    resources.clear_cache()
    window.set_text("市审计局2024年度全面从严治党主体责任落实情况报告\n学习xjp讲话，召开党组会*次。\n", None)
    window.start_check()
    shown = window.statusBar().currentMessage()
    assert shown.startswith("自己的词表有误：规范提法（rules/terms.toml）第4行") and "“eror”" in shown
    assert "第4行" in window.check_label.toolTip()
    assert window.result is not None and [f for f in window.result.findings if f.rule == "placeholder"]
    window.statusBar().clearMessage()
    window.start_check()
    assert window.statusBar().currentMessage() == ""  # said once, not after every check


def test_a_stopped_check_is_said_as_the_service_says_it(window):
    said = "检查用了20秒仍未完成，已经停止（文字太长或太复杂）。修改文字后会重新检查。"
    window._check_failed(3, said)
    assert window.check_label.text() == "检查已停止" and window.statusBar().currentMessage() == said
    window._check_failed(4, "KeyError: 'x'")
    assert window.check_label.text() == "检查出错"
    assert window.statusBar().currentMessage() == "检查时出现内部错误，已跳过本次检查：KeyError: 'x'"
