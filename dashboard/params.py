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
from collections.abc import Callable, Mapping
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
#: Dates in ASCII digits only: ``\d`` would also take ``２０２３`` (full-width) and other scripts' digits.
DATE_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")

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
    # ``str.isdigit`` is true for ``５`` and ``²``: only ASCII digits are a number here.
    if not (value.isascii() and value.isdigit()) or len(value) > 12 or not 1 <= int(value) <= maximum:
        errors.append(ParamError(name, f"{name} must be a whole number from 1 to {maximum}"))
        return None
    return int(value)


# --- Values held by the browser ------------------------------------------------------------------
#
# The page's callbacks receive control values and the stored state (``dcc.Store``) from the
# browser, and a browser can send anything: an int where a code belongs, a list for a word, a
# million regions. These rules are the API's (the same code pattern, vocabularies, caps and
# ASCII-only dates), applied to JSON values instead of query strings. :mod:`dashboard.guard`
# checks every callback request against them before Dash calls a callback.

#: Longest text accepted from the browser where no tighter rule applies (a URL's query string).
MAX_TEXT_LENGTH = 8192
#: A month as the page holds it: ``YYYY`` or ``YYYY-MM`` (ASCII digits).
MONTH_PATTERN = re.compile(r"[0-9]{4}(?:-(0[1-9]|1[0-2]))?")
#: A snapshot id as the ETL writes it (``20261129T023337195193Z-3ff0e154``), loosely: a code.
SNAPSHOT_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.\-]{0,63}")
LANGS = ("en", "zh")
VIEWS = ("timeseries", "ranking", "share", "map", "checks")


class BrowserValueError(ValueError):
    """A value from the browser that breaks its rule; the message is safe to show to the user."""


def check_code(value: object, *, empty: bool = True) -> str | None:
    """A code (``440000``, ``C36``), or None / ``""`` where ``empty``."""
    if value is None or (value == "" and empty):
        return value  # type: ignore[return-value]
    if not isinstance(value, str) or not CODE_PATTERN.fullmatch(value):
        raise BrowserValueError("not a code (letters, digits, '_', '.', '-'; at most 32)")
    return value


def check_codes(value: object, *, vocabulary: tuple[str, ...] | None = None) -> list[str] | None:
    """A list of at most :data:`MAX_CODES` codes (a bare text is refused: callbacks iterate the list)."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise BrowserValueError("not a list of codes")
    if len(value) > MAX_CODES:
        raise BrowserValueError(f"too many codes (at most {MAX_CODES})")
    for item in value:
        if vocabulary is not None:
            if item not in vocabulary:
                raise BrowserValueError(f"not one of: {', '.join(vocabulary)}")
        else:
            check_code(item, empty=False)
    return list(dict.fromkeys(value))


def check_choice(value: object, choices: tuple[str, ...], *, optional: bool = True) -> str | None:
    """One word of ``choices`` (or None when ``optional``)."""
    if value is None and optional:
        return None
    if not isinstance(value, str) or value not in choices:
        raise BrowserValueError(f"not one of: {', '.join(choices)}")
    return value


def check_month(value: object) -> str | None:
    """``YYYY`` or ``YYYY-MM`` in ASCII digits, or None / ``""``."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not MONTH_PATTERN.fullmatch(value):
        raise BrowserValueError("not a month (YYYY or YYYY-MM)")
    return value


def check_count(value: object) -> int | None:
    """A click or tick counter: a whole number ≥ 0 (JSON booleans are not numbers here)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise BrowserValueError("not a count")
    return value


def check_text(value: object, *, max_length: int = MAX_TEXT_LENGTH) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > max_length:
        raise BrowserValueError(f"not a text of at most {max_length} characters")
    return value


def check_flags(value: object, choices: tuple[str, ...]) -> list[str] | None:
    """A checklist's value: a list of words from ``choices``."""
    return check_codes(value, vocabulary=choices)


