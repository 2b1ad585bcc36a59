"""The query layer: every read of the warehouse goes through here.

It follows ``<warehouse>/current`` on every call, so a snapshot published by the ETL is
served on the next interaction without a restart, and pins one snapshot per call, so one
view never mixes two. DuckDB reads the Parquet files directly (filters are pushed down to
row groups; nothing is loaded whole per request), always with bound parameters: user input
never becomes SQL text.

The warehouse is a local directory or ``s3://bucket/prefix`` (:mod:`etl.storage`). On object
storage DuckDB scans a ``pyarrow.dataset`` per table — footers read once per snapshot, then
only the row groups a query's filters can match, by HTTP range requests — since DuckDB's own
S3 extension cannot be installed here (:mod:`etl.s3`). Results are memoised in the shared
:mod:`dashboard.cache` (Redis when configured), keyed by snapshot id: what a worker keeps in
memory (connections, small reference tables) is rebuilt from the snapshot on demand.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard.cache import ResultCache
from dashboard.records import records
from dashboard.timing import note_snapshot, span
from etl.storage import LocalStore, Store, is_snapshot_id, open_store

#: Tables opened as views when the snapshot has them (later ETL stages add the last two).
TABLES = ("observations", "regions", "industries", "indicators", "sources", "target_progress", "reconciliation",
          "series_breaks")
#: Small tables joined into every result: copied into DuckDB's memory once per snapshot, so a
#: join does not re-read a Parquet file per request. ``observations`` stays on disk (row groups
#: are skipped by their min/max statistics).
IN_MEMORY_TABLES = ("regions", "industries", "indicators", "sources", "target_progress")
#: Only results this small are memoised: the cache is for repeated clicks, not for downloads.
MEMO_MAX_ROWS = 20_000


#: Longest a query of one request may run before DuckDB is interrupted (seconds). The slowest
#: interaction measured at 10 M observations takes well under a second; this stops a runaway
#: one from holding a worker's thread and CPU.
QUERY_TIME_LIMIT_S = 10.0


class NoSnapshotError(RuntimeError):
    """The warehouse has no published snapshot yet (run ``python -m etl run``)."""


class QueryTimeout(RuntimeError):
    """A query ran past its time limit and was interrupted; the message is safe to show."""

    def __init__(self, limit_s: float):
        super().__init__(f"the query took longer than {limit_s:g} s and was stopped; narrow the selection")
        self.limit_s = limit_s


@contextlib.contextmanager
def time_limit(cursor: duckdb.DuckDBPyConnection, limit_s: float | None):
    """Interrupt ``cursor``'s query if the block lasts longer than ``limit_s``; raise :class:`QueryTimeout`."""
    if not limit_s:
        with span("query"):
            yield
        return
    fired = threading.Event()

    def interrupt() -> None:
        fired.set()
        cursor.interrupt()

    timer = threading.Timer(limit_s, interrupt)
    timer.daemon = True
    timer.start()
    try:
        with span("query"):
            yield
    except (duckdb.InterruptException, OSError, RuntimeError) as error:
        if fired.is_set():
            raise QueryTimeout(limit_s) from error
        raise
    finally:
        timer.cancel()


