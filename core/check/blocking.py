"""Findings that stop an export until the user confirms: blanks still to fill and web residue.

Shared by the command line (`export` refuses without --force) and the window (导出 Word 文档 asks).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.check.findings import Finding

if TYPE_CHECKING:  # not imported at run time: the window never loads the rules itself
    from core.check.engine import CheckResult

BLOCKING_RULES = ("placeholder", "residue")


def blocking_findings(result: CheckResult) -> list[Finding]:
    """Blanks and web residue: never exported silently."""
    return [f for f in result.findings if f.rule in BLOCKING_RULES and f.severity == "error"]
