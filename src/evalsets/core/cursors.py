"""Opaque keyset cursors."""

from __future__ import annotations

import base64

from evalsets.core.errors import InvalidInput


def encode(ordinal: int) -> str:
    """The cursor of the page after the datapoint at this position."""
    return base64.urlsafe_b64encode(f"o:{ordinal}".encode()).decode().rstrip("=")


def decode(cursor: str) -> int:
    """The position a cursor points after; InvalidInput if it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        kind, _, value = text.partition(":")
        if kind != "o":
            raise ValueError(kind)
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("invalid cursor", field="cursor") from None