@dataclass(frozen=True)
class Snapshot:
    """One published snapshot, pinned: its id, location, manifest and a DuckDB connection."""

    snapshot_id: str
    #: The snapshot's directory (local) or ``s3://`` URL.
    path: Path | str
    manifest: dict
    connection: duckdb.DuckDBPyConnection = field(repr=False, compare=False)
    #: Per-snapshot memo of small, repeated queries (option lists): a new snapshot starts empty,
    #: so cached answers can never outlive the data they came from.
    memo: dict = field(default_factory=dict, repr=False, compare=False)
    #: Per-query time limit in seconds (None: none).
    time_limit_s: float | None = field(default=QUERY_TIME_LIMIT_S, compare=False)
    #: The tables this snapshot has.
    tables: frozenset[str] = field(default=frozenset(), compare=False)
    #: Result cache shared by every snapshot of a warehouse (its keys carry the snapshot id).
    cache: ResultCache = field(default_factory=ResultCache.local, repr=False, compare=False)
    #: Object storage only: the ``pyarrow.dataset`` behind each view, registered on every cursor.
    datasets: dict = field(default_factory=dict, repr=False, compare=False)
    store: Store | None = field(default=None, repr=False, compare=False)

    def remember(self, key: Hashable, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """``compute()``, remembered for this snapshot while small; callers get their own copy.

        ``key`` is a string or a tuple whose first item names the kind of result; the rest are
        parameters (:mod:`dashboard.cache` turns them into the shared key).
        """
        kind, params = (key[0], key[1:]) if isinstance(key, tuple) else (str(key), ())
        return self.cache.get_or_compute(self.snapshot_id, str(kind), params, compute,
                                         store_if=lambda frame: len(frame) <= MEMO_MAX_ROWS)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of its own (safe across threads) that sees every table, on disk or object storage."""
        cursor = self.connection.cursor()
        for name, dataset in self.datasets.items():
            cursor.register(name, dataset)  # registrations are per cursor in DuckDB
        return cursor

    def sql(self, query: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run a parameterised query on a cursor of its own (safe across threads)."""
        cursor = self.cursor()
        try:
            with time_limit(cursor, self.time_limit_s):
                return cursor.execute(query, params or []).df()
        finally:
            cursor.close()

    def has_table(self, name: str) -> bool:
        return name in self.tables


class Warehouse:
    """Access to ``current`` of a warehouse (a directory or ``s3://``), one cached connection per snapshot id."""

    def __init__(self, root: Path | str | Store, *, cache_size: int = 2, time_limit_s: float | None = QUERY_TIME_LIMIT_S,
                 cache: ResultCache | None = None):
        self.store = open_store(root)
        self.root = self.store.root if isinstance(self.store, LocalStore) else self.store.location
        self.cache = cache or ResultCache.local()
        self._cache: OrderedDict[str, Snapshot] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.time_limit_s = time_limit_s

    def current_id(self) -> str | None:
        """The id ``current`` names (a ``readlink``, or the cached pointer object; no DuckDB), or None."""
        if isinstance(self.store, LocalStore):
            try:
                return Path(os.readlink(self.store.root / "current")).name or None
            except OSError:
                return None
        return self.store.current_id()

    def snapshot(self) -> Snapshot:
        """The snapshot ``current`` points at now."""
        for _attempt in range(5):
            snapshot_id = self.store.current_id()
            if snapshot_id is None:
                raise NoSnapshotError(f"no published snapshot under {self.root} (run: python -m etl run)")
            try:
                return self._get(snapshot_id)
            except SnapshotGone:
                continue  # pruned between resolving ``current`` and opening it: resolve again
        raise NoSnapshotError(f"the snapshots under {self.root} are changing too fast to open one; try again")

    def _get(self, snapshot_id: str) -> Snapshot:
        with self._lock:
            cached = self._cache.get(snapshot_id)
            if cached is not None:
                self._cache.move_to_end(snapshot_id)
                note_snapshot(snapshot_id)
                return cached
            snapshot = self._open(snapshot_id)
            self._cache[snapshot_id] = snapshot
            while len(self._cache) > self._cache_size:
                # Not closed here: a request still streaming from it keeps it (and its lease)
                # alive; it closes when the last reference goes.
                self._cache.popitem(last=False)
            note_snapshot(snapshot_id)
            return snapshot

    def _open(self, snapshot_id: str) -> Snapshot:
        if isinstance(self.store, LocalStore):
            return _open_snapshot(snapshot_id, self.store.snapshot_path(snapshot_id), self.time_limit_s,
                                  cache=self.cache, store=self.store)
        return _open_remote(self.store, snapshot_id, self.time_limit_s, self.cache)

    def pinned(self, snapshot_id: str | None) -> Snapshot:
        """The snapshot ``snapshot_id`` while it is still published, else the current one.

        Lets a second callback of the same page (a download) read the very snapshot the view
        was drawn from, even if a newer one was published in between — on whichever node the
        request lands: a snapshot another node drew the view from is opened here from storage.
        """
        with self._lock:
            cached = self._cache.get(snapshot_id or "")
        if cached is not None and (not isinstance(cached.path, Path) or cached.path.exists()):
            note_snapshot(cached.snapshot_id)
            return cached
        # Only a well-formed id is looked up in storage (it comes from the browser).
        if is_snapshot_id(snapshot_id) and snapshot_id != self.store.current_id() and self.store.has_snapshot(snapshot_id):
            with contextlib.suppress(SnapshotGone):
                return self._get(snapshot_id)
        return self.snapshot()


class SnapshotGone(RuntimeError):
    """The snapshot was being removed (or was removed) while it was being opened."""


def _lease(path: Path) -> int:
    """A shared ``flock`` on the snapshot's manifest, held while the snapshot is open here.

    Retention (``etl.retention.remove_snapshots``) takes an exclusive lock before it removes a
    snapshot and skips one it cannot lock, so files are never pulled from under a reader.
    """
    try:
        fd = os.open(path / "manifest.json", os.O_RDONLY)
    except FileNotFoundError:
        raise SnapshotGone(str(path)) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        if not path.is_dir():  # renamed for deletion after we opened the file
            raise SnapshotGone(str(path))
    except (BlockingIOError, SnapshotGone):
        os.close(fd)
        raise SnapshotGone(str(path)) from None
    return fd


def _open_snapshot(snapshot_id: str, path: Path, time_limit_s: float | None = QUERY_TIME_LIMIT_S, **extra) -> Snapshot:
    lease = _lease(path)
    try:
        snapshot = _connect(snapshot_id, path, time_limit_s, **extra)
    except BaseException:
        os.close(lease)
        raise
    weakref.finalize(snapshot, os.close, lease)
    return snapshot


def _connect(snapshot_id: str, path: Path, time_limit_s: float | None, **extra) -> Snapshot:
    connection = duckdb.connect(":memory:", config={"threads": 2})
    with contextlib.suppress(duckdb.Error):  # an option older DuckDB versions lack
        # Parse each Parquet footer once, not per query (saves ~10 ms a query on a 10 M-row file).
        connection.execute("SET parquet_metadata_cache = true")
    for table in TABLES:
        file = path / f"{table}.parquet"
        if file.exists():
            # The path is ours (a resolved snapshot directory), never user input; DuckDB cannot bind it in DDL.
            literal = str(file).replace("'", "''")
            kind = "TABLE" if table in IN_MEMORY_TABLES else "VIEW"
            connection.execute(f"CREATE {kind} {table} AS SELECT * FROM read_parquet('{literal}')")
    manifest = json.loads((path / "manifest.json").read_text())
    tables = frozenset(t for t in TABLES if (path / f"{t}.parquet").exists())
    return Snapshot(snapshot_id, path, manifest, connection, time_limit_s=time_limit_s, tables=tables, **extra)


def _open_remote(store: Store, snapshot_id: str, time_limit_s: float | None, cache: ResultCache) -> Snapshot:
    """A snapshot on object storage: small tables copied into DuckDB once, the others scanned in place."""
    manifest = store.read_manifest(snapshot_id)
    if manifest is None:
        raise SnapshotGone(snapshot_id)
    connection = duckdb.connect(":memory:", config={"threads": 2})
    datasets = {}
    sources = store.table_sources(snapshot_id, TABLES)
    for table, dataset in sources.items():
        scan = f"{table}__arrow"  # a fixed name of ours, never user input
        connection.register(scan, dataset)
        if table in IN_MEMORY_TABLES:
            connection.execute(f"CREATE TABLE {table} AS SELECT * FROM {scan}")
            connection.unregister(scan)
        else:
            connection.execute(f"CREATE VIEW {table} AS SELECT * FROM {scan}")
            datasets[scan] = dataset
    return Snapshot(snapshot_id, f"{store.location}/snapshots/{snapshot_id}", manifest, connection,
                    time_limit_s=time_limit_s, tables=frozenset(sources), cache=cache, datasets=datasets, store=store)


@dataclass(frozen=True)
class Filters:
    """What the user selected. Empty tuples mean "no restriction"."""

    regions: tuple[str, ...] = ()
    indicator: str = ""
    product: str | None = None
    industry: str | None = None
    scope: str | None = None
    measures: tuple[str, ...] = ()
    period_kinds: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    statuses: tuple[str, ...] = ()
    all_sources: bool = False
    #: Restrict to regions of one level (``province``, ``city``) and/or one parent: the
    #: siblings a ranking or a map compares.
    region_level: str | None = None
    region_parent: str | None = None
    #: Several codes at once (the HTTP API's ``?indicator=a,b``); combined with the single fields above.
    indicators: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    products: tuple[str, ...] = ()


#: Columns of a query result, in the order the table and the CSV show them.
RESULT_COLUMNS = [
    "region_code", "region_name_zh", "region_name_en", "industry_code", "industry_name_zh", "industry_name_en",
    "indicator", "product", "scope", "period_start", "period_end", "period_kind", "measure", "share_of",
    "price_basis", "value", "unit", "unit_published", "unit_mult_published", "status", "qualifier", "flags",
    "label_published", "is_default", "source_id", "source_title", "source_publisher", "source_url",
    "source_published_date", "vintage",
]


def where_clause(filters: Filters) -> tuple[str, list]:
    """Filters → an SQL condition with ``?`` placeholders and its parameters."""
    parts: list[str] = []
    params: list = []

    def member(column: str, values: tuple[str, ...]) -> None:
        if values:
            parts.append(f"o.{column} IN ({', '.join('?' for _ in values)})")
            params.extend(values)

    member("region_code", filters.regions)
    if filters.indicator:
        parts.append("o.indicator = ?")
        params.append(filters.indicator)
    for column in ("product", "industry", "scope"):
        value = getattr(filters, column)
        if value is not None:
            parts.append(f"o.{'industry_code' if column == 'industry' else column} = ?")
            params.append(value)
    member("indicator", filters.indicators)
    member("industry_code", filters.industries)
    member("product", filters.products)
    member("measure", filters.measures)
    member("period_kind", filters.period_kinds)
    member("status", filters.statuses)
    if filters.date_from is not None:
        parts.append("o.period_end >= ?")
        params.append(filters.date_from)
    if filters.date_to is not None:
        parts.append("o.period_end <= ?")
        params.append(filters.date_to)
    if filters.region_level is not None:
        parts.append("o.region_code IN (SELECT code FROM regions WHERE level = ?)")
        params.append(filters.region_level)
    if filters.region_parent is not None:
        parts.append("o.region_code IN (SELECT code FROM regions WHERE parent_code = ?)")
        params.append(filters.region_parent)
    if not filters.all_sources:
        parts.append("o.is_default")
    return (" AND ".join(parts) or "TRUE"), params


def observations(snapshot: Snapshot, filters: Filters, *, limit: int | None = None) -> pd.DataFrame:
    """The observations matching ``filters``, with region, industry and source names joined in.

    Memoised per snapshot when small: going back to a region or indicator costs nothing. The
    key lists each ``IN`` filter's members sorted (the same rows whatever order they came in).

    A selection of a few named regions in one series (what the time series, the share view
    and the KPI cards ask) is cut from per-region *series slices* instead: every row of the
    series for each region (all measures, period types, statuses, dates), fetched by one query
    for the regions not yet remembered. The chart's query and the cards' query of one click
    then cost one scan of the Parquet file, not two, and a measure or period change none.
    """
    if limit is None and _sliceable(filters):
        return _from_slices(snapshot, filters)
    return snapshot.remember(("observations", _memo_key(filters), limit), lambda: _observations(snapshot, filters, limit))


#: At most this many named regions are answered from series slices (more: one query of their own).
SLICE_MAX_REGIONS = 8
#: How many series slices each process keeps unpickled per snapshot (each at most MEMO_MAX_ROWS rows;
#: typically a few hundred).
SLICES_KEPT = 256
#: The sort order of every result (the SQL's ``ORDER BY``), for rows cut from slices.
RESULT_ORDER = (["region_code", "period_end", "period_start", "measure", "is_default", "source_id"],
                [True, True, True, True, False, True])


def _sliceable(filters: Filters) -> bool:
    return (0 < len(filters.regions) <= SLICE_MAX_REGIONS and bool(filters.indicator)
            and None not in (filters.product, filters.industry, filters.scope)  # one series, not every one
            and filters.region_level is None and filters.region_parent is None
            and not filters.indicators and not filters.industries and not filters.products)


def _series(filters: Filters, regions: tuple[str, ...]) -> Filters:
    """The slice query: the series (indicator, product, industry, scope, sources) of ``filters`` for ``regions``."""
    return Filters(regions=regions, indicator=filters.indicator, product=filters.product, industry=filters.industry,
                   scope=filters.scope, all_sources=filters.all_sources)


class SliceMemo:
    """The series slices this process read lately, unpickled (a lookup in the shared cache costs a
    pickle round trip: 5–6 ms for a slice of a few hundred rows, paid twice or three times a click)."""

    def __init__(self, size: int = SLICES_KEPT):
        self._slices: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: tuple) -> pd.DataFrame | None:
        with self._lock:
            found = self._slices.get(key)
            if found is not None:
                self._slices.move_to_end(key)
            return found

    def put(self, key: tuple, rows: pd.DataFrame) -> None:
        with self._lock:
            self._slices[key] = rows
            self._slices.move_to_end(key)
            while len(self._slices) > self._size:
                self._slices.popitem(last=False)


