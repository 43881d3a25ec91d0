"""Bridges between async request/response bodies and the engine's synchronous streams."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TypeVar

import anyio
import anyio.to_thread
from anyio import from_thread
from starlette.requests import Request

T = TypeVar("T")
SPOOL_IN_MEMORY = 4 * 1024 * 1024


async def with_body_stream(request: Request, work: Callable[[Iterator[bytes]], T]) -> T:
    """Run ``work`` in a worker thread, feeding it the request body chunk by chunk.

    The thread pulls each chunk from the event loop as it needs it, so the body is never
    held in memory whole and a slow database slows the client down (back-pressure).
    """
    stream = request.stream()

    def chunks() -> Iterator[bytes]:
        while True:
            try:
                chunk = from_thread.run(stream.__anext__)
            except StopAsyncIteration:
                return
            if chunk:
                yield chunk

    return await anyio.to_thread.run_sync(lambda: work(chunks()))


async def spool_body(request: Request) -> IO[bytes]:
    """The request body in a temporary file (in memory while small), rewound."""
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    async for chunk in request.stream():
        spool.write(chunk)
    spool.seek(0)
    return spool


def copy_upload(source: IO[bytes]) -> IO[bytes]:
    """An uploaded file's content in our own rewound temporary file."""
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    source.seek(0)
    shutil.copyfileobj(source, spool)
    spool.seek(0)
    return spool


def batched_bytes(chunks: Iterable[bytes], size: int = 256 * 1024) -> Iterator[bytes]:
    """Join small byte chunks into pieces of about ``size`` bytes (fewer thread hops)."""
    pending: list[bytes] = []
    held = 0
    for chunk in chunks:
        pending.append(chunk)
        held += len(chunk)
        if held >= size:
            yield b"".join(pending)
            pending.clear()
            held = 0
    if pending:
        yield b"".join(pending)
