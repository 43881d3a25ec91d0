"""A change set: what a write does to the datapoints of its base version."""

from __future__ import annotations

from dataclasses import dataclass

from evalsets.core.content import Record


@dataclass(frozen=True)
class Add:
    """A new datapoint (a new stable id is minted unless ``id`` is given)."""

    content: Record
    content_hash: int
    id: str | None = None


@dataclass(frozen=True)
class Update:
    """New content for an existing datapoint; its id and position stay."""

    id: str
    content: Record
    content_hash: int


@dataclass(frozen=True)
class Remove:
    """A datapoint leaves the version."""

    id: str


Change = Add | Update | Remove
