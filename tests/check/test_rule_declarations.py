"""One declaration per rule (resources/checklist.toml [rule.<id>], read by core/check/checklist.py):
every rule the engine runs or the comparison reports has exactly one, every one belongs to a rule,
and the code keeps no list of rule ids of its own."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from helpers import ROOT

from core import resources
from core.check import checklist, engine
from core.check.checklist import RuleDeclaration, declarations, declared_items, rules_with
from core.check.compare import PreviousReport
from core.check.engine import check
from core.check.examples import unmarked
from core.check.findings import Finding
from core.check.rules import RULES
from core.check.rules.messages import messages


def _comparison_rules_reported() -> set[str]:
    """The rules the comparison with last period's report reports on its examples."""
    out = set()
    for example in resources.load("rules/compare.toml")["example"]:
        new = unmarked(example.get("example") or example["counterexample"])
        out |= {f.rule for f in check(new, previous=PreviousReport(example["old"])).findings}
    return out - set(RULES)


def test_every_registered_rule_has_exactly_one_declaration():
    text = (resources.resources_dir() / checklist.FILE).read_text(encoding="utf-8")
    headers = re.findall(r"^\[rule\.([a-z-]+)\]", text, re.M)
    assert sorted(set(RULES) - set(headers)) == []
    assert {r: headers.count(r) for r in headers if headers.count(r) != 1} == {}


def test_every_declaration_is_of_a_rule():
    """A declaration is of a registered rule or of one the comparison reports (needs_previous)."""
    comparison = _comparison_rules_reported()
    assert comparison == set(rules_with("needs_previous"))
    assert sorted(set(declarations()) - set(RULES) - comparison) == []


def test_every_message_belongs_to_a_declared_rule():
    assert sorted({m.rule for m in messages().values()} - set(declarations())) == []


def test_every_item_has_rules_and_every_rule_an_item():
    assert [i.id for i in declared_items() if not i.rules] == []
    assert sorted({r for i in declared_items() for r in i.rules}) == sorted(declarations())


def test_a_rule_cannot_run_without_its_declaration(monkeypatch):
    monkeypatch.setitem(RULES, "undeclared-rule", lambda ctx: [])
    engine._require_declarations.cache_clear()
    try:
        with pytest.raises(resources.ResourceError, match="undeclared-rule"):
            check("某单位2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n召开党组会3次。\n")
    finally:
        monkeypatch.undo()
        engine._require_declarations.cache_clear()


def test_a_rule_naming_an_item_that_does_not_exist_is_refused(user_home):
    (user_home / checklist.FILE).write_text('[rule.title]\nitem = "no-such-item"\n', encoding="utf-8")
    resources.clear_cache()
    with pytest.raises(resources.ResourceError, match="no-such-item"):
        declarations()


def test_blocks_export_at_its_level_and_above():
    at_warning = RuleDeclaration("x", "title", {}, blocks_export="warning")
    assert [at_warning.blocks(s) for s in ("error", "warning", "info")] == [True, True, False]
    assert not RuleDeclaration("x", "title", {}).blocks("error")


def test_an_item_needs_what_all_its_rules_need():
    by_id = {i.id: i for i in declared_items()}
    for item in by_id.values():
        rules = [declarations()[r] for r in item.rules]
        assert item.needs_type == all(r.needs_type for r in rules), item.id
        assert item.needs_previous == all(r.needs_previous for r in rules), item.id
    assert by_id["structure"].needs_type and not by_id["term"].needs_type
    assert by_id["copied"].needs_previous and not by_id["stats"].needs_previous


def test_only_the_declared_levels_of_declared_rules_stop_an_export():
    """Findings of the comparison and of the rules are all declared; anything else (a stray id) is
    left alone rather than failing an export."""
    from core.check.blocking import blocking_findings

    class Result:
        findings = [Finding("not-a-rule", "error", "", 0, 1), Finding("placeholder", "error", "", 0, 1),
                    Finding("placeholder", "warning", "", 0, 1)]

    assert [f.rule for f in blocking_findings(Result())] == ["placeholder"]


# --- the code keeps no list of rule ids of its own -------------------------------------------------

# Literal collections of ids that are checklist items (groups), not rules, though the names coincide.
ITEM_ID_LISTS = {("core/review/tongbao.py", ("typo", "term", "residue"))}


def rule_id_lists(root: Path) -> list[tuple[str, int, tuple]]:
    """Tuples, lists, sets and dict keys in core/, ui/ and main.py made only of rule ids."""
    ids = set(declarations())
    out = []
    for path in [*(root / "core").rglob("*.py"), *(root / "ui").rglob("*.py"), root / "main.py"]:
        name = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                elts = node.elts
            elif isinstance(node, ast.Dict):
                elts = [k for k in node.keys if k is not None]
            else:
                continue
            if elts and all(isinstance(e, ast.Constant) and e.value in ids for e in elts):
                values = tuple(e.value for e in elts)
                if (name, values) not in ITEM_ID_LISTS:
                    out.append((name, node.lineno, values))
    return out


def test_the_code_keeps_no_list_of_rule_ids():
    assert rule_id_lists(ROOT) == []


def test_a_list_of_rule_ids_in_the_code_is_found(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "ui").mkdir()
    (tmp_path / "main.py").write_text("", encoding="utf-8")
    (tmp_path / "core" / "blocking.py").write_text('BLOCKING_RULES = ("placeholder", "residue")\n', encoding="utf-8")
    assert rule_id_lists(tmp_path) == [("core/blocking.py", 1, ("placeholder", "residue"))]
