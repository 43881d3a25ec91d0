"""A served evalsets per backend, shared by the module's SDK tests (a start costs ~1 s)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from humanloop import Humanloop
from tests.clients import Served


class Recorder:
    """The requests an SDK client sent, as (method, path with query)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []

    def __call__(self, request: httpx.Request) -> None:
        self.requests.append((request.method, request.url.raw_path.decode()))


@contextmanager
def sdk(server: Served, key: str | None = None) -> Iterator[tuple[Humanloop, Recorder]]:
    """The official Humanloop SDK pointed at a served evalsets, and a recorder of its requests."""
    recorder = Recorder()
    with httpx.Client(timeout=60, event_hooks={"request": [recorder]}) as client:
        yield (
            Humanloop(
                api_key=key or server.admin_key,
                base_url=f"{server.url}/v5",
                httpx_client=client,
            ),
            recorder,
        )
