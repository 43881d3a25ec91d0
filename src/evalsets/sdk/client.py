"""``Client``: every operation of the native API (``/api/v1``) of an evalsets server.

The operations (paths, bodies, paging, parsing) are in :mod:`evalsets.sdk.operations` and the
methods that run them in :mod:`evalsets.sdk.methods`, shared with ``AsyncClient``; this module
sends their requests with ``httpx.Client``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, Unpack

import httpx

from evalsets.sdk import calls, jsonl
from evalsets.sdk.errors import EvalsetsApiError, error_of
from evalsets.sdk.methods import Methods
from evalsets.sdk.models import Record, Version
from evalsets.sdk.operations import (
    PAGE_SIZE,
    DatasetRef,
    ExportFormat,
    ImportOptions,
    export_format_of,
)
from evalsets.sdk.sources import Row, record_rows

__all__ = ["PAGE_SIZE", "Client", "DatasetRef", "ExportFormat", "export_format_of"]

T = TypeVar("T")


class Client(Methods):
    """A client of one evalsets server and API key.

    ``url`` and ``key`` default to ``EVALSETS_URL`` and ``EVALSETS_API_KEY``. Datasets are
    named by ``ds_`` id, by path (``team/qa``) or by a :class:`Dataset`.
    """

    def __init__(
        self,
        url: str | None = None,
        key: str | None = None,
        *,
        timeout: float = 300.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(url, key, timeout)
        self._http = httpx.Client(**self._server.http_options(timeout), transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transport -----------------------------------------------------------------------

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request; error answers raise the typed error of their code."""
        with self._server.reaching():
            return calls.checked(self._http.request(method, path, **kwargs))

    def _reply(self, call: calls.Call) -> Any:
        content = None if call.content is None else iter(call.content)
        return calls.answer(self.request(call.method, call.path, content=content, **call.options))

    @contextmanager
    def _stream(self, call: calls.Call) -> Iterator[httpx.Response]:
        with (
            self._server.reaching(),
            self._http.stream(call.method, call.path, **call.options) as response,
        ):
            if response.is_error:
                response.read()
                raise error_of(response)
            yield response

    def _iterate(self, source: calls.Source[T]) -> Iterator[T]:
        while (call := source.next_call()) is not None:
            if not source.streamed:
                yield from source.take(self._reply(call))
                continue
            with self._stream(call) as response:
                for chunk in response.iter_bytes(source.chunk_size):
                    yield from source.take(chunk)
        yield from source.end()

    def _outcome(self, step: calls.Step) -> Any:
        """What answers a step, or the API error it raised."""
        try:
            if isinstance(step, calls.Gather):
                return self._iterate(step.source)
            if isinstance(step, calls.Save):
                with calls.PartFile(step.target) as out:
                    for chunk in self._iterate(step.source):
                        out.write(chunk)
                return out.written
            return self._reply(step)
        except EvalsetsApiError as exc:
            return exc

    def _run(self, op: calls.Op[T]) -> T:
        step = calls.advance(op, None)
        while not isinstance(step, calls.Done):
            step = calls.advance(op, self._outcome(step))
        return step.value

    # --- streaming import (the rest of the methods: see ``Methods``) ----------------------

    def import_rows(
        self, ref: DatasetRef, rows: Iterable[Row] | Iterable[bytes], **options: Any
    ) -> Version:
        """Stream rows (or single lines of JSON) as one JSON Lines body: all or nothing."""
        return self.import_bytes(ref, jsonl.chunks(rows), **options)

    def import_bytes(
        self, ref: DatasetRef, chunks: Iterable[bytes], **options: Unpack[ImportOptions]
    ) -> Version:
        """Stream JSON Lines bytes (any chunking) into one new version (or the draft).

        Options: ``mode`` (``"append"`` or ``"replace"``), ``draft``, ``commit``, ``message``,
        ``name``.
        """
        return self._run(self._ops.import_bytes(ref, chunks, **options))

    def import_records(self, ref: DatasetRef, records: Iterable[Record], **options: Any) -> Version:
        """Stream records (dicts) into one new version (or the draft with ``draft=True``)."""
        return self.import_rows(ref, record_rows(records), **options)

    def import_file(self, ref: DatasetRef, path: str | Path, **options: Any) -> Version:
        """Import a JSON Lines, CSV or Parquet file, resumably; see ``evalsets.sdk.imports``."""
        from evalsets.sdk.imports import import_file

        return import_file(self, self.dataset_id(ref), Path(path), **options)

    def from_jsonl(self, path: str, file: str | Path, **options: Any) -> Version:
        """Import a JSON Lines file into the dataset at ``path`` (created if needed)."""
        return self.import_file(self.ensure_dataset(path), file, **options)
