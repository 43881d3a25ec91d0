"""Time, in one place (UTC, timezone-aware)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current moment in UTC."""
    return datetime.now(UTC)
