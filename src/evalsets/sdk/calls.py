"""The transport-free protocol the sync and async clients both drive.

An *operation* (see :mod:`evalsets.sdk.operations`) is a generator: it yields the steps it
needs (a :class:`Call` for JSON, :class:`Gather` for the records of a download, :class:`Save`
to write one to a file), is sent what answers each step (or has the API error it raised thrown
in), and returns its result. A method that iterates returns a :class:`Source`: the calls to
make and how their answers (JSON bodies or streamed chunks) become items. The clients only
send requests; paths, parameters, bodies, paging and parsing all live here and in
``operations``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Generic, TypeVar

import httpx

from evalsets.sdk.errors import EvalsetsApiError, EvalsetsConnectionError, error_of
from evalsets.sdk.jsonl import JsonLines
from evalsets.sdk.models import Record

T = TypeVar("T")


@dataclass(frozen=True)
class Server:
    """Where a client sends requests: ``url`` and ``key`` default to the environment."""

    url: str
    key: str

    @classmethod
    def of(cls, url: str | None, key: str | None) -> Server:
        """From arguments, else ``EVALSETS_URL`` and ``EVALSETS_API_KEY``."""
        url = url or os.environ.get("EVALSETS_URL") or "http://127.0.0.1:8000"
        key = key if key is not None else os.environ.get("EVALSETS_API_KEY", "")
        return cls(url.rstrip("/"), key)

    @property
    def headers(self) -> dict[str, str]:
        headers = {"user-agent": "evalsets-python"}
        if self.key:
            headers["authorization"] = f"Bearer {self.key}"
        return headers

    def http_options(self, timeout: float) -> dict[str, Any]:
        """Keyword arguments of an ``httpx`` client of the native API."""
        return {"base_url": f"{self.url}/api/v1", "headers": self.headers, "timeout": timeout}

    @contextmanager
    def reaching(self) -> Iterator[None]:
        """Turn a failure to reach the server into EvalsetsConnectionError."""
        try:
            yield
        except httpx.TransportError as exc:
            raise EvalsetsConnectionError(f"cannot reach {self.url}: {exc}") from exc


@dataclass(frozen=True)
class Call:
    """One request of the native API, its path relative to ``/api/v1``."""

    method: str
    path: str
    params: dict[str, Any] | None = None
    json: Any = None
    content: Any = None
    """A streamed body: an iterable of byte chunks (the async client also takes async ones)."""
    headers: dict[str, str] | None = None

    @property
    def options(self) -> dict[str, Any]:
        """Keyword arguments of an ``httpx`` request, without the streamed body."""
        found = {"params": self.params, "json": self.json, "headers": self.headers}
        return {k: v for k, v in found.items() if v is not None}


def checked(response: httpx.Response) -> httpx.Response:
    """The response, unless it is an error answer: that raises the typed error of its code."""
    if response.is_error:
        raise error_of(response)
    return response


def answer(response: httpx.Response) -> Any:
    """The JSON body of an answer (None when empty); an error answer raises its typed error."""
    body = checked(response)
    return body.json() if body.content else None


class Source(Generic[T]):
    """The items an iterating method yields: calls to make and how answers become items."""

    streamed = False
    """Whether answers are read as byte chunks (else as one JSON body each)."""
    chunk_size = 1 << 16

    def __init__(self, call: Call) -> None:
        self.call: Call | None = call

    def next_call(self) -> Call | None:
        """The next request, None when every item has been read."""
        return self.call

    def take(self, answer: Any) -> list[T]:
        """The items of one answer (a JSON body, or a chunk of a streamed one)."""
        raise NotImplementedError

    def end(self) -> list[T]:
        """Items left once every answer has been read."""
        return []


class Pages(Source[T]):
    """A listing read page by page: by ``offset`` against ``total``, or by ``next_cursor``."""

    def __init__(self, call: Call, item: Callable[[Any], T], *, cursor: bool = False) -> None:
        super().__init__(call)
        self.item = item
        self.cursor = cursor

    def take(self, answer: Any) -> list[T]:
        assert self.call is not None and self.call.params is not None
        items = answer["items"]
        params = dict(self.call.params)
        if self.cursor:
            params["cursor"] = answer["next_cursor"]
            done = params["cursor"] is None
        else:
            params["offset"] += len(items)
            done = not items or params["offset"] >= answer["total"]
        self.call = None if done else replace(self.call, params=params)
        return [self.item(raw) for raw in items]


class Download(Source[bytes]):
    """The bytes of one streamed answer."""

    streamed = True

    def __init__(self, call: Call, chunk_size: int = 1 << 16) -> None:
        super().__init__(call)
        self.chunk_size = chunk_size

    def take(self, answer: Any) -> list[bytes]:
        self.call = None
        return [answer]


class RecordDownload(Source[Record]):
    """The records of one streamed JSON Lines answer (constant memory)."""

    streamed = True

    def __init__(self, call: Call) -> None:
        super().__init__(call)
        self.lines = JsonLines()

    def take(self, answer: Any) -> list[Record]:
        self.call = None
        return self.lines.feed(answer)

    def end(self) -> list[Record]:
        return self.lines.end()


@dataclass(frozen=True)
class Gather:
    """Step: answered with the records of a download (an iterable)."""

    source: RecordDownload


@dataclass(frozen=True)
class Save:
    """Step: write a download to ``target``; answered with the number of bytes written."""

    source: Download
    target: Path


Step = Call | Gather | Save
Op = Generator[Step, Any, T]
"""An operation: yields steps, is sent their answers, returns its result."""


@dataclass(frozen=True)
class Done(Generic[T]):
    """An operation's result."""

    value: T


def advance(op: Op[T], outcome: Any) -> Step | Done[T]:
    """Resume ``op`` with what answered its last step (an API error is raised inside it)."""
    try:
        if isinstance(outcome, EvalsetsApiError):
            return op.throw(outcome)
        return op.send(outcome)
    except StopIteration as stop:
        return Done(stop.value)


@dataclass
class PartFile:
    """A file written as ``<name>.part`` and renamed into place once complete."""

    target: Path
    written: int = 0
    _file: IO[bytes] | None = field(default=None, repr=False)

    @property
    def partial(self) -> Path:
        return self.target.with_name(self.target.name + ".part")

    def __enter__(self) -> PartFile:
        self._file = self.partial.open("wb")
        return self

    def write(self, chunk: bytes) -> None:
        assert self._file is not None
        self._file.write(chunk)
        self.written += len(chunk)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._file is not None
        self._file.close()
        if kind is None:
            self.partial.replace(self.target)
