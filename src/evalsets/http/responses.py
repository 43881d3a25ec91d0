"""JSON responses encoded with orjson."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse, Response


class OrjsonResponse(JSONResponse):
    """``application/json`` rendered by orjson (datetimes as ISO 8601, UTC)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)


class ProblemResponse(OrjsonResponse):
    """RFC 9457 ``application/problem+json``."""

    media_type = "application/problem+json"


class RawJSONResponse(Response):
    """A response whose body is already JSON bytes."""

    media_type = "application/json"
