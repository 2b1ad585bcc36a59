"""``python -m dashboard [--warehouse DIR|s3://bucket/prefix] [--host 127.0.0.1] [--port 8050]`` — development server;
``python -m dashboard serve --workers N [--proxy auto|nginx|none] [--host 127.0.0.1] [--port 8050] [--warehouse ...]``
— gunicorn, behind nginx when it is installed (:mod:`dashboard.serve`).

``--redis URL`` (or ``REDIS_URL`` in the environment, which keeps a password out of ``ps``)
shares the result cache between workers and nodes."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dashboard.config import Config
from etl.storage import warehouse_location


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warehouse", type=warehouse_location, default=Path("data/warehouse"),
                        help="warehouse directory (default data/warehouse) or s3://bucket/prefix")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL") or None, metavar="URL",
                        help="Redis for the shared result cache (default $REDIS_URL; none: one cache per process)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--lang", choices=("en", "zh"), default="en")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        parser = argparse.ArgumentParser(prog="python -m dashboard serve", description="Serve with gunicorn.")
        _common(parser)
        parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
        parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
        parser.add_argument("--proxy", choices=("auto", "nginx", "none"), default="auto",
                            help="what faces the clients: nginx on --host/--port in front of gunicorn (slow clients "
                                 "wait in nginx, not in a worker), none (gunicorn itself), auto (default: nginx "
                                 "when installed)")
        args = parser.parse_args(argv[1:])
        from dashboard.serve import ServeOptions, serve

        serve(Config(warehouse=args.warehouse, default_lang=args.lang, redis_url=args.redis),
              ServeOptions(host=args.host, port=args.port, workers=args.workers, threads=args.threads,
                           proxy=args.proxy))
        return
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Serve the dashboard (development server); "
                                     "'python -m dashboard serve --workers N' for production.")
    _common(parser)
    args = parser.parse_args(argv)
    from dashboard.app import create_app

    app = create_app(Config(warehouse=args.warehouse, default_lang=args.lang, redis_url=args.redis))
    app.run(host=args.host, port=args.port, debug=False)


if __name__ == "__main__":
    main()
