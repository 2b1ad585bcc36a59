"""A warehouse on S3-compatible object storage (a real moto_server): published, verified and
switched by one PUT; read in place; the same rows as a local warehouse."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.fs as pafs
import pytest

import etl.publish as publish_module
from dashboard.query import Filters, Warehouse, observations, series_options
from dashboard.runs import read_recent_runs, run_status
from etl.pipeline import run
from etl.refresh import refresh
from etl.s3 import S3Store, filesystem_options, parse_url
from etl.storage import StorageError, open_store
from tests.conftest import RAW, REFERENCE, REPO
from tests.scale.servers import etl_run, wait_until

FILTERS = [
    Filters(regions=("440000",)),
    Filters(indicator="production", all_sources=True),
    Filters(region_level="province", indicator="gdp"),
    Filters(regions=("310000", "440000"), measures=("yoy_pct", "level")),
]


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in a total order (the query's ORDER BY leaves ties between industries unordered)."""
    order = frame.astype(str).sort_values(list(frame.columns)).index
    return frame.loc[order].reset_index(drop=True)


def _objects(fs: pafs.FileSystem, root: str) -> dict[str, int]:
    infos = fs.get_file_info(pafs.FileSelector(root, recursive=True, allow_not_found=True))
    return {i.path.removeprefix(root + "/"): i.size for i in infos if i.type == pafs.FileType.File}


def test_a_run_uploads_verifies_and_then_switches_current(bucket, s3, s3_env):
    url = f"s3://{bucket}/warehouse"
    result = refresh(RAW, url, REFERENCE)
    assert result.outcome == "ok"
    fs = s3.filesystem()
    objects = _objects(fs, f"{bucket}/warehouse")
    pointer = json.loads(fs.open_input_stream(f"{bucket}/warehouse/current").read())
    assert pointer["snapshot_id"] == result.snapshot_id
    base = f"snapshots/{result.snapshot_id}"
    manifest = json.loads(fs.open_input_stream(f"{bucket}/warehouse/{base}/manifest.json").read())
    for table, rows in manifest["row_counts"].items():
        assert objects[f"{base}/{table}.parquet"] == manifest["files"][table]["bytes"]
        assert manifest["files"][table]["rows"] == rows
    assert "runs.jsonl" in objects
    # Nothing changed: nothing published, and the run is in the history on the bucket.
    again = refresh(RAW, url, REFERENCE)
    assert again.outcome == "unchanged" and again.snapshot_id == result.snapshot_id
    runs = open_store(url).read_runs()
    assert [r["outcome"] for r in runs] == ["ok", "unchanged"]
    assert run_status(read_recent_runs(url)).last_ok["snapshot_id"] == result.snapshot_id


def test_the_cli_publishes_to_and_lists_history_from_a_bucket(bucket, s3_env, tmp_path):
    url = f"s3://{bucket}/cli"
    env = {**s3_env, "PYTHONPATH": str(REPO)}
    published = etl_run(RAW, REFERENCE, url, env)
    assert published.returncode == 0, published.stderr
    assert f"-> {url}/current" in published.stdout
    history = subprocess.run([sys.executable, "-m", "etl", "history", "--warehouse", url], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=120)
    assert history.returncode == 0 and " ok " in history.stdout


def test_reads_in_place_give_exactly_the_rows_of_a_local_warehouse(bucket, s3_env, tmp_path):
    local = tmp_path / "local"
    run(RAW, local, REFERENCE)
    run(RAW, f"s3://{bucket}/same", REFERENCE)
    on_disk, remote = Warehouse(local).snapshot(), Warehouse(f"s3://{bucket}/same").snapshot()
    assert remote.tables == on_disk.tables
    for filters in FILTERS:
        ours, theirs = observations(remote, filters), observations(on_disk, filters)
        assert len(ours) > 0
        pd.testing.assert_frame_equal(_sorted(ours), _sorted(theirs))
    pd.testing.assert_frame_equal(series_options(remote), series_options(on_disk))


