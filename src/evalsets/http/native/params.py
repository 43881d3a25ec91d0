"""Query parameters shared by the native read endpoints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import orjson
from fastapi import Depends, Query

from evalsets.core.errors import InvalidInput


@dataclass(frozen=True)
class At:
    """Which state of a dataset a read looks at."""

    version_id: str | None
    environment: str | None
    as_of: datetime | None

    def kwargs(self) -> dict[str, Any]:
        return {"version_id": self.version_id, "environment": self.environment, "as_of": self.as_of}


async def at(
    version_id: str | None = None,
    environment: str | None = None,
    as_of: Annotated[datetime | None, Query(description="ISO 8601 moment")] = None,
) -> At:
    """Which state a read looks at (async: no I/O, so no trip through the thread pool)."""
    if as_of is not None and as_of.tzinfo is None:
        raise InvalidInput("as_of needs a timezone (e.g. 2026-01-01T00:00:00Z)", field="as_of")
    return At(version_id, environment, as_of)


AtParams = Annotated[At, Depends(at)]


def parse_filter(raw: str | None) -> tuple[str | None, Any]:
    """``field=value`` where value is JSON (or a bare string)."""
    if raw is None:
        return None, None
    field, sep, value = raw.partition("=")
    if not sep or not field:
        raise InvalidInput("filter must look like field.path=value", field="filter")
    try:
        return field, orjson.loads(value)
    except orjson.JSONDecodeError:
        return field, value
