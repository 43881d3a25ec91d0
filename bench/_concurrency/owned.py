"""Writes to the datasets each client owns: it alone adds, changes and removes rows there.

Each client makes one dataset per API first, then the mix picks among these writes; the
client's ``Owned`` records what each dataset must hold afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .client import (
    Client,
    Owned,
    arize_id,
    arize_native,
    dashed,
    native,
)

GEAI = "/dataSetApi"
PH = "/api/projects/@current"


# --- owned datasets: creation ---------------------------------------------------------------


def create_native(c: Client) -> None:
    r = c.write("create", "native", "POST", "/api/v1/datasets", json={"path": f"c{c.index}/n"})
    if r is not None:
        c.own["native"] = Owned(r.json()["id"], "native")


def create_humanloop(c: Client) -> None:
    marks = [c.marker(), c.marker()]
    body = {
        "path": f"c{c.index}/hl",
        "action": "set",
        "datapoints": [{"inputs": {"m": m}} for m in marks],
    }
    r = c.write("create", "humanloop", "POST", "/v5/datasets", json=body)
    if r is not None:
        c.own["humanloop"] = Owned(r.json()["id"], "humanloop", {m: m for m in marks}, True)


def create_arize(c: Client) -> None:
    marks = [c.marker(), c.marker()]
    body = {
        "name": f"c{c.index}/arize",
        "space_id": c.fixture.space,
        "examples": [{"m": m, "question": "q"} for m in marks],
    }
    r = c.write("create", "arize", "POST", "/v2/datasets", json=body)
    if r is None:
        return
    ident = r.json()["id"]
    listed = c.read("GET", f"/v2/datasets/{ident}/examples", params={"limit": 500})
    rows = {native(e["id"], "dp"): e["m"] for e in listed["examples"]}
    c.own["arize"] = Owned(arize_native(ident), "arize", rows)


def create_geai(c: Client) -> None:
    marks = [c.marker(), c.marker()]
    body = {
        "dataSetName": f"c{c.index}/geai",
        "rows": [{"dataSetRowInput": m, "dataSetRowExpectedAnswer": "a"} for m in marks],
    }
    r = c.write("create", "geai", "POST", f"{GEAI}/dataSet", json=body)
    if r is not None:
        found = r.json()
        rows = {native(x["dataSetRowId"], "dp"): x["dataSetRowInput"] for x in found["rows"]}
        c.own["geai"] = Owned(native(found["dataSetId"], "ds"), "geai", rows)


def create_posthog(c: Client) -> None:
    r = c.write("create", "posthog", "POST", f"{PH}/datasets/", json={"name": f"c{c.index}/ph"})
    if r is not None:
        c.own["posthog"] = Owned(native(r.json()["id"], "ds"), "posthog")


CREATES: dict[str, Callable[[Client], None]] = {
    "native": create_native,
    "humanloop": create_humanloop,
    "arize": create_arize,
    "geai": create_geai,
    "posthog": create_posthog,
}
"""The first write of each client to each API: its dataset there."""


# --- owned datasets: row writes -------------------------------------------------------------


def _pick(owned: Owned, c: Client, keep: int = 0) -> str | None:
    """A row of an owned dataset to change, if it has more than ``keep`` rows."""
    if len(owned.rows) <= keep:
        return None
    return c.rng.choice(sorted(owned.rows))


def native_add(c: Client) -> None:
    own = c.own["native"]
    marks = [c.marker() for _ in range(c.rng.randint(1, 2))]
    body = {"datapoints": [{"inputs": {"m": m}, "expected": "a"} for m in marks]}
    r = c.write("add", "native", "POST", f"/api/v1/datasets/{own.dataset}/datapoints", json=body)
    if r is not None:
        own.rows.update(zip(r.json()["ids"], marks, strict=True))


def native_put(c: Client) -> None:
    own = c.own["native"]
    row = _pick(own, c)
    if row is None:
        return native_add(c)
    mark = c.marker()
    url = f"/api/v1/datasets/{own.dataset}/datapoints/{row}"
    body = {"inputs": {"m": mark}, "expected": "b"}
    if c.write("replace", "native", "PUT", url, json=body) is not None:
        own.rows[row] = mark


def native_patch(c: Client) -> None:
    own = c.own["native"]
    row = _pick(own, c)
    if row is None:
        return native_add(c)
    mark = c.marker()
    url = f"/api/v1/datasets/{own.dataset}/datapoints/{row}"
    if c.write("patch", "native", "PATCH", url, json={"inputs": {"m": mark}}) is not None:
        own.rows[row] = mark


def native_delete(c: Client) -> None:
    own = c.own["native"]
    row = _pick(own, c, keep=2)
    if row is None:
        return native_add(c)
    url = f"/api/v1/datasets/{own.dataset}/datapoints/{row}"
    if c.write("delete", "native", "DELETE", url) is not None:
        del own.rows[row]


def native_bulk_delete(c: Client) -> None:
    own = c.own["native"]
    if len(own.rows) <= 3:
        return native_add(c)
    rows = c.rng.sample(sorted(own.rows), 2)
    url = f"/api/v1/datasets/{own.dataset}/datapoints/delete"
    body = {"ids": [*rows, "dp_" + "0" * 32]}
    if c.write("bulk_delete", "native", "POST", url, json=body) is not None:
        for row in rows:
            del own.rows[row]


def native_commit(c: Client) -> None:
    url = f"/api/v1/datasets/{c.own['native'].dataset}/commit"
    c.write("commit", "native", "POST", url, json={"message": "c"}, expected=(404, 409))


def humanloop_add(c: Client) -> None:
    own = c.own["humanloop"]
    marks = [c.marker() for _ in range(c.rng.randint(1, 2))]
    body = {"id": own.dataset, "action": "add", "datapoints": [{"inputs": {"m": m}} for m in marks]}
    if c.rng.random() < 0.3:
        body["commit_message"] = "commit"
    if c.write("add", "humanloop", "POST", "/v5/datasets", json=body) is not None:
        own.rows.update({m: m for m in marks})


def humanloop_set(c: Client) -> None:
    own = c.own["humanloop"]
    kept = sorted(own.rows)
    if len(kept) > 2:
        kept.remove(c.rng.choice(kept))
    mark = c.marker()
    wanted = [*kept, mark]
    body = {
        "id": own.dataset,
        "action": "set",
        "datapoints": [{"inputs": {"m": m}} for m in wanted],
    }
    if c.write("set", "humanloop", "POST", "/v5/datasets", json=body) is not None:
        own.rows = {m: m for m in wanted}


def humanloop_remove(c: Client) -> None:
    own = c.own["humanloop"]
    gone = _pick(own, c, keep=2)
    if gone is None:
        return humanloop_add(c)
    body = {"id": own.dataset, "action": "remove", "datapoints": [{"inputs": {"m": gone}}]}
    if c.write("remove", "humanloop", "POST", "/v5/datasets", json=body) is not None:
        del own.rows[gone]


def humanloop_csv(c: Client) -> None:
    """A CSV upload: a new version, the newest plus the file's rows (column ``m``)."""
    own = c.own["humanloop"]
    marks = [c.marker() for _ in range(c.rng.randint(1, 2))]
    text = "m\n" + "".join(f"{m}\n" for m in marks)
    url = f"/v5/datasets/{own.dataset}/datapoints/csv"
    files = {"file": ("rows.csv", text.encode(), "text/csv")}
    if c.write("csv", "humanloop", "POST", url, files=files) is not None:
        own.rows.update({m: m for m in marks})


