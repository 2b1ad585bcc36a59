"""``python -m dashboard [--warehouse DIR|s3://bucket/prefix] [--host 127.0.0.1] [--port 8050]`` — development server;
``python -m dashboard serve --workers N [--proxy auto|nginx|none] [--host 127.0.0.1] [--port 8050] [--warehouse ...]``
— gunicorn, behind nginx when it is installed (:mod:`dashboard.serve`).

``--redis URL`` (or ``REDIS_URL`` in the environment, which keeps a password out of ``ps``)
shares the result cache between workers and nodes.

``--allow-edit`` adds the review page (``/review/``: paste a press release, review its figures,
publish them into ``--raw``). On 127.0.0.1 it answers this machine only; on any other address it
needs a token (``REVIEW_TOKEN`` in the environment, or one made and printed at start)."""

from __future__ import annotations

import argparse
import os
import secrets
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
    parser.add_argument("--allow-edit", action="store_true",
                        help="serve the review page /review/ (paste a release, review, publish into --raw)")
    parser.add_argument("--raw", type=Path, default=Path("data/raw"), help="raw data the review page writes to (default data/raw)")
    parser.add_argument("--reference", type=Path, default=Path("data/reference"), help="reference tables (default data/reference)")


def _config(args: argparse.Namespace) -> Config:
    """The Config of the parsed options; beyond loopback the review page gets an access token (printed once)."""
    token = os.environ.get("REVIEW_TOKEN") or None
    if args.allow_edit and token is None and args.host not in ("127.0.0.1", "localhost", "::1"):
        token = secrets.token_urlsafe(24)
    if args.allow_edit:
        where = f"http://{args.host}:{args.port}/review/"
        print(f"review page: {where}" + (f"?token={token}" if token else " (this machine only)"), file=sys.stderr)
    return Config(warehouse=args.warehouse, default_lang=args.lang, redis_url=args.redis, allow_edit=args.allow_edit,
                  edit_token=token if args.allow_edit else None, raw=args.raw, reference=args.reference)


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

        serve(_config(args), ServeOptions(host=args.host, port=args.port, workers=args.workers, threads=args.threads,
                                          proxy=args.proxy))
        return
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Serve the dashboard (development server); "
                                     "'python -m dashboard serve --workers N' for production.")
    _common(parser)
    args = parser.parse_args(argv)
    from dashboard.app import create_app
    from dashboard.collector import tune_for_serving

    app = create_app(_config(args))
    tune_for_serving()
    app.run(host=args.host, port=args.port, debug=False)


if __name__ == "__main__":
    main()
