"""`main.py rules test`: a rule or word-list file checked against its declaration and its examples run,
with Chinese output naming lines; `main.py --version`; a bad user entry named by every command."""
from __future__ import annotations

import tomllib

from helpers import ROOT
from test_cli import run

from core import __version__

GOOD = '[[term]]\nwrong = "市审计所"\nright = "市审计局"\nexample = "⟦市审计所⟧党组认真落实主体责任。"\n' \
       'counterexample = "市审计局党组认真落实主体责任。"\n'


def _mine(user_home, text: str, name: str = "terms.toml"):
    (user_home / "rules").mkdir(exist_ok=True)
    path = user_home / "rules" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_version_is_the_one_version():
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"主体责任报告助手 {__version__}"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and project["dynamic"] == ["version"]  # read from core/__init__.py
    sections = [ln for ln in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines() if ln.startswith("## ")]
    assert sections[0] == "## 未发布" or sections[0].startswith(f"## {__version__} ")
    assert any(s.startswith(f"## {__version__} ") for s in sections)  # the current version is described


def test_a_users_list_whose_examples_pass(user_home):
    _mine(user_home, GOOD)
    proc = run("rules", "test")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "自己的规范提法" in proc.stdout and "例子1条，全部通过" in proc.stdout


def test_a_misspelt_key_and_a_wrong_severity_are_named_with_their_lines(user_home):
    path = _mine(user_home, GOOD + '\n[[term]]\nwrong = "市财政所"\nright = "市财政局"\nmesage = "名称不对"\n'
                                   '\n[[term]]\nwrong = "市商务所"\nright = "市商务局"\nseverity = "eror"\n')
    proc = run("rules", "test", path)
    assert proc.returncode == 1
    out = proc.stdout
    assert "第10行，[[term]] 第2条（wrong = “市财政所”）的“mesage”" in out and "message" in out
    assert "第15行，[[term]] 第3条（wrong = “市商务所”）的“severity”" in out and "“eror”" in out
    assert "写法有误2处（这些条目检查时不用）；例子1条，全部通过" in out


def test_a_failing_example_says_what_the_rule_found_instead(user_home):
    path = _mine(user_home, '[[term]]\nwrong = "党组会议"\nright = "党组会"\n'
                            'example = "召开⟦党组⟧会议研究部署。"\n')
    proc = run("rules", "test", path)
    assert proc.returncode == 1
    assert "第1行 [term] term #1 党组会议：例子中⟦党组⟧处没有查出问题；规则查出的是：第3–6个字“党组会议”" in proc.stdout
    assert "未通过1条" in proc.stdout


def test_a_shipped_file_by_its_path_and_a_file_that_is_none():
    proc = run("rules", "test", ROOT / "resources" / "rules" / "placeholder.toml", "没有这个文件.toml")
    assert proc.returncode == 2
    assert "程序自带空白占位" in proc.stdout and "全部通过" in proc.stdout
    assert "找不到文件“没有这个文件.toml”" in proc.stderr


def test_nothing_of_ones_own_yet():
    proc = run("rules", "test")
    assert proc.returncode == 0 and "还没有自己的规则或词表文件" in proc.stdout


def test_check_names_a_bad_user_entry_and_goes_on(user_home, tmp_path):
    _mine(user_home, '[[term]]\nwrong = "市审计所"\nright = "市审计局"\nseverity = "eror"\n')
    report = tmp_path / "报告.txt"
    report.write_text("学习xjp讲话。\n", encoding="utf-8")
    proc = run("check", report, "--json")
    assert "注意：规范提法（rules/terms.toml）第4行" in proc.stderr and "暂不使用" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "xjp" in proc.stdout  # the shipped list still checked
