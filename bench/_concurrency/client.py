"""One writer: its connections to both servers, its random choices, its ledger and calls."""

from __future__ import annotations

import base64
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from .servers import ADMIN

# --- ids of the dialects --------------------------------------------------------------------


def native(value: str, prefix: str) -> str:
    """The prefixed id of a plain UUID (``ds_…``, ``dp_…``)."""
    return f"{prefix}_{uuid.UUID(value).hex}"


def dashed(ident: str) -> str:
    """The plain UUID of a prefixed id."""
    return str(uuid.UUID(hex=ident.partition("_")[2]))


def arize_native(value: str) -> str:
    """The ``ds_`` id inside an Arize dataset id (``base64("Dataset:p:<hex>")``)."""
    return "ds_" + base64.b64decode(value).decode().rsplit(":", 1)[1]


def arize_id(dataset_id: str) -> str:
    """The Arize id of a dataset of project 1."""
    return base64.b64encode(f"Dataset:1:{dataset_id[3:]}".encode()).decode()


def arize_version_id(version_id: str) -> str:
    """The Arize id of a version of project 1."""
    return base64.b64encode(f"DatasetVersion:1:{version_id[4:]}".encode()).decode()


def arize_version_native(value: str) -> str:
    """The ``dsv_`` id inside an Arize version id."""
    return "dsv_" + base64.b64decode(value).decode().rsplit(":", 1)[1]


# --- what the writes mean -------------------------------------------------------------------


@dataclass
class Owned:
    """A dataset one client alone writes, and what it must hold: row id → marker.

    Humanloop writes by content, not by id: there ``rows`` maps each marker to itself.
    """

    dataset: str
    dialect: str
    rows: dict[str, str] = field(default_factory=dict)
    by_content: bool = False
    item_versions: dict[str, int] = field(default_factory=dict)
    """PostHog: the version number of each live item."""


@dataclass
class Ledger:
    """What a client's acknowledged and refused writes mean for the final state."""

    owned: list[Owned] = field(default_factory=list)
    present: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    """Marker → (dataset, row id or None) of acknowledged writes to shared datasets."""
    refused: dict[str, str] = field(default_factory=dict)
    """Marker → dataset of writes answered 409: they must have left nothing."""
    unsure: set[str] = field(default_factory=set)
    """Markers of writes of unknown outcome: either outcome is fine."""
    heads: dict[str, list[str]] = field(default_factory=dict)
    """Dataset → ``expected_head`` of each acknowledged new version that named one."""
    based: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(API, dataset, version named, version answered) of acknowledged writes naming one."""
    bases: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    """Contested item → (base_version, marker) of each acknowledged update."""
    paths: dict[str, set[str]] = field(default_factory=dict)
    """Path → the dataset ids that acknowledged upserts to it answered."""
    created: dict[str, list[str]] = field(default_factory=dict)
    """Path → the dataset ids of acknowledged creates of a dataset at that path."""
    beaten: dict[str, str] = field(default_factory=dict)
    """Marker → path of creates refused because another create took the path."""
    patches: dict[tuple[str, str], str] = field(default_factory=dict)
    """(row, field) → the marker of the last acknowledged patch of that field."""
    patch_unsure: set[tuple[str, str]] = field(default_factory=set)

    def merge(self, other: Ledger) -> None:
        """Add another client's ledger to this one."""
        self.owned += other.owned
        self.present.update(other.present)
        self.refused.update(other.refused)
        self.unsure |= other.unsure
        for ds, heads in other.heads.items():
            self.heads.setdefault(ds, []).extend(heads)
        self.based += other.based
        for item, acks in other.bases.items():
            self.bases.setdefault(item, []).extend(acks)
        for path, ids in other.paths.items():
            self.paths.setdefault(path, set()).update(ids)
        for path, made in other.created.items():
            self.created.setdefault(path, []).extend(made)
        self.beaten.update(other.beaten)
        self.patches.update(other.patches)
        self.patch_unsure |= other.patch_unsure


@dataclass
class Call:
    """One write request and how it ended."""

    op: str
    dialect: str
    status: int
    seconds: float
    verdict: str
    """ok, conflict (a clean 409), expected (a 4xx the mix provokes), 5xx, unexpected."""
    sample: str = ""


@dataclass
class Fixture:
    """The shared datasets, made before the clients start, and the clients' rendezvous."""

    shared: str
    """Appended to by every client through every API."""
    items_dataset: str
    items: list[str]
    """PostHog items every client updates, naming the version it read."""
    patched: str
    arize_rows: list[str]
    """Rows every client patches through Arize, each its own column."""
    native_rows: list[str]
    """Rows every client patches natively (its own key) and some through Globant."""
    replaced: str
    """Every client patches its rows natively (its own key); client 0 also puts the whole
    set of rows back through Globant (``PUT`` with ``rows``), changing one expected answer."""
    replaced_rows: list[str]
    space: str
    rendezvous: threading.Barrier
    """Where the clients meet before each burst of simultaneous writes."""


