"""The result cache: its key scheme, per-process fallback, a real shared redis-server, a Redis
outage, and a new snapshot never meeting an old entry."""

from __future__ import annotations

from datetime import date

from dashboard.app import create_app
from dashboard.cache import ResultCache, cache_key, canonical, make_cache
from dashboard.config import Config
from dashboard.query import Filters, Warehouse, observations
from etl.refresh import refresh
from tests.conftest import REFERENCE
from tests.scale.servers import free_port


def test_keys_name_the_code_the_snapshot_and_the_kind_and_hash_the_parameters():
    key = cache_key("ris", "abc123def456", "20260101T000000000000Z-0123abcd", "observations", (Filters(regions=("1",)), None))
    namespace, code, snapshot, kind, digest = key.split(":")
    assert (namespace, code, snapshot, kind) == ("ris", "abc123def456", "20260101T000000000000Z-0123abcd", "observations")
    assert len(digest) == 32
    assert canonical({"b": 1, "a": date(2024, 1, 31)}) == canonical({"a": date(2024, 1, 31), "b": 1})
    assert canonical(Filters(indicator="gdp")) != canonical(Filters(indicator="production"))


def test_the_same_question_in_another_order_is_one_entry(default_warehouse):
    snapshot = Warehouse(default_warehouse).snapshot()
    first = observations(snapshot, Filters(regions=("440000", "310000"), indicator="production"))
    stats = snapshot.cache.stats()["process"]
    again = observations(snapshot, Filters(regions=("310000", "440000"), indicator="production"))
    assert snapshot.cache.stats()["process"]["hits"] == stats["hits"] + 1
    assert again.equals(first)


def test_without_redis_each_process_has_its_own_cache():
    one, two = ResultCache.local(), ResultCache.local()
    assert one.get_or_compute("s1", "k", {"x": 1}, lambda: [1, 2]) == [1, 2]
    assert one.get_or_compute("s1", "k", {"x": 1}, lambda: ["recomputed"]) == [1, 2]
    assert two.get_or_compute("s1", "k", {"x": 1}, lambda: ["recomputed"]) == ["recomputed"]
    assert one.stats()["process"] == {"hits": 1, "misses": 1, "errors": 0, "hit_rate": 0.5}
    assert one.stats()["cluster"] is None and not one.shared


def test_workers_and_nodes_share_entries_and_counters_through_redis(redis):
    namespace = "test-shared"
    node_a = make_cache(create_app(Config(redis_url=None)).server, redis.url, namespace=namespace)
    node_b = make_cache(create_app(Config(redis_url=None)).server, redis.url, namespace=namespace)
    assert node_a.get_or_compute("s1", "view", {"region": ["440000"]}, lambda: {"figure": 1}) == {"figure": 1}
    assert node_b.get_or_compute("s1", "view", {"region": ["440000"]}, lambda: {"figure": "again"}) == {"figure": 1}
    # Another snapshot is another key: never the old entry.
    assert node_b.get_or_compute("s2", "view", {"region": ["440000"]}, lambda: {"figure": 2}) == {"figure": 2}
    node_a.flush_stats()  # counters reach Redis at most every second; stats() flushes its own
    stats = node_b.stats()
    assert stats["backend"] == "redis" and stats["process"]["hits"] == 1 and stats["process"]["misses"] == 1
    assert stats["cluster"]["hits"] == 1 and stats["cluster"]["misses"] == 2  # node A's miss counted too
    assert redis.client().exists(node_a.key("s1", "view", {"region": ["440000"]}))


def test_a_redis_that_is_down_costs_time_never_an_answer():
    cache = make_cache(create_app(Config()).server, f"redis://127.0.0.1:{free_port()}/0", namespace="down")
    assert cache.get_or_compute("s1", "k", (1,), lambda: "computed") == "computed"
    assert cache.get_or_compute("s1", "k", (1,), lambda: "computed again") == "computed again"
    assert cache.stats()["process"]["errors"] >= 1


def test_a_new_snapshot_never_serves_an_old_entry(tmp_path, redis, raw_copy):
    warehouse = tmp_path / "wh"
    refresh(raw_copy, warehouse, REFERENCE)
    app = create_app(Config(warehouse=warehouse, redis_url=redis.url, cache_namespace="fresh"))
    client = app.server.test_client()
    reader = Warehouse(warehouse, cache=make_cache(app.server, redis.url, namespace="fresh"))
    filters = Filters(regions=("440000",), indicator="production")
    old = reader.snapshot()
    before = observations(old, filters)
    result = refresh(raw_copy, warehouse, REFERENCE, force=True)
    new = reader.snapshot()
    assert new.snapshot_id == result.snapshot_id != old.snapshot_id
    assert reader.cache.key(new.snapshot_id, "observations", ()) != reader.cache.key(old.snapshot_id, "observations", ())
    misses = reader.cache.stats()["process"]["misses"]
    after = observations(new, filters)
    assert reader.cache.stats()["process"]["misses"] == misses + 1  # computed from the new snapshot
    assert after.equals(before)  # same inputs, same figures — but computed from the new snapshot
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'dashboard_cache_hits_total{scope="cluster",backend="redis"}' in metrics
    assert f'dashboard_snapshot_info{{snapshot_id="{new.snapshot_id}"}} 1' in metrics
