"""JSON responses encoded with orjson."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse, Response


class OrjsonResponse(JSONResponse):
    """``application/json`` rendered by orjson (datetimes as ISO 8601, UTC)."""

    def render(self, content: Any) -> bytes:
        try:
            return orjson.dumps(content, option=_OPTIONS)
        except orjson.JSONEncodeError:
            # An error message may echo client text with unpaired surrogates (valid in JSON
            # escapes, not encodable as UTF-8): send them as "?" rather than fail with a 500.
            return orjson.dumps(_scrub(content), option=_OPTIONS)


_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def _scrub(value: Any) -> Any:
    """The value with every string made encodable as UTF-8 (unpaired surrogates become "?")."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode()
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


class ProblemResponse(OrjsonResponse):
    """RFC 9457 ``application/problem+json``."""

    media_type = "application/problem+json"


class RawJSONResponse(Response):
    """A response whose body is already JSON bytes."""

    media_type = "application/json"
