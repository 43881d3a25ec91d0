"""Round trips through pandas, pyarrow and Hugging Face ``datasets``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest

from evalsets.sdk import Client, convert
from tests.clients import Served
from tests.sdk.served import unique

RECORDS: list[dict[str, Any]] = [
    {
        "inputs": {"question": f"q{i}", "n": i},
        "messages": [{"role": "user", "content": f"hi {i}"}],
        "expected": f"a{i}",
        "metadata": {"split": "test", "score": i / 2},
    }
    for i in range(30)
]


@pytest.fixture
def client(server: Served) -> Iterator[Client]:
    with Client(server.url, server.admin_key) as found:
        yield found


def _content(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "id"} for r in records]


def _seed(client: Client) -> str:
    path = unique("conv")
    client.create_dataset(path)
    client.import_records(path, RECORDS, commit=True)
    return path


def test_pandas_round_trip(client: Client) -> None:
    pytest.importorskip("pandas")
    path = _seed(client)
    frame = client.to_pandas(path)
    assert list(frame.columns)[:2] == ["id", "inputs"] and len(frame) == 30
    copy = unique("conv")
    version = client.from_pandas(copy, frame, message="from pandas")
    assert version.committed and version.datapoint_count == 30
    assert _content(list(client.export_records(copy))) == RECORDS


def test_pandas_missing_cells_are_left_out() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"inputs": [{"a": 1}, {"a": 2}], "expected": ["x", None], "n": [1, 2]})
    assert list(convert.from_pandas(frame)) == [
        {"inputs": {"a": 1}, "expected": "x", "n": 1},
        {"inputs": {"a": 2}, "n": 2},
    ]


def test_arrow_round_trip(client: Client) -> None:
    path = _seed(client)
    table = client.to_arrow(path)
    assert isinstance(table, pa.Table) and table.num_rows == 30
    assert pa.types.is_struct(table.schema.field("inputs").type)
    copy = unique("conv")
    client.from_arrow(copy, table)
    assert _content(list(client.export_records(copy))) == RECORDS


def test_arrow_mixed_types_survive_as_json() -> None:
    records: list[dict[str, Any]] = [
        {"expected": "text", "inputs": {"a": 1}},
        {"expected": {"k": [1, 2]}},
    ]
    table = convert.to_arrow(records)
    assert table.schema.field("expected").type == pa.string()
    assert list(convert.from_arrow(table)) == records


def test_hf_round_trip(client: Client) -> None:
    datasets = pytest.importorskip("datasets")
    path = _seed(client)
    data = client.to_hf(path)
    assert isinstance(data, datasets.Dataset) and data.num_rows == 30
    assert data[0]["messages"] == [{"role": "user", "content": "hi 0"}]
    copy = unique("conv")
    client.from_hf(copy, data)
    assert _content(list(client.export_records(copy))) == RECORDS
