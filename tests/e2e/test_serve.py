"""``evalsets serve`` as a real process on a loopback port, on both backends."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.clients import ADMIN_SECRET, serve


def test_serve_end_to_end(database_url: str, tmp_path: Path) -> None:
    with (
        serve(database_url, tmp_path) as server,
        httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {ADMIN_SECRET}"}, timeout=30
        ) as admin,
    ):
        assert httpx.get(f"{server.url}/healthz").status_code == 200
        project = admin.post("/api/v1/projects", json={"name": "e2e"}).json()
        key = admin.post(f"/api/v1/projects/{project['id']}/keys", json={"name": "w"}).json()
        with server.client(key["key"]) as client:
            ds = client.post("/api/v1/datasets", json={"path": "e2e/qa"}).json()
            lines = "".join(f'{{"inputs": {{"i": {i}}}}}\n' for i in range(1000))
            imported = client.post(
                f"/api/v1/datasets/{ds['id']}/import?message=bulk", content=lines
            )
            assert imported.status_code == 201 and imported.json()["datapoint_count"] == 1000
            page = client.get(
                f"/api/v1/datasets/{ds['id']}/datapoints", params={"offset": 990, "limit": 100}
            )
            assert [d["inputs"]["i"] for d in page.json()["items"]] == list(range(990, 1000))
            exported = client.get(f"/api/v1/datasets/{ds['id']}/export")
            assert len(exported.text.splitlines()) == 1000
        assert admin.get(f"/api/v1/datasets/{ds['id']}").status_code == 404
        assert httpx.get(f"{server.url}/api/v1/datasets").status_code == 401
