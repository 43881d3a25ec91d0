"""Writes to the datasets every client writes at once: appends, optimistic writes, patches.

- the shared dataset takes appends through all five APIs, native writes naming the newest
  version read just before (``expected_head``) and Arize appends naming it
  (``dataset_version_id``): those two get 409 when another write came in between;
- PostHog items every client updates with the item version it read (``base_version``);
- rows every client patches at once, each client its own field (native: a top-level key,
  Arize: a column, Globant: the context of the rows assigned to it) and adds Globant expected
  sources to, and rows one client puts back whole through Globant while the others patch them
  natively: no write may undo another's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .client import (
    Client,
    Unsure,
    arize_id,
    arize_version_id,
    arize_version_native,
    dashed,
    native,
)
from .owned import GEAI, PH


def _acknowledged(c: Client, dataset: str, mark: str, row: str | None) -> None:
    c.ledger.present[mark] = (dataset, row)


def native_append_shared(c: Client) -> None:
    mark, ds = c.marker(), c.fixture.shared
    body = {"datapoints": [{"inputs": {"m": mark}}]}
    r = c.write("append_shared", "native", "POST", f"/api/v1/datasets/{ds}/datapoints", json=body)
    if r is not None:
        _acknowledged(c, ds, mark, r.json()["ids"][0])


def native_version_shared(c: Client) -> None:
    mark, ds = c.marker(), c.fixture.shared
    body = {"action": "add", "datapoints": [{"inputs": {"m": mark}}]}
    r = c.write("version_shared", "native", "POST", f"/api/v1/datasets/{ds}/versions", json=body)
    if r is not None:
        _acknowledged(c, ds, mark, None)


def native_checked(c: Client) -> None:
    """An add naming the newest version read just before (409 if another write came first)."""
    mark, ds = c.marker(), c.fixture.shared
    head = c.read("GET", f"/api/v1/datasets/{ds}")["head_version_id"]
    as_version = c.rng.random() < 0.5
    if as_version:
        url = f"/api/v1/datasets/{ds}/versions"
        body: dict[str, Any] = {"action": "add", "datapoints": [{"inputs": {"m": mark}}]}
    else:
        url = f"/api/v1/datasets/{ds}/datapoints"
        body = {"datapoints": [{"inputs": {"m": mark}}]}
    body["expected_head"] = head
    r = c.write("checked_shared", "native", "POST", url, json=body, conflict=True)
    if r is not None:
        _acknowledged(c, ds, mark, None)
        answered = r.json()["id"] if as_version else r.json()["version"]["id"]
        c.ledger.based.append(("native", ds, head, answered))
        if as_version:
            c.ledger.heads.setdefault(ds, []).append(head)
    elif c.last_refused():
        c.ledger.refused[mark] = ds


def native_commit_shared(c: Client) -> None:
    url = f"/api/v1/datasets/{c.fixture.shared}/commit"
    c.write("commit_shared", "native", "POST", url, json={}, expected=(404, 409))


def humanloop_add_shared(c: Client) -> None:
    mark, ds = c.marker(), c.fixture.shared
    body = {"id": ds, "action": "add", "datapoints": [{"inputs": {"m": mark}}]}
    if c.write("add_shared", "humanloop", "POST", "/v5/datasets", json=body) is not None:
        _acknowledged(c, ds, mark, None)


def arize_append_shared(c: Client) -> None:
    mark, ds = c.marker(), c.fixture.shared
    url = f"/v2/datasets/{arize_id(ds)}/examples"
    checked = c.rng.random() < 0.5
    params = {}
    head = ""
    if checked:
        head = c.read("GET", f"/api/v1/datasets/{ds}")["head_version_id"]
        params["dataset_version_id"] = arize_version_id(head)
    body = {"examples": [{"m": mark, "question": "q"}]}
    r = c.write(
        "append_checked" if checked else "append_shared",
        "arize",
        "POST",
        url,
        json=body,
        params=params,
        conflict=checked,
    )
    if r is not None:
        _acknowledged(c, ds, mark, native(r.json()["example_ids"][0], "dp"))
        if checked:
            answered = arize_version_native(r.json()["dataset_version_id"])
            c.ledger.based.append(("arize", ds, head, answered))
    elif c.last_refused():
        c.ledger.refused[mark] = ds


def geai_create_shared(c: Client) -> None:
    mark, ds = c.marker(), c.fixture.shared
    url = f"{GEAI}/dataSet/{dashed(ds)}/dataSetRow"
    body = {"dataSetRowInput": mark, "dataSetRowExpectedAnswer": "a"}
    r = c.write("create_row_shared", "geai", "POST", url, json=body)
    if r is not None:
        _acknowledged(c, ds, mark, native(r.json()["dataSetRowId"], "dp"))


def posthog_create_shared(c: Client) -> None:
    mark, ds = c.marker(), c.fixture.shared
    body = {"dataset": dashed(ds), "input": {"m": mark}}
    r = c.write("create_item_shared", "posthog", "POST", f"{PH}/dataset_items/", json=body)
    if r is not None:
        _acknowledged(c, ds, mark, native(r.json()["id"], "dp"))


def posthog_contested(c: Client) -> None:
    """An update naming the item version read just before; every client updates these items."""
    mark = c.marker()
    item = c.rng.choice(c.fixture.items)
    url = f"{PH}/dataset_items/{dashed(item)}/"
    base = c.read("GET", url)["version"]
    body = {"input": {"m": mark}, "base_version": base}
    r = c.write("contested_item", "posthog", "PATCH", url, json=body, conflict=True)
    if r is not None:
        c.ledger.bases.setdefault(item, []).append((base, mark))
    elif c.last_refused():
        c.ledger.refused[mark] = c.fixture.items_dataset


def _patched(c: Client, key: tuple[str, str], send: Callable[[], bool], mark: str) -> None:
    """Record a contested patch: its marker if acknowledged, the field as unknown if unsure."""
    try:
        if send():
            c.ledger.patches[key] = mark
    except Unsure:
        c.ledger.patch_unsure.add(key)
        raise


def native_patch_contested(c: Client) -> None:
    """A native PATCH of this client's own top-level key of a row every client patches."""
    row, mark = c.rng.choice(c.fixture.native_rows), c.marker()
    key = f"n{c.index}"
    url = f"/api/v1/datasets/{c.fixture.patched}/datapoints/{row}"

    def send() -> bool:
        return c.write("patch_contested", "native", "PATCH", url, json={key: mark}) is not None

    _patched(c, (row, key), send, mark)


