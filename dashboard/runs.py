"""The ETL's run history as the dashboard sees it: last successful refresh, last failure.

Reads the tail of ``<warehouse>/runs.jsonl`` (written by :mod:`etl.history`) on each call — a few kB —
so every gunicorn worker sees a new run without shared state. The component builder is pure.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from dash import Dash, Input, Output, dcc, html

from dashboard import ids
from etl.storage import Store, open_store

HISTORY_NAME = "runs.jsonl"
#: Only the tail of the file is read: the status needs the last few runs, not all of them.
TAIL_BYTES = 256 * 1024

TEXT = {
    "last_refresh": {"en": "Last successful refresh", "zh": "最近一次成功更新"},
    "never": {"en": "no successful refresh recorded", "zh": "尚无成功更新记录"},
    "failed": {
        "en": "The last data refresh failed at {time} UTC; the data shown is from the last good snapshot. Reason:",
        "zh": "最近一次数据更新（{time} UTC）失败；当前显示的是上一个有效快照的数据。原因：",
    },
    "input_problems": {
        "en": "{count} problem(s) in the input files, for example:",
        "zh": "输入文件中有 {count} 个问题，例如：",
    },
    "operational": {
        "en": "the refresh could not read or write the data folders (a permission, disk or lock problem).",
        "zh": "更新无法读写数据目录（权限、磁盘或锁的问题）。",
    },
    "crashed": {
        "en": "the refresh stopped with an internal error.",
        "zh": "更新因内部错误而中止。",
    },
    "details": {
        "en": "The operator finds the details with: python -m etl history",
        "zh": "管理员可用以下命令查看详情：python -m etl history",
    },
}
#: A directory part of a path (``/srv/app/data/raw/``, ``C:\\data\\``): removed before a line reaches the page.
DIRECTORY = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\\/\s:'\"]+)+[\\/]")
#: The start of a Python exception line (``PermissionError: [Errno 13] ...``).
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|Interrupt)\b")


def failure_kind(record: dict) -> str:
    """``input`` (problems in the input files), ``operational`` (I/O, permissions, lock) or ``crash``.

    Runs recorded before the ``failure`` field existed are classified by their error lines:
    an exception line means the refresh crashed; ``file:row:column: reason`` lines are input problems.
    """
    kind = record.get("failure")
    if kind in ("input", "operational", "crash"):
        return kind
    errors = [str(e) for e in record.get("errors") or []]
    if any(EXCEPTION_LINE.match(e) for e in errors):
        return "operational" if any(e.startswith(("PermissionError", "OSError", "FileNotFoundError")) for e in errors) else "crash"
    return "input"


def user_line(line: str) -> str:
    """An input problem as the page shows it: file names kept, the server's directories removed."""
    return DIRECTORY.sub("", str(line))[:300]


@dataclass(frozen=True)
class RunStatus:
    """What the header needs: the last good run and, if the very last run failed, that run."""

    last_ok: dict | None = None
    last_failure: dict | None = None
    runs: list[dict] = field(default_factory=list)


def read_recent_runs(warehouse: Path | str | Store) -> list[dict]:
    """The most recent runs (oldest first); damaged or cut lines are skipped.

    ``warehouse`` is a directory, an ``s3://`` URL or a store (:mod:`etl.storage`): only the
    file's tail is read (a range request on object storage, re-read at most every few seconds).
    """
    try:
        data = open_store(warehouse).history_tail(TAIL_BYTES + 1)
    except OSError:
        return []
    lines = data.split(b"\n")
    if len(data) > TAIL_BYTES:
        lines = lines[1:]  # the first line may be cut
    runs = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            runs.append(record)
    return runs


def run_status(runs: list[dict]) -> RunStatus:
    """The last successful (ok or unchanged) run, and the last run if it failed."""
    last_ok = next((r for r in reversed(runs) if r.get("outcome") in ("ok", "unchanged")), None)
    last_failure = runs[-1] if runs and runs[-1].get("outcome") == "failed" else None
    return RunStatus(last_ok=last_ok, last_failure=last_failure, runs=runs)


def _when(record: dict) -> str:
    return str(record.get("finished_at") or record.get("started_at") or "")[:19].replace("T", " ")


def run_status_children(status: RunStatus, lang: str) -> list:
    """The content of the ``run-status`` element: a line, and a banner when the last run failed."""
    text = {key: value.get(lang) or value["en"] for key, value in TEXT.items()}
    if status.last_ok is not None:
        line = f"{text['last_refresh']}: {_when(status.last_ok)} UTC"
    else:
        line = f"{text['last_refresh']}: {text['never']}"
    children: list = [html.Span(line, className="run-last-ok")]
    if status.last_failure is not None:
        failure = status.last_failure
        kind = failure_kind(failure)
        parts: list = [html.Strong(text["failed"].format(time=_when(failure))), " "]
        if kind == "input":
            errors = failure.get("errors") or []
            count = failure.get("error_count", len(errors))
            parts.append(text["input_problems"].format(count=count))
            parts.append(html.Ul([html.Li(user_line(e)) for e in errors[:5]]))
        else:
            parts.append(text[kind if kind == "operational" else "crashed"])
        parts.append(html.P(text["details"], className="run-failed-details"))
        children.append(html.Div(parts, className="run-failed-banner", role="alert"))
    return children


def run_status_element(*, refresh_ms: int = 60_000) -> html.Div:
    """The header element (id ``run-status``) and the timer that re-reads the history."""
    return html.Div(
        [dcc.Interval(id=ids.RUN_STATUS_TICK, interval=refresh_ms), html.Div(id=ids.RUN_STATUS, className="run-status")],
        className="run-status-bar",
    )


def register_run_status(app: Dash, warehouse: Path | str | Store) -> None:
    """Fill ``run-status`` on load, on a language change and every minute."""

    @app.callback(Output(ids.RUN_STATUS, "children"), Input(ids.LANG, "value"), Input(ids.RUN_STATUS_TICK, "n_intervals"))
    def show_run_status(lang: str, _tick: int | None):
        return run_status_children(run_status(read_recent_runs(warehouse)), lang or "en")
