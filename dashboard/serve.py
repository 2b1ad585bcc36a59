"""Production serving: gunicorn, run programmatically, one app per worker — behind nginx.

``python -m dashboard serve --workers 2`` starts gunicorn's arbiter; each worker process calls
the app factory itself (``preload_app`` stays off), so no DuckDB connection, file handle or
cache is shared across a ``fork``. Each worker keeps its own connection per snapshot id
(:class:`dashboard.query.Warehouse`), which is the right cache granularity: a DuckDB
connection cannot be shared between processes, and the Parquet files it reads sit in the
operating system's page cache, which *is* shared.

``--proxy`` chooses what faces the clients (:mod:`dashboard.proxy`): ``nginx`` listens on
``--host``/``--port`` and passes complete requests to gunicorn over a private Unix socket, so slow
or stalled clients wait in nginx's event loop instead of holding a worker thread; ``none`` binds
gunicorn itself (then eight stalled connections hold all eight threads of ``--workers 2
--threads 4``); ``auto`` (the default) is ``nginx`` when it is installed.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from gunicorn.app.base import BaseApplication

from dashboard.config import Config
from dashboard.proxy import LocalProxy, ProxyError, find_nginx, resolve_mode

#: gunicorn's largest request line (its default is 4094): every URL up to the app's own limit
#: (``dashboard.guard.MAX_URL_LENGTH``) reaches the app, which answers a longer one with its styled 414.
LIMIT_REQUEST_LINE = 8190
#: Behind nginx, gunicorn keeps nginx's connections open longer than nginx keeps idle upstream
#: connections (its ``keepalive_timeout``, 60 s): nginx then never sends a request on a connection
#: gunicorn is closing, which would fail a POST (nginx does not retry one) with a 502.
PROXIED_KEEPALIVE_S = 75


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8050
    workers: int = 2
    threads: int = 4
    timeout: int = 120
    #: ``auto`` | ``nginx`` | ``none`` (see the module docstring).
    proxy: str = "auto"


def gunicorn_options(options: ServeOptions, bind: str | None = None) -> dict[str, object]:
    """gunicorn settings: ``gthread`` workers (a streamed download does not block a worker's other
    requests); ``bind`` overrides ``host:port`` (the Unix socket behind the proxy)."""
    settings: dict[str, object] = {
        "bind": bind or f"{options.host}:{options.port}",
        "workers": options.workers,
        "worker_class": "gthread",
        "threads": options.threads,
        "timeout": options.timeout,
        "graceful_timeout": 30,
        "limit_request_line": LIMIT_REQUEST_LINE,
        "preload_app": False,
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "regional-industry-dashboard",
    }
    if bind and bind.startswith("unix:"):
        settings["keepalive"] = PROXIED_KEEPALIVE_S
        # The client's address, as nginx saw it, in the access log (the socket has none).
        settings["access_log_format"] = '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'
    return settings


class DashboardApplication(BaseApplication):
    """gunicorn application whose ``load()`` runs the app factory — in each worker."""

    def __init__(
        self, config: Config, options: ServeOptions, proxy: LocalProxy | None = None, nginx: str | None = None
    ):
        self.dashboard_config = config
        self.serve_options = options
        self.proxy = proxy
        self.nginx = nginx
        super().__init__()

    def load_config(self) -> None:
        bind = self.proxy.gunicorn_bind if self.proxy else None
        for key, value in gunicorn_options(self.serve_options, bind).items():
            self.cfg.set(key, value)
        if self.proxy is not None:
            proxy, nginx = self.proxy, self.nginx
            # The arbiter starts nginx once the socket is bound, and stops it when it exits.
            self.cfg.set("when_ready", lambda _arbiter: proxy.start(nginx))
            self.cfg.set("on_exit", lambda _arbiter: proxy.stop())

    def load(self):
        from dashboard.app import create_app
        from dashboard.collector import tune_for_serving

        use_system_allocator()
        server = create_app(self.dashboard_config).server
        tune_for_serving()
        return server


def use_system_allocator() -> None:
    """Arrow buffers from the C library's ``malloc`` instead of pyarrow's bundled jemalloc, in this worker.

    Why: a streamed download allocates and frees a few MB per batch in the CSV pool's threads;
    jemalloc keeps what its per-thread arenas held. Measured on a 1 M-row CSV download (5,000-row
    batches): the first download grew the process by 110–116 MB and kept 53–63 MB with jemalloc
    (and with mimalloc), 63 MB and 20 MB with the system allocator, at the same speed.
    """
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


def serve(config: Config, options: ServeOptions) -> None:
    """Run gunicorn (and nginx in front, unless ``--proxy none``) in the foreground until SIGTERM/SIGINT."""
    try:
        mode = resolve_mode(options.proxy)
    except ProxyError as error:
        sys.exit(f"dashboard serve: {error}")
    if mode == "none":
        if options.proxy == "auto":
            print(
                "dashboard serve: nginx is not installed: serving without a proxy, so slow or stalled "
                "clients can hold the workers (docs/operations.md)",
                file=sys.stderr,
                flush=True,
            )
        DashboardApplication(config, options).run()
        return
    folder = Path(tempfile.mkdtemp(prefix="dashboard-serve-"))  # mode 0700: the socket is ours alone
    proxy = LocalProxy(options.host, options.port, folder)
    nginx = find_nginx()
    assert nginx is not None
    try:
        try:
            proxy.check(nginx)
        except ProxyError as error:
            sys.exit(f"dashboard serve: {error}")
        try:
            DashboardApplication(config, options, proxy, nginx).run()  # the arbiter ends with sys.exit
        except SystemExit as stopped:
            if proxy.died:
                sys.exit("dashboard serve: nginx stopped (see its messages above); the dashboard stopped with it")
            raise stopped
        finally:
            proxy.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
