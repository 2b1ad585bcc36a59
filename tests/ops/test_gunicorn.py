"""Production serving: ``python -m dashboard serve --workers 2`` really serves, from two workers
(gunicorn facing the client itself here, ``--proxy none``; behind nginx: test_slow_clients.py)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

from tests.conftest import REPO
from tests.ops.conftest import cli_env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def test_gunicorn_serves_with_two_workers(default_warehouse: Path):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "serve", "--workers", "2", "--proxy", "none", "--port", str(port),
         "--warehouse", str(default_warehouse)],
        cwd=REPO, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline and status != 200:
            assert proc.poll() is None, proc.stdout.read()
            try:
                status, headers, body = get(f"{base}/healthz")
            except OSError:
                time.sleep(0.3)
        assert status == 200
        assert headers["Server"].startswith("gunicorn")
        assert headers["X-Frame-Options"] == "DENY"
        snapshot_id = json.loads(body)["snapshot_id"]
        status, _, body = get(f"{base}/api/meta.json")
        assert status == 200 and json.loads(body)["snapshot_id"] == snapshot_id
        workers = psutil.Process(proc.pid).children()
        assert len(workers) == 2
        listening = {c.laddr.ip for c in psutil.Process(proc.pid).net_connections(kind="tcp") if c.status == "LISTEN"}
        assert listening == {"127.0.0.1"}
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        proc.stdout.close()
