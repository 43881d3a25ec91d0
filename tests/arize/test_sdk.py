"""The real ``arize`` SDK's dataset client against a served evalsets (REST and Arrow Flight)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from arize import ArizeClient
from tests.clients import ADMIN_SECRET, free_port, serve

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def user_columns(example: Any) -> dict[str, Any]:
    return dict(example.additional_properties)


def rest_calls(client: ArizeClient) -> None:
    datasets = client.datasets
    by_name = datasets.create(
        name="qa",
        space="default",
        examples=[{"question": f"{i}+{i}", "answer": str(2 * i)} for i in range(5)],
    )
    assert by_name.name == "qa" and by_name.versions and len(by_name.versions) == 1
    space_id = by_name.space_id
    assert space_id is not None
    by_id = datasets.create(name="other", space=space_id, examples=[{"input": "x"}])
    listed = datasets.list(space="default")
    assert [d.name for d in listed.datasets or []] == ["other", "qa"]
    assert [d.name for d in datasets.list(name="QA").datasets or []] == ["qa"]
    got = datasets.get(dataset="qa", space="default")
    assert got.id == by_name.id

    appended = datasets.append_examples(
        dataset="qa", space="default", examples=[{"question": "x", "answer": "y", "topic": "t"}]
    )
    assert len(appended.example_ids or []) == 1
    first = appended.dataset_version_id
    assert first == by_name.versions[0].id

    dataset = by_name.id or ""
    pages: list[list[dict[str, Any]]] = []
    cursor = None
    while True:
        page = datasets.list_examples(dataset=dataset, limit=2, cursor=cursor)
        pages.append([user_columns(e) for e in page.examples or []])
        cursor = page.pagination.next_cursor if page.pagination else None
        if not cursor:
            break
    assert [len(p) for p in pages] == [2, 2, 2]
    assert pages[2][1] == {"question": "x", "answer": "y", "topic": "t"}
    everything = datasets.list_examples(dataset=dataset, limit=50).examples or []
    ids = [e.id or "" for e in everything]
    versions_and_deletes(client, dataset, ids, first or "")
    renamed = datasets.update(dataset=dataset, name="qa-renamed")
    assert renamed.name == "qa-renamed"
    datasets.delete(dataset=by_id.id or "")
    assert [d.name for d in datasets.list().datasets or []] == ["qa-renamed"]


def versions_and_deletes(client: ArizeClient, dataset: str, ids: list[str], first: str) -> None:
    datasets = client.datasets

    found = datasets.list_examples(
        dataset="qa", space="default", filter="answer = '2' OR topic = 't'", limit=1
    )
    assert [user_columns(e)["question"] for e in found.examples or []] == ["1+1"]
    assert found.pagination and found.pagination.has_more
    rest = datasets.list_examples(
        dataset="qa",
        space="default",
        filter="answer = '2' OR topic = 't'",
        cursor=found.pagination.next_cursor,
    )
    assert [user_columns(e)["question"] for e in rest.examples or []] == ["x"]

    in_place = datasets.update_examples(
        dataset=dataset, examples=[{"id": ids[0], "answer": "zero"}, {"id": UNKNOWN, "answer": "?"}]
    )
    assert in_place.dataset_version_id == first and in_place.example_ids == [ids[0]]
    renamed_version = datasets.update_examples(
        dataset=dataset,
        dataset_version_id=first or "",
        examples=[{"id": ids[1], "answer": "two!", "new_column": 1}],
        new_version="fixed",
    )
    second_version = renamed_version.dataset_version_id
    assert second_version != first
    versions = datasets.get(dataset=dataset).versions or []
    assert [v.name for v in versions] == ["fixed", "v1"]
    old = datasets.list_examples(dataset=dataset, dataset_version_id=first)
    new = datasets.list_examples(dataset=dataset, dataset_version_id=second_version)
    assert user_columns((old.examples or [])[1]) == {"question": "1+1", "answer": "2"}
    assert user_columns((new.examples or [])[1]) == {
        "question": "1+1",
        "answer": "two!",
        "new_column": 1,
    }
    assert user_columns((new.examples or [])[0])["answer"] == "zero"

    deleted = datasets.delete_examples(
        dataset=dataset,
        dataset_version_id=second_version or "",
        examples=[ids[2], UNKNOWN],
    )
    assert deleted.completed and deleted.deleted_example_ids == [ids[2]]
    assert deleted.not_deleted_example_ids == [UNKNOWN]
    assert len(datasets.list_examples(dataset=dataset).examples or []) == 5


def test_arize_sdk_end_to_end(database_url: str, tmp_path: Path) -> None:
    flight_port = free_port()
    env = {"EVALSETS_FLIGHT_PORT": str(flight_port)}
    with serve(database_url, tmp_path, extra_env=env) as server:
        # SQLite: separate hosts; PostgreSQL: one single_host for REST and Flight
        hosts: dict[str, Any] = (
            {"api_host": "127.0.0.1", "flight_host": "127.0.0.1"}
            if database_url.startswith("sqlite")
            else {"single_host": "127.0.0.1"}
        )
        client = ArizeClient(
            api_key=ADMIN_SECRET,
            api_scheme="http",
            api_port=server.port,
            **hosts,
            flight_port=flight_port,
            flight_scheme="grpc+tcp",
            enable_caching=False,
            arize_directory=str(tmp_path / "arize"),
        )
        rest_calls(client)
        flight_calls(client, tmp_path)


def flight_calls(client: ArizeClient, tmp_path: Path) -> None:
    datasets = client.datasets
    rows = [
        {"question": f"q{i}", "output": {"answer": i}, "score": i / 2, "ok": i % 2 == 0}
        for i in range(5000)
    ]
    big = datasets.create(name="big", space="default", examples=rows)
    assert big.name == "big" and len(big.versions or []) == 1
    page = datasets.list_examples(dataset=big.id or "", limit=3)
    assert [user_columns(e) for e in page.examples or []] == [
        {"question": "q0", "output": {"answer": 0}, "score": 0.0, "ok": "True"},
        {"question": "q1", "output": {"answer": 1}, "score": 0.5, "ok": "False"},
        {"question": "q2", "output": {"answer": 2}, "score": 1.0, "ok": "True"},
    ]
    everything = datasets.list_examples(dataset=big.id or "", all=True)
    examples = everything.examples or []
    assert len(examples) == 5000 and not (everything.pagination and everything.pagination.has_more)
    assert user_columns(examples[4999]) == {
        "question": "q4999",
        "output": {"answer": 4999},
        "score": 2499.5,
        "ok": "False",
    }
    assert examples[0].id == (page.examples or [])[0].id and examples[0].created_at is not None
    target = tmp_path / "big.parquet"
    datasets.export_to_parquet(dataset="big", space="default", path=str(target))
    table = pq.read_table(target)
    assert table.num_rows == 5000
    assert table.column("question").to_pylist()[:2] == ["q0", "q1"]
    assert json.loads(table.column("output")[1].as_py()) == {"answer": 1}
    source = tmp_path / "source.parquet"
    pq.write_table(pa.table({"input": ["a", "b", None], "expected": [1, 2, 3]}), source)
    from_file = datasets.create(name="from-file", space="default", examples=str(source))
    shown = datasets.list_examples(dataset=from_file.id or "").examples or []
    assert [user_columns(e) for e in shown] == [
        {"input": "a", "expected": 1},
        {"input": "b", "expected": 2},
        {"expected": 3},
    ]
    with pytest.raises(RuntimeError):
        datasets.create(name="big", space="default", examples=rows)
    assert [d.name for d in datasets.list(name="big").datasets or []] == ["big"]
