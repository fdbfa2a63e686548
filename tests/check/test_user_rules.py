import pytest

from core.check import user_rules
from core.check.engine import check


def test_examples_are_valid_and_change_nothing():
    for f in user_rules.user_files():
        assert f.read() == user_rules.EXAMPLES[f.key]
        assert user_rules.validate(f.key, f.read()) is None


def test_saving_a_term_takes_effect_at_once(user_home):
    user_rules.save("terms", '[[term]]\nwrong = "市审计所"\nright = "市审计局"\n')
    found = [f for f in check("市审计所党组认真落实。").findings if f.rule == "term"]
    assert found and found[0].suggestion == "市审计局"
    assert (user_home / "rules" / "terms.toml").exists()


def test_changing_a_norm(user_home):
    report = "区司法局2024年第三季度全面从严治党主体责任落实情况报告\n一、工作落实情况\n召开党组会3次，书记讲党课1次。"
    assert not [f for f in check(report).findings if f.rule == "count-norm"]
    user_rules.save("stats", '[[kind]]\nid = "dangke"\nnorm = { per = "quarter", min = 2 }\n')
    assert [f for f in check(report).findings if f.rule == "count-norm"]


@pytest.mark.parametrize("key,text,fragment", [
    ("terms", "[[term]\n", "格式有误"),
    ("terms", '[[term]]\nright = "甲"\n', "第1行，\\[\\[term\\]\\] 第1条：缺少“wrong”或“pattern”"),
    ("terms", '[[term]]\npattern = "(("\nreplace = "x"\n', "正则"),
    ("stats", '[[kind]]\nid = "new"\n', "缺少“name”、“phrases”"),
    ("stats", '[[kind]]\nid = "dangke"\nnorm = { per = "week", min = 1 }\n', "norm"),
])
def test_bad_content_is_refused_and_not_saved(user_home, key, text, fragment):
    with pytest.raises(ValueError, match=fragment):
        user_rules.save(key, text)
    assert not (user_home / user_rules.USER_FILES[key][0]).exists()


