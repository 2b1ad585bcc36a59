"""Sidecars: ``<datafile>.meta.yaml`` says what a published file does not (docs/sidecars.md).

Publishers' exports often omit the unit, the region or the source's date, and a reader's
guess (the indicator from the file name) may be wrong. A small YAML file beside the data
file supplies or overrides those values, so the data file itself stays exactly as
published (its hash in the manifest is the publisher's file).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from etl.problems import Problem

SUFFIX = ".meta.yaml"

#: Keys that set a figure field for every figure of the file.
FIGURE_KEYS: tuple[str, ...] = (
    "indicator",
    "unit",
    "measure",
    "period",
    "period_kind",
    "region",
    "industry",
    "product",
    "price_basis",
    "scope",
    "status",
    "share_of",
)
#: Keys of the ``source:`` mapping.
SOURCE_KEYS: tuple[str, ...] = (
    "id",
    "title",
    "publisher",
    "url",
    "published_date",
    "retrieved_date",
    "authority",
    "note",
)


@dataclass(frozen=True)
class Sidecar:
    """What a sidecar says; empty when there is none."""

    path: Path
    exists: bool
    fields: dict[str, str] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)

    def get(self, key: str, default: str = "") -> str:
        """A figure field from the sidecar, or ``default`` when it does not say."""
        return self.fields.get(key) or default


def sidecar_path(path: Path) -> Path:
    """``data.csv`` → ``data.csv.meta.yaml`` (beside it, full name kept so it is unambiguous)."""
    return path.with_name(path.name + SUFFIX)


def _text(value: object) -> str:
    """YAML scalars as the strings a figure holds (YAML reads ``2024-01-31`` as a date)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    return str(value).strip()


def load_sidecar(path: Path, rel: str) -> tuple[Sidecar, list[Problem]]:
    """Load the sidecar of data file ``path`` (``rel`` names the data file in problems)."""
    side = sidecar_path(path)
    if not side.is_file():
        return Sidecar(side, False), []
    where = rel + SUFFIX
    try:
        document = yaml.safe_load(side.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        return Sidecar(side, True), [Problem(where, None, None, f"not a valid YAML sidecar: {error}")]
    if document is None:
        document = {}
    if not isinstance(document, dict):
        return Sidecar(side, True), [Problem(where, None, None, "a sidecar must be a YAML mapping of key: value")]
    problems: list[Problem] = []
    fields: dict[str, str] = {}
    source: dict[str, str] = {}
    for key, value in document.items():
        if key == "source":
            if not isinstance(value, dict):
                problems.append(
                    Problem(where, None, "source", "'source' must be a mapping (title, publisher, url, ...)")
                )
                continue
            for skey, svalue in value.items():
                if skey not in SOURCE_KEYS:
                    problems.append(
                        Problem(
                            where,
                            None,
                            f"source.{skey}",
                            f"unknown sidecar key 'source.{skey}' (expected one of {', '.join(SOURCE_KEYS)})",
                        )
                    )
                    continue
                source[skey] = _text(svalue)
        elif key in FIGURE_KEYS:
            if isinstance(value, (dict, list)):
                problems.append(Problem(where, None, str(key), f"'{key}' must be a single value"))
                continue
            fields[key] = _text(value)
        else:
            problems.append(
                Problem(
                    where,
                    None,
                    str(key),
                    f"unknown sidecar key {key!r} (expected one of {', '.join((*FIGURE_KEYS, 'source'))})",
                )
            )
    return Sidecar(side, True, fields, source), problems


def missing(key: str, rel: str, path: Path) -> Problem:
    """The problem for a value neither the file nor a sidecar gives."""
    name = Path(rel).name
    reason = (
        f"missing {key!r}: the file does not say and there is no {name}{SUFFIX}"
        if not sidecar_path(path).is_file()
        else f"missing {key!r}: the file does not say and {name}{SUFFIX} does not either"
    )
    return Problem(rel, None, None, reason)


def source_record(defaults: dict[str, str], sidecar: Sidecar) -> dict[str, str]:
    """A sources row: the reader's defaults, each overridden by the sidecar's ``source:``."""
    record = dict(defaults)
    for key, value in sidecar.source.items():
        if value:
            record["source_id" if key == "id" else key] = value
    return record
