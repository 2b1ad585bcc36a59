"""Candidates scored against labels: what an analyst would have taken, field by field.

A label is a row of the figures format with every field a human fills (region, industry,
indicator, product, scope, period, period kind, measure, value, unit, price basis, qualifier,
status, share_of). A candidate **finds** a label when every field means the same: codes equal,
the period the same dates and kind (``2021-08`` = ``2021年8月``), the value the same in base
units (``173.4 万辆`` = ``1.734 million vehicles``). Each label is found at most once. A
candidate that finds none is **false**. Two errors are counted apart because they mislead
most: a **sign error** (a decline stored as a rise, or the reverse) and a **percentage point
stored as a level** (回落1.5个百分点 as a level of 1.5).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from etl.periods import PeriodError, parse_period
from etl.reference import Reference
from etl.units import UnitError, parse_unit

LABEL_COLUMNS = (
    "region", "industry", "indicator", "product", "scope", "period", "period_kind", "measure", "value", "unit",
    "price_basis", "qualifier", "status", "share_of",
)
#: Fields compared as written (codes and vocabulary words).
_CODES = ("region", "industry", "indicator", "product", "scope", "measure", "price_basis", "qualifier", "share_of")
_POINTS = ("pp_change", "pp_change_prev", "contribution_pp")
_SUBJECT = ("region", "industry", "indicator", "product", "scope")


@dataclass
class ReleaseScore:
    name: str
    labels: int
    candidates: int
    found: int
    false: int
    sign_errors: int
    points_as_levels: int
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


class _Meaning:
    """A row reduced to what it means, for comparison."""

    def __init__(self, row: Mapping[str, str], reference: Reference):
        self.row = {k: (row.get(k) or "").strip() for k in LABEL_COLUMNS}
        self.codes = tuple(self.row[k] for k in _CODES)
        self.status = "target" if self.row["status"] == "target" or self.row["measure"] == "target" else ""
        try:
            period = parse_period(self.row["period"], self.row["period_kind"] or None)
            self.period: tuple[object, ...] = (period.start, period.end, period.kind)
        except PeriodError:
            self.period = ("unparsed", self.row["period"], self.row["period_kind"])
        try:
            unit = parse_unit(self.row["unit"], reference)
            base = unit.base_unit or reference.default_unit(self.row["indicator"], self.row["product"])
            self.unit, multiplier = base, unit.multiplier
        except UnitError:
            self.unit, multiplier = "?" + self.row["unit"], 1.0
        try:
            self.value = float(self.row["value"].replace(",", "")) * multiplier
        except ValueError:
            self.value = math.nan

    def same(self, other: _Meaning) -> bool:
        return (self.codes == other.codes and self.period == other.period and self.unit == other.unit
                and self.status == other.status and math.isclose(self.value, other.value, rel_tol=1e-9, abs_tol=1e-12))

    def subject(self) -> tuple[object, ...]:
        return (*(self.row[k] for k in _SUBJECT), self.period)

    def differences(self, other: _Meaning) -> list[str]:
        out = [k for k, a, b in zip(_CODES, self.codes, other.codes, strict=True) if a != b]
        if self.period != other.period:
            out.append("period")
        if self.unit != other.unit:
            out.append("unit")
        if not math.isclose(self.value, other.value, rel_tol=1e-9, abs_tol=1e-12):
            out.append("value")
        if self.status != other.status:
            out.append("status")
        return out

    def describe(self) -> str:
        r = self.row
        parts = [r["region"], r["industry"], r["indicator"], r["product"], r["scope"], r["period"], r["measure"],
                 f"{r['value']} {r['unit']}", r["price_basis"], r["share_of"]]
        return " ".join(p for p in parts if p)


def score_release(name: str, labels: Iterable[Mapping[str, str]], candidates: Iterable[Mapping[str, str]],
                  reference: Reference) -> ReleaseScore:
    """Compare one release's candidates with its labels (see the module docstring)."""
    wanted = [_Meaning(row, reference) for row in labels]
    got = [_Meaning(row, reference) for row in candidates]
    open_labels = list(range(len(wanted)))
    false: list[_Meaning] = []
    for candidate in got:
        match = next((i for i in open_labels if wanted[i].same(candidate)), None)
        if match is None:
            false.append(candidate)
        else:
            open_labels.remove(match)
    signs = points = 0
    wrong: list[str] = []
    for candidate in false:
        magnitude = abs(candidate.value)
        near = [w for w in wanted if math.isclose(abs(w.value), magnitude, rel_tol=1e-9) and w.subject() == candidate.subject()]
        signed = [w for w in near if w.value]
        if signed and all(math.copysign(1, w.value) != math.copysign(1, candidate.value) for w in signed):
            signs += 1
        if candidate.row["measure"] not in _POINTS and (
            candidate.unit == "percentage_points" or any(w.row["measure"] in _POINTS for w in near)
        ):
            points += 1
        closest = min(wanted, key=lambda w: len(w.differences(candidate))) if wanted else None
        diff = ", ".join(closest.differences(candidate)) if closest else "no labels"
        wrong.append(f"{candidate.describe()} (differs from the nearest label in: {diff})")
    misses = [wanted[i].describe() for i in open_labels]
    return ReleaseScore(name, len(wanted), len(got), len(wanted) - len(open_labels), len(false), signs, points,
                        misses, wrong)


def summary(scores: list[ReleaseScore]) -> dict[str, float]:
    labels = sum(s.labels for s in scores)
    candidates = sum(s.candidates for s in scores)
    return {
        "labels": labels,
        "candidates": candidates,
        "found": sum(s.found for s in scores),
        "found_pct": 100.0 * sum(s.found for s in scores) / labels if labels else 0.0,
        "false": sum(s.false for s in scores),
        "false_pct": 100.0 * sum(s.false for s in scores) / candidates if candidates else 0.0,
        "sign_errors": sum(s.sign_errors for s in scores),
        "points_as_levels": sum(s.points_as_levels for s in scores),
    }


def markdown_table(scores: list[ReleaseScore]) -> str:
    """Per release: labelled figures, found with every field right, candidates, false, sign errors."""
    lines = [
        "| release | labelled | found (all fields right) | candidates | false | sign errors | pp as levels |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        pct = 100.0 * s.found / s.labels if s.labels else 0.0
        lines.append(f"| {s.name} | {s.labels} | {s.found} ({pct:.1f}%) | {s.candidates} | {s.false} | "
                     f"{s.sign_errors} | {s.points_as_levels} |")
    total = summary(scores)
    lines.append(
        f"| **all** | **{total['labels']}** | **{total['found']} ({total['found_pct']:.1f}%)** | "
        f"**{total['candidates']}** | **{total['false']} ({total['false_pct']:.1f}%)** | "
        f"**{total['sign_errors']}** | **{total['points_as_levels']}** |"
    )
    return "\n".join(lines)
