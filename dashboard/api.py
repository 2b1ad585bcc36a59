"""The HTTP API on the dashboard's Flask server: every view is also data.

* ``GET /api/observations.csv|.json|.ndjson?region=440000,310000&from=2023&...`` — the filtered
  observations with names and provenance, **streamed**: DuckDB hands over Arrow record batches
  (``relation.to_arrow_reader``) and each batch becomes one chunk of the response, so a million
  rows go out in flat memory. Parameters: :mod:`dashboard.params` (plus ``lang`` and ``limit``).
* ``GET /api/sources.json``, ``GET /api/meta.json`` (snapshot, dimensions and their codes),
  ``GET /healthz`` (200 with the snapshot id, 503 before the first snapshot).

Bad parameters get a 400 with ``{"error": ..., "parameter": ...}``. Each response pins one
snapshot (its id is in the ``X-Snapshot-Id`` header), so a stream never mixes two.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime

import pyarrow as pa
import pyarrow.compute as pc
from flask import Flask, Response, jsonify, request

from dashboard.export import csv_chunks
from dashboard.params import ParamError, parse_choice, parse_limit, parse_params
from dashboard.query import Filters, NoSnapshotError, Snapshot, Warehouse, time_limit, where_clause

#: Rows per Arrow batch, i.e. per chunk of the response: about 4 MB of CSV. Measured over a 576 k-row
#: download: 50,000 rows a batch grew the process by 115–136 MB, 10,000 by 13–48 MB, at the same speed.
ROWS_PER_BATCH = 5_000
MAX_LIMIT = 50_000_000
LANGS = ("en", "zh")
#: Name column per language: a fixed mapping, so the language parameter never becomes SQL text.
NAME_COLUMN = {"en": "name_en", "zh": "name_zh"}
API_OPTIONS = frozenset({"lang", "limit"})
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json", "ndjson": "application/x-ndjson"}


def observations_sql(filters: Filters, lang: str, limit: int | None) -> tuple[str, list]:
    """The API's query: one row per observation, names in ``lang``, provenance columns included.

    No ``ORDER BY``: a sort must hold the whole result before its first row (measured: +0.8 GB
    for 1.5 M rows), which defeats streaming. Rows come in the order the ETL stored them
    (indicator, region, industry, period, measure — :func:`etl.pipeline.build`), which DuckDB
    keeps because ``preserve_insertion_order`` is on (its default).
    """
    name = NAME_COLUMN[lang]
    where, params = where_clause(filters)
    limit_sql = ""
    if limit is not None:
        limit_sql = "LIMIT ?"
        params = [*params, int(limit)]
    query = f"""
        SELECT o.region_code, r.{name} AS region_name, o.industry_code, i.{name} AS industry_name,
               o.indicator, ind.{name} AS indicator_name, o.product, o.scope,
               o.period_start, o.period_end, o.period_kind, o.measure, o.share_of, o.price_basis,
               o.value, o.unit, o.unit_published, o.unit_mult_published, o.status, o.qualifier, o.flags,
               o.label_published, o.is_default, o.source_id, s.title AS source_title,
               s.publisher AS source_publisher, s.url AS source_url, s.published_date AS source_published_date,
               o.vintage, o.input_file, o.input_row
        FROM observations o
        LEFT JOIN regions r ON r.code = o.region_code
        LEFT JOIN industries i ON i.code = o.industry_code
        LEFT JOIN indicators ind ON ind.code = o.indicator
        LEFT JOIN sources s ON s.source_id = o.source_id
        WHERE {where}
        {limit_sql}
    """
    return query, params


def open_stream(snapshot: Snapshot, query: str, params: list,
                batch_rows: int = ROWS_PER_BATCH) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    """Run ``query`` and fetch its first batch now; the rest come from the returned iterator.

    The query runs on a cursor of its own, closed when the iterator ends (or is closed). Running
    it — and fetching the first batch — before the response starts means a bad or overlong query
    is still an ordinary error response (503 with a message, not a cut stream), and its time is in
    the ``Server-Timing`` header. Each later batch has the same time limit, counted while DuckDB
    works, not while a slow client reads.

    ``cursor.sql(...).to_arrow_reader()`` streams; ``cursor.execute(...).to_arrow_reader()`` would
    first copy every row (DuckDB 2 warns about it) — measured: 2.7 GB against 0.2 GB for 20 M rows.
    """
    cursor = snapshot.cursor()
    try:
        with time_limit(cursor, snapshot.time_limit_s):
            reader = cursor.sql(query, params=params).to_arrow_reader(batch_rows)
            first = _next_batch(reader)
    except BaseException:
        cursor.close()
        raise

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            batch = first
            while batch is not None:
                yield batch
                with time_limit(cursor, snapshot.time_limit_s):
                    batch = _next_batch(reader)
        finally:
            cursor.close()

    return reader.schema, batches()


def _next_batch(reader: pa.RecordBatchReader) -> pa.RecordBatch | None:
    try:
        return reader.read_next_batch()
    except StopIteration:
        return None


def record_batches(snapshot: Snapshot, query: str, params: list) -> Iterator[pa.RecordBatch]:
    """The result of ``query`` batch by batch (see :func:`open_stream`)."""
    _, batches = open_stream(snapshot, query, params)
    yield from batches


def _json_ready(batch: pa.RecordBatch) -> list[dict]:
    """Rows as dicts with NaN → null (JSON has no NaN)."""
    columns = []
    for column in batch.columns:
        if pa.types.is_floating(column.type):
            column = pc.if_else(pc.is_nan(column), pa.scalar(None, column.type), column)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema).to_pylist()


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _dumps(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, default=_json_default, allow_nan=False)


def json_chunks(batches: Iterator[pa.RecordBatch], _schema: pa.Schema | None = None) -> Iterator[bytes]:
    """A JSON array, one chunk per batch."""
    yield b"["
    first = True
    for batch in batches:
        rows = _json_ready(batch)
        if not rows:
            continue
        text = ",\n".join(_dumps(row) for row in rows)
        yield ((("\n" if first else ",\n") + text).encode())
        first = False
    yield b"\n]\n"


def ndjson_chunks(batches: Iterator[pa.RecordBatch], _schema: pa.Schema | None = None) -> Iterator[bytes]:
    """One JSON object per line, one chunk per batch."""
    for batch in batches:
        rows = _json_ready(batch)
        if rows:
            yield ("\n".join(_dumps(row) for row in rows) + "\n").encode()


def error_response(errors: list[ParamError], status: int = 400) -> Response:
    """``{"error": ..., "parameter": ..., "errors": [...]}`` for the first and all errors."""
    body = {**errors[0].as_dict(), "errors": [e.as_dict() for e in errors]}
    response = jsonify(body)
    response.status_code = status
    return response


def _no_snapshot(error: Exception) -> Response:
    response = jsonify({"error": str(error), "parameter": None})
    response.status_code = 503
    return response


def _meta(snapshot: Snapshot) -> dict:
    def rows(query: str) -> list[dict]:
        frame = snapshot.sql(query)
        return json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))

    def distinct(column: str) -> list[str]:
        # ``column`` is one of a fixed set below, never user input.
        return [r["v"] for r in rows(f"SELECT DISTINCT {column} AS v FROM observations WHERE {column} <> '' ORDER BY v")]

    bounds = rows("SELECT min(period_end)::VARCHAR AS min, max(period_end)::VARCHAR AS max FROM observations")[0]
    return {
        "snapshot_id": snapshot.snapshot_id,
        "created_at": snapshot.manifest.get("created_at"),
        "schema_version": snapshot.manifest.get("schema_version"),
        "row_counts": snapshot.manifest.get("row_counts", {}),
        "period_end": bounds,
        "dimensions": {
            "region": rows(
                "SELECT r.code, r.name_en, r.name_zh, r.level, r.parent_code FROM regions r "
                "WHERE r.code IN (SELECT DISTINCT region_code FROM observations) ORDER BY r.code"
            ),
            "industry": rows(
                "SELECT i.code, i.name_en, i.name_zh FROM industries i "
                "WHERE i.code IN (SELECT DISTINCT industry_code FROM observations) ORDER BY i.code"
            ),
            "indicator": rows(
                "SELECT d.code, d.name_en, d.name_zh, d.default_unit FROM indicators d "
                "WHERE d.code IN (SELECT DISTINCT indicator FROM observations) ORDER BY d.code"
            ),
            "product": distinct("product"),
            "measure": distinct("measure"),
            "period_kind": distinct("period_kind"),
            "status": distinct("status"),
            "source": ["default", "all"],
        },
    }


def register_api(server: Flask, warehouse: Warehouse) -> None:
    """Add the API routes to the dashboard's Flask server."""

    @server.get("/healthz")
    def healthz():
        try:
            snapshot = warehouse.snapshot()
        except NoSnapshotError as error:
            return _no_snapshot(error)
        return jsonify({"status": "ok", "snapshot_id": snapshot.snapshot_id})

    def snapshot_without_parameters():
        """The current snapshot for an endpoint that takes no parameters, or the error response."""
        if request.args:
            return None, error_response([ParamError(next(iter(request.args)), "this endpoint takes no parameters")])
        try:
            return warehouse.snapshot(), None
        except NoSnapshotError as error:
            return None, _no_snapshot(error)

    @server.get("/api/meta.json")
    def meta():
        snapshot, error = snapshot_without_parameters()
        if error is not None:
            return error
        return jsonify(_meta(snapshot))

    @server.get("/api/sources.json")
    def sources():
        snapshot, error = snapshot_without_parameters()
        if error is not None:
            return error
        frame = snapshot.sql("SELECT * FROM sources ORDER BY source_id")
        body = json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
        for record in body:
            for key, value in record.items():
                if isinstance(value, str) and key.endswith("_date"):
                    record[key] = value[:10]
        response = jsonify(body)
        response.headers["X-Snapshot-Id"] = snapshot.snapshot_id
        return response

    @server.get("/api/observations.<fmt>")
    def observations_api(fmt: str):
        if fmt not in FORMATS:
            return error_response([ParamError("format", f"unknown format {fmt[:20]!r}; use csv, json or ndjson")], 404)
        filters, errors = parse_params(request.args, extra=API_OPTIONS)
        lang = parse_choice(request.args, "lang", LANGS, "en", errors)
        limit = parse_limit(request.args, "limit", MAX_LIMIT, errors)
        if errors:
            return error_response(errors)
        try:
            snapshot = warehouse.snapshot()
        except NoSnapshotError as error:
            return _no_snapshot(error)
        query, params = observations_sql(filters, lang, limit)
        schema, batches = open_stream(snapshot, query, params)  # QueryTimeout → 503 (dashboard.guard)
        chunks = {"csv": csv_chunks, "json": json_chunks, "ndjson": ndjson_chunks}[fmt](batches, schema)
        response = Response(chunks, mimetype=None, content_type=FORMATS[fmt])
        response.headers["X-Snapshot-Id"] = snapshot.snapshot_id
        if fmt == "csv":
            response.headers["Content-Disposition"] = f'attachment; filename="observations-{snapshot.snapshot_id}.csv"'
        return response
