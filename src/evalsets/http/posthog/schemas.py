"""Request parsing with DRF's rules and messages: each bad field is a 400 naming its ``attr``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from evalsets.http.posthog import mapping
from evalsets.http.posthog.errors import invalid, required

ORDERINGS = ("created_at", "-created_at", "updated_at", "-updated_at")
DATASET_FIELDS = ("name", "description", "metadata", "tags", "deleted")
ITEM_FIELDS = (
    "input",
    "output",
    "expected_output",
    "metadata",
    *mapping.TRACE_FIELDS,
)
_TIMESTAMPS = ("ref_timestamp", "source_timestamp")
_TEXTS = tuple(f for f in mapping.TRACE_FIELDS if f not in _TIMESTAMPS and f != "source_output")


def body_object(body: Any) -> dict[str, Any]:
    """The JSON body as an object (an absent body is an empty one)."""
    if body is None:
        return {}
    if not isinstance(body, dict):
        kind = type(body).__name__
        raise invalid("non_field_errors", f"Invalid data. Expected a dictionary, but got {kind}.")
    return body


#: The largest integer a query or body number may be (the database's BIGINT).
MAX_INT = 2**63 - 1


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default


def limit_offset(request: Request, default: int = 100, maximum: int = 1000) -> tuple[int, int]:
    """DRF's ``LimitOffsetPagination`` parameters (bad values fall back to the defaults)."""
    limit = _int(request.query_params.get("limit"), default)
    limit = default if limit <= 0 else min(limit, maximum)
    offset = min(max(_int(request.query_params.get("offset"), 0), 0), MAX_INT // 2)
    return limit, offset


def query_bool(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    return boolean(raw, name)


def boolean(value: Any, attr: str) -> bool:
    """DRF's ``BooleanField``: true/false, their strings, 1/0."""
    if isinstance(value, bool):
        return value
    if value in ("true", "True", "1", 1):
        return True
    if value in ("false", "False", "0", 0):
        return False
    raise invalid(attr, "Must be a valid boolean.")


def positive(value: Any, attr: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(attr, "A valid integer is required.")
    if value < 1:
        raise invalid(attr, "Ensure this value is greater than or equal to 1.", "min_value")
    if value > MAX_INT:
        raise invalid(attr, f"Ensure this value is less than or equal to {MAX_INT}.", "max_value")
    return value


def ordering(request: Request) -> tuple[str, bool]:
    """``order_by`` (comma-separated; the first key decides) as (column, descending)."""
    raw = request.query_params.get("order_by")
    if not raw:
        return "created_at", True
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys or any(k not in ORDERINGS for k in keys):
        raise invalid(
            "order_by", f"Select a valid choice. {raw} is not one of the available choices."
        )
    return keys[0].lstrip("-"), keys[0].startswith("-")


def tag_names(value: Any, attr: str = "tags") -> list[str]:
    """Tags trimmed, lowercased, deduplicated and sorted."""
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise invalid(attr, "Expected a list of items.", "not_a_list")
    cleaned = {t.strip().lower() for t in value}
    if "" in cleaned or any(len(t) > 255 for t in cleaned):
        raise invalid(attr, "Each tag must be a nonblank string of at most 255 characters.")
    return sorted(cleaned)


def query_tags(request: Request) -> list[str] | None:
    raw = request.query_params.get("tags")
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        value = [t for t in raw.split(",") if t.strip()]
    return tag_names(value)


def _text(body: dict[str, Any], name: str, maximum: int, *, blank: bool) -> str | None:
    value = body[name]
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise invalid(name, "Not a valid string.")
    text = str(value)
    if not blank and not text.strip():
        raise invalid(name, "This field may not be blank.", "blank")
    if len(text) > maximum:
        raise invalid(
            name, f"Ensure this field has no more than {maximum} characters.", "max_length"
        )
    return text


def dataset_changes(body: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """The dataset fields a create (``partial=False``), PUT or PATCH sets."""
    if not partial and "name" not in body:
        raise required("name")
    changes: dict[str, Any] = {}
    if "name" in body:
        name = _text(body, "name", 400, blank=False)
        if name is None:
            raise invalid("name", "This field may not be null.", "null")
        changes["name"] = name
    if "description" in body:
        changes["description"] = _text(body, "description", 10_000, blank=True)
    if "metadata" in body:
        changes["metadata"] = body["metadata"]
    if "tags" in body:
        changes["tags"] = tag_names(body["tags"] if body["tags"] is not None else [])
    if "deleted" in body:
        changes["deleted"] = boolean(body["deleted"], "deleted")
    return changes


def timestamp(value: Any, attr: str) -> str | None:
    """An ISO 8601 datetime with a time zone (naive ones are UTC), as ``…Z``."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise invalid(
            attr,
            "Datetime has wrong format. Use one of these formats instead: "
            "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat().replace("+00:00", "Z")


def item_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The item content fields present in a body, checked."""
    fields: dict[str, Any] = {}
    for name in ITEM_FIELDS:
        if name not in body:
            continue
        if name in _TIMESTAMPS:
            fields[name] = timestamp(body[name], name)
        elif name in _TEXTS:
            fields[name] = _text(body, name, 255, blank=name != "client_item_id")
        else:
            fields[name] = body[name]
    return fields


def dataset_ref(value: Any, attr: str = "dataset") -> str:
    """A dataset id from a body or query UUID."""
    if value is None:
        raise required(attr)
    parsed = mapping.parse_uuid(value)
    if parsed is None:
        raise invalid(attr, "Must be a valid UUID.")
    return mapping.dataset_id(parsed)
