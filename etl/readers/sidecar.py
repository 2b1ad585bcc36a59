"""Sidecars: ``<datafile>.meta.yaml`` says what a published file does not (docs/sidecars.md).

Publishers' exports often omit the unit, the region or the source's date, a user may have
stripped an export's header lines, and a reader's guess (the indicator from the file name)
may be wrong. A small YAML file beside the data file supplies or overrides those values, so
the data file itself stays exactly as published (its hash in the manifest is the publisher's
file). It can say

* figure fields for every figure of the file (``indicator``, ``unit``, ``period_kind``, ...);
* how to read the file (``format``, ``layout``, ``decimal``, ``encoding``, ``delimiter``);
* the source (``source:``);
* new reference rows (``indicators:``, ``units:``), added to the run's reference tables and
  checked like them — so a new indicator (房地产施工面积) or unit (万平方米) needs no edit of
  the project's own tables.

Problems name the sidecar and the line of the key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from etl.encoding import DECLARABLE
from etl.inputs import SIDECAR_SUFFIX, sidecar_path
from etl.problems import Problem

SUFFIX = SIDECAR_SUFFIX

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
#: Keys that say how to read the file: key → the values it may take (empty: any text).
FILE_KEYS: dict[str, tuple[str, ...]] = {
    "format": ("figures", "nbs", "eurostat_tsv", "sdmx_csv", "bea"),
    "layout": ("region-by-period", "region-by-indicator", "indicator-by-period", "indicator-by-region"),
    "decimal": (".", ","),
    "encoding": DECLARABLE,
    "delimiter": (",", ";", "\t", "|"),
}
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
#: Reference rows a sidecar may define: key → (reference table, fields an item may have, fields it must have).
DEFINITION_KEYS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "indicators": (
        "indicators",
        ("code", "name_zh", "name_en", "base_unit", "dimension", "min_level", "definition"),
        ("code", "base_unit", "dimension"),
    ),
    "units": ("units", ("symbol", "base_unit", "multiplier", "dimension"), ("symbol", "multiplier")),
}
_LINES = "__lines__"
_LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers the line of every mapping and key (for problems)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    mapping[_LINES] = {
        loader.construct_object(key, deep=True): key.start_mark.line + 1 for key, _ in node.value
    }
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class Sidecar:
    """What a sidecar says; empty when there is none."""

    path: Path
    exists: bool
    fields: dict[str, str] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)
    file: dict[str, str] = field(default_factory=dict)
    #: Reference table → rows (dicts of strings, with ``ref_row`` the item's line).
    definitions: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    #: Key → the line it is on, for problems about a value the sidecar gave.
    lines: dict[str, int] = field(default_factory=dict)
    name: str = ""

    def get(self, key: str, default: str = "") -> str:
        """A figure field (or a file key) from the sidecar, or ``default`` when it does not say."""
        return self.fields.get(key) or self.file.get(key) or default

    def origin(self, key: str) -> str:
        """The location of ``key`` in the sidecar, as a figure's ``_at_<field>`` column holds it."""
        return location(self.name, self.lines.get(key), key)

    def origins(self) -> dict[str, str]:
        """``_at_<field>`` for every figure field the sidecar sets: a bad value is reported once, at its key."""
        return {f"_at_{key}": self.origin(key) for key in self.fields}


def location(file: str, row: int | None, column: str | None) -> str:
    """A problem location packed into one string (for the ``_at_<field>`` columns of figures)."""
    return f"{file}\x1f{'' if row is None else row}\x1f{column or ''}"


def unpack(packed: str) -> tuple[str, int | None, str | None]:
    """The inverse of :func:`location`."""
    file, row, column = packed.split("\x1f")
    return file, int(row) if row else None, column or None



