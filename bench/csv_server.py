"""A minimal streaming CSV endpoint over the query layer, for the download benchmark.

Until the HTTP API (``/api/observations.csv``, the ``ops`` branch) is on main, this serves the
same thing from :func:`dashboard.query.observation_batches` and :func:`dashboard.export.csv_chunks`
so the download can be measured over HTTP beside Datasette. Bound to 127.0.0.1; parameters are
validated and bound, never formatted into SQL.

``python -m bench.csv_server --warehouse DIR --port N``; GET ``/observations.csv?indicator=..&measure=..&year_from=..``.
"""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path

from werkzeug.serving import run_simple
from werkzeug.wrappers import Request, Response

from dashboard.export import csv_chunks
from dashboard.query import RESULT_COLUMNS, Filters, Warehouse, observation_batches

_CODE = re.compile(r"[A-Za-z0-9_]{1,40}")


def make_app(warehouse: Warehouse):
    def app(environ, start_response):
        request = Request(environ)
        if request.path != "/observations.csv":
            return Response("not found", status=404)(environ, start_response)
        indicator = request.args.get("indicator", "")
        measures = tuple(request.args.getlist("measure"))
        year_from = request.args.get("year_from", "")
        if not _CODE.fullmatch(indicator) or not all(_CODE.fullmatch(m) for m in measures) or (year_from and not year_from.isdigit()):
            return Response("bad parameter", status=400)(environ, start_response)
        filters = Filters(indicator=indicator, measures=measures, date_from=date(int(year_from), 1, 1) if year_from else None)
        chunks = csv_chunks(observation_batches(warehouse.snapshot(), filters), RESULT_COLUMNS)
        return Response(chunks, mimetype="text/csv", direct_passthrough=True)(environ, start_response)

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    run_simple("127.0.0.1", args.port, make_app(Warehouse(args.warehouse)), threaded=True)


if __name__ == "__main__":
    main()
