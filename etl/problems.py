"""Input problems as values with a location, collected for a whole run.

A run reports *every* problem it finds (``file:row:column: reason``), not only the first,
so an analyst can fix a file in one pass. Nothing is published while any error exists;
warnings (an improbable value, a file without a final line break) are reported and the run
goes on.

A problem line stays short whatever the input: a 10 MB cell echoed into a reason is cut
with an ellipsis (:data:`MAX_LITERAL` characters of each quoted value, :data:`MAX_LINE` of
the whole line), so the run history and the dashboard's run status never carry it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SEVERITIES = ("error", "warning")
#: Characters of one quoted value kept in a reason.
MAX_LITERAL = 80
#: Characters of a whole problem line.
MAX_LINE = 300
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_KIND_LITERALS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|\d[\d.,eE+-]*")


def cut(text: str, limit: int) -> str:
    """``text`` shortened to ``limit`` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def _cut_literals(reason: str) -> str:
    def shorten(match: re.Match[str]) -> str:
        literal = match[0]
        if len(literal) <= MAX_LITERAL:
            return literal
        return literal[: MAX_LITERAL - 2] + "…" + literal[-1]

    return _QUOTED.sub(shorten, reason)


def kind_of(reason: str) -> str:
    """What kind of problem a reason describes: its words with the values left out.

    ``not a number: '12,34'`` and ``not a number: 'x'`` are one kind, ``not a number: …``;
    the report groups problems by it.
    """
    words = _KIND_LITERALS.sub("…", reason.split(" (")[0] if not reason.startswith("(") else reason)
    return cut(" ".join(words.split()), 100)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input cell (or row, or file)."""

    file: str
    row: int | None
    column: str | None
    reason: str
    severity: str = field(default="error", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", cut(str(self.file), 200))
        if self.column is not None:
            object.__setattr__(self, "column", cut(str(self.column), 60))
        object.__setattr__(self, "reason", cut(_cut_literals(str(self.reason)), MAX_LINE - 40))
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    @property
    def kind(self) -> str:
        return kind_of(self.reason)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        row = "" if self.row is None else str(self.row)
        column = self.column or ""
        prefix = "warning: " if self.severity == "warning" else ""
        return cut(f"{self.file}:{row}:{column}: {prefix}{self.reason}", MAX_LINE)


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that stop a run."""
    return [p for p in problems if p.is_error]


def warnings(problems: list[Problem]) -> list[Problem]:
    """The problems a run reports and goes on."""
    return [p for p in problems if not p.is_error]


class InputError(Exception):
    """Raised when a run found errors; carries every problem (warnings too)."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.reason))
        count = len(errors(self.problems))
        super().__init__(f"{count} problem(s) in the input")

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
