"""Real servers on loopback for the scale-out tests and ``make bench-scale``: an S3-protocol
server (moto's standalone server), redis-server, nginx (with the config shipped in deploy/) and
dashboard nodes (``python -m dashboard serve``), each started on a free port and stopped by its
own pid. A missing binary skips the test locally and fails it in CI (``CI=true``), where
``.ci/run`` installs everything.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dashboard.proxy import main_config, site_config

REPO = Path(__file__).resolve().parents[2]
NGINX_SITE = REPO / "deploy" / "nginx" / "dashboard.conf"
#: Credentials of the local test server only (moto accepts any).
ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"
REGION = "us-east-1"
#: Bound on waiting for a server to come up (not a timing assertion: a hang fails instead of blocking).
START_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require(binary: str) -> str:
    """The binary's path; skip (locally) or fail (in CI) when it is not installed."""
    path = shutil.which(binary) or (shutil.which(binary, path="/usr/sbin:/usr/bin:/sbin"))
    if path:
        return path
    message = f"{binary} is not installed (.ci/run installs it)"
    import pytest

    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_module(name: str) -> None:
    import importlib.util

    if importlib.util.find_spec(name) is None:
        import pytest

        message = f"python package {name} is not installed (pip install -c requirements.lock -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def wait_until(check, *, timeout: float = START_TIMEOUT, interval: float = 0.1, what: str = "server"):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
            if result:
                return result
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not come up within {timeout:g} s")
        time.sleep(interval)


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def stop(process: subprocess.Popen, *, timeout: float = 20.0) -> None:
    """SIGTERM, then SIGKILL if it does not stop; always reaped."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen

    def env(self) -> dict[str, str]:
        """What a client process needs, as for any S3 service (never in the URL)."""
        return {"AWS_ENDPOINT_URL": self.endpoint, "AWS_ACCESS_KEY_ID": ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": REGION}

    def filesystem(self):
        import pyarrow.fs as pafs

        host = self.endpoint.removeprefix("http://")
        return pafs.S3FileSystem(endpoint_override=host, scheme="http", access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                                 region=REGION, allow_bucket_creation=True, allow_bucket_deletion=True)

    def create_bucket(self, name: str) -> str:
        self.filesystem().create_dir(name)
        return name


@contextmanager
def s3_server(log: Path) -> Iterator[S3Server]:
    """moto's standalone S3-protocol server (``moto_server``), in memory, on a free loopback port."""
    require_module("moto")
    require_module("flask_cors")
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: process.poll() is None and _port_open(port), what="moto_server")
        yield S3Server(f"http://127.0.0.1:{port}", process)
    finally:
        stop(process)


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        import redis

        return redis.Redis.from_url(self.url)


@contextmanager
def redis_server(folder: Path) -> Iterator[RedisServer]:
    """redis-server on a free loopback port, no persistence, its files in ``folder``."""
    binary = require("redis-server")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(folder), "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: process.poll() is None and _port_open(port), what="redis-server")
        yield RedisServer(port, process)
    finally:
        stop(process)


def nginx_site(upstreams: list[int], listen: int, access_log: Path) -> str:
    """deploy/nginx/dashboard.conf with the upstream servers, the listen address and the log path
    replaced (nothing else changes) — by the same code as ``serve --proxy nginx`` (dashboard.proxy)."""
    return site_config(NGINX_SITE.read_text(), [f"127.0.0.1:{port}" for port in upstreams], f"127.0.0.1:{listen}",
                       str(access_log))


@dataclass
class Nginx:
    port: int
    process: subprocess.Popen
    access_log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def upstreams_used(self) -> list[str]:
        return re.findall(r"upstream=(\S+)", self.access_log.read_text())