def arize_patch_contested(c: Client) -> None:
    """An Arize PATCH of this client's own column of an example every client patches."""
    row, mark = c.rng.choice(c.fixture.arize_rows), c.marker()
    column = f"a{c.index}"
    url = f"/v2/datasets/{arize_id(c.fixture.patched)}/examples"
    body = {"examples": [{"id": dashed(row), column: mark}]}

    def send() -> bool:
        return c.write("patch_contested", "arize", "PATCH", url, json=body) is not None

    _patched(c, (row, column), send, mark)


def geai_patch_contested(c: Client) -> None:
    """A Globant row update of the context of a row assigned to this client (others patch
    other fields of the same row natively at the same time)."""
    clients = c.fixture.rendezvous.parties
    mine = [row for n, row in enumerate(c.fixture.native_rows) if n % clients == c.index]
    if not mine:
        return native_patch_contested(c)
    row, mark = c.rng.choice(mine), c.marker()
    url = f"{GEAI}/dataSet/{dashed(c.fixture.patched)}/dataSetRow/{dashed(row)}"

    def send() -> bool:
        body = {"dataSetRowContextDocument": mark}
        return c.write("patch_contested", "geai", "PUT", url, json=body) is not None

    _patched(c, (row, "context"), send, mark)


def geai_source_contested(c: Client) -> None:
    """A Globant expected source added to a row every client adds sources to and patches."""
    row, mark = c.rng.choice(c.fixture.native_rows), c.marker()
    ds = dashed(c.fixture.patched)
    url = f"{GEAI}/dataSet/{ds}/dataSetRow/{dashed(row)}/dataSetRowExpectedSource"
    body = {"dataSetExpectedSourceName": "source", "dataSetExpectedSourceValue": mark}

    def send() -> bool:
        return c.write("source_contested", "geai", "POST", url, json=body) is not None

    _patched(c, (row, f"source {mark}"), send, mark)


def geai_put_contested(c: Client) -> None:
    """Client 0 puts every row of the replaced dataset back through Globant with one new
    expected answer; the other clients patch their own keys of those rows natively."""
    ds = c.fixture.replaced
    if c.index != 0:
        row, mark, key = c.rng.choice(c.fixture.replaced_rows), c.marker(), f"n{c.index}"
        url = f"/api/v1/datasets/{ds}/datapoints/{row}"

        def patch() -> bool:
            return c.write("patch_replaced", "native", "PATCH", url, json={key: mark}) is not None

        return _patched(c, (row, key), patch, mark)
    url = f"{GEAI}/dataSet/{dashed(ds)}"
    shown = c.read("GET", url)["rows"]
    changed, mark = c.rng.randrange(len(shown)), c.marker()
    rows = [
        {
            "dataSetRowId": r["dataSetRowId"],
            "dataSetRowInput": r["dataSetRowInput"],
            "dataSetRowExpectedAnswer": mark if n == changed else r["dataSetRowExpectedAnswer"],
        }
        for n, r in enumerate(shown)
    ]

    def put() -> bool:
        return c.write("put_replaced", "geai", "PUT", url, json={"rows": rows}) is not None

    _patched(c, (native(shown[changed]["dataSetRowId"], "dp"), "expected"), put, mark)
