"""Readers of vendors' dataset APIs (plain HTTP), for ``evalsets migrate``.

Each reader yields :class:`VendorDataset` objects whose versions, oldest first, stream their
datapoints as canonical records, mapped the way evalsets' own dialect of that vendor maps
them, so a migrated dataset reads the same through every dialect.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from evalsets.sdk.errors import EvalsetsConnectionError, error_of

Record = dict[str, Any]


@dataclass
class VendorVersion:
    """One version as the vendor shows it; ``records`` streams its datapoints in order."""

    id: str
    records: Callable[[], Iterator[Record]]
    name: str | None = None
    message: str | None = None
    description: str | None = None
    committed: bool = True


@dataclass
class VendorDataset:
    """A vendor's dataset with every version it shows, oldest first."""

    id: str
    path: str
    versions: list[VendorVersion]
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    deployments: dict[str, str] = field(default_factory=dict)
    """Environment name -> vendor version id."""


class VendorClient:
    """Plain JSON over HTTP with the vendor's auth header; errors become SDK errors."""

    def __init__(self, base_url: str, headers: dict[str, str], timeout: float = 120.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise EvalsetsConnectionError(f"cannot reach {self.base_url}: {exc}") from exc
        if response.is_error:
            raise error_of(response)
        return response.json()


def reader(vendor: str, url: str, key: str, **options: Any) -> Iterator[VendorDataset]:
    """Every dataset of a vendor's account, read through its REST API."""
    from evalsets.sdk.vendors import arize, geai, humanloop, posthog

    readers: dict[str, Callable[..., Iterator[VendorDataset]]] = {
        "humanloop": humanloop.datasets,
        "arize": arize.datasets,
        "posthog": posthog.datasets,
        "geai": geai.datasets,
    }
    return readers[vendor](url, key, **options)


VENDORS = ("humanloop", "arize", "posthog", "geai")
