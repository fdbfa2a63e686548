"""Every rule and word-list file is held to its declaration in resources/schema.toml: shipped files at
load (and here, each one), the user's own files entry by entry — a bad entry is left out alone, with a
Chinese message naming the file, the line, the entry and the key."""
from __future__ import annotations

import shutil
import time
import tomllib

import pytest

from core import resources, schema
from core.check.engine import check

RESOURCES = resources.resources_dir()
SHIPPED = sorted(p.relative_to(RESOURCES).as_posix() for p in RESOURCES.rglob("*.toml")
                 if p.name != schema.SCHEMA_FILE)


def test_every_shipped_data_file_is_declared():
    """A new list file needs its declaration in resources/schema.toml (see the top of that file)."""
    assert set(SHIPPED) - set(schema.declared_files(RESOURCES)) == set()
    assert set(schema.declared_files(RESOURCES)) - set(SHIPPED) == set()  # nothing declared that is gone


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_file_keeps_to_its_declaration(name):
    text = (RESOURCES / name).read_text(encoding="utf-8")
    problems = schema.check(name, tomllib.loads(text), RESOURCES, compile_regex=True, text=text)
    assert [str(p) for p in problems] == []


def _user_terms(user_home, text: str) -> None:
    (user_home / "rules").mkdir(exist_ok=True)
    (user_home / "rules" / "terms.toml").write_text(text, encoding="utf-8")
    resources.clear_cache()


def _terms(text: str) -> list[tuple[str, str]]:
    return [(text[f.start:f.end], f.severity) for f in check(text, rules=["term"]).findings]


def test_a_misspelt_key_is_named_with_its_line_and_the_entry_left_out(user_home):
    _user_terms(user_home, '# 本单位\n[[term]]\nwrong = "市审计所"\nright = "市审计局"\nmesage = "名称"\n\n'
                           '[[term]]\nwrong = "市财政所"\nright = "市财政局"\n')
    said = [str(p) for p in resources.user_problems()]
    assert said == [said[0]] and all(w in said[0] for w in (
        "rules/terms.toml", "第5行", "[[term]] 第1条", "市审计所", "“mesage”", "message", "暂不使用"))
    assert _terms("市审计所和市财政所。") == [("市财政所", "error")]  # the good entry still works


@pytest.mark.parametrize("line,fragment", [
    ('severity = "eror"', '级别只能是 "error"（错误）、"warning"（警告）或 "info"（提示），这里是“eror”'),
    ("severity = 1", "级别只能是"),
    ('in_titles = "yes"', "应为true 或 false"),
    ("note = 5", "应为文字"),
    ('message = "{wrong}不对"', "{match}"),
    ("pattern = '(('", "圆括号"),
])
def test_a_wrong_type_or_severity_leaves_out_only_its_entry(user_home, line, fragment):
    _user_terms(user_home, f'[[term]]\nwrong = "市审计所"\nright = "市审计局"\n{line}\n\n'
                           '[[term]]\nwrong = "市财政所"\nright = "市财政局"\n')
    said = [str(p) for p in resources.user_problems()]
    assert len(said) == 1 and fragment in said[0] and "第4行" in said[0], said
    assert _terms("市审计所和市财政所。") == [("市财政所", "error")]


def test_a_file_that_does_not_parse_is_left_out_and_named(user_home):
    _user_terms(user_home, '[[term]]\nwrong = "市审计所\n')
    said = [str(p) for p in resources.user_problems()]
    assert len(said) == 1 and "rules/terms.toml" in said[0] and "第2行" in said[0] and "这个文件暂不使用" in said[0]
    assert _terms("学习xjp讲话。")  # shipped entries unaffected


def test_an_entry_changing_a_shipped_one_needs_only_its_changes(user_home):
    _user_terms(user_home, '[[term]]\nid = "xi-core-central-committee"\nseverity = "info"\n')
    assert resources.user_problems() == []


