"""The Flight server in process: what the SDK sends, errors, isolation, all-or-nothing uploads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest
from pyarrow import flight

from evalsets.core.engine import Engine
from evalsets.http.arize import flight as arize_flight
from evalsets.http.arize import ids
from tests.clients import ADMIN_SECRET


@pytest.fixture
def server(engine: Engine) -> Iterator[arize_flight.ArizeFlightServer]:
    engine.admin.bootstrap(ADMIN_SECRET)
    found = arize_flight.start(engine, "127.0.0.1", 0)
    yield found
    found.shutdown()


def options(secret: str | None) -> flight.FlightCallOptions:
    headers = [(b"origin", b"arize-logging-client")]
    if secret is not None:
        headers.append((b"auth-token-bin", secret.encode()))
    return flight.FlightCallOptions(headers=headers)


def put(port: int, secret: str | None, space: str, name: str, table: pa.Table) -> bytes:
    client = flight.FlightClient(f"grpc+tcp://127.0.0.1:{port}")
    command = {
        "createDataset": {"spaceId": space, "datasetName": name, "datasetType": "GENERATIVE"}
    }
    descriptor = flight.FlightDescriptor.for_command(json.dumps(command).encode())
    try:
        writer, reader = client.do_put(descriptor, table.schema, options=options(secret))
        with writer:
            writer.write_table(table)
            writer.done_writing()
            reply = reader.read()
        return b"" if reply is None else reply.to_pybytes()
    finally:
        client.close()


def get(port: int, secret: str, space: str, dataset: str, version: str = "") -> pa.Table:
    client = flight.FlightClient(f"grpc+tcp://127.0.0.1:{port}")
    request = {"getDataset": {"spaceId": space, "datasetId": dataset, "datasetVersion": version}}
    try:
        return client.do_get(
            flight.Ticket(json.dumps(request).encode()), options=options(secret)
        ).read_all()
    finally:
        client.close()


def rows(n: int, **extra: list[Any]) -> pa.Table:
    columns: dict[str, list[Any]] = {
        "question": [f"q{i}" for i in range(n)],
        "output": [json.dumps({"a": i}) for i in range(n)],
        "id": [f"sdk-{i}" for i in range(n)],
        "created_at": [0] * n,
        "updated_at": [0] * n,
    }
    columns.update(extra)
    return pa.table(columns)


def test_flight_create_and_get(engine: Engine, server: arize_flight.ArizeFlightServer) -> None:
    space = ids.space_id(1)
    table = rows(3, context=["c0", None, "c2"], k=[1, 2, None])
    reply = put(server.port, ADMIN_SECRET, space, "flown", table)
    assert reply[:1] == b"\x0a" and reply[1] == len(reply) - 2
    dataset = reply[2:].decode()
    native = ids.parse_dataset(dataset, 1)
    stored = [dp.content for dp in engine.data.export(1, native)]
    assert stored[2] == {"inputs": {"question": "q2"}, "expected": {"a": 2}, "context": "c2"}
    assert stored[1] == {"inputs": {"question": "q1", "k": 2}, "expected": {"a": 1}}
    assert stored[0] == {
        "inputs": {"question": "q0", "k": 1},
        "expected": {"a": 0},
        "context": "c0",
    }
    assert engine.datasets.get(1, native).attributes == {"arize": {"expected_column": "output"}}

    back = get(server.port, ADMIN_SECRET, space, dataset)
    assert back.schema.names[:3] == ["id", "created_at", "updated_at"]
    assert back.column("question").to_pylist() == ["q0", "q1", "q2"]
    assert back.column("k").type == pa.int64() and back.column("k").to_pylist() == [1, 2, None]
    assert [json.loads(v) for v in back.column("output").to_pylist()] == [
        {"a": i} for i in range(3)
    ]
    assert back.column("id").to_pylist()[0] == ids.example_id(
        engine.data.page(1, native).items[0].id
    )
    version = ids.version_id(1, engine.datasets.versions(1, native)[0].id)
    assert get(server.port, ADMIN_SECRET, space, dataset, version).num_rows == 3


def test_flight_errors_change_nothing(
    engine: Engine, server: arize_flight.ArizeFlightServer
) -> None:
    space = ids.space_id(1)
    put(server.port, ADMIN_SECRET, space, "taken", rows(2))
    before = engine.datasets.page(1)
    with pytest.raises(flight.FlightUnauthenticatedError):
        put(server.port, None, space, "new", rows(2))
    with pytest.raises(flight.FlightUnauthenticatedError):
        put(server.port, "wrong", space, "new", rows(2))
    with pytest.raises(pa.ArrowKeyError):
        put(server.port, ADMIN_SECRET, ids.space_id(7), "new", rows(2))
    with pytest.raises(pa.ArrowInvalid, match="taken"):
        put(server.port, ADMIN_SECRET, space, "taken", rows(2))
    empty_row = pa.table({"question": ["q0", None], "id": ["a", "b"]})
    with pytest.raises(pa.ArrowInvalid, match="at least one property"):
        put(server.port, ADMIN_SECRET, space, "new", empty_row)
    with pytest.raises(pa.ArrowInvalid, match="annotations"):
        put(server.port, ADMIN_SECRET, space, "new", rows(1, annotations=["x"]))
    with pytest.raises(pa.ArrowInvalid, match="not JSON"):
        client = flight.FlightClient(f"grpc+tcp://127.0.0.1:{server.port}")
        client.do_get(flight.Ticket(b"nope"), options=options(ADMIN_SECRET)).read_all()
    assert engine.datasets.page(1) == before

    project = engine.admin.create_project("other")
    _, secret = engine.admin.create_key(project.id, "r", ["datasets:read"])
    dataset = ids.dataset_id(1, before[0][0].id)
    with pytest.raises(pa.ArrowKeyError):
        get(server.port, secret, ids.space_id(project.id), dataset)
    with pytest.raises(flight.FlightUnauthorizedError):
        put(server.port, secret, ids.space_id(project.id), "mine", rows(1))
