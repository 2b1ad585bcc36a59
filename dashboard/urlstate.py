"""The page's state in its URL query string, so that a copied link reproduces the view.

Parameter names are the HTTP API's (``region``, ``industry``, ``indicator``, ``product``,
``measure``, ``period_kind``, ``from``, ``to``, ``status``, ``source=all``) plus the page's own
``view``, ``lang`` and ``scope``. Several codes are comma-separated (``?region=440000,310000&lang=zh``).

The code pattern is the HTTP API's (:data:`dashboard.params.CODE_PATTERN`). Unlike the API,
which rejects a request with a bad parameter, the page keeps what is valid (each bad code
dropped on its own) so that a slightly broken link still opens a useful view.

This is the only place a URL's text enters the page. Each value is checked for its shape (a
code pattern, a known vocabulary word, a ``YYYY[-MM[-DD]]`` date); whatever fails is dropped
and reported back as a human-readable note, never an error page. Whether a well-formed code
has data is decided later, against the snapshot (:mod:`dashboard.controls`).
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urlencode

from dashboard.params import CODE_PATTERN

MEASURES = ("level", "yoy_pct", "share_pct", "rank", "target")
PERIOD_KINDS = ("ytd", "month", "quarter", "half", "year", "span")
STATUSES = ("reported", "derived", "estimated", "provisional", "revised", "target")
VIEWS = ("timeseries", "ranking", "share", "map", "checks")
AXES = ("linear", "log")
TRANSFORMS = ("yoy", "index", "share")
LANGS = ("en", "zh")
#: Region, industry, indicator, product and scope codes: the API's pattern, matched in full.
CODE = CODE_PATTERN
MONTH = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?")
MAX_REGIONS = 12
#: The order of parameters in a URL the page writes (stable, so links compare equal).
ORDER = ("view", "lang", "within", "region", "indicator", "product", "industry", "scope", "measure", "period_kind",
         "from", "to", "status", "source", "axis", "transform")


def _month(text: str) -> str | None:
    """``2023``, ``2023-07`` or ``2023-07-31`` → ``2023-07`` (or ``2023``); None if not a date."""
    match = MONTH.fullmatch(text)
    if not match:
        return None
    year, month, day = match.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return f"{year}-{month}" if month else year


def parse_query(search: str | None) -> tuple[dict, list[str]]:
    """A query string (``?a=b&...``) → (state with the valid parameters only, notes on the rest)."""
    raw = parse_qs((search or "").lstrip("?"), keep_blank_values=True)
    state: dict = {}
    notes: list[str] = []

    def one(name: str) -> str | None:
        values = raw.get(name)
        return values[-1].strip() if values else None

    def reject(name: str, value: str) -> None:
        notes.append(f"{name}={value[:40]}")

    for name in raw:
        if name not in ORDER:
            reject(name, one(name) or "")
    if (value := one("region")) is not None:
        codes = [c.strip() for c in value.split(",") if c.strip()]
        good = [c for c in codes if CODE.fullmatch(c)][:MAX_REGIONS]
        for c in codes:
            if c not in good:
                reject("region", c)
        if good:
            state["region"] = list(dict.fromkeys(good))
        elif value.strip() == "":
            state["region"] = []  # "region=": all regions, explicitly (not the default region)
    for name in ("within", "indicator", "product", "industry", "scope"):
        value = one(name)
        if value is None:
            continue
        if value == "" and name in ("product", "scope"):
            state[name] = ""
        elif CODE.fullmatch(value):
            state[name] = value
        else:
            reject(name, value)
    for name, vocabulary in (("measure", MEASURES), ("period_kind", PERIOD_KINDS), ("view", VIEWS), ("lang", LANGS),
                             ("axis", AXES), ("transform", TRANSFORMS)):
        value = one(name)
        if value is None:
            continue
        if value in vocabulary:
            state[name] = value
        else:
            reject(name, value)
    for name in ("from", "to"):
        value = one(name)
        if value is None or value == "":
            continue
        month = _month(value)
        if month:
            state[name] = month
        else:
            reject(name, value)
    if (value := one("status")) is not None:
        words = [w.strip() for w in value.split(",") if w.strip()]
        good = [w for w in words if w in STATUSES]
        for w in words:
            if w not in good:
                reject("status", w)
        if good:
            state["status"] = good
    if (value := one("source")) is not None:
        if value == "all":
            state["source"] = "all"
        elif value != "default":
            reject("source", value)
    return state, notes


def to_query(state: dict) -> str:
    """The state as ``?view=...&region=a,b`` (empty values left out; product/scope may be empty)."""
    pairs = []
    for name in ORDER:
        value = state.get(name)
        if name == "region" and value == []:
            pairs.append((name, ""))  # all regions, chosen: kept in the link
            continue
        if value is None or value == [] or (value == "" and name not in ("product",)):
            continue
        if name == "product" and value == "" and not state.get("indicator"):
            continue
        pairs.append((name, ",".join(value) if isinstance(value, list) else str(value)))
    return "?" + urlencode(pairs, safe=",") if pairs else ""


def month_bounds(text: str | None, *, end: bool) -> date | None:
    """``2023`` → 2023-01-01 / 2023-12-31; ``2023-07`` → 2023-07-01 / 2023-07-31."""
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    year, month = parts[0], (parts[1] if len(parts) > 1 else (12 if end else 1))
    if not end:
        return date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)