@contextmanager
def nginx(folder: Path, upstreams: list[int]) -> Iterator[Nginx]:
    """nginx in the foreground with the shipped site config; pid, logs and temp files in ``folder``."""
    binary = require("nginx")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    site = folder / "dashboard.conf"
    site.write_text(nginx_site(upstreams, port, folder / "access.log"))
    main = folder / "nginx.conf"
    main.write_text(main_config(folder, site, error_log=str(folder / "error.log")))
    with open(folder / "stderr.log", "wb") as errors:
        process = subprocess.Popen([binary, "-c", str(main), "-p", str(folder), "-g", "daemon off;"],
                                   stdout=subprocess.DEVNULL, stderr=errors)
    try:
        wait_until(lambda: process.poll() is None and _port_open(port), what="nginx")
        yield Nginx(port, process, folder / "access.log")
    finally:
        stop(process)


@dataclass
class Node:
    port: int
    process: subprocess.Popen
    workdir: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def node_env(s3: S3Server | None, redis_url: str | None, workdir: Path, **extra: str) -> dict[str, str]:
    """A node's environment: the repository importable, S3 and Redis settings, nothing shared on disk."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "REDIS_URL", "ETL_TEST_"))}
    env.update(PYTHONPATH=str(REPO), HOME=str(workdir), ETL_STATE_DIR=str(workdir / "state"), **extra)
    if s3 is not None:
        env.update(s3.env())
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


@contextmanager
def dashboard_node(workdir: Path, warehouse: str, env: dict[str, str], *, workers: int = 1,
                   threads: int = 4) -> Iterator[Node]:
    """``python -m dashboard serve`` run from its own working directory (no files shared with any other node)."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with open(workdir / "node.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "serve", "--warehouse", warehouse, "--port", str(port),
             "--workers", str(workers), "--threads", str(threads), "--proxy", "none"],  # as deploy/scale-out
            cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        def healthy() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"node exited: {(workdir / 'node.log').read_text()[-3000:]}")
            return get(f"http://127.0.0.1:{port}/healthz")[0] == 200

        wait_until(healthy, what="dashboard node")
        yield Node(port, process, workdir)
    finally:
        stop(process, timeout=40)


def get(url: str, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body; an HTTP error status is returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_json(url: str) -> tuple[dict[str, str], object]:
    status, headers, body = get(url)
    if status != 200:
        raise AssertionError(f"{url} answered {status}: {body[:300]!r}")
    return headers, json.loads(body)


def etl_run(raw: Path, reference: Path, warehouse: str, env: dict[str, str], *extra: str,
            timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", "run", "--raw", str(raw), "--reference", str(reference),
                           "--warehouse", warehouse, *extra], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=timeout)


def chart_callback(base: str) -> dict:
    """The page's callback that draws the chart, as ``/_dash-dependencies`` declares it."""
    from dashboard import ids

    _, dependencies = get_json(f"{base}/_dash-dependencies")
    for dependency in dependencies:
        if f"{ids.CHART}.figure" in dependency["output"]:
            return dependency
    raise AssertionError("no callback outputs the chart's figure")


def callback_body(dependency: dict, state: dict) -> bytes:
    """The JSON body the browser POSTs to run the chart callback for ``state``."""
    from dashboard import ids

    values = {ids.STATE: state, ids.REFRESH: 0}
    outputs = [{"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
               for part in dependency["output"].strip(".").split("...")]
    return json.dumps({
        "output": dependency["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": [{**i, "value": values.get(i["id"])} for i in dependency["inputs"]],
        "state": [{**s, "value": values.get(s["id"])} for s in dependency.get("state", [])],
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in dependency["inputs"]],
    }).encode()


def render(base: str, dependency: dict, state: dict) -> tuple[dict[str, str], dict]:
    """POST the chart callback for ``state`` (what the browser does after a filter changes)."""
    body = callback_body(dependency, state)
    request = urllib.request.Request(f"{base}/_dash-update-component", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return dict(response.headers), json.loads(response.read())


def view_state(snapshot_id: str, **changes) -> dict:
    """A valid page state (as the filters callback stores it) for the bundled data."""
    state = {"lang": "en", "view": "timeseries", "region": ["440000"], "within": "", "indicator": "production",
             "product": "automobiles", "industry": "C36", "scope": "", "measure": "level", "period_kind": "ytd",
             "from": None, "to": None, "status": [], "source": None, "snapshot": snapshot_id}
    state.update(changes)
    return state