def _from_slices(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    regions = tuple(sorted(set(filters.regions)))
    series = _series(filters, ())
    kept: SliceMemo = snapshot_memo(snapshot, "series_slices", SliceMemo)
    slices: dict[str, pd.DataFrame] = {}
    # The shared cache only when it is shared (Redis): a per-process cache would keep a pickled copy
    # of what ``kept`` holds already, and pickling it cost 1–2 ms a slice.
    shared = snapshot.cache.shared
    for region in regions:
        found = kept.get((series, region))
        if found is None and shared:
            found = snapshot.cache.get(snapshot.snapshot_id, "series_slice", (series, region))
            if found is not None:
                kept.put((series, region), found)
        if found is not None:
            slices[region] = found
    missing = tuple(r for r in regions if r not in slices)
    if missing:
        fetched = _observations(snapshot, _series(filters, missing), None)
        for region, rows in fetched.groupby("region_code", sort=False):
            slices[str(region)] = rows
        for region in missing:
            rows = slices.setdefault(region, fetched.iloc[0:0])
            if len(rows) <= MEMO_MAX_ROWS:
                if shared:
                    snapshot.cache.put(snapshot.snapshot_id, "series_slice", (series, region), rows)
                kept.put((series, region), rows)
    # Empty slices are left out: their columns may have lost their dtypes (``str``) on the way through the cache.
    # Each is narrowed before the concatenation, which then copies only the rows asked for.
    parts = [_narrowed(slices[r], filters) for r in regions if len(slices[r])] or [_narrowed(slices[regions[0]], filters)]
    kept = [part for part in parts if len(part)] or parts[:1]
    return pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0]