# --- error shapes ---------------------------------------------------------------------------


def clean_error(dialect: str, response: httpx.Response) -> bool:
    """Whether an error reply is in its API's own format, with the status it has."""
    try:
        body = response.json()
    except ValueError:
        return False
    if not isinstance(body, dict):
        return False
    status = response.status_code
    if dialect == "native":
        error = body.get("error")
        return isinstance(error, dict) and {"code", "message", "details"} <= set(error)
    if dialect == "humanloop":
        detail = body.get("detail")
        return (
            isinstance(detail, dict)
            and detail.get("code") == status
            and detail.get("origin") == "Humanloop"
            and isinstance(detail.get("message"), str)
        )
    if dialect == "arize":
        return (
            response.headers.get("content-type", "").startswith("application/problem+json")
            and body.get("status") == status
            and {"type", "title", "detail", "request_id"} <= set(body)
        )
    if dialect == "geai":
        return body.get("status") == status and {"error", "message"} <= set(body)
    return {"type", "code", "detail", "attr"} <= set(body)


# --- the client -----------------------------------------------------------------------------


class Unsure(Exception):
    """A write's effect is unknown (no answer, a 5xx, an unexpected reply) or it was not made."""


class Client:
    """One writer thread's connections, random choices, ledger and calls."""

    def __init__(self, index: int, urls: list[str], fixture: Fixture, seed: int) -> None:
        self.index = index
        self.http = [
            httpx.Client(base_url=u, headers={"X-API-KEY": ADMIN}, timeout=120) for u in urls
        ]
        self.turn = index
        self.fixture = fixture
        self.rng = random.Random(seed * 1000 + index)
        self.serial = 0
        self.done = 0
        """Writes made so far."""
        self.ledger = Ledger()
        self.calls: list[Call] = []
        self.read_errors: list[tuple[int, str]] = []
        self.own: dict[str, Owned] = {}
        self.uncertain: set[str] = set()
        """Owned datasets (by API) a write of unknown outcome went to: they are not checked."""

    def close(self) -> None:
        for client in self.http:
            client.close()

    def marker(self) -> str:
        """A new marker, unique in the run."""
        self.serial += 1
        return f"mk-{self.index}-{self.serial}"

    def _next(self) -> httpx.Client:
        """The servers take turns: request ``j`` of client ``i`` goes to ``(i + j) % 2``."""
        self.turn += 1
        return self.http[self.turn % 2]

    def read(self, method: str, url: str, **kwargs: Any) -> Any:
        """A read the next write depends on; if it fails, the write is not made (Unsure)."""
        try:
            response = self._next().request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            self.read_errors.append((0, f"{method} {url}: {exc!r}"))
            raise Unsure() from exc
        if not response.is_success:
            sample = f"{method} {url}: {response.status_code} {response.text[:300]}"
            self.read_errors.append((response.status_code, sample))
            raise Unsure()
        return response.json()

    def write(
        self,
        op: str,
        dialect: str,
        method: str,
        url: str,
        *,
        conflict: bool = False,
        expected: tuple[int, ...] = (),
        **kwargs: Any,
    ) -> httpx.Response | None:
        """One counted write: the reply if acknowledged (2xx), None if refused as expected.

        ``conflict``: a 409 is a possible answer; ``expected``: other 4xx the write may get.
        Anything else (no answer, a 5xx, another status, an error body in the wrong format)
        is recorded and raises Unsure.
        """
        start = time.perf_counter()
        try:
            response = self._next().request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            seconds = time.perf_counter() - start
            self.done += 1
            self.calls.append(Call(op, dialect, 0, seconds, "unexpected", f"{url}: {exc!r}"))
            raise Unsure() from exc
        seconds = time.perf_counter() - start
        self.done += 1
        status = response.status_code
        if response.is_success:
            self.calls.append(Call(op, dialect, status, seconds, "ok"))
            return response
        sample = f"{method} {url}: {status} {response.text[:300]}"
        if status >= 500:
            verdict = "5xx"
        elif not clean_error(dialect, response):
            verdict = "unexpected"
        elif status == 409 and conflict:
            verdict = "conflict"
        elif status in expected:
            verdict = "expected"
        else:
            verdict = "unexpected"
        self.calls.append(Call(op, dialect, status, seconds, verdict, sample))
        if verdict in ("5xx", "unexpected"):
            raise Unsure()
        return None

    def last_refused(self) -> bool:
        """Whether the last write was a clean 409 (so it must have changed nothing)."""
        return self.calls[-1].verdict == "conflict"
