"""Humanloop datapoints ↔ canonical records (``target`` ↔ ``expected``).

One mapping for the Humanloop dialect (``http/humanloop``) and the SDK's Humanloop reader
(``sdk/vendors/humanloop``), so a dataset migrated from Humanloop reads the same through every
dialect. Humanloop's ``target`` is always an object; the canonical ``expected`` may be anything
(other dialects store plain strings). The mapping is a bijection:

- an object ``expected`` is the ``target`` itself;
- any other ``expected`` value ``x`` is shown as ``{"value": x}``, and a ``target`` that is
  exactly ``{"value": x}`` with ``x`` not an object is stored as ``x``.

``inputs`` and ``messages`` map to themselves; other keys are kept as they are.
"""

from __future__ import annotations

from typing import Any

VALUE_KEY = "value"


def expected_of(target: Any) -> Any:
    """The canonical ``expected`` value of a Humanloop ``target`` (a non-object stays as it is)."""
    if isinstance(target, dict) and len(target) == 1 and VALUE_KEY in target:
        inner = target[VALUE_KEY]
        if inner is not None and not isinstance(inner, dict):
            return inner
    return target


def target_of(expected: Any) -> dict[str, Any]:
    """The Humanloop ``target`` of a canonical ``expected`` value."""
    if isinstance(expected, dict):
        return expected
    return {VALUE_KEY: expected}


def to_record(datapoint: dict[str, Any]) -> dict[str, Any]:
    """A canonical record from a Humanloop datapoint (``id`` left out; the core drops nulls)."""
    record = {k: v for k, v in datapoint.items() if k not in ("id", "target", "expected")}
    target = datapoint.get("target")
    if target is not None:
        record["expected"] = expected_of(target)
    return record
