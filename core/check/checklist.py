"""Group findings into the checklist items the sidebar and the command line show."""
from __future__ import annotations

from dataclasses import dataclass, field

from core import resources
from core.check.findings import Finding


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
    for entry in resources.load("checklist.toml").get("item", []):
        types = entry.get("types")
        if types and report_type not in types:
            continue
        if entry.get("needs_previous") and not compared:
            continue
        if entry.get("needs_type") and report_type == "unknown":
            continue
        item = ChecklistItem(entry["id"], entry["title"], tuple(entry["rules"]), entry.get("fixable", False))
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
    data = resources.load("checklist.toml")
    return frozenset(data.get("whole_text_rules", [])), data.get("excerpt_max_chars", 1500)


@resources.data_cache
def rules_needing_type() -> frozenset[str]:
    """Rules that judge a report by its genre: not run on a text whose type is not known."""
    return frozenset(r for entry in resources.load("checklist.toml").get("item", [])
                     if entry.get("needs_type") for r in entry["rules"])
