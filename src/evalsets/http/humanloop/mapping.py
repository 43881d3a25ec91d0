"""Humanloop datapoints ↔ canonical records (``target`` ↔ ``expected``).

Humanloop's ``target`` is always an object; the canonical ``expected`` may be anything (other
dialects store plain strings). The mapping is a bijection:

- an object ``expected`` is the ``target`` itself;
- any other ``expected`` value ``x`` is shown as ``{"value": x}``, and a ``target`` that is
  exactly ``{"value": x}`` with ``x`` not an object is stored as ``x``.

``inputs`` and ``messages`` map to themselves; other keys are kept as they are.
"""

from __future__ import annotations

from typing import Any

from evalsets.core.content import Record
from evalsets.core.model import Datapoint

VALUE_KEY = "value"


def expected_of(target: dict[str, Any]) -> Any:
    """The canonical ``expected`` value of a Humanloop ``target``."""
    if len(target) == 1 and VALUE_KEY in target:
        inner = target[VALUE_KEY]
        if inner is not None and not isinstance(inner, dict):
            return inner
    return target


def target_of(expected: Any) -> dict[str, Any]:
    """The Humanloop ``target`` of a canonical ``expected`` value."""
    if isinstance(expected, dict):
        return expected
    return {VALUE_KEY: expected}


def to_record(datapoint: dict[str, Any]) -> Record:
    """A canonical record from a Humanloop datapoint (a plain dict; the core drops nulls)."""
    record = dict(datapoint)
    target = record.pop("target", None)
    record.pop("expected", None)
    record.pop("id", None)
    if target is not None:
        record["expected"] = expected_of(target)
    return record


def datapoint_response(datapoint: Datapoint) -> dict[str, Any]:
    """``DatapointResponse``: ``id``, ``inputs``, ``messages``, ``target`` and any other keys."""
    body: dict[str, Any] = {"id": datapoint.id}
    for key, value in datapoint.content.items():
        if key == "expected":
            body["target"] = target_of(value)
        elif key not in ("id", "target"):
            body[key] = value
    return body