def _snapshot(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not SNAPSHOT_PATTERN.fullmatch(value):
        raise BrowserValueError("not a snapshot id")
    return value


#: The page's stored state (``dcc.Store`` ``state``): each key and its rule. Keys added by a new
#: control get their rule here; an unknown key is only accepted as a short scalar (see below).
STATE_RULES: dict[str, Callable[[object], object]] = {
    "lang": lambda v: check_choice(v, LANGS),
    "view": lambda v: check_choice(v, VIEWS),
    "region": check_codes,
    "within": check_code,
    "indicator": check_code,
    "product": check_code,
    "industry": check_code,
    "scope": check_code,
    "measure": lambda v: check_choice(v, MEASURES),
    "period_kind": lambda v: check_choice(v, PERIOD_KINDS),
    "from": check_month,
    "to": check_month,
    "status": lambda v: check_codes(v, vocabulary=STATUSES),
    "source": lambda v: check_choice(v, ("default", "all")),
    "snapshot": _snapshot,
    "axis": lambda v: check_choice(v, ("linear", "log")),
    "transform": lambda v: check_choice(v, ("yoy", "index", "share")),
    "options": lambda v: check_fingerprints(v),
}
#: At most this many keys in a stored state (the page writes about fifteen).
MAX_STATE_KEYS = 64


def check_fingerprints(value: object) -> list[str] | None:
    """The digests of the options the page shows (one per dropdown): at most 16 hex strings of 16."""
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) > 16
            or not all(isinstance(v, str) and len(v) == 16 and all(c in "0123456789abcdef" for c in v) for v in value)):
        raise BrowserValueError("not a list of option digests")
    return value


def _short_scalar(value: object) -> object:
    """Unknown state keys: a boolean, a small number or a short code-like text, nothing nested."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float) and abs(value) < 2**53:
        return value
    if isinstance(value, str) and len(value) <= 64:
        return value
    raise BrowserValueError("not a short value")


def check_state(value: object) -> dict | None:
    """The stored page state, every key checked; None (nothing stored yet) passes."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BrowserValueError("the page state is not an object")
    if len(value) > MAX_STATE_KEYS:
        raise BrowserValueError("the page state has too many keys")
    clean = {}
    for key, item in value.items():
        rule = STATE_RULES.get(key, _short_scalar)
        try:
            clean[key] = rule(item)
        except BrowserValueError as error:
            raise BrowserValueError(f"{str(key)[:40]}: {error}") from None
    return clean


def browser_rules() -> dict[tuple[str, str], Callable[[object], object]]:
    """(component id, property) → rule, for every value the page's callbacks take from the browser.

    :mod:`dashboard.guard` applies them to each callback request; a control whose values have no
    rule here is bounded only by the request limits, so a new control adds its rule here.
    """
    from dashboard import ids  # component ids: constants only

    views = lambda v: check_choice(v, VIEWS)  # noqa: E731
    rules: dict[tuple[str, str], Callable[[object], object]] = {
        (ids.URL, "search"): check_text,
        (ids.STATE, "data"): check_state,
        (ids.REFRESH, "data"): check_count,
        (ids.LANG, "value"): lambda v: check_choice(v, LANGS),
        (ids.PAGE_LANG, "data"): lambda v: check_choice(v, LANGS),
        (ids.AXIS, "value"): lambda v: check_choice(v, ("linear", "log")),
        (ids.TRANSFORM, "value"): lambda v: check_choice(v, ("none", "yoy", "index", "share")),
        (ids.VIEW, "value"): views,
        (ids.WITHIN, "value"): check_code,
        (ids.REGION, "value"): check_codes,
        (ids.INDICATOR, "value"): check_code,
        (ids.PRODUCT, "value"): check_code,
        (ids.INDUSTRY, "value"): check_code,
        (ids.SCOPE, "value"): check_code,
        (ids.MEASURE, "value"): lambda v: check_choice(v, MEASURES),
        (ids.PERIOD_KIND, "value"): lambda v: check_choice(v, PERIOD_KINDS),
        (ids.YEAR_FROM, "value"): check_month,
        (ids.YEAR_TO, "value"): check_month,
        (ids.STATUS, "value"): lambda v: check_flags(v, STATUSES),
        (ids.ALL_SOURCES, "value"): lambda v: check_flags(v, ("all",)),
        (ids.RUN_STATUS_TICK, "n_intervals"): check_count,
    }
    for button in (ids.DOWNLOAD_BUTTON, ids.DOWNLOAD_META_BUTTON, ids.PNG_BUTTON, ids.SVG_BUTTON):
        rules[(button, "n_clicks")] = check_count
    return rules
