"""``AsyncClient``: the methods of ``Client`` as coroutines and async iterators.

Both clients share the operations (:mod:`evalsets.sdk.operations`) and the methods that run
them (:mod:`evalsets.sdk.methods`); this module sends their requests with ``httpx.AsyncClient``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar, Unpack

import httpx

from evalsets.sdk import calls
from evalsets.sdk.errors import EvalsetsApiError, error_of
from evalsets.sdk.jsonl import Batches
from evalsets.sdk.methods import Methods
from evalsets.sdk.models import Record, Version
from evalsets.sdk.operations import DatasetRef, ImportOptions
from evalsets.sdk.sources import Row, record_row

T = TypeVar("T")


async def each(items: Iterable[T] | AsyncIterable[T]) -> AsyncIterator[T]:
    """The items of a sync or async iterable, as an async iterator."""
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


async def chunks(rows: Iterable[Row | bytes] | AsyncIterable[Row | bytes]) -> AsyncIterator[bytes]:
    """Request-body chunks of rows, read as the body is sent."""
    batches = Batches()
    async for row in each(rows):
        for chunk in batches.add(row):
            yield chunk
    for chunk in batches.rest():
        yield chunk


async def record_rows(records: Iterable[Record] | AsyncIterable[Record]) -> AsyncIterator[Row]:
    """Rows of records (dicts) from a sync or async iterable."""
    index = 0
    async for record in each(records):
        index += 1
        yield record_row(record, index)


class AsyncClient(Methods):
    """An asyncio client of one evalsets server and API key, with ``Client``'s methods.

    Methods are coroutines (``await client.dataset("team/qa")``); ``datasets``,
    ``datapoints``, ``export`` and ``export_records`` are async iterators (``async for``).
    Imports take sync or async iterables. Use ``async with AsyncClient(...) as client:``.
    """

    asynchronous = True

    def __init__(
        self,
        url: str | None = None,
        key: str | None = None,
        *,
        timeout: float = 300.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(url, key, timeout)
        self._http = httpx.AsyncClient(**self._server.http_options(timeout), transport=transport)

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- transport -----------------------------------------------------------------------

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request; error answers raise the typed error of their code."""
        with self._server.reaching():
            return calls.checked(await self._http.request(method, path, **kwargs))

    async def _reply(self, call: calls.Call) -> Any:
        content = None if call.content is None else each(call.content)
        return calls.answer(
            await self.request(call.method, call.path, content=content, **call.options)
        )

    @asynccontextmanager
    async def _stream(self, call: calls.Call) -> AsyncIterator[httpx.Response]:
        with self._server.reaching():
            async with self._http.stream(call.method, call.path, **call.options) as response:
                if response.is_error:
                    await response.aread()
                    raise error_of(response)
                yield response

    async def _iterate(self, source: calls.Source[T]) -> AsyncIterator[T]:
        while (call := source.next_call()) is not None:
            if not source.streamed:
                for item in source.take(await self._reply(call)):
                    yield item
                continue
            async with self._stream(call) as response:
                async for chunk in response.aiter_bytes(source.chunk_size):
                    for item in source.take(chunk):
                        yield item
        for item in source.end():
            yield item

    async def _outcome(self, step: calls.Step) -> Any:
        """What answers a step (gathered records as a list), or the API error it raised."""
        try:
            if isinstance(step, calls.Gather):
                return [record async for record in self._iterate(step.source)]
            if isinstance(step, calls.Save):
                with calls.PartFile(step.target) as out:
                    async for chunk in self._iterate(step.source):
                        out.write(chunk)
                return out.written
            return await self._reply(step)
        except EvalsetsApiError as exc:
            return exc

    async def _run(self, op: calls.Op[T]) -> T:
        step = calls.advance(op, None)
        while not isinstance(step, calls.Done):
            step = calls.advance(op, await self._outcome(step))
        return step.value

    # --- streaming import (the rest of the methods: see ``Methods``) ----------------------

    async def import_rows(
        self,
        ref: DatasetRef,
        rows: Iterable[Row | bytes] | AsyncIterable[Row | bytes],
        **options: Any,
    ) -> Version:
        """Stream rows (or single lines of JSON) as one JSON Lines body: all or nothing."""
        return await self.import_bytes(ref, chunks(rows), **options)

    async def import_bytes(
        self,
        ref: DatasetRef,
        chunks: Iterable[bytes] | AsyncIterable[bytes],
        **options: Unpack[ImportOptions],
    ) -> Version:
        """Stream JSON Lines bytes (any chunking) into one new version (or the draft).

        Options: ``mode`` (``"append"`` or ``"replace"``), ``draft``, ``commit``, ``message``,
        ``name``.
        """
        return await self._run(self._ops.import_bytes(ref, chunks, **options))

    async def import_records(
        self, ref: DatasetRef, records: Iterable[Record] | AsyncIterable[Record], **options: Any
    ) -> Version:
        """Stream records (dicts, from a sync or async iterable) into one new version."""
        return await self.import_rows(ref, record_rows(records), **options)

    async def import_file(self, ref: DatasetRef, path: str | Path, **options: Any) -> Version:
        """Import a file resumably, as ``Client.import_file`` does, in a worker thread.

        ``progress``, if given, is called from that thread.
        """
        ident = await self.dataset_id(ref)
        return await asyncio.to_thread(self._import_file, ident, Path(path), options)

    def _import_file(self, ident: str, path: Path, options: dict[str, Any]) -> Version:
        from evalsets.sdk.client import Client
        from evalsets.sdk.imports import import_file

        with Client(self.url, self._server.key, timeout=self._timeout) as client:
            return import_file(client, ident, path, **options)

    async def from_jsonl(self, path: str, file: str | Path, **options: Any) -> Version:
        """Import a JSON Lines file into the dataset at ``path`` (created if needed)."""
        return await self.import_file(await self.ensure_dataset(path), file, **options)
