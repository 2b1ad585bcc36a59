"""Input problems as values with a location, collected for a whole run.

A run reports *every* problem it finds (``file:row:column: reason``), not only the first,
so an analyst can fix a file in one pass. Nothing is published while any problem exists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input cell (or row, or file)."""

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        row = "" if self.row is None else str(self.row)
        column = self.column or ""
        return f"{self.file}:{row}:{column}: {self.reason}"


class InputError(Exception):
    """Raised when a run found problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
        super().__init__(f"{len(self.problems)} problem(s) in the input")

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
