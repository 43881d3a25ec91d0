"""Globant shapes onto the canonical datapoint fields, and ids onto plain UUIDs.

=========================== ===========================================
Globant                     canonical
=========================== ===========================================
``dataSetRowInput``         ``inputs`` (a string ``s`` ↔ ``{"input": s}``)
``dataSetRowExpectedAnswer`` ``expected``
``dataSetRowContextDocument`` ``context`` (``""`` means none)
``expectedSources``         ``sources``: ``{"id", "name", "value", "extension"}``
``filterVariables``         ``filters``: ``{"id", "type", "key", "value", "operator"}``
=========================== ===========================================
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import orjson

from evalsets.core.content import Record
from evalsets.core.errors import InvalidInput, NotFound
from evalsets.core.ids import DATAPOINT, DATASET, from_uuid, to_uuid
from evalsets.http.geai.schemas import FilterIn, RowIn, SourceIn

SOURCE = "source"
FILTER = "filter"
_FIELDS = {"input": "inputs", "expected": "expected", "context": "context"}


# --- ids --------------------------------------------------------------------------------


def _internal(raw: str, prefix: str, kind: str) -> str:
    """The prefixed id of a path parameter (a UUID, or the prefixed form); NotFound if neither."""
    try:
        if raw.startswith(prefix + "_"):
            to_uuid(raw, prefix)
            return raw
        return from_uuid(raw, prefix)
    except InvalidInput:
        raise NotFound(kind, raw) from None


def dataset_id(raw: str) -> str:
    """The ``ds_`` id of a ``dataSetId``."""
    return _internal(raw, DATASET, "dataSet")


def row_id(raw: str) -> str:
    """The ``dp_`` id of a ``dataSetRowId``."""
    return _internal(raw, DATAPOINT, "dataSetRow")


def public_id(ident: str) -> str:
    """The plain UUID of a prefixed id (``ds_…``, ``dp_…``)."""
    prefix = ident.partition("_")[0]
    return str(to_uuid(ident, prefix))


def entry_id(entry: object, row_uuid: str, kind: str, index: int) -> str:
    """The id of a source or filter entry: its own, else one derived from its place."""
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        return str(entry["id"])
    return str(uuid.uuid5(uuid.UUID(row_uuid), f"{kind}:{index}"))


def _fresh_id(given: str | None, used: set[str]) -> str:
    """Keep a client's UUID if it is one and not taken yet, else mint one."""
    if given:
        try:
            value = str(uuid.UUID(given))
        except ValueError:
            value = ""
        if value and value not in used:
            used.add(value)
            return value
    minted = str(uuid.uuid4())
    used.add(minted)
    return minted


# --- into canonical ---------------------------------------------------------------------


def inputs_of(value: Any) -> dict[str, Any] | None:
    """``inputs`` from ``dataSetRowInput``: a string s ↔ ``{"input": s}``; objects as they are."""
    if value is None:
        return None
    if isinstance(value, dict):
        return value
    return {"input": value}


def context_of(value: Any) -> Any:
    return None if value == "" else value


def source_entry(src: SourceIn, used: set[str]) -> Record:
    entry: Record = {"id": _fresh_id(src.id, used)}
    for key in ("name", "value", "extension"):
        value = getattr(src, key)
        if value is not None:
            entry[key] = value
    return entry


def filter_entry(flt: FilterIn, used: set[str]) -> Record:
    entry: Record = {"id": _fresh_id(flt.id, used)}
    for key in ("type", "key", "value", "operator"):
        value = getattr(flt, key)
        if value is not None:
            entry[key] = value
    return entry


def sources_of(items: Iterable[SourceIn]) -> list[Record]:
    used: set[str] = set()
    return [source_entry(s, used) for s in items]


def filters_of(items: Iterable[FilterIn]) -> list[Record]:
    used: set[str] = set()
    return [filter_entry(f, used) for f in items]


def row_content(row: RowIn, *, require: bool = False) -> Record:
    """The canonical content of a new row."""
    if require and (row.input is None or row.expected is None):
        raise InvalidInput("dataSetRowInput and dataSetRowExpectedAnswer are required")
    content: Record = {}
    inputs = inputs_of(row.input)
    if inputs is not None:
        content["inputs"] = inputs
    if row.expected is not None:
        content["expected"] = row.expected
    context = context_of(row.context)
    if context is not None:
        content["context"] = context
    if row.sources:
        content["sources"] = sources_of(row.sources)
    if row.filters:
        content["filters"] = filters_of(row.filters)
    return content


def row_patch(row: RowIn, current: Record, *, replace: bool = False) -> Record:
    """The top-level changes a row update makes (None removes a field).

    Partial by default (fields left out stay); with ``replace`` every Globant field is taken
    from ``row``. A field sent back exactly as this dialect shows it changes nothing, so a
    row read from here and written back keeps canonical values Globant cannot express.
    """
    given = set(_FIELDS) | {"sources", "filters"} if replace else row.model_fields_set
    shown = row_fields(current)
    patch: Record = {}
    for name, canonical in _FIELDS.items():
        if name not in given:
            continue
        value = getattr(row, name)
        if value == shown[name]:
            continue
        if name == "input":
            patch[canonical] = inputs_of(value)
        elif name == "context":
            patch[canonical] = context_of(value)
        else:
            patch[canonical] = value
    if "sources" in given:
        patch["sources"] = sources_of(row.sources or []) or None
    if "filters" in given:
        patch["filters"] = filters_of(row.filters or []) or None
    return patch


# --- out of canonical -------------------------------------------------------------------


def text_of(value: Any) -> str:
    """A canonical value as the string Globant documents (JSON text if it is not one)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def input_text(inputs: Any) -> str:
    if isinstance(inputs, dict) and len(inputs) == 1 and isinstance(inputs.get("input"), str):
        return str(inputs["input"])
    return text_of(inputs)


def row_fields(content: Record) -> dict[str, str]:
    """How the three text fields of a row are shown."""
    return {
        "input": input_text(content.get("inputs")),
        "expected": text_of(content.get("expected")),
        "context": text_of(content.get("context")),
    }


def entries(content: Record, kind: str) -> list[Any]:
    """The source or filter entries of a datapoint (a list, whatever was stored)."""
    found = content.get("sources" if kind == SOURCE else "filters")
    return found if isinstance(found, list) else []


def find_entry(content: Record, kind: str, row_uuid: str, wanted: str) -> int:
    """The index of the entry with id ``wanted``; NotFound if there is none."""
    try:
        wanted = str(uuid.UUID(wanted))
    except ValueError:
        pass
    for index, entry in enumerate(entries(content, kind)):
        if entry_id(entry, row_uuid, kind, index) == wanted:
            return index
    raise NotFound(
        "dataSetExpectedSource" if kind == SOURCE else "dataSetRowFilterVariable", wanted
    )
