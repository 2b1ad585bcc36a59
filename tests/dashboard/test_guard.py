"""Hostile browsers: every malformed callback request gets a 4xx or a no-op with a message, never a 5xx.

The page's callbacks take their inputs from the browser; these tests send what a browser
*could* send — wrong types, unknown callbacks, deep JSON, huge bodies and URLs — through the
real Flask server, and check the answer: refused with a 4xx, or applied as a no-op that says
why. Each kind of 500 found by the probes of issue 13 has its case here.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.config import Config
from dashboard.guard import MAX_BODY_BYTES, MAX_JSON_DEPTH, MAX_URL_LENGTH

DISPATCH = "/_dash-update-component"


@pytest.fixture(scope="module")
def app(default_warehouse: Path):
    return create_app(Config(warehouse=default_warehouse))


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def callback(dependencies: list[dict], output_part: str) -> dict:
    return next(d for d in dependencies if output_part in d["output"])


def outputs_of(dependency: dict) -> list[dict] | dict:
    key = dependency["output"]
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]
    return outputs if len(outputs) > 1 else outputs[0]


def payload(dependency: dict, values: dict[str, object] | None = None) -> dict:
    """A well-formed request for ``dependency``; ``values`` maps component id → value sent."""
    values = values or {}
    return {
        "output": dependency["output"],
        "outputs": outputs_of(dependency),
        "inputs": [{**i, "value": values.get(i["id"])} for i in dependency["inputs"]],
        "state": [{**s, "value": values.get(s["id"])} for s in dependency.get("state", [])],
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in dependency["inputs"]],
    }


def post(client, body: object, *, raw: bool = False):
    data = body if raw else json.dumps(body)
    return client.post(DISPATCH, data=data, content_type="application/json")


def good_state(snapshot_id: str, **changes) -> dict:
    state = {"lang": "en", "view": "timeseries", "region": ["440000"], "within": "", "indicator": "production",
             "product": "automobiles", "industry": "C36", "scope": "", "measure": "level", "period_kind": "ytd",
             "from": None, "to": None, "status": [], "source": None, "snapshot": snapshot_id}
    state.update(changes)
    return state


def assert_no_op_with_message(response, *, lang: str | None = None) -> str:
    assert response.status_code == 200, response.data[:300]
    body = response.get_json()
    assert body["response"] == {}
    message = body["sideUpdate"][ids.MESSAGE]["children"]
    if lang == "zh":
        assert "无法应用" in message
    elif lang == "en":
        assert message.startswith("That request could not be applied")
    return message


# --- the callbacks' own failures: browser state of the wrong type or shape ----------------------

@pytest.mark.parametrize(("change", "named"), [
    ({"region": 440000}, "region"),                      # a region as an int
    ({"region": [440000]}, "region"),
    ({"indicator": ["production"]}, "indicator"),        # an indicator as a list
    ({"from": "abc"}, "from"),                           # a date that is not one
    ({"from": "２０２３"}, "from"),                       # full-width digits are not digits
    ({"to": "2023-13"}, "to"),
    ({"measure": {"$gt": ""}}, "measure"),               # a measure as a dict
    ({"measure": "bogus"}, "measure"),
    ({"lang": "fr"}, "lang"),                            # a language the page does not have
    ({"lang": ["zh"]}, "lang"),
    ({"view": 3}, "view"),
    ({"status": "reported"}, "status"),
    ({"status": ["nope"]}, "status"),
    ({"region": [f"{i:06d}" for i in range(201)]}, "region"),  # over the API's cap of 200 codes
    ({"product": "x" * 5000}, "product"),
    ({"snapshot": "../../etc"}, "snapshot"),
    ({"extra": {"nested": [1]}}, "extra"),
])
@pytest.mark.parametrize("output_part", [f"{ids.CHART}.figure", f"{ids.DOWNLOAD}.data", f"{ids.DOWNLOAD_META}.data"])
def test_bad_state_is_a_no_op_with_a_message(client, dependencies, snapshot_id, change, named, output_part):
    dependency = callback(dependencies, output_part)
    values = {ids.STATE: good_state(snapshot_id, **change), ids.REFRESH: 0, ids.DOWNLOAD_BUTTON: 1,
              ids.DOWNLOAD_META_BUTTON: 1}
    message = assert_no_op_with_message(post(client, payload(dependency, values)), lang="en")
    assert named in message


def test_the_message_is_in_the_page_language(client, dependencies, snapshot_id):
    dependency = callback(dependencies, f"{ids.CHART}.figure")
    values = {ids.STATE: good_state(snapshot_id, lang="zh", region=440000), ids.REFRESH: 0}
    assert_no_op_with_message(post(client, payload(dependency, values)), lang="zh")


def test_a_state_that_is_not_an_object_is_a_no_op(client, dependencies):
    dependency = callback(dependencies, f"{ids.CHART}.figure")
    for state in ([1, 2], "state", 7, True):
        assert_no_op_with_message(post(client, payload(dependency, {ids.STATE: state, ids.REFRESH: 0})))


@pytest.mark.parametrize(("component", "value"), [
    (ids.URL, 12345),                       # the URL's search as a number
    (ids.URL, "?" + "a" * 10_000),          # longer than any URL the server accepts
    (ids.REGION, 440000),
    (ids.REGION, [{"a": 1}]),
    (ids.INDICATOR, ["production"]),
    (ids.MEASURE, {"x": 1}),
    (ids.YEAR_FROM, "abc"),
    (ids.LANG, "fr"),
    (ids.VIEW, "bogus"),
    (ids.STATUS, "reported"),
    (ids.ALL_SOURCES, ["everything"]),
    (ids.REFRESH, "1"),
    (ids.REFRESH, -1),
])
def test_bad_control_values_are_a_no_op(client, dependencies, component, value):
    dependency = callback(dependencies, f"{ids.STATE}.data")  # the filter-sync callback
    assert_no_op_with_message(post(client, payload(dependency, {ids.LANG: "en", component: value})))


def test_good_requests_still_render(client, dependencies, snapshot_id):
    render = callback(dependencies, f"{ids.CHART}.figure")
    response = post(client, payload(render, {ids.STATE: good_state(snapshot_id), ids.REFRESH: 0}))
    assert response.status_code == 200
    body = response.get_json()["response"]
    assert body[ids.CHART]["figure"]["data"]
    assert response.headers["X-Snapshot-Id"] == snapshot_id
    assert "query;dur=" in response.headers["Server-Timing"]
    assert "figure;dur=" in response.headers["Server-Timing"]  # the view was built, not read from the cache
    sync = callback(dependencies, f"{ids.STATE}.data")
    response = post(client, payload(sync, {ids.URL: "?region=440000&lang=zh", ids.LANG: "en"}))
    assert response.status_code == 200
    assert response.get_json()["response"][ids.STATE]["data"]["lang"] == "zh"


def test_a_callback_that_raises_is_a_no_op_with_a_message(app, client, dependencies, snapshot_id, monkeypatch):
    import dashboard.callbacks.view as view

    def broken(*_args, **_kwargs):
        raise RuntimeError("/srv/secret/path exploded")

    monkeypatch.setattr(view, "build_view", broken)
    render = callback(dependencies, f"{ids.CHART}.figure")
    # A state no other test drew: a drawn one would come from the result cache, never raising.
    response = post(client, payload(render, {ids.STATE: good_state(snapshot_id, view="share"), ids.REFRESH: 0}))
    assert response.status_code == 200
    body = response.get_json()
    message = body["sideUpdate"][ids.MESSAGE]["children"]
    assert "could not be drawn" in message and "/srv" not in message and "exploded" not in message
    assert ids.CHART not in body.get("response", {})


# --- Dash's own failure modes -------------------------------------------------------------------

def test_unknown_callback_is_404(client):
    body = {"output": "nope.children", "outputs": {"id": "nope", "property": "children"}, "inputs": [],
            "changedPropIds": []}
    assert post(client, body).status_code == 404


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 5, 1_000, 100_000])
def test_deep_json_is_400(client, dependencies, depth):
    dependency = callback(dependencies, f"{ids.CHART}.figure")
    deep = "[" * depth + "]" * depth
    text = json.dumps(payload(dependency, {ids.REFRESH: 0})).replace('"value": null', f'"value": {deep}', 1)
    response = post(client, text, raw=True)
    assert response.status_code == 400


@pytest.mark.parametrize("text", ["not json", "{", "[1, 2]", '"text"', "null", '{"output": 5}', "{}"])
def test_malformed_bodies_are_400(client, text):
    assert post(client, text, raw=True).status_code == 400


def test_inputs_that_do_not_match_the_callback_are_400(client, dependencies):
    dependency = callback(dependencies, f"{ids.CHART}.figure")
    good = payload(dependency, {ids.REFRESH: 0})
    variants = [
        {**good, "inputs": []},
        {**good, "inputs": good["inputs"] * 2},
        {**good, "inputs": [{"id": "other", "property": "data", "value": None}]},
        {**good, "inputs": "state"},
        {**good, "state": [{"id": ids.REFRESH, "property": "nope", "value": 0}]},
        {**good, "outputs": {"id": ids.CHART, "property": "figure"}},
        {**good, "outputs": "chart.figure"},
        {**good, "changedPropIds": "state.data"},
        {**good, "changedPropIds": [5]},
    ]
    for body in variants:
        assert post(client, body).status_code == 400, body


def test_unknown_component_suites_are_404(client):
    assert client.get("/_dash-component-suites/nopkg/x.js").status_code == 404
    assert client.get("/_dash-component-suites/dash/nope.js").status_code == 404
    assert client.get("/_dash-component-suites/dash/../../etc/passwd").status_code == 404


# --- bounds -------------------------------------------------------------------------------------

def test_a_body_over_the_limit_is_413(client, dependencies):
    dependency = callback(dependencies, f"{ids.CHART}.figure")
    codes = [f"{i:06d}" for i in range(300_000)]  # the probe: 300,000 region codes in the state
    response = post(client, payload(dependency, {ids.STATE: {"region": codes}, ids.REFRESH: 0}))
    assert response.status_code == 413
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response = client.post(DISPATCH, data=b"x" * (MAX_BODY_BYTES + 1), content_type="application/json")
    assert response.status_code == 413


def test_a_body_without_a_length_is_bounded_too(client):
    stream = io.BytesIO(b" " * (2 * MAX_BODY_BYTES))  # as a chunked body arrives: no Content-Length
    response = client.post(DISPATCH, input_stream=stream, content_type="application/json",
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413


def test_a_long_url_is_a_styled_414_with_the_security_headers(client):
    response = client.get("/?region=" + "4" * (MAX_URL_LENGTH + 1), headers={"Accept": "text/html"})
    assert response.status_code == 414
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "414" in text and "网址过长" in text and "stylesheet" in text
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    api = client.get("/api/observations.csv?region=" + "4" * (MAX_URL_LENGTH + 1))
    assert api.status_code == 414 and api.get_json()["status"] == 414


def test_an_echoed_indicator_cannot_make_a_huge_filename(client, dependencies, snapshot_id):
    dependency = callback(dependencies, f"{ids.DOWNLOAD}.data")
    values = {ids.STATE: good_state(snapshot_id, indicator="p" * 5_000_000), ids.DOWNLOAD_BUTTON: 1}
    assert post(client, payload(dependency, values)).status_code == 413
    values = {ids.STATE: good_state(snapshot_id, indicator="p" * 33), ids.DOWNLOAD_BUTTON: 1}
    assert_no_op_with_message(post(client, payload(dependency, values)))


# --- the fuzz: a bounded corpus of malformed payloads over every server callback ----------------

BAD_VALUES: list[object] = [
    None, True, False, 0, -1, 1.5, 2**63, float("inf"), "", "x", "abc", "２０２３", "440000\n", "'; DROP TABLE x; --",
    "<script>alert(1)</script>", "x" * 10_000, [], [None], [1, 2], [[[]]], ["440000"] * 300, {}, {"a": 1},
    {"region": 5}, {"lang": "zh", "region": [None]}, [{"id": 1}], {"$where": "1"},
]


def _mutations(dependency: dict, rng: random.Random) -> list[object]:
    good = payload(dependency, {ids.LANG: "en", ids.REFRESH: 0})
    slots = [("inputs", i) for i in range(len(good["inputs"]))] + [("state", i) for i in range(len(good["state"]))]
    bodies: list[object] = []
    for kind, index in slots:
        for value in rng.sample(BAD_VALUES, 8):
            body = json.loads(json.dumps(good))
            body[kind][index]["value"] = value
            bodies.append(body)
    for key in ("output", "outputs", "inputs", "state", "changedPropIds"):
        for value in rng.sample(BAD_VALUES, 4):
            body = json.loads(json.dumps(good))
            body[key] = value
            bodies.append(body)
        body = json.loads(json.dumps(good))
        body.pop(key, None)
        bodies.append(body)
    return bodies


def test_fuzzed_callback_payloads_never_get_a_5xx(client, dependencies):
    rng = random.Random(13)  # fixed: the corpus is the same on every run
    statuses: dict[int, int] = {}
    failures = []
    for dependency in dependencies:
        for body in _mutations(dependency, rng):
            text = json.dumps(body, allow_nan=True)
            response = post(client, text, raw=True)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code >= 500:
                failures.append((response.status_code, text[:300]))
    assert not failures, failures[:5]
    assert sum(statuses.values()) > 300
    assert statuses.get(400, 0) > 0 and statuses.get(200, 0) > 0  # refused and no-op answers both exercised
