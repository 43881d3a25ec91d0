"""The upsert body, parsed fast: orjson, then a plain check of each datapoint.

An upsert may carry 100,000 datapoints; validating them as pydantic models and dumping them
back costs more than storing them. Errors still come out as FastAPI's 422 list, with the
``loc`` of the offending field.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from evalsets.core.content import Record
from evalsets.formats.humanloop import to_record
from evalsets.http.humanloop.schemas import ROLES, UpsertOptions

Loc = tuple[str | int, ...]


def _error(kind: str, loc: Loc, msg: str, value: Any = None) -> dict[str, Any]:
    return {"type": kind, "loc": ("body", *loc), "msg": msg, "input": value}


def parse_upsert(raw: bytes) -> tuple[UpsertOptions, list[Record]]:
    """The options and the canonical records of an upsert; RequestValidationError if bad."""
    try:
        data = orjson.loads(raw) if raw else None
    except orjson.JSONDecodeError as exc:
        raise RequestValidationError(
            [_error("json_invalid", (exc.pos,), "JSON decode error", {})]
        ) from None
    if not isinstance(data, dict):
        raise RequestValidationError(
            [_error("model_attributes_type", (), "Input should be a valid dictionary", data)]
        )
    errors: list[dict[str, Any]] = []
    options = _options({k: v for k, v in data.items() if k != "datapoints"}, errors)
    records = _records(data.get("datapoints", _MISSING), errors)
    if errors or options is None:
        raise RequestValidationError(errors)
    return options, records


_MISSING: Any = object()


def _options(values: dict[str, Any], errors: list[dict[str, Any]]) -> UpsertOptions | None:
    try:
        return UpsertOptions.model_validate(values)
    except ValidationError as exc:
        for err in exc.errors():
            errors.append(_error(err["type"], tuple(err["loc"]), err["msg"], err.get("input")))
        return None


def _records(datapoints: Any, errors: list[dict[str, Any]]) -> list[Record]:
    if datapoints is _MISSING:
        errors.append(_error("missing", ("datapoints",), "Field required"))
        return []
    if not isinstance(datapoints, list):
        errors.append(_error("list_type", ("datapoints",), "Input should be a valid list"))
        return []
    records = []
    for index, datapoint in enumerate(datapoints):
        if _well_formed(datapoint):
            records.append(to_record(datapoint))
        else:
            _explain(datapoint, ("datapoints", index), errors)
    return records


def _well_formed(datapoint: Any) -> bool:
    """The fast check of one datapoint; ``_explain`` says what is wrong when it fails."""
    if not isinstance(datapoint, dict):
        return False
    inputs, target = datapoint.get("inputs"), datapoint.get("target")
    if not (inputs is None or isinstance(inputs, dict)):
        return False
    if not (target is None or isinstance(target, dict)):
        return False
    messages = datapoint.get("messages")
    if messages is None:
        return True
    if not isinstance(messages, list):
        return False
    for message in messages:
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            return False
    return True


def _explain(datapoint: Any, loc: Loc, errors: list[dict[str, Any]]) -> None:
    """Add what is wrong with a datapoint to ``errors``, located as FastAPI would."""
    if not isinstance(datapoint, dict):
        errors.append(_error("dict_type", loc, "Input should be a valid dictionary", datapoint))
        return
    for name in ("inputs", "target"):
        value = datapoint.get(name)
        if value is not None and not isinstance(value, dict):
            errors.append(_error("dict_type", (*loc, name), "Input should be a valid dictionary"))
    messages = datapoint.get("messages")
    if messages is not None:
        if not isinstance(messages, list):
            errors.append(_error("list_type", (*loc, "messages"), "Input should be a valid list"))
        else:
            for number, message in enumerate(messages):
                _check_message(message, (*loc, "messages", number), errors)


def _check_message(message: Any, loc: Loc, errors: list[dict[str, Any]]) -> None:
    if not isinstance(message, dict):
        errors.append(_error("dict_type", loc, "Input should be a valid dictionary", message))
    elif "role" not in message:
        errors.append(_error("missing", (*loc, "role"), "Field required"))
    elif message["role"] not in ROLES:
        allowed = ", ".join(f"'{r}'" for r in ROLES)
        errors.append(
            _error("literal_error", (*loc, "role"), f"Input should be {allowed}", message["role"])
        )
