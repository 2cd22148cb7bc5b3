"""The result model shared by every layer: input problems, findings, sources.

A problem or a finding is data with a position (file, sheet, row, cell) and the
parameters of its message, never a bare string: messages are rendered at report
time in the report language (``messages.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Source:
    file: str
    sheet: str | None = None
    row: int | None = None
    cell: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "cell": self.cell}

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(self.sheet)
        if self.cell:
            parts.append(self.cell)
        elif self.row is not None:
            parts.append(f"row {self.row}")
        return " / ".join(parts)


@dataclass(frozen=True)
class Problem:
    """Something in the input that could not be read or used as it stands."""

    code: str  # e.g. "unreadable-date"; message key in messages.PROBLEMS
    source: Source
    params: dict[str, Any] = field(default_factory=dict)
    # "error": the file/sheet/row was not used; "warning": used with a caveat
    severity: str = "warning"


@dataclass
class SheetAccount:
    """What happened to one sheet: its kind and the fate of every data row."""

    name: str
    kind: str | None
    rows_read: int = 0
    rows_used: int = 0
    rows_reported: int = 0
    hidden: bool = False


@dataclass
class InputFile:
    path: str
    sha256: str
    # ok | partial | failed | skipped (not read on purpose: its one problem says why)
    status: str = "ok"
    problems: list[Problem] = field(default_factory=list)
    sheets: list[SheetAccount] = field(default_factory=list)


@dataclass(frozen=True)
class Violation:
    """What a rule returns: one breach, as data. ``variant`` names the failure mode and
    ``evidence`` holds the values the rule declares for it (``Rule.evidence``); the
    engine turns a violation into a :class:`Finding` (checks and types the evidence,
    adds the institution, and the class's own record as the place when ``source`` is
    None)."""

    variant: str
    evidence: dict[str, Any]
    class_id: str | None = None
    source: Source | None = None
    student_name: str | None = None
    id_number: str | None = None


@dataclass(frozen=True)
class Finding:
    """One rule breach. Name, article and severity come from the rule's registry entry;
    the message from the catalogue entry (code, variant) in the report language."""

    code: str
    variant: str
    class_id: str | None
    institution: str | None = None
    student_name: str | None = None
    id_number: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)  # typed, as declared
    source: Source | None = None


@dataclass(frozen=True)
class RuleFailure:
    """A rule that raised instead of returning its findings: reported by code, and the
    run exits 2 (an internal error), while every other rule's findings stand."""

    code: str
    error: str  # the exception's type and message (no trainee data: rules see tables)