def test_an_interrupted_upload_never_moves_current(bucket, s3, s3_env):
    url = f"s3://{bucket}/killed"
    first = refresh(RAW, url, REFERENCE)
    fs = s3.filesystem()
    pointer_before = fs.open_input_stream(f"{bucket}/killed/current").read()
    env = {**s3_env, "PYTHONPATH": str(REPO), publish_module.PAUSE_ENV: "120"}
    process = subprocess.Popen([sys.executable, "-m", "etl", "run", "--force", "--raw", str(RAW), "--reference",
                                str(REFERENCE), "--warehouse", url], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        store = open_store(url)
        # Every Parquet object of the new snapshot is uploaded; the run now waits before verifying
        # and switching: kill it there.
        partial = wait_until(lambda: store.unfinished_uploads(), timeout=120, what="the upload")
        wait_until(lambda: f"snapshots/{partial[0]}/sources.parquet" in _objects(fs, f"{bucket}/killed"), timeout=120,
                   what="the upload of every table")
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
        process.stderr.close()
    assert fs.open_input_stream(f"{bucket}/killed/current").read() == pointer_before
    assert Warehouse(url).snapshot().snapshot_id == first.snapshot_id
    assert store.snapshot_ids() == [first.snapshot_id]  # the partial one is not a snapshot
    # The next run removes what the killed one left, and publishes nothing new (inputs unchanged).
    after = refresh(RAW, url, REFERENCE)
    assert after.outcome == "unchanged"
    assert store.unfinished_uploads() == []
    assert not any(key.startswith(f"snapshots/{partial[0]}") for key in _objects(fs, f"{bucket}/killed"))


def test_an_upload_that_does_not_verify_publishes_nothing(bucket, s3, s3_env, monkeypatch):
    url = f"s3://{bucket}/corrupt"
    first = refresh(RAW, url, REFERENCE)
    real_upload = S3Store._upload

    def truncating(self, local: Path, key: str) -> None:
        real_upload(self, local, key)
        if key.endswith("/observations.parquet"):  # the store cut the object short
            with self.fs.open_output_stream(key) as out:
                out.write(local.read_bytes()[:1000])

    monkeypatch.setattr(S3Store, "_upload", truncating)
    failed = refresh(RAW, url, REFERENCE, force=True)
    assert failed.outcome == "failed" and failed.failure == "operational"
    assert "observations.parquet" in failed.errors[0] and "bytes" in failed.errors[0]
    assert open_store(url).current_id() == first.snapshot_id
    assert open_store(url).snapshot_ids() == [first.snapshot_id]
    assert open_store(url).unfinished_uploads() == []  # the failed run removed its upload itself


def test_retention_on_a_bucket_follows_the_local_rules(bucket, s3_env):
    url = f"s3://{bucket}/retention"
    ids = [refresh(RAW, url, REFERENCE, force=True).snapshot_id for _ in range(3)]
    store = open_store(url)
    assert store.snapshot_ids() == ids
    result = refresh(RAW, url, REFERENCE, keep=1, grace=timedelta(0))
    assert result.outcome == "unchanged"
    assert sorted(result.pruned) == ids[:2]
    assert store.snapshot_ids() == ids[2:] and store.current_id() == ids[2]


def test_a_download_callback_on_another_node_reads_the_views_snapshot(bucket, s3_env):
    """Node A drew a view from snapshot 1; snapshot 2 is published; the download lands on node B,
    which never opened snapshot 1: it opens it from the bucket rather than mixing in snapshot 2."""
    url = f"s3://{bucket}/pinned"
    one = refresh(RAW, url, REFERENCE).snapshot_id
    assert Warehouse(url).snapshot().snapshot_id == one  # node A
    two = refresh(RAW, url, REFERENCE, force=True).snapshot_id
    node_b = Warehouse(S3Store.from_url(url, pointer_ttl=0))
    assert node_b.snapshot().snapshot_id == two
    assert node_b.pinned(one).snapshot_id == one
    assert node_b.pinned("../../etc").snapshot_id == two  # not an id: never looked up


def test_a_node_follows_current_within_the_pointer_ttl(bucket, s3_env):
    url = f"s3://{bucket}/ttl"
    one = refresh(RAW, url, REFERENCE).snapshot_id
    reader = Warehouse(S3Store.from_url(url, pointer_ttl=0.5))
    assert reader.snapshot().snapshot_id == one
    two = refresh(RAW, url, REFERENCE, force=True).snapshot_id
    time.sleep(0.6)
    assert reader.snapshot().snapshot_id == two


class CountingHandler(pafs.FileSystemHandler):
    """Delegates to a real filesystem, counting the bytes read from files whose name ends with ``watch``."""

    def __init__(self, fs: pafs.FileSystem, watch: str):
        self.fs, self.watch, self.bytes_read = fs, watch, 0

    def __eq__(self, other):
        return isinstance(other, CountingHandler) and other.fs == self.fs

    def __ne__(self, other):
        return not self == other

    def get_type_name(self):
        return "counting"

    def normalize_path(self, path):
        return self.fs.normalize_path(path)

    def get_file_info(self, paths):
        return self.fs.get_file_info(paths)

    def get_file_info_selector(self, selector):
        return self.fs.get_file_info(selector)

    def create_dir(self, path, recursive):
        self.fs.create_dir(path, recursive=recursive)

    def delete_dir(self, path):
        self.fs.delete_dir(path)

    def delete_dir_contents(self, path, missing_dir_ok=False):
        self.fs.delete_dir_contents(path, missing_dir_ok=missing_dir_ok)

    def delete_root_dir_contents(self):
        raise NotImplementedError

    def delete_file(self, path):
        self.fs.delete_file(path)

    def move(self, src, dest):
        self.fs.move(src, dest)

    def copy_file(self, src, dest):
        self.fs.copy_file(src, dest)

    def open_input_stream(self, path):
        return self.fs.open_input_stream(path)

    def open_input_file(self, path):
        handler, inner = self, self.fs.open_input_file(path)
        if not path.endswith(self.watch):
            return inner

        class Counted:
            closed = False

            def read(self, nbytes=-1):
                data = inner.read(nbytes)
                handler.bytes_read += len(data)
                return data

            def seek(self, position, whence=0):
                return inner.seek(position, whence)

            def tell(self):
                return inner.tell()

            def size(self):
                return inner.size()

            def readable(self):
                return True

            def seekable(self):
                return True

            def writable(self):
                return False

            def close(self):
                self.closed = True
                inner.close()

        return pa.PythonFile(Counted(), mode="r")

    def open_output_stream(self, path, metadata):
        return self.fs.open_output_stream(path, metadata=metadata)

    def open_append_stream(self, path, metadata):
        raise NotImplementedError


def test_a_query_reads_the_row_groups_it_needs_not_the_whole_file(bucket, s3, s3_env, monkeypatch):
    monkeypatch.setattr(publish_module, "ROW_GROUP_SIZE", 250)  # many row groups, as in a large snapshot
    url = f"s3://{bucket}/pruned"
    snapshot_id = run(RAW, url, REFERENCE).snapshot_id
    size = s3.filesystem().get_file_info(f"{bucket}/pruned/snapshots/{snapshot_id}/observations.parquet").size
    handler = CountingHandler(s3.filesystem(), "/observations.parquet")
    store = S3Store(parse_url(url), pafs.PyFileSystem(handler))
    snapshot = Warehouse(store).snapshot()
    opened = handler.bytes_read  # footers and statistics, once per snapshot and process
    assert opened > 0
    rows = observations(snapshot, Filters(indicator="production", regions=("440000",)))
    assert len(rows) > 0
    per_query = handler.bytes_read - opened
    assert 0 < per_query < size / 4, f"read {per_query} of {size} bytes for one indicator and region"
    everything = snapshot.sql("SELECT count(*) AS n, sum(value) AS v FROM observations")
    assert int(everything["n"].iloc[0]) == snapshot.manifest["row_counts"]["observations"]


def test_credentials_never_go_in_a_url():
    with pytest.raises(StorageError, match="credentials never go in the warehouse URL"):
        parse_url("s3://AKIA123:secret@bucket/prefix")
    with pytest.raises(StorageError, match="no query"):
        parse_url("s3://bucket/prefix?access_key=x")
    with pytest.raises(StorageError, match="not a valid bucket name"):
        parse_url("s3://B/prefix")
    with pytest.raises(StorageError, match=r"'\.\.'"):
        parse_url("s3://bucket/a/../b")
    assert parse_url("s3://my-bucket/a//b/").key("current") == "my-bucket/a/b/current"
    with pytest.raises(StorageError, match="credentials never go in AWS_ENDPOINT_URL"):
        filesystem_options({"AWS_ENDPOINT_URL": "http://key:secret@127.0.0.1:9000"})


def test_the_client_is_configured_as_every_s3_client_is(tmp_path):
    options = filesystem_options({"AWS_ENDPOINT_URL": "https://oss-cn-shenzhen.aliyuncs.com", "AWS_ACCESS_KEY_ID": "id",
                                  "AWS_SECRET_ACCESS_KEY": "key", "AWS_REGION": "cn-shenzhen"})
    assert (options["endpoint_override"], options["scheme"], options["region"]) == ("oss-cn-shenzhen.aliyuncs.com", "https",
                                                                                  "cn-shenzhen")
    assert (options["access_key"], options["secret_key"]) == ("id", "key")
    # A service-specific endpoint wins; without keys in the environment the SDK's own chain is used.
    options = filesystem_options({"AWS_ENDPOINT_URL": "http://a:1", "AWS_ENDPOINT_URL_S3": "http://minio:9000"})
    assert options["endpoint_override"] == "minio:9000" and "access_key" not in options
    config = tmp_path / "config"
    config.write_text("[profile stats]\nendpoint_url = http://ceph.internal:7480\nregion = default\n")
    options = filesystem_options({"AWS_CONFIG_FILE": str(config), "AWS_PROFILE": "stats"})
    assert (options["endpoint_override"], options["region"]) == ("ceph.internal:7480", "default")


def test_a_missing_bucket_is_one_clear_line(s3_env):
    env = {**s3_env, "PYTHONPATH": str(REPO)}
    result = etl_run(RAW, REFERENCE, "s3://no-such-bucket-here/wh", env)
    assert result.returncode == 1
    assert "bucket 'no-such-bucket-here' does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_rejected_run_on_a_bucket_keeps_current_and_stores_its_problem_list(bucket, s3, s3_env, tmp_path):
    url = f"s3://{bucket}/rejected"
    first = refresh(RAW, url, REFERENCE)
    bad = tmp_path / "raw"
    bad.mkdir()
    (bad / "a.figures.csv").write_text("region,indicator,period,value,unit,source_id\n广东省,汽车产量,2023年1-7月,\"12,34\",万辆,x\n",
                                       encoding="utf-8")
    result = refresh(bad, url, REFERENCE, force=True)
    assert result.outcome == "failed" and result.record["problems"][0]["kind"].startswith("not a number")
    assert open_store(url).current_id() == first.snapshot_id
    stored = s3.filesystem().open_input_stream(f"{bucket}/rejected/{result.record['problems_file']}").read()
    assert stored.decode("utf-8-sig").splitlines()[0] == "severity,kind,file,row,column,reason"
    assert "a.figures.csv,2,value" in stored.decode("utf-8-sig")