def humanloop_commit(c: Client) -> None:
    """Commit the newest version (the old commit model): 409 if it is committed already."""
    own = c.own["humanloop"]
    newest = c.read("GET", f"/v5/datasets/{own.dataset}/versions")["records"][0]["version_id"]
    url = f"/v5/datasets/{own.dataset}/versions/{newest}/commit"
    c.write("commit", "humanloop", "POST", url, json={"commit_message": "c"}, conflict=True)


def arize_append(c: Client) -> None:
    own = c.own["arize"]
    marks = [c.marker() for _ in range(c.rng.randint(1, 2))]
    url = f"/v2/datasets/{arize_id(own.dataset)}/examples"
    body = {"examples": [{"m": m, "question": "q"} for m in marks]}
    r = c.write("append", "arize", "POST", url, json=body)
    if r is not None:
        ids = [native(i, "dp") for i in r.json()["example_ids"]]
        own.rows.update(zip(ids, marks, strict=True))


def arize_update(c: Client) -> None:
    own = c.own["arize"]
    row = _pick(own, c)
    if row is None:
        return arize_append(c)
    mark = c.marker()
    url = f"/v2/datasets/{arize_id(own.dataset)}/examples"
    body = {"examples": [{"id": dashed(row), "m": mark}]}
    if c.write("update", "arize", "PATCH", url, json=body) is not None:
        own.rows[row] = mark


