"""What belongs to the one document in the window, held in one object.

Everything a user chose or the program learnt about the report being edited — where it is, the
report type chosen by hand, the comparison with last period's report, the unit and 报告期 confirmed
for its ledger — is here, and opening or making another document starts a new DocumentState, so
nothing of one report can carry over to the next (a 述责述廉 chosen for one report checking the
next as one, with nothing on screen saying so). What a file had is remembered in the settings by
its path and comes back when that file is opened again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class ChecklistPosition:
    """Where the user is in the checklist: the groups opened and the group selected (by item id),
    kept across the checks of one document and never handed to the next one."""
    expanded: set[str] = field(default_factory=set)
    current: str | None = None


@dataclass
class DocumentState:
    path: Path | None = None  # where saving writes; None for a new report never saved
    opened_path: Path | None = None  # the file it was opened (or restored) from, a .docx too
    opened_text: str | None = None  # that file's text as read: an unchanged .docx is annotated itself
    foreign_docx: bool = False  # path is a .docx another program wrote: ask before saving over it
    report_type: str | None = None  # chosen in the toolbar; None: detected from the title
    previous: Any = None  # core.check.compare.PreviousReport while comparing with last period's report
    previous_path: Path | None = None
    ledger: tuple[str, str] | None = None  # (unit, 报告期) confirmed at this report's last 导出台账
    checklist: ChecklistPosition = field(default_factory=ChecklistPosition)

    @property
    def file(self) -> Path | None:
        """The file this document is remembered by (its own, else the one it came from)."""
        return self.path or self.opened_path


def delegate(name: str) -> property:
    """A window attribute that is the current document's: `window.path` is `window.doc.path`."""
    return property(lambda self: getattr(self.doc, name), lambda self, value: setattr(self.doc, name, value),
                    doc=f"The current document's {name} (ui/document.py)")
