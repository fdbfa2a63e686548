"""The code rules' message texts and severities, read from resources/rules/messages.toml.

A rule names a message by id ("title.missing": rule id, a dot, a name) and fills its placeholders;
`say` makes the Finding, so the Python keeps only the logic.
"""
from __future__ import annotations

from dataclasses import dataclass

from core import resources
from core.check.findings import SEVERITIES, Finding

FILE = "rules/messages.toml"


@dataclass(frozen=True)
class Message:
    id: str
    rule: str
    text: str
    severity: str | dict[str, str]  # one level, or one per case the rule tells apart

    def level(self, case: str | None) -> str:
        if isinstance(self.severity, str):
            return self.severity
        if case not in self.severity:
            raise KeyError(f"{FILE} [{self.id}]: no severity for case {case!r}")
        return self.severity[case]

    def levels(self) -> set[str]:
        return {self.severity} if isinstance(self.severity, str) else set(self.severity.values())


@resources.data_cache
def messages() -> dict[str, Message]:
    out = {}
    for rule_id, names in resources.load(FILE).items():
        if rule_id == "fragment":
            continue
        for name, entry in names.items():
            msg = Message(f"{rule_id}.{name}", rule_id, entry["text"], entry["severity"])
            bad = msg.levels() - set(SEVERITIES)
            if bad:
                raise resources.ResourceError(f"{FILE} [{msg.id}] 中的级别 {sorted(bad)} 无效")
            out[msg.id] = msg
    return out


def message(msg_id: str) -> Message:
    try:
        return messages()[msg_id]
    except KeyError:
        raise resources.ResourceError(f"{FILE} 中没有提示 [{msg_id}]") from None


@resources.data_cache
def fragments() -> dict:
    return resources.load(FILE).get("fragment", {})


def fragment(name: str, key: str | None = None, **values) -> str:
    """A piece of text spliced into a message (`key` picks one of a table's entries)."""
    text = fragments()[name]
    if key is not None:
        text = text[key]
    return text.format(**values) if values else text


def say(msg_id: str, start: int, end: int, suggestion: str | None = None, *,
        case: str | None = None, severity: str | None = None, **values) -> Finding:
    """The finding of message `msg_id` at start..end. `case` picks the severity of a message with
    one per case; `severity` is for levels the rule's own data gives (a coverage area, a part)."""
    msg = message(msg_id)
    return Finding(msg.rule, severity or msg.level(case), msg.text.format(**values), start, end,
                   suggestion, msg_id)
