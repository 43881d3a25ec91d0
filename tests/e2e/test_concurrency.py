"""Two ``evalsets serve`` processes on one PostgreSQL database, written by several clients."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.clients import ADMIN_SECRET, serve

CLIENTS = 6
WRITES = 25


@pytest.mark.postgres_only
def test_two_servers_concurrent_writers(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with serve(database_url, tmp_path / "a") as one, serve(database_url, tmp_path / "b") as two:
        urls = [one.url, two.url]
        with httpx.Client(base_url=one.url, headers={"X-API-KEY": ADMIN_SECRET}) as setup:
            ds = setup.post("/api/v1/datasets", json={"path": "shared"}).json()["id"]

        def writer(worker: int) -> tuple[list[int], list[int]]:
            statuses: list[int] = []
            commits: list[int] = []
            with httpx.Client(
                base_url=urls[worker % 2], headers={"X-API-KEY": ADMIN_SECRET}, timeout=60
            ) as client:
                for i in range(WRITES):
                    if i % 5 == 4:
                        response = client.post(
                            f"/api/v1/datasets/{ds}/versions",
                            json={
                                "action": "add",
                                "datapoints": [{"inputs": {"w": worker, "i": i}}],
                            },
                        )
                    else:
                        response = client.post(
                            f"/api/v1/datasets/{ds}/datapoints",
                            json={"datapoints": [{"inputs": {"w": worker, "i": i}}]},
                        )
                    statuses.append(response.status_code)
                    if i % 10 == 9:
                        commit = client.post(f"/api/v1/datasets/{ds}/commit", json={})
                        commits.append(commit.status_code)
            return statuses, commits

        with ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(writer, range(CLIENTS)))
        writes = [s for statuses, _ in results for s in statuses]
        commits = [s for _, done in results for s in done]
        assert writes == [201] * CLIENTS * WRITES
        assert set(commits) <= {200, 404}, "committed, or no draft left to commit"
        with httpx.Client(base_url=two.url, headers={"X-API-KEY": ADMIN_SECRET}) as check:
            items = check.get(f"/api/v1/datasets/{ds}/export").text.splitlines()
            versions = check.get(f"/api/v1/datasets/{ds}/versions").json()["items"]
        assert len(items) == CLIENTS * WRITES, "every write is in the newest version"
        numbers = [v["number"] for v in versions]
        assert numbers == sorted(set(numbers), reverse=True) == list(range(len(numbers), 0, -1))
        assert len({v["id"] for v in versions}) == len(versions)