def arize_delete(c: Client) -> None:
    own = c.own["arize"]
    row = _pick(own, c, keep=2)
    if row is None:
        return arize_append(c)
    ident = arize_id(own.dataset)
    version = c.read("GET", f"/v2/datasets/{ident}")["versions"][0]["id"]
    body = {"dataset_version_id": version, "example_ids": [dashed(row)]}
    r = c.write("delete", "arize", "DELETE", f"/v2/datasets/{ident}/examples", json=body)
    if r is not None and r.json()["deleted_example_ids"] == [dashed(row)]:
        del own.rows[row]


def geai_create(c: Client) -> None:
    own = c.own["geai"]
    mark = c.marker()
    url = f"{GEAI}/dataSet/{dashed(own.dataset)}/dataSetRow"
    body = {"dataSetRowInput": mark, "dataSetRowExpectedAnswer": "a"}
    r = c.write("create_row", "geai", "POST", url, json=body)
    if r is not None:
        own.rows[native(r.json()["dataSetRowId"], "dp")] = mark


def geai_update(c: Client) -> None:
    own = c.own["geai"]
    row = _pick(own, c)
    if row is None:
        return geai_create(c)
    mark = c.marker()
    url = f"{GEAI}/dataSet/{dashed(own.dataset)}/dataSetRow/{dashed(row)}"
    if c.write("update_row", "geai", "PUT", url, json={"dataSetRowInput": mark}) is not None:
        own.rows[row] = mark


def geai_delete(c: Client) -> None:
    own = c.own["geai"]
    row = _pick(own, c, keep=2)
    if row is None:
        return geai_create(c)
    url = f"{GEAI}/dataSet/{dashed(own.dataset)}/dataSetRow/{dashed(row)}"
    if c.write("delete_row", "geai", "DELETE", url) is not None:
        del own.rows[row]


def geai_put_rows(c: Client) -> None:
    """``PUT /dataSet/{id}`` with ``rows``: one row dropped, one changed, one new."""
    own = c.own["geai"]
    kept = sorted(own.rows)
    if len(kept) > 2:
        kept.remove(c.rng.choice(kept))
    changed = c.rng.choice(kept) if kept else None
    wanted = {row: (c.marker() if row == changed else own.rows[row]) for row in kept}
    new = c.marker()
    rows: list[dict[str, Any]] = [
        {"dataSetRowId": dashed(row), "dataSetRowInput": m, "dataSetRowExpectedAnswer": "a"}
        for row, m in wanted.items()
    ]
    rows.append({"dataSetRowInput": new, "dataSetRowExpectedAnswer": "a"})
    url = f"{GEAI}/dataSet/{dashed(own.dataset)}"
    r = c.write("put_rows", "geai", "PUT", url, json={"rows": rows})
    if r is not None:
        shown = {native(x["dataSetRowId"], "dp"): x["dataSetRowInput"] for x in r.json()["rows"]}
        added = [row for row, m in shown.items() if m == new]
        own.rows = {**wanted, **dict.fromkeys(added, new)}


def posthog_create(c: Client) -> None:
    own = c.own["posthog"]
    mark = c.marker()
    body = {"dataset": dashed(own.dataset), "input": {"m": mark}, "expected_output": "a"}
    r = c.write("create_item", "posthog", "POST", f"{PH}/dataset_items/", json=body)
    if r is not None:
        item = native(r.json()["id"], "dp")
        own.rows[item] = mark
        own.item_versions[item] = r.json()["version"]


def posthog_update(c: Client) -> None:
    own = c.own["posthog"]
    row = _pick(own, c)
    if row is None:
        return posthog_create(c)
    mark = c.marker()
    body: dict[str, Any] = {"input": {"m": mark}}
    if c.rng.random() < 0.5:
        body["base_version"] = own.item_versions[row]
    url = f"{PH}/dataset_items/{dashed(row)}/"
    r = c.write("update_item", "posthog", "PATCH", url, json=body)
    if r is not None:
        own.rows[row] = mark
        own.item_versions[row] = r.json()["version"]


def posthog_delete(c: Client) -> None:
    own = c.own["posthog"]
    row = _pick(own, c, keep=2)
    if row is None:
        return posthog_create(c)
    if c.rng.random() < 0.5:
        url = f"{PH}/dataset_items/{dashed(row)}/"
        r = c.write("delete_item", "posthog", "PATCH", url, json={"deleted": True})
    else:
        url = f"{PH}/dataset_items/{dashed(row)}/archive/"
        body = {"base_version": own.item_versions[row]}
        r = c.write("archive_item", "posthog", "POST", url, json=body)
    if r is not None:
        del own.rows[row]
        del own.item_versions[row]
