"""nginx in front of gunicorn on one machine: slow clients cost nginx a few kilobytes, not a worker.

Why a proxy at all: a gunicorn ``gthread`` worker hands a connection to a thread as soon as its
first bytes arrive, and the thread then blocks until the request's headers are complete. Eight
connections that send half a request line and stop (``serve --workers 2 --threads 4``) hold every
thread, and ``/healthz`` stops answering. More threads only raise that number. nginx reads every
request completely — headers and body, with its own timeouts — on an event loop that holds
thousands of idle connections, and only then passes it to gunicorn, over a Unix socket in a
private folder; it also buffers responses, so a slow *reader* does not hold a thread either.

``python -m dashboard serve --proxy nginx`` (``auto``, the default, when nginx is installed) runs
this: nginx listens on ``--host``/``--port`` with the site configuration shipped in
``deploy/nginx/dashboard.conf`` — the same file the scale-out deployment uses, with only the
upstream, the listen address and the logs replaced — and gunicorn listens on the Unix socket.
Both are children of one process: gunicorn's arbiter starts nginx when its socket is bound,
stops it when it exits, and exits (so a supervisor restarts both) if nginx dies.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: The site configuration shipped for deployments; the local proxy runs this very file.
NGINX_SITE = REPO / "deploy" / "nginx" / "dashboard.conf"
PROXY_MODES = ("auto", "nginx", "none")
#: Where nginx is usually installed when it is not on PATH (Debian puts it in /usr/sbin).
NGINX_PATHS = "/usr/sbin:/usr/local/sbin:/usr/bin:/sbin"
#: Connections one nginx worker holds at once (idle, slow or active).
WORKER_CONNECTIONS = 4096


class ProxyError(RuntimeError):
    """The proxy cannot be configured or started; the message says what to do."""


def find_nginx() -> str | None:
    """The nginx binary, or None."""
    return shutil.which("nginx") or shutil.which("nginx", path=NGINX_PATHS)


def resolve_mode(mode: str) -> str:
    """``auto`` → ``nginx`` when it is installed, else ``none``; ``nginx`` without nginx is an error."""
    if mode not in PROXY_MODES:
        raise ProxyError(f"--proxy must be one of: {', '.join(PROXY_MODES)}")
    if mode == "none":
        return "none"
    if find_nginx() is None:
        if mode == "nginx":
            raise ProxyError("--proxy nginx: nginx is not installed (Debian: apt-get install nginx)")
        return "none"
    if not NGINX_SITE.is_file():
        if mode == "nginx":
            raise ProxyError(f"--proxy nginx: the site configuration {NGINX_SITE} is missing (run from a checkout)")
        return "none"
    return "nginx"


def listen_address(host: str, port: int) -> str:
    """nginx's ``listen`` argument (an IPv6 address goes in brackets)."""
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def site_config(text: str, upstreams: list[str], listen: str, access_log: str) -> str:
    """The shipped site configuration with its upstream ``server`` lines, its ``listen`` address and
    its access log replaced — nothing else changes, so what is shipped is what runs.

    ``upstreams`` are nginx addresses: ``127.0.0.1:8050`` or ``unix:/path/to.sock``.
    """
    servers = "".join(f"    server {address} max_fails=3 fail_timeout=10s;\n" for address in upstreams)
    text, count = re.subn(r"(    server \S+:\d+ [^\n]*;\n)+", lambda _m: servers, text, count=1)
    if count != 1:
        raise ProxyError(f"{NGINX_SITE}: its upstream block changed shape (one 'server host:port ...;' line per node)")
    text, count = re.subn(r"listen 80;", lambda _m: f"listen {listen};", text, count=1)
    if count != 1:
        raise ProxyError(f"{NGINX_SITE}: no 'listen 80;' line to replace")
    return text.replace("/var/log/nginx/dashboard.access.log", access_log)


def main_config(folder: Path, site: Path, *, error_log: str) -> str:
    """nginx's top-level configuration: one event-loop worker, pid, logs and temporary files in ``folder``."""
    temp = {name: folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(exist_ok=True)
    # Run as root, nginx's workers would switch to 'nobody', which cannot open the socket in a
    # private folder; they stay the user that runs the dashboard instead (a service account).
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
pid {folder / "nginx.pid"};
error_log {error_log} warn;
events {{ worker_connections {WORKER_CONNECTIONS}; }}
http {{
    server_tokens off;
    client_body_temp_path {temp["client_body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {site};
}}
"""


@dataclass
class LocalProxy:
    """nginx on ``host:port`` forwarding to gunicorn's Unix socket in ``folder`` (private: mode 0700)."""

    host: str
    port: int
    folder: Path
    process: subprocess.Popen | None = None
    stopping: bool = False
    #: nginx exited while it should have been serving.
    died: bool = False

    @property
    def socket_path(self) -> Path:
        return self.folder / "gunicorn.sock"

    @property
    def gunicorn_bind(self) -> str:
        return f"unix:{self.socket_path}"

    def write_config(self) -> Path:
        """Write the site and main configuration into ``folder``; the main file's path."""
        site = self.folder / "dashboard.conf"
        # gunicorn logs every request already; nginx's access log is off unless an operator asks.
        access_log = os.environ.get("DASHBOARD_PROXY_ACCESS_LOG", "off")
        text = site_config(
            NGINX_SITE.read_text(encoding="utf-8"),
            [self.gunicorn_bind],
            listen_address(self.host, self.port),
            access_log,
        )
        if access_log == "off":
            text = re.sub(r"access_log off [^;]*;", "access_log off;", text)
        site.write_text(text, encoding="utf-8")
        main = self.folder / "nginx.conf"
        main.write_text(main_config(self.folder, site, error_log="stderr"), encoding="utf-8")
        return main

    def check(self, binary: str) -> None:
        """``nginx -t``: a bad configuration is one clear error before anything starts."""
        main = self.write_config()
        result = subprocess.run(
            [binary, "-e", "stderr", "-t", "-q", "-c", str(main), "-p", str(self.folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise ProxyError(f"nginx refused the generated configuration: {result.stderr.strip()[-800:]}")

    def start(self, binary: str) -> None:
        """Start nginx in the foreground (a child of this process) and watch it."""
        main = self.folder / "nginx.conf"
        self.process = subprocess.Popen(
            [binary, "-e", "stderr", "-c", str(main), "-p", str(self.folder), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL,
        )
        threading.Thread(target=self._watch, name="nginx-watch", daemon=True).start()

    def _watch(self) -> None:
        """nginx died on its own: stop gunicorn too, so the supervisor restarts the pair."""
        assert self.process is not None
        code = self.process.wait()
        if not self.stopping:
            self.died = True
            print(
                f"dashboard serve: nginx exited with status {code}; stopping the dashboard", file=sys.stderr, flush=True
            )
            os.kill(os.getpid(), signal.SIGTERM)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop nginx: SIGQUIT (finish open requests), then SIGKILL after ``timeout``."""
        self.stopping = True
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGQUIT)
        deadline = time.monotonic() + timeout
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if process.poll() is None:
            process.kill()
            process.wait()
