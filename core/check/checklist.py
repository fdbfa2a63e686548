"""Each rule's declaration and the checklist items the sidebar and the command line show.

Everything about a rule besides its code is declared once, in resources/checklist.toml `[rule.<id>]`
(the file's header lists the keys): its checklist item, the levels it reports and why, and what it
needs (the report type, last period's report, the whole text, jieba) or does (stop an export, share a
comment). Every other module asks here; none keeps its own list of rule ids.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from core import resources
from core.check.findings import SEVERITY_RANK, Finding

FILE = "checklist.toml"


@dataclass(frozen=True)
class RuleDeclaration:
    id: str
    item: str  # the checklist item it reports under
    severity: dict[str, str]  # level -> why a finding of this rule is at that level
    needs_type: bool = False  # judges a report by its genre: not run on a text of unknown type
    needs_previous: bool = False  # reported only when compared with last period's report
    whole_text: bool = False  # not run on an excerpt
    needs_jieba: str | None = None  # "all": not run before jieba loads; "part": some findings need it
    blocks_export: str | None = None  # findings at this level or more certain stop an export until confirmed
    merge_comments: bool = False  # a paragraph's findings share one comment in the annotated copy
    fix_rechecked: bool = False  # a word list's example, fixed as suggested, must not trigger it again
    uses_stats: bool = False  # reads the stat items: they are extracted when it runs

    def blocks(self, severity: str) -> bool:
        return self.blocks_export is not None and SEVERITY_RANK[severity] <= SEVERITY_RANK[self.blocks_export]


@dataclass(frozen=True)
class ItemDeclaration:
    id: str
    title: str
    rules: tuple[str, ...]  # the rules that name it, in the file's order
    fixable: bool
    types: tuple[str, ...]  # shown only for these report types (empty: for all)
    needs_type: bool  # all its rules need the report type
    needs_previous: bool  # all its rules need last period's report


@resources.data_cache
def declarations() -> dict[str, RuleDeclaration]:
    """Rule id -> its declaration, in the file's order."""
    data = resources.load(FILE)
    items = {entry["id"] for entry in data.get("item", [])}
    out = {}
    for rule_id, entry in data.get("rule", {}).items():
        if entry.get("item") not in items:
            raise resources.ResourceError(f"{FILE} [rule.{rule_id}] 的 item “{entry.get('item')}”不是检查清单中的一项")
        out[rule_id] = RuleDeclaration(rule_id, **entry)
    return out


@resources.data_cache
def declared_items() -> tuple[ItemDeclaration, ...]:
    """The checklist's items in order, each with the rules declared under it."""
    rules = declarations()
    out = []
    for entry in resources.load(FILE).get("item", []):
        mine = [r for r in rules.values() if r.item == entry["id"]]
        out.append(ItemDeclaration(entry["id"], entry["title"], tuple(r.id for r in mine), entry.get("fixable", False),
                                   tuple(entry.get("types", ())), bool(mine) and all(r.needs_type for r in mine),
                                   bool(mine) and all(r.needs_previous for r in mine)))
    return tuple(out)


@resources.data_cache
def rules_with(key: str, value: object = True) -> tuple[str, ...]:
    """The rules whose declaration has `key` = `value`, in the file's order."""
    return tuple(r.id for r in declarations().values() if getattr(r, key) == value)


@dataclass
class ChecklistItem:
    id: str
    title: str
    rules: tuple[str, ...]
    fixable: bool
    findings: list[Finding] = field(default_factory=list)

    @property
    def status(self) -> str:
        if any(f.severity == "error" for f in self.findings):
            return "fail"
        if any(f.severity == "warning" for f in self.findings):
            return "warn"
        return "pass"

    @property
    def count(self) -> int:
        return len(self.findings)


def build_checklist(findings: list[Finding], report_type: str, compared: bool = False) -> list[ChecklistItem]:
    """`compared`: the report was checked against last period's, so the items that need one show."""
    items = []
    by_rule: dict[str, ChecklistItem] = {}
    for entry in declared_items():
        if entry.types and report_type not in entry.types:
            continue
        if entry.needs_previous and not compared:
            continue
        if entry.needs_type and report_type == "unknown":
            continue
        item = ChecklistItem(entry.id, entry.title, entry.rules, entry.fixable)
        items.append(item)
        for rule_id in item.rules:
            by_rule[rule_id] = item
    other = None
    for f in findings:
        item = by_rule.get(f.rule)
        if item is None:
            if other is None:
                other = ChecklistItem("other", "其他", (), False)
                items.append(other)
            item = other
        item.findings.append(f)
    return items


@resources.data_cache
def whole_text_rules() -> tuple[frozenset[str], int]:
    """Rules that need the whole report, and the length below which a text cut mid-sentence is an excerpt."""
    return frozenset(rules_with("whole_text")), resources.load(FILE).get("excerpt_max_chars", 1500)


@resources.data_cache
def rules_needing_type() -> frozenset[str]:
    """Rules that judge a report by its genre: not run on a text whose type is not known."""
    return frozenset(rules_with("needs_type"))
