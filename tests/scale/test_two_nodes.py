"""Two stateless dashboard nodes behind nginx (the shipped config), reading one bucket on a real
S3-protocol server and sharing a real redis-server: the same rows and snapshot through either
node, an interrupted upload changes nothing, and both switch to a new snapshot within seconds."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import etl.publish as publish_module
from dashboard import ids
from etl.storage import open_store
from tests.conftest import RAW, REFERENCE, REPO
from tests.scale.servers import (
    chart_callback,
    dashboard_node,
    etl_run,
    get,
    get_json,
    nginx,
    node_env,
    render,
    view_state,
    wait_until,
)

API = "/api/observations.json?region=440000,310000&indicator=production"
#: How long both nodes may take to follow a new ``current`` (the pointer TTL is 2 s); a bound, not a benchmark.
SWITCH_DEADLINE_S = 15.0


def served(base: str) -> tuple[str, bytes]:
    status, headers, body = get(base + API)
    assert status == 200, body[:300]
    return headers["X-Snapshot-Id"], body


def test_two_nodes_behind_nginx_serve_one_snapshot_and_follow_a_new_one(s3, redis, tmp_path, monkeypatch):
    bucket = s3.create_bucket("portal-two-nodes")
    url = f"s3://{bucket}/warehouse"
    etl_env = node_env(s3, None, tmp_path / "scheduler")
    published = etl_run(RAW, REFERENCE, url, etl_env)
    assert published.returncode == 0, published.stderr
    for name, value in s3.env().items():
        monkeypatch.setenv(name, value)
    first = open_store(url).current_id()

    # Separate working directories and HOMEs: the nodes share no file, only the bucket and Redis.
    with (dashboard_node(tmp_path / "node-a", url, node_env(s3, redis.url, tmp_path / "node-a")) as a,
          dashboard_node(tmp_path / "node-b", url, node_env(s3, redis.url, tmp_path / "node-b")) as b,
          nginx(tmp_path / "nginx", [a.port, b.port]) as balancer):
        # The same rows and the same snapshot, from each node and through the balancer.
        direct = [served(a.base), served(b.base)]
        balanced = [served(balancer.base) for _ in range(8)]
        assert {snapshot for snapshot, _ in direct + balanced} == {first}
        assert len({body for _, body in direct + balanced}) == 1
        assert set(balancer.upstreams_used()) == {f"127.0.0.1:{a.port}", f"127.0.0.1:{b.port}"}

        # A view drawn by one node is a cache hit on the other (shared Redis), with the same figure.
        dependency = chart_callback(balancer.base)
        state = view_state(first)
        headers_a, drawn_a = render(a.base, dependency, state)
        _, before = get_json(f"{b.base}/api/cache.json")
        headers_b, drawn_b = render(b.base, dependency, state)
        _, after = get_json(f"{b.base}/api/cache.json")
        assert headers_a["X-Snapshot-Id"] == headers_b["X-Snapshot-Id"] == first
        assert drawn_a["response"][ids.CHART] == drawn_b["response"][ids.CHART]
        assert drawn_a["response"][ids.CHART]["figure"]["data"]
        assert after["backend"] == "redis" and after["shared"] is True
        assert after["process"]["hits"] > before["process"]["hits"]
        assert after["cluster"]["hits"] >= after["process"]["hits"]

        # An upload killed before its switch: `current` does not move, both nodes keep serving.
        env = {**etl_env, publish_module.PAUSE_ENV: "120"}
        process = subprocess.Popen([sys.executable, "-m", "etl", "run", "--force", "--raw", str(RAW), "--reference",
                                    str(REFERENCE), "--warehouse", url], cwd=REPO, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: open_store(url).unfinished_uploads(), timeout=120, what="the upload")
            process.send_signal(signal.SIGKILL)
        finally:
            process.wait(timeout=60)
        time.sleep(2.5)  # longer than the nodes' pointer TTL
        assert open_store(url).current_id() == first
        assert {served(base)[0] for base in (a.base, b.base, balancer.base)} == {first}

        # A real publication: both nodes follow within seconds, still identical.
        published = etl_run(RAW, REFERENCE, url, etl_env, "--force")
        assert published.returncode == 0, published.stderr
        second = open_store(url).current_id()
        assert second != first
        started = time.monotonic()
        wait_until(lambda: all(served(base)[0] == second for base in (a.base, b.base)), timeout=SWITCH_DEADLINE_S,
                   interval=0.2, what="both nodes switching")
        switched_s = time.monotonic() - started
        answers = [served(base) for base in (a.base, b.base, balancer.base, balancer.base)]
        assert {snapshot for snapshot, _ in answers} == {second}
        assert len({body for _, body in answers}) == 1
        print(f"both nodes served {second} {switched_s:.1f} s after its publication")