def test_a_new_stat_item_needs_its_name_and_phrases(user_home):
    (user_home / "stats.toml").write_text('[[kind]]\nid = "qingnian"\nphrases = ["青年理论学习小组"]\n\n'
                                          '[[kind]]\nid = "dangke"\nnorm = { per = "week", min = 2 }\n',
                                          encoding="utf-8")
    resources.clear_cache()
    said = [str(p) for p in resources.user_problems()]
    assert len(said) == 2
    assert "第1行" in said[0] and "缺少“name”" in said[0]
    assert "第7行" in said[1] and "norm.per" in said[1] and "“week”" in said[1]
    from core.text.stats import kinds

    assert [k.norm_per for k in kinds() if k.id == "dangke"] == ["quarter"]  # the shipped norm stays


@pytest.mark.parametrize("pattern", ["(市审计所+)+局", r"(?:\w*党)*委", ".*.*.*.*局", "(?:市|市市)*局", "市" * 301])
def test_a_pattern_that_could_run_for_minutes_is_refused(user_home, pattern):
    _user_terms(user_home, f"[[term]]\npattern = '{pattern}'\nreplace = \"市审计局\"\n")
    said = [str(p) for p in resources.user_problems()]
    assert len(said) == 1 and "正则表达式" in said[0], said
    started = time.monotonic()
    check("市审计所" * 30 + "！" + "党" * 5000, rules=["term"])
    assert time.monotonic() - started < 20  # (a+)+ on this text would take hours


def test_the_shipped_patterns_pass_the_user_guard():
    """The guard is not so strict that the project's own lists could not be written under it."""
    for name in SHIPPED:
        text = (RESOURCES / name).read_text(encoding="utf-8")
        assert schema.check(name, tomllib.loads(text), RESOURCES, compile_regex=True) == []


def test_shipped_data_breaking_its_declaration_is_refused_at_load(tmp_path, monkeypatch):
    copy = tmp_path / "resources"
    shutil.copytree(RESOURCES, copy)
    terms = copy / "rules" / "terms.toml"
    terms.write_text(terms.read_text(encoding="utf-8").replace("message =", "mesage =", 1), encoding="utf-8")
    monkeypatch.setattr(resources, "resources_dir", lambda: copy)
    resources.clear_cache()
    with pytest.raises(resources.ResourceError) as raised:
        resources.load("rules/terms.toml")
    assert all(w in str(raised.value) for w in ("terms.toml", "[[term]] 第1条", "“mesage”"))
    resources.clear_cache()


def test_a_new_file_needs_only_its_declaration(tmp_path):
    """The schema is data: a declaration is all a new list file needs to be checked."""
    folder = tmp_path / "resources"
    folder.mkdir()
    (folder / "schema.toml").write_text(
        (RESOURCES / "schema.toml").read_text(encoding="utf-8")
        + '\n[file."rules/new.toml"]\nname = "新词表"\n[file."rules/new.toml".keys]\nnew = "tables[word]"\n',
        encoding="utf-8")
    text = '[[new]]\nwrong = "甲"\nseverity = "warn"\n'
    problems = schema.check("rules/new.toml", tomllib.loads(text), folder, text=text)
    assert [(p.line, p.key, p.entry) for p in problems] == [(3, "severity", ("new", 0))]
    assert "新词表（rules/new.toml）" in str(problems[0])


def test_lines_of_nested_entries():
    text = ('[[kind]]\nid = "a"\n  [[kind.example]]\n  text = "x"\n[[kind]]\nid = "b"\n'
            '  [[kind.example]]\n  text = "y"\n  [[kind.example]]\n  text = """\n多行\n"""\n  value = 3\n')
    lines = schema.key_lines(text)
    assert lines[("kind", 1, "example", 1, "value")] == 13
    assert lines[("kind", 1, "example", 0, "text")] == 8
    assert lines[("kind", 0, "id")] == 2


def test_an_id_of_the_wrong_type_is_named_not_a_crash(user_home):
    _user_terms(user_home, '[[term]]\nid = ["x"]\nwrong = "市审计所"\nright = "市审计局"\n')
    said = [str(p) for p in resources.user_problems()]
    assert len(said) == 1 and "“id”" in said[0] and "应为文字" in said[0]
