"""Identifiers: prefixed, time-ordered (UUIDv7 layout) and convertible to plain UUIDs."""

from __future__ import annotations

import os
import time
import uuid

from evalsets.core.errors import InvalidInput

DATASET = "ds"
VERSION = "dsv"
DATAPOINT = "dp"
ENVIRONMENT = "env"
API_KEY = "key"


def uuid7() -> uuid.UUID:
    """A UUID version 7: 48 bits of Unix milliseconds then random bits (RFC 9562)."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & 0xFFFF_FFFF_FFFF) << 80 | rand
    value &= ~(0xF << 76)
    value |= 0x7 << 76
    value &= ~(0x3 << 62)
    value |= 0x2 << 62
    return uuid.UUID(int=value)


def uuid7_batch(count: int) -> list[bytes]:
    """``count`` UUIDv7 values as 16 bytes each: one timestamp, a random base, then sequential.

    Consecutive values make index inserts local; the 30 random bits of the base plus the
    12 random bits beside the timestamp keep separate batches from colliding.
    """
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(8), "big")
    head = (ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | (rand & 0xFFF) << 64 | 0x2 << 62
    base = (rand >> 12 & 0x3FFF_FFFF) << 32
    return [(head | base | i).to_bytes(16, "big") for i in range(count)]


def new_id(prefix: str) -> str:
    """A new id such as ``dp_0190f5…`` (prefix, underscore, 32 hex digits)."""
    return f"{prefix}_{uuid7().hex}"


def to_uuid(ident: str, prefix: str) -> uuid.UUID:
    """The UUID inside a prefixed id; raises InvalidInput for anything else."""
    head, _, tail = ident.partition("_")
    if head != prefix or len(tail) != 32:
        raise InvalidInput(f"not a valid {prefix}_ id: {ident!r}")
    try:
        return uuid.UUID(hex=tail)
    except ValueError:
        raise InvalidInput(f"not a valid {prefix}_ id: {ident!r}") from None


def from_uuid(value: str | uuid.UUID, prefix: str) -> str:
    """The prefixed id of a UUID (its string form or the object)."""
    try:
        parsed = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise InvalidInput(f"not a valid UUID: {value!r}") from None
    return f"{prefix}_{parsed.hex}"


def is_id(value: str, prefix: str) -> bool:
    """Whether ``value`` is a well-formed id with this prefix."""
    try:
        to_uuid(value, prefix)
    except InvalidInput:
        return False
    return True
