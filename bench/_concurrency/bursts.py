"""Bursts: every client makes the same write at the same moment, after a rendezvous.

Burst ``k`` goes to the new path ``burst/<k>``; its kind takes turns:

- a Humanloop ``add`` upsert by path: every one must succeed, and all land in one dataset;
- a dataset created there through the native API, Arize, Globant or PostHog: exactly one
  succeeds; the others get that API's answer to a taken name (409; PostHog: 400 ``unique``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .client import Client, arize_native, native
from .owned import GEAI, PH


def burst(c: Client, number: int) -> None:
    """Meet the other clients, then make burst ``number``'s write."""
    try:
        c.fixture.rendezvous.wait()
    except threading.BrokenBarrierError:
        pass
    path = f"burst/{number}"
    c.ledger.unsure.add(path)
    KINDS[number % len(KINDS)](c, path)
    c.ledger.unsure.discard(path)


def humanloop_upsert(c: Client, path: str) -> None:
    mark = c.marker()
    body = {"path": path, "action": "add", "datapoints": [{"inputs": {"m": mark}}]}
    r = c.write("burst_upsert", "humanloop", "POST", "/v5/datasets", json=body)
    if r is not None:
        ds = r.json()["id"]
        c.ledger.present[mark] = (ds, None)
        c.ledger.paths.setdefault(path, set()).add(ds)


def _created(c: Client, path: str, dataset: str | None) -> None:
    made = c.ledger.created.setdefault(path, [])
    if dataset is not None:
        made.append(dataset)


def native_create(c: Client, path: str) -> None:
    url = "/api/v1/datasets"
    r = c.write("burst_create", "native", "POST", url, json={"path": path}, conflict=True)
    _created(c, path, r.json()["id"] if r is not None else None)


def arize_create(c: Client, path: str) -> None:
    mark = c.marker()
    body = {"name": path, "space_id": c.fixture.space, "examples": [{"m": mark}]}
    r = c.write("burst_create", "arize", "POST", "/v2/datasets", json=body, conflict=True)
    if r is None:
        c.ledger.beaten[mark] = path
        return _created(c, path, None)
    ds = arize_native(r.json()["id"])
    c.ledger.present[mark] = (ds, None)
    _created(c, path, ds)


def geai_create(c: Client, path: str) -> None:
    mark = c.marker()
    body = {"dataSetName": path, "rows": [{"dataSetRowInput": mark}]}
    r = c.write("burst_create", "geai", "POST", f"{GEAI}/dataSet", json=body, conflict=True)
    if r is None:
        c.ledger.beaten[mark] = path
        return _created(c, path, None)
    found = r.json()
    ds = native(found["dataSetId"], "ds")
    c.ledger.present[mark] = (ds, native(found["rows"][0]["dataSetRowId"], "dp"))
    _created(c, path, ds)


def posthog_create(c: Client, path: str) -> None:
    r = c.write(
        "burst_create", "posthog", "POST", f"{PH}/datasets/", json={"name": path}, expected=(400,)
    )
    _created(c, path, native(r.json()["id"], "ds") if r is not None else None)


KINDS: list[Callable[[Client, str], None]] = [
    humanloop_upsert,
    native_create,
    arize_create,
    geai_create,
    posthog_create,
]
