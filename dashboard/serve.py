"""Production serving: gunicorn, run programmatically, one app per worker.

``python -m dashboard serve --workers 2`` starts gunicorn's arbiter; each worker process calls
the app factory itself (``preload_app`` stays off), so no DuckDB connection, file handle or
cache is shared across a ``fork``. Each worker keeps its own connection per snapshot id
(:class:`dashboard.query.Warehouse`), which is the right cache granularity: a DuckDB
connection cannot be shared between processes, and the Parquet files it reads sit in the
operating system's page cache, which *is* shared. No result cache is added: filtered queries
take milliseconds, and a per-worker result cache would multiply memory by the worker count
for little gain; if one is ever needed, key it by snapshot id (a new snapshot then
invalidates it by itself) and keep it per process (an LRU) or on disk (FileSystemCache).
"""

from __future__ import annotations

from dataclasses import dataclass

from gunicorn.app.base import BaseApplication

from dashboard.config import Config


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8050
    workers: int = 2
    threads: int = 4
    timeout: int = 120


def gunicorn_options(options: ServeOptions) -> dict[str, object]:
    """gunicorn settings: ``gthread`` workers (a streamed download does not block a worker's other requests)."""
    return {
        "bind": f"{options.host}:{options.port}",
        "workers": options.workers,
        "worker_class": "gthread",
        "threads": options.threads,
        "timeout": options.timeout,
        "graceful_timeout": 30,
        "preload_app": False,
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "regional-industry-dashboard",
    }


class DashboardApplication(BaseApplication):
    """gunicorn application whose ``load()`` runs the app factory — in each worker."""

    def __init__(self, config: Config, options: ServeOptions):
        self.dashboard_config = config
        self.serve_options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in gunicorn_options(self.serve_options).items():
            self.cfg.set(key, value)

    def load(self):
        from dashboard.app import create_app

        return create_app(self.dashboard_config).server


def serve(config: Config, options: ServeOptions) -> None:
    """Run gunicorn in the foreground until SIGTERM/SIGINT."""
    DashboardApplication(config, options).run()
