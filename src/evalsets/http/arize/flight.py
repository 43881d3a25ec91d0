"""The Arrow Flight server of the Arize SDK's bulk paths (create > 1000 examples, export).

Speaks what ``arize==8.61.0`` sends (``arize/_flight/client.py``): the API key in the
``auth-token-bin`` header; ``DoPut`` with a descriptor command that is the JSON form of
``DoPutRequest{create_dataset{space_id, dataset_name}}`` and record batches of the examples
(plus ``id``/``created_at``/``updated_at`` columns the SDK fills in), answered with the protobuf
bytes of ``CreateDatasetResponse{dataset_id}``; ``DoGet`` with a ticket that is the JSON form of
``DoGetRequest{get_dataset{space_id, dataset_id, dataset_version}}``, answered with a stream of
the examples. Started by ``evalsets serve`` when ``EVALSETS_FLIGHT_PORT`` is set.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from pyarrow import flight

from evalsets.core.engine import Engine
from evalsets.core.errors import EvalsetsError, Forbidden, NotFound, Unauthorized
from evalsets.core.model import Scope
from evalsets.http.arize import columns, ids, service
from evalsets.http.auth import Principal

log = logging.getLogger("evalsets.flight")
TOKEN_HEADER = "auth-token-bin"


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class _Caller(flight.ServerMiddleware):  # type: ignore[misc]
    def __init__(self, secret: str | None) -> None:
        self.secret = secret


class _CallerFactory(flight.ServerMiddlewareFactory):  # type: ignore[misc]
    def start_call(self, info: Any, headers: dict[str, list[Any]]) -> _Caller:
        found = headers.get(TOKEN_HEADER) or headers.get("authorization") or []
        secret = _text(found[0]).strip() if found else None
        if secret and secret.lower().startswith("bearer "):
            secret = secret[7:].strip()
        return _Caller(secret or None)


def _command(raw: bytes, key: str) -> dict[str, Any]:
    try:
        message = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise pa.ArrowInvalid("the Flight command is not JSON") from None
    body = message.get(key) if isinstance(message, dict) else None
    if not isinstance(body, dict):
        raise pa.ArrowInvalid(f"unsupported Flight request: expected {key!r}")
    return body


def _reraise(exc: EvalsetsError) -> Exception:
    """A Flight/Arrow error the client sees with the right gRPC status."""
    error: Exception
    match exc:
        case Unauthorized():
            error = flight.FlightUnauthenticatedError(exc.message)
        case Forbidden():
            error = flight.FlightUnauthorizedError(exc.message)
        case NotFound():
            error = pa.ArrowKeyError(exc.message)
        case _:
            error = pa.ArrowInvalid(exc.message)
    return error


class ArizeFlightServer(flight.FlightServerBase):  # type: ignore[misc]
    """Create and export datasets for the Arize SDK over Arrow Flight."""

    def __init__(self, location: str, engine: Engine, **options: Any) -> None:
        super().__init__(location, middleware={"caller": _CallerFactory()}, **options)
        self.engine = engine

    def _principal(self, context: Any, scope: Scope) -> Principal:
        caller: _Caller | None = context.get_middleware("caller")
        secret = caller.secret if caller else None
        if not secret:
            raise Unauthorized("an API key is required (auth-token-bin)")
        key = self.engine.admin.authenticate(secret)
        if key is None:
            raise Unauthorized("invalid or revoked API key")
        principal = Principal(key)
        principal.require(scope)
        return principal

    def do_put(self, context: Any, descriptor: Any, reader: Any, writer: Any) -> None:
        """Create a dataset from the uploaded record batches (all or nothing)."""
        try:
            request = _command(descriptor.command, "createDataset")
            principal = self._principal(context, Scope.WRITE)
            ids.parse_space(str(request.get("spaceId", "")), principal.project_id)
            schema: pa.Schema = reader.schema
            column = columns.expected_column(schema.names)
            ds = service.import_dataset(
                self.engine,
                principal.project_id,
                str(request.get("datasetName", "")),
                column,
                columns.contents(_batches(reader), column),
                principal.author,
            )
        except EvalsetsError as exc:
            raise _reraise(exc) from None
        dataset_id = ids.dataset_id(ds.project_id, ds.id)
        writer.write(pa.py_buffer(_create_dataset_response(dataset_id)))

    def do_get(self, context: Any, ticket: Any) -> flight.FlightDataStream:
        """Stream every example of a dataset version."""
        try:
            request = _command(ticket.ticket, "getDataset")
            principal = self._principal(context, Scope.READ)
            project_id = principal.project_id
            ids.parse_space(str(request.get("spaceId", "")), project_id)
            native = ids.parse_dataset(str(request.get("datasetId", "")), project_id)
            ds = self.engine.datasets.get(project_id, native)
            version = service.version_param(str(request.get("datasetVersion") or ""), project_id)
            self.engine.data.snapshot(project_id, native, version_id=version)

            def rows() -> Iterator[dict[str, Any]]:
                return service.export_examples(self.engine, project_id, ds, version)

            schema = columns.schema_of(rows())
        except EvalsetsError as exc:
            raise _reraise(exc) from None
        return flight.GeneratorStream(schema, columns.batches(rows(), schema))


def _batches(reader: Any) -> Iterator[pa.RecordBatch]:
    for chunk in reader:
        yield chunk.data


def _create_dataset_response(dataset_id: str) -> bytes:
    """``CreateDatasetResponse{dataset_id = 1}`` in protobuf wire format."""
    data = dataset_id.encode()
    length = len(data)
    varint = bytearray()
    while True:
        byte = length & 0x7F
        length >>= 7
        varint.append(byte | (0x80 if length else 0))
        if not length:
            break
    return b"\x0a" + bytes(varint) + data


def start(engine: Engine, host: str, port: int) -> ArizeFlightServer:
    """A running Flight server (it serves from construction until ``shutdown()``)."""
    server = ArizeFlightServer(f"grpc+tcp://{host}:{port}", engine)
    log.info("Arrow Flight for the Arize SDK on grpc+tcp://%s:%s", host, server.port)
    return server
