"""Findings that stop an export until the user confirms: blanks still to fill and web residue.

Shared by the command line (`export` refuses without --force) and the window (导出 Word 文档 asks).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.check.checklist import declarations
from core.check.findings import Finding

if TYPE_CHECKING:  # not imported at run time: the window never loads the rules itself
    from core.check.engine import CheckResult


def blocking_findings(result: CheckResult) -> list[Finding]:
    """Blanks and web residue (the rules declared `blocks_export`): never exported silently."""
    rules = declarations()
    return [f for f in result.findings if f.rule in rules and rules[f.rule].blocks(f.severity)]
