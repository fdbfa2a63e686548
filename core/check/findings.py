"""The one result type every rule produces, and the severities with their Chinese labels and order."""
from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "info")  # most serious first
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}  # sort key: errors first


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str  # "error" | "warning" | "info"
    message: str  # Chinese: what is wrong and what to write instead
    start: int  # code-point offsets into the normalised text
    end: int
    suggestion: str | None = None  # replacement for text[start:end]; "" deletes it
    # which message of resources/rules/messages.toml (or of a word list) this is: examples check it
    message_id: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")
