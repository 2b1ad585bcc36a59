"""URL query parameters → :class:`~dashboard.query.Filters`, validated; pure, no I/O.

One vocabulary for every surface that takes filters from a URL (the HTTP API, and the page's
URL state): ``region``, ``industry``, ``indicator``, ``product``, ``measure``, ``period_kind``,
``status`` (each one or more comma-separated codes), ``from``/``to`` (``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD``, compared with ``period_end``; a year or month is widened to its first day for
``from`` and its last day for ``to``) and ``source`` (``default`` | ``all``).

Every value is checked against a strict pattern or vocabulary and a length limit before it
reaches the query layer, which binds it as an SQL parameter; nothing here builds SQL.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from dashboard.query import Filters
from etl.model import MEASURES, STATUSES
from etl.periods import PERIOD_KINDS

#: A code: letters, digits, ``_ . -``; starts with a letter or digit. Region ``440000``, industry ``C36``.
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}")
#: At most this many codes in one parameter (an ``IN`` list is bounded).
MAX_CODES = 200
MAX_VALUE_LENGTH = 4000
DATE_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

#: parameter → Filters field, for the parameters that take codes.
CODE_PARAMS = {
    "region": "regions",
    "industry": "industries",
    "indicator": "indicators",
    "product": "products",
    "measure": "measures",
    "period_kind": "period_kinds",
    "status": "statuses",
}
#: Parameters whose codes come from a closed vocabulary.
VOCABULARIES: dict[str, tuple[str, ...]] = {"measure": MEASURES, "period_kind": PERIOD_KINDS, "status": STATUSES}
FILTER_PARAMS = frozenset([*CODE_PARAMS, "from", "to", "source"])


@dataclass(frozen=True)
class ParamError:
    """One rejected parameter: which, and why (returned to the client as JSON)."""

    parameter: str
    error: str

    def as_dict(self) -> dict[str, str]:
        return {"error": self.error, "parameter": self.parameter}


def values_of(mapping: Mapping, name: str) -> list[str]:
    """Every value given for ``name`` (``?a=1&a=2`` and ``?a=1,2`` alike)."""
    raw = mapping.getlist(name) if hasattr(mapping, "getlist") else [mapping[name]]
    if isinstance(raw, str):
        raw = [raw]
    return [str(v) for v in raw]


def single_value(mapping: Mapping, name: str, errors: list[ParamError]) -> str | None:
    """The one value of ``name``, or None (with an error when given twice)."""
    if name not in mapping:
        return None
    values = values_of(mapping, name)
    if len(values) != 1:
        errors.append(ParamError(name, f"give {name} once"))
        return None
    return values[0]


def parse_codes(name: str, values: list[str]) -> tuple[tuple[str, ...], ParamError | None]:
    """Comma-separated codes, each matching :data:`CODE_PATTERN` (and the vocabulary, if any)."""
    text = ",".join(values)
    if len(text) > MAX_VALUE_LENGTH:
        return (), ParamError(name, f"value too long (at most {MAX_VALUE_LENGTH} characters)")
    codes = [c.strip() for c in text.split(",")]
    if not codes or any(c == "" for c in codes):
        return (), ParamError(name, "empty code (give one or more codes separated by commas)")
    if len(codes) > MAX_CODES:
        return (), ParamError(name, f"too many codes (at most {MAX_CODES})")
    for code in codes:
        if not CODE_PATTERN.fullmatch(code):
            return (), ParamError(name, f"invalid code {code[:40]!r}: letters, digits, '_', '.', '-' only, at most 32")
        vocabulary = VOCABULARIES.get(name)
        if vocabulary and code not in vocabulary:
            return (), ParamError(name, f"unknown {name} {code!r}; one of: {', '.join(vocabulary)}")
    return tuple(dict.fromkeys(codes)), None


def parse_date(name: str, value: str, *, end: bool) -> tuple[date | None, ParamError | None]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a year or month → its first (``end=False``) or last day."""
    match = DATE_PATTERN.fullmatch(value.strip())
    if not match:
        return None, ParamError(name, f"invalid date {value[:40]!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(match[1]), match[2], match[3]
    try:
        if month is None:
            return (date(year, 12, 31) if end else date(year, 1, 1)), None
        m = int(month)
        if day is None:
            return date(year, m, calendar.monthrange(year, m)[1] if end else 1), None
        return date(year, m, int(day)), None
    except ValueError:  # includes calendar.IllegalMonthError
        return None, ParamError(name, f"invalid date {value[:40]!r}: no such month or day")


def parse_params(mapping: Mapping, *, extra: frozenset[str] | set[str] = frozenset()) -> tuple[Filters, list[ParamError]]:
    """Query parameters → (Filters, errors). ``extra`` names parameters the caller handles itself;
    any other unknown parameter is an error (a typo must not silently return everything)."""
    errors: list[ParamError] = []
    for name in mapping:
        if name not in FILTER_PARAMS and name not in extra:
            errors.append(ParamError(name, f"unknown parameter {name[:40]!r}"))
    fields: dict[str, object] = {}
    for name, field_name in CODE_PARAMS.items():
        if name in mapping:
            codes, error = parse_codes(name, values_of(mapping, name))
            if error:
                errors.append(error)
            else:
                fields[field_name] = codes
    for name, field_name, end in (("from", "date_from", False), ("to", "date_to", True)):
        value = single_value(mapping, name, errors)
        if value is not None:
            parsed, error = parse_date(name, value, end=end)
            if error:
                errors.append(error)
            else:
                fields[field_name] = parsed
    if fields.get("date_from") and fields.get("date_to") and fields["date_from"] > fields["date_to"]:  # type: ignore[operator]
        errors.append(ParamError("from", "'from' is after 'to'"))
    source = single_value(mapping, "source", errors)
    if source is not None:
        if source not in ("default", "all"):
            errors.append(ParamError("source", "source must be 'default' or 'all'"))
        fields["all_sources"] = source == "all"
    return Filters(**fields), errors  # type: ignore[arg-type]


def parse_choice(mapping: Mapping, name: str, choices: tuple[str, ...], default: str,
                 errors: list[ParamError]) -> str:
    """A parameter that takes one of ``choices``."""
    value = single_value(mapping, name, errors)
    if value is None:
        return default
    if value not in choices:
        errors.append(ParamError(name, f"{name} must be one of: {', '.join(choices)}"))
        return default
    return value


def parse_limit(mapping: Mapping, name: str, maximum: int, errors: list[ParamError]) -> int | None:
    """A positive row limit no larger than ``maximum``; None when absent."""
    value = single_value(mapping, name, errors)
    if value is None:
        return None
    if not value.isdigit() or not 1 <= int(value) <= maximum:
        errors.append(ParamError(name, f"{name} must be a whole number from 1 to {maximum}"))
        return None
    return int(value)
