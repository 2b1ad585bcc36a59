"""``python -m dashboard [--warehouse DIR] [--host 127.0.0.1] [--port 8050]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard.app import create_app
from dashboard.config import Config


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Serve the dashboard.")
    parser.add_argument("--warehouse", type=Path, default=Path("data/warehouse"))
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    args = parser.parse_args(argv)
    app = create_app(Config(warehouse=args.warehouse, default_lang=args.lang))
    app.run(host=args.host, port=args.port, debug=False)


if __name__ == "__main__":
    main()
