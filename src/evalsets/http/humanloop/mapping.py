"""Stored datapoints as Humanloop's ``DatapointResponse``.

The ``target`` ↔ ``expected`` mapping itself, shared with the SDK, is in
:mod:`evalsets.formats.humanloop`.
"""

from __future__ import annotations

from typing import Any

from evalsets.core.model import Datapoint
from evalsets.formats.humanloop import target_of


def datapoint_response(datapoint: Datapoint) -> dict[str, Any]:
    """``DatapointResponse``: ``id``, ``inputs``, ``messages``, ``target`` and any other keys."""
    body: dict[str, Any] = {"id": datapoint.id}
    for key, value in datapoint.content.items():
        if key == "expected":
            body["target"] = target_of(value)
        elif key not in ("id", "target"):
            body[key] = value
    return body
