"""Flask routes for the full snapshot: Parquet as it is, CSV streamed in batches.

The per-selection observations API (``/api/observations.csv``) belongs to the HTTP API
(``dashboard/params.py``); these two routes only hand out the whole published snapshot.
"""

from __future__ import annotations

from flask import Flask, Response, send_file

from dashboard.api import open_stream
from dashboard.export import csv_chunks
from dashboard.query import NoSnapshotError, Warehouse, observations_parquet, open_observations_parquet

#: The whole ``observations`` table with its sources' names. No ORDER BY (a sort would have to
#: see every row before sending the first): rows come roughly in the file's order.
SNAPSHOT_QUERY = """
    SELECT o.*, s.title AS source_title, s.publisher AS source_publisher, s.url AS source_url,
           s.published_date AS source_published_date
    FROM observations o LEFT JOIN sources s ON s.source_id = o.source_id
"""


#: Bytes per chunk when a Parquet object is relayed from object storage.
RELAY_CHUNK = 1 << 20


def _chunks(stream):
    """The stream's bytes in chunks, closed at the end: memory stays flat however large the file."""
    try:
        while chunk := stream.read(RELAY_CHUNK):
            yield bytes(chunk)
    finally:
        stream.close()


def register_routes(server: Flask, warehouse: Warehouse) -> None:
    @server.get("/download/snapshot.parquet")
    def snapshot_parquet():
        try:
            snapshot = warehouse.snapshot()
        except NoSnapshotError as error:
            return Response(str(error), status=503, mimetype="text/plain")
        name = f"observations-{snapshot.snapshot_id}.parquet"
        local = observations_parquet(snapshot)
        if local is not None:
            return send_file(local, mimetype="application/vnd.apache.parquet", as_attachment=True, download_name=name)
        return Response(_chunks(open_observations_parquet(snapshot)), mimetype="application/vnd.apache.parquet",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @server.get("/download/snapshot.csv")
    def snapshot_csv():
        try:
            snapshot = warehouse.snapshot()
        except NoSnapshotError as error:
            return Response(str(error), status=503, mimetype="text/plain")
        schema, batches = open_stream(snapshot, SNAPSHOT_QUERY, [])
        return Response(
            csv_chunks(batches, schema), mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="observations-{snapshot.snapshot_id}.csv"',
                     "Content-Type": "text/csv; charset=utf-8"},
        )