def _narrowed(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows of a series slice that ``filters`` select (the SQL's conditions beyond the series), in result order."""
    keep = pd.Series(True, index=frame.index)
    for column, values in (("measure", filters.measures), ("period_kind", filters.period_kinds), ("status", filters.statuses)):
        if values:
            keep &= frame[column].isin(values)
    if filters.date_from is not None or filters.date_to is not None:
        # The ends are dates (a few hundred): compared in Python, not through ``pd.to_datetime``
        # (~1 ms a call). A missing end (None, NaT) is never inside a range.
        low, high = filters.date_from, filters.date_to
        keep &= np.array([end is not None and end is not pd.NaT and isinstance(end, date)
                          and (low is None or end >= low) and (high is None or end <= high)
                          for end in frame["period_end"].tolist()], dtype=bool)
    # Already in result order: each slice comes sorted from its query and the regions are concatenated in
    # code order, which is the first sort key (test_series_slices checks the order against the SQL's).
    return frame[keep.to_numpy()].reset_index(drop=True)


def _observations(snapshot: Snapshot, filters: Filters, limit: int | None) -> pd.DataFrame:
    query, params = _observations_sql(filters, order=True, limit=limit)
    return _typed(snapshot.sql(query, params))


def _observations_sql(filters: Filters, *, order: bool, limit: int | None = None) -> tuple[str, list]:
    """The query behind :func:`observations` (names joined in), with ``?`` parameters."""
    where, params = where_clause(filters)
    limit_sql = ""
    if limit is not None:
        limit_sql = " LIMIT ?"
        params = [*params, int(limit)]
    order_sql = "ORDER BY o.region_code, o.period_end, o.period_start, o.measure, o.is_default DESC, o.source_id" if order else ""
    query = f"""
        SELECT o.region_code, r.name_zh AS region_name_zh, r.name_en AS region_name_en,
               o.industry_code, i.name_zh AS industry_name_zh, i.name_en AS industry_name_en,
               o.indicator, o.product, o.scope, o.period_start, o.period_end, o.period_kind, o.measure,
               o.share_of, o.price_basis, o.value, o.unit, o.unit_published, o.unit_mult_published,
               o.status, o.qualifier, o.flags, o.label_published, o.is_default, o.source_id,
               s.title AS source_title, s.publisher AS source_publisher, s.url AS source_url,
               s.published_date AS source_published_date, o.vintage
        FROM observations o
        LEFT JOIN regions r ON r.code = o.region_code
        LEFT JOIN industries i ON i.code = o.industry_code
        LEFT JOIN sources s ON s.source_id = o.source_id
        WHERE {where}
        {order_sql}
        {limit_sql}
    """
    return query, params


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("period_start", "period_end", "vintage", "source_published_date"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame[RESULT_COLUMNS]


def empty_result() -> pd.DataFrame:
    """A result with no rows and the usual columns (for a selection that cannot match)."""
    return pd.DataFrame({column: pd.Series([], dtype="object") for column in RESULT_COLUMNS})


def series_options(snapshot: Snapshot) -> pd.DataFrame:
    """Distinct series (indicator, product, industry, scope) with their row counts and names (memoised)."""
    return snapshot.remember("series_options", lambda: snapshot.sql(
        """
        SELECT o.indicator, o.product, o.industry_code, o.scope, count(*) AS n,
               any_value(ind.name_zh) AS indicator_zh, any_value(ind.name_en) AS indicator_en,
               any_value(i.name_zh) AS industry_zh, any_value(i.name_en) AS industry_en
        FROM observations o
        LEFT JOIN indicators ind ON ind.code = o.indicator
        LEFT JOIN industries i ON i.code = o.industry_code
        WHERE o.is_default
        GROUP BY ALL
        ORDER BY n DESC, o.indicator, o.product, o.industry_code, o.scope
        """
    ))


def region_options(snapshot: Snapshot) -> pd.DataFrame:
    """Regions that have data, with names, level and parent, most data first (memoised)."""
    return snapshot.remember("region_options", lambda: snapshot.sql(
        """
        SELECT r.code, r.name_zh, r.name_en, r.level, r.parent_code, count(*) AS n
        FROM observations o JOIN regions r ON r.code = o.region_code
        WHERE o.is_default
        GROUP BY r.code, r.name_zh, r.name_en, r.level, r.parent_code
        ORDER BY CASE r.level WHEN 'country' THEN 0 WHEN 'province' THEN 1 ELSE 2 END, n DESC, r.code
        """
    ))


def period_bounds(snapshot: Snapshot) -> tuple[date, date]:
    """The first and last period end in the snapshot."""
    row = snapshot.remember("period_bounds", lambda: snapshot.sql("SELECT min(period_end) AS lo, max(period_end) AS hi FROM observations"))
    return pd.Timestamp(row["lo"].iloc[0]).date(), pd.Timestamp(row["hi"].iloc[0]).date()


def snapshot_memo(snapshot: Snapshot, key: str, compute: Callable[[], object]):
    """``compute()`` once per snapshot and process, for what depends on the snapshot alone (reference
    tables, lookups built from them); callers must not change what they get."""
    if key not in snapshot.memo:
        snapshot.memo[key] = compute()
    return snapshot.memo[key]


_memo = snapshot_memo


def dimension_options(snapshot: Snapshot) -> pd.DataFrame:
    """Every combination of the filter dimensions that has data, with its row count.

    One small table (hundreds of rows) from which the page derives each dropdown's options,
    so a filter offers only choices that lead to figures. Memoised per snapshot.
    """
    return _memo(snapshot, "dimensions", lambda: snapshot.sql(
        """
        SELECT indicator, product, industry_code, scope, measure, period_kind, status, count(*) AS n
        FROM observations WHERE is_default AND value IS NOT NULL
        GROUP BY ALL ORDER BY n DESC, indicator, product, industry_code, scope, measure, period_kind, status
        """
    ))


def reference_table(snapshot: Snapshot, name: str) -> pd.DataFrame:
    """A reference table (``regions``, ``industries``, ``indicators``, ``sources``) of the snapshot, memoised."""
    columns = {
        "regions": "code, parent_code, level, name_zh, name_en",
        "industries": "code, parent_code, classification, name_zh, name_en",
        "indicators": "code, name_zh, name_en",
        "sources": "source_id AS code, title, publisher, url, published_date",
    }[name]
    return _memo(snapshot, f"ref:{name}", lambda: snapshot.sql(f"SELECT {columns} FROM {name} ORDER BY 1"))


def reference_rows(snapshot: Snapshot, name: str) -> dict[str, dict]:
    """A reference table as code → row dict, once per snapshot and process (callers must not change it).

    The views look names, levels and parents up several times a click; ``set_index`` plus ``.loc``
    on the pandas table cost ~0.5 ms each time, a dict lookup nothing.
    """
    return _memo(snapshot, f"ref-rows:{name}",
                 lambda: {str(row["code"]): row for row in records(reference_table(snapshot, name))})


def region_counts(snapshot: Snapshot) -> pd.DataFrame:
    """Regions with data and how many default figures each has (memoised)."""
    return _memo(snapshot, "region_counts", lambda: snapshot.sql(
        "SELECT region_code AS code, count(*) AS n FROM observations WHERE is_default GROUP BY ALL"
    ))


def period_ends(snapshot: Snapshot, filters: Filters) -> list[date]:
    """The distinct period ends of a selection (for the period-range pickers), oldest first.

    Memoised per snapshot like :func:`observations` (the pickers are rebuilt on every filter
    change, and their answer only changes with the series, not with the regions or dates).
    """
    frame = snapshot.remember(("period_ends", _memo_key(filters)), lambda: _period_ends(snapshot, filters))
    return [pd.Timestamp(v).date() for v in frame["period_end"]]


def _period_ends(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    if _sliceable(filters):  # the series slices the chart and cards of the same click read anyway: no query
        ends = _from_slices(snapshot, filters)["period_end"]
        return pd.DataFrame({"period_end": sorted({d for d in ends if d is not None and not pd.isna(d)})})
    where, params = where_clause(filters)
    return snapshot.sql(f"SELECT DISTINCT o.period_end FROM observations o WHERE {where} ORDER BY 1", params)


def _memo_key(filters: Filters) -> Filters:
    """``filters`` with each ``IN`` filter's members sorted and deduplicated: equal questions, one key."""
    return dataclasses.replace(filters, **{f.name: tuple(sorted(set(getattr(filters, f.name))))
                                           for f in dataclasses.fields(filters) if isinstance(getattr(filters, f.name), tuple)})


def target_progress(snapshot: Snapshot, region: str, indicator: str, product: str) -> pd.DataFrame:
    """Rows of ``target_progress`` (added by the derive stage) for one region and series; empty without the table."""
    if not snapshot.has_table("target_progress"):
        return pd.DataFrame()
    columns = set(_memo(snapshot, "target_progress_columns",
                        lambda: snapshot.sql("SELECT * FROM target_progress LIMIT 0")).columns)
    parts, params = ["region_code = ?"], [region]
    for column, value in (("indicator", indicator), ("product", product)):
        if column in columns:
            parts.append(f"{column} = ?")
            params.append(value)
    return snapshot.remember(("target_progress", region, indicator, product),
                             lambda: snapshot.sql(f"SELECT * FROM target_progress WHERE {' AND '.join(parts)}", params))


def observations_parquet(snapshot: Snapshot) -> Path | None:
    """The snapshot's observations file (sent as it is for the full-snapshot download); None on
    object storage, where :func:`open_observations_parquet` streams it."""
    return snapshot.path / "observations.parquet" if isinstance(snapshot.path, Path) else None


def open_observations_parquet(snapshot: Snapshot):
    """A binary stream of the snapshot's observations Parquet object, wherever it is stored."""
    store = snapshot.store or open_store(Path(snapshot.path).parents[1])  # a local snapshot opened by hand
    return store.open_table(snapshot.snapshot_id, "observations")


def iter_observation_batches(snapshot: Snapshot, batch_rows: int = 50_000):
    """The whole ``observations`` table with source titles, as DataFrames of ``batch_rows``.

    Streamed from DuckDB in record batches so a large snapshot is never held in memory whole;
    no ORDER BY (a sort would have to see every row before sending the first), so the row order
    is roughly the file's (sorted by indicator, region, period) but not guaranteed.
    """
    cursor = snapshot.cursor()
    try:
        reader = cursor.sql(
            """
            SELECT o.*, s.title AS source_title, s.publisher AS source_publisher, s.url AS source_url,
                   s.published_date AS source_published_date
            FROM observations o LEFT JOIN sources s ON s.source_id = o.source_id
            """
        ).to_arrow_reader(batch_rows)
        for batch in reader:
            yield batch.to_pandas()
    finally:
        cursor.close()


def region_targets(snapshot: Snapshot, region: str) -> pd.DataFrame:
    """Every row of ``target_progress`` for one region (the KPI card lists the region's targets); empty without the table."""
    if not snapshot.has_table("target_progress"):
        return pd.DataFrame()
    return snapshot.remember(("region_targets", region),
                             lambda: snapshot.sql("SELECT * FROM target_progress WHERE region_code = ?", [region]))


#: The columns of :func:`region_dimensions`, in its sort order after ``n`` (most figures first).
DIMENSION_COLUMNS = ["region_code", "indicator", "product", "industry_code", "scope", "measure", "period_kind", "status"]


@dataclass(frozen=True)
class Catalogue:
    """What each region and series has: the dimension combinations with their figure counts, by
    region and by series, from one scan of the snapshot.

    The filters ask "what does Qingyuan have?" and "which regions have this series?" on every
    click; at 10 M observations each question was a scan of the Parquet file (~20 ms each),
    answered here from memory in well under a millisecond.
    """

    by_region: dict[str, pd.DataFrame]
    #: (indicator, product, industry_code, scope) → regions with figures (code, n), by code.
    by_series: dict[tuple[str, str, str, str], pd.DataFrame]
    empty: pd.DataFrame


def catalogue(snapshot: Snapshot) -> Catalogue:
    """The snapshot's :class:`Catalogue` (computed once per snapshot and process)."""
    def compute() -> Catalogue:
        frame = snapshot.sql(
            f"""
            SELECT {', '.join(DIMENSION_COLUMNS)}, count(*) AS n
            FROM observations WHERE is_default AND value IS NOT NULL
            GROUP BY ALL ORDER BY n DESC, {', '.join(DIMENSION_COLUMNS)}
            """
        )
        by_region = {str(code): rows.reset_index(drop=True) for code, rows in frame.groupby("region_code", sort=False)}
        series = frame.groupby(["indicator", "product", "industry_code", "scope", "region_code"], sort=True)["n"].sum()
        by_series = {key: rows.reset_index(level=[0, 1, 2, 3], drop=True).rename_axis("code").reset_index()
                     for key, rows in series.groupby(level=[0, 1, 2, 3], sort=False)}
        return Catalogue(by_region, by_series, frame.iloc[0:0])

    return _memo(snapshot, "catalogue", compute)


def region_dimensions(snapshot: Snapshot, regions: tuple[str, ...]) -> pd.DataFrame:
    """:func:`dimension_options` restricted to figures of ``regions`` (any of them), with the region code.

    Lets every filter offer only the choices that have figures for the selected regions.
    """
    if not regions:
        return dimension_options(snapshot).assign(region_code="")
    found = catalogue(snapshot)
    parts = [found.by_region[code] for code in sorted(set(regions)) if code in found.by_region]
    if not parts:
        return found.empty.copy()
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].copy()
    if len(parts) > 1:
        frame = frame.sort_values(["n", *DIMENSION_COLUMNS], ascending=[False, *[True] * len(DIMENSION_COLUMNS)],
                                  kind="stable", ignore_index=True)
    return frame


def series_regions(snapshot: Snapshot, indicator: str, product: str | None, industry: str | None,
                   scope: str | None) -> pd.DataFrame:
    """Regions with a default figure of one series (indicator, product, industry, scope), with counts."""
    found = catalogue(snapshot)
    wanted = (indicator, product, industry, scope)
    if None not in wanted:
        rows = found.by_series.get(wanted)  # type: ignore[arg-type]
        return rows.copy() if rows is not None else pd.DataFrame({"code": pd.Series([], dtype=object), "n": []})
    parts = [rows for key, rows in found.by_series.items()
             if all(want is None or want == have for want, have in zip(wanted, key, strict=True))]
    if not parts:
        return pd.DataFrame({"code": pd.Series([], dtype=object), "n": []})
    return (pd.concat(parts).groupby("code", sort=True)["n"].sum().reset_index())


def series_breaks(snapshot: Snapshot, indicator: str) -> pd.DataFrame:
    """Breaks in series of one indicator (region, industry, product, scope, break date); empty without the table."""
    if not snapshot.has_table("series_breaks"):
        return pd.DataFrame(columns=["region_code", "industry_code", "indicator", "product", "scope", "break_date"])
    return snapshot.remember(("series_breaks", indicator), lambda: snapshot.sql(
        "SELECT * FROM series_breaks WHERE indicator = ? ORDER BY break_date", [indicator]))


def reconciliation_rows(snapshot: Snapshot, regions: tuple[str, ...] = (), indicator: str | None = None) -> pd.DataFrame:
    """Rows of ``reconciliation`` (reported figures checked against what other figures imply), with
    region names; for some regions and/or one indicator. Empty without the table."""
    if not snapshot.has_table("reconciliation"):
        return pd.DataFrame()
    parts, params = ["TRUE"], []
    if regions:
        parts.append(f"c.region_code IN ({', '.join('?' for _ in regions)})")
        params.extend(regions)
    if indicator:
        parts.append("c.indicator = ?")
        params.append(indicator)
    key = ("reconciliation", tuple(sorted(regions)), indicator or "")
    return snapshot.remember(key, lambda: snapshot.sql(
        f"""SELECT c.*, r.name_zh AS region_name_zh, r.name_en AS region_name_en
            FROM reconciliation c LEFT JOIN regions r ON r.code = c.region_code
            WHERE {' AND '.join(parts)} ORDER BY c.verdict, c.region_code, c.period_end""", params))
