"""Fixtures the server-level tests share; each test module brings its own ``client`` (the app it
talks to), and these read from whichever ``client`` the requesting module defines."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def dependencies(client) -> list[dict]:
    """The page's server callbacks, as ``/_dash-dependencies`` lists them."""
    return [d for d in client.get("/_dash-dependencies").get_json() if not d.get("clientside_function")]


@pytest.fixture(scope="module")
def snapshot_id(client) -> str:
    """The id of the snapshot the server answers from."""
    return client.get("/healthz").get_json()["snapshot_id"]