def _text(value: object) -> str:
    """YAML scalars as the strings a figure holds (YAML reads ``2024-01-31`` as a date)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    return str(value).strip()


def _definitions(key: str, value: object, where: str, line: int | None, problems: list[Problem]) -> list[dict[str, object]]:
    """The reference rows of an ``indicators:`` or ``units:`` list."""
    table, allowed, required = DEFINITION_KEYS[key]
    if not isinstance(value, list):
        problems.append(Problem(where, line, key, f"'{key}' defines new {table}: a list of mappings with {', '.join(allowed)}"))
        return []
    rows = []
    for item in value:
        item_line = item.get(_LINE, line) if isinstance(item, dict) else line
        if not isinstance(item, dict):
            problems.append(Problem(where, item_line, key, f"each entry of '{key}' is a mapping with {', '.join(allowed)}"))
            continue
        keys = [k for k in item if k not in (_LINE, _LINES)]
        unknown = [str(k) for k in keys if k not in allowed]
        missing_keys = [k for k in required if not _text(item.get(k))]
        if unknown or missing_keys:
            reason = (f"unknown key(s) {', '.join(unknown)} in an entry of '{key}' (expected {', '.join(allowed)})"
                      if unknown else f"an entry of '{key}' needs {', '.join(missing_keys)}")
            problems.append(Problem(where, item_line, key, reason))
            continue
        row: dict[str, object] = {k: _text(item.get(k)) for k in allowed}
        if table == "indicators":
            row["default_unit"] = row.pop("base_unit")
        row["ref_file"], row["ref_row"] = where, item_line
        rows.append(row)
    return rows


def load_sidecar(path: Path, rel: str) -> tuple[Sidecar, list[Problem]]:
    """Load the sidecar of data file ``path`` (``rel`` names the data file in problems)."""
    side = sidecar_path(path)
    where = rel + SUFFIX
    if not side.is_file():
        return Sidecar(side, False, name=where), []
    try:
        document = yaml.load(side.read_text(encoding="utf-8-sig"), Loader=_LineLoader)  # _LineLoader is a SafeLoader
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        return Sidecar(side, True, name=where), [Problem(where, None if line is None else line + 1, None, f"not a valid YAML sidecar: {error}")]
    if document is None:
        document = {}
    if not isinstance(document, dict):
        return Sidecar(side, True, name=where), [Problem(where, None, None, "a sidecar must be a YAML mapping of key: value")]
    lines: dict[str, int] = document.pop(_LINES, {})
    document.pop(_LINE, None)
    problems: list[Problem] = []
    fields: dict[str, str] = {}
    source: dict[str, str] = {}
    file: dict[str, str] = {}
    definitions: dict[str, list[dict[str, object]]] = {}
    for key, value in document.items():
        line = lines.get(key)
        if key == "source":
            if not isinstance(value, dict):
                problems.append(Problem(where, line, "source", "'source' must be a mapping (title, publisher, url, ...)"))
                continue
            source_lines = value.pop(_LINES, {})
            value.pop(_LINE, None)
            for skey, svalue in value.items():
                if skey not in SOURCE_KEYS:
                    problems.append(Problem(
                        where, source_lines.get(skey, line), f"source.{skey}",
                        f"unknown sidecar key 'source.{skey}' (expected one of {', '.join(SOURCE_KEYS)})",
                    ))
                    continue
                source[skey] = _text(svalue)
        elif key in DEFINITION_KEYS:
            rows = _definitions(key, value, where, line, problems)
            definitions.setdefault(DEFINITION_KEYS[key][0], []).extend(rows)
        elif key in FIGURE_KEYS or key in FILE_KEYS:
            if isinstance(value, (dict, list)):
                problems.append(Problem(where, line, str(key), f"'{key}' must be a single value"))
                continue
            text = str(value) if key == "delimiter" and isinstance(value, str) else _text(value)
            if key in FILE_KEYS:
                allowed = FILE_KEYS[key]
                if text.lower() not in allowed:
                    shown = ", ".join(repr(a) for a in allowed)
                    problems.append(Problem(where, line, str(key), f"'{key}' must be one of {shown}, not {text!r}"))
                    continue
                file[key] = text.lower() if key != "delimiter" else text
            else:
                fields[key] = text
        else:
            expected = (*FIGURE_KEYS, *FILE_KEYS, "source", *DEFINITION_KEYS)
            problems.append(Problem(where, line, str(key), f"unknown sidecar key {key!r} (expected one of {', '.join(expected)})"))
    return Sidecar(side, True, fields, source, file, definitions, {str(k): v for k, v in lines.items()}, where), problems


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
