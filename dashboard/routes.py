"""Flask routes for the full snapshot: Parquet as it is, CSV streamed in batches.

The per-selection observations API (``/api/observations.csv``) belongs to the HTTP API
(``dashboard/params.py``); these two routes only hand out the whole published snapshot.
"""

from __future__ import annotations

import io

from flask import Flask, Response, send_file, stream_with_context

from dashboard.export import BOM, safe_frame
from dashboard.query import NoSnapshotError, Warehouse, iter_observation_batches, observations_parquet


def csv_chunks(snapshot):
    """BOM, header, then one chunk per record batch: memory stays flat however large the snapshot."""
    yield BOM
    header = True
    for frame in iter_observation_batches(snapshot):
        buffer = io.StringIO()
        safe_frame(frame).to_csv(buffer, index=False, header=header, lineterminator="\n", float_format="%.15g")
        header = False
        yield buffer.getvalue()


def register_routes(server: Flask, warehouse: Warehouse) -> None:
    @server.get("/download/snapshot.parquet")
    def snapshot_parquet():
        try:
            snapshot = warehouse.snapshot()
        except NoSnapshotError as error:
            return Response(str(error), status=503, mimetype="text/plain")
        return send_file(observations_parquet(snapshot), mimetype="application/vnd.apache.parquet",
                         as_attachment=True, download_name=f"observations-{snapshot.snapshot_id}.parquet")

    @server.get("/download/snapshot.csv")
    def snapshot_csv():
        try:
            snapshot = warehouse.snapshot()
        except NoSnapshotError as error:
            return Response(str(error), status=503, mimetype="text/plain")
        return Response(
            stream_with_context(csv_chunks(snapshot)), mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="observations-{snapshot.snapshot_id}.csv"',
                     "Content-Type": "text/csv; charset=utf-8"},
        )
