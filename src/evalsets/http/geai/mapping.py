"""Globant shapes onto the canonical datapoint fields, and ids onto plain UUIDs.

============================= =============================================
Globant                       canonical
============================= =============================================
``dataSetRowInput``           ``inputs`` (a string ``s`` ↔ ``{"input": s}``)
``dataSetRowExpectedAnswer``  ``expected``
``dataSetRowContextDocument`` ``context`` (``""`` means none)
``expectedSources``           ``sources``: ``{"id", "name", "value", "extension"}``
``filterVariables``           ``filters``: ``{"id", "type", "key", "value", "operator"}``
============================= =============================================

Rows are read by hand rather than through pydantic: a file upload holds 100,000 of them.
"""

from __future__ import annotations

import itertools
import random
import uuid
from typing import Any

import orjson

from evalsets.core.content import Record
from evalsets.core.errors import InvalidInput, NotFound
from evalsets.core.ids import DATAPOINT, DATASET, from_uuid, to_uuid
from evalsets.http.geai.schemas import DOC_EXTENSION, SDK_EXTENSION

SOURCE = "source"
FILTER = "filter"

ROW_KEYS = {
    "id": "dataSetRowId",
    "input": "dataSetRowInput",
    "expected": "dataSetRowExpectedAnswer",
    "context": "dataSetRowContextDocument",
    "sources": "expectedSources",
    "filters": "filterVariables",
}
SOURCE_KEYS: dict[str, tuple[str, ...]] = {
    "id": ("dataSetExpectedSourceId",),
    "name": ("dataSetExpectedSourceName",),
    "value": ("dataSetExpectedSourceValue",),
    "extension": (DOC_EXTENSION, SDK_EXTENSION, "dataSetExpectedSourceExtention"),
}
FILTER_KEYS: dict[str, tuple[str, ...]] = {
    "id": ("dataSetRowFilterVarId",),
    "type": ("dataSetMetadataType",),
    "key": ("dataSetRowFilterKey",),
    "value": ("dataSetRowFilterValue",),
    "operator": ("dataSetRowFilterOperator",),
}
_TEXT = {"input": "inputs", "expected": "expected", "context": "context"}


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
    """The plain UUID of a prefixed id (``ds_…``, ``dp_…``): its 32 hex digits, dashed."""
    h = ident.partition("_")[2]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def entry_id(entry: object, row_uuid: str, kind: str, index: int) -> str:
    """The id of a source or filter entry: its own, else one derived from its place."""
    if isinstance(entry, dict):
        own = entry.get("id")
        if isinstance(own, str):
            return own
    return str(uuid.uuid5(uuid.UUID(row_uuid), f"{kind}:{index}"))


def _prefix() -> str:
    h = f"{random.SystemRandom().getrandbits(72):018x}"
    return f"{h[:8]}-{h[8:12]}-4{h[12:15]}-{'89ab'[int(h[15], 16) & 3]}{h[15:18]}-"


_PREFIX = _prefix()
_COUNTER = itertools.count()


def _minted() -> str:
    """A new entry id: a UUID (version 4 layout) of a random per-process prefix and a counter.

    Entry ids only name an entry inside its row; this costs a fraction of ``uuid.uuid4()``,
    which matters when a file upload mints 200,000 of them.
    """
    return f"{_PREFIX}{next(_COUNTER) & 0xFFFF_FFFF_FFFF:012x}"


def _fresh_id(given: str, used: set[str]) -> str:
    """Keep a client's UUID if it is one and not taken yet, else mint one."""
    if given:
        try:
            value = str(uuid.UUID(given))
        except ValueError:
            value = ""
        if value and value not in used:
            used.add(value)
            return value
    minted = _minted()
    while minted in used:
        minted = _minted()
    used.add(minted)
    return minted


# --- reading client JSON ----------------------------------------------------------------


def _where(what: str, index: int | None) -> str:
    return what if index is None else f"{what}[{index}]"


def read_entry(
    obj: object, keys: dict[str, tuple[str, ...]], what: str, index: int | None = None
) -> dict[str, str]:
    """A source or filter variable as canonical key → string (only the fields given)."""
    if not isinstance(obj, dict):
        raise InvalidInput(f"{_where(what, index)} must be a JSON object")
    entry: dict[str, str] = {}
    get = obj.get
    for name, aliases in keys.items():
        for alias in aliases:
            value = get(alias)
            if value is not None:
                if value.__class__ is not str:
                    raise InvalidInput(f"{_where(what, index)}.{alias} must be a string")
                entry[name] = value
                break
    return entry


def read_row(obj: object, what: str, index: int | None = None) -> dict[str, Any]:
    """A row as short key → value, for the keys the client sent (null included)."""
    if not isinstance(obj, dict):
        raise InvalidInput(f"{_where(what, index)} must be a JSON object")
    row = {name: obj[alias] for name, alias in ROW_KEYS.items() if alias in obj}
    ident = row.get("id")
    if ident is not None and not isinstance(ident, str):
        raise InvalidInput(f"{_where(what, index)}.dataSetRowId must be a string")
    for name in ("sources", "filters"):
        value = row.get(name)
        if value is not None and not isinstance(value, list):
            raise InvalidInput(f"{_where(what, index)}.{ROW_KEYS[name]} must be an array")
    return row


def read_rows(value: object, what: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise InvalidInput(f"{what} must be a JSON array")
    return [read_row(item, what, index) for index, item in enumerate(value)]


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


def new_entry(fields: dict[str, str], used: set[str]) -> Record:
    """A stored source or filter entry: its id first, then the fields given."""
    given = fields.pop("id", None)
    entry: Record = {"id": _fresh_id(given or "", used)}
    entry.update(fields)
    return entry


def entries_of(items: list[Any], kind: str, what: str) -> list[Record]:
    """Stored entries from the client's ``expectedSources``/``filterVariables``.

    The hot loop of a file upload: each entry is built in one pass, with a fresh id unless
    the client sent one.
    """
    keys = SOURCE_KEYS if kind == SOURCE else FILTER_KEYS
    used: set[str] = set()
    result: list[Record] = []
    for index, item in enumerate(items):
        if item.__class__ is not dict:
            raise InvalidInput(f"{what}[{index}] must be a JSON object")
        get = item.get
        given = get(keys["id"][0])
        entry: Record = {"id": _minted() if given is None else None}
        for name, aliases in keys.items():
            for alias in aliases:
                value = get(alias)
                if value is not None:
                    if value.__class__ is not str:
                        raise InvalidInput(f"{what}[{index}].{alias} must be a string")
                    entry[name] = value
                    break
        if given is not None:
            entry["id"] = _fresh_id(entry["id"], used)
        result.append(entry)
    return result


def row_content(
    row: dict[str, Any], what: str = "row", index: int | None = None, *, require: bool = False
) -> Record:
    """The canonical content of a new row."""
    if require and (row.get("input") is None or row.get("expected") is None):
        raise InvalidInput(
            f"{_where(what, index)}: dataSetRowInput and dataSetRowExpectedAnswer are required"
        )
    if index is not None and (row.get("sources") or row.get("filters")):
        what = _where(what, index)
    content: Record = {}
    inputs = inputs_of(row.get("input"))
    if inputs is not None:
        content["inputs"] = inputs
    if row.get("expected") is not None:
        content["expected"] = row["expected"]
    context = context_of(row.get("context"))
    if context is not None:
        content["context"] = context
    if row.get("sources"):
        content["sources"] = entries_of(row["sources"], SOURCE, f"{what}.expectedSources")
    if row.get("filters"):
        content["filters"] = entries_of(row["filters"], FILTER, f"{what}.filterVariables")
    return content


def contents_of(value: object, what: str, *, require: bool) -> list[Record]:
    """The canonical contents of a list of new rows (a file upload's), read in one pass."""
    if not isinstance(value, list):
        raise InvalidInput(f"{what} must be a JSON array")
    return [
        row_content(read_row(item, what, index), what, index, require=require)
        for index, item in enumerate(value)
    ]


def row_patch(
    row: dict[str, Any], current: Record, what: str = "row", *, replace: bool = False
) -> Record:
    """The top-level changes a row update makes (None removes a field).

    Partial by default (fields left out stay); with ``replace`` every Globant field is taken
    from ``row``. A field sent back exactly as this dialect shows it changes nothing, so a
    row read from here and written back keeps canonical values Globant cannot express.
    """
    given = set(ROW_KEYS) if replace else set(row)
    shown = row_fields(current)
    patch: Record = {}
    for name, canonical in _TEXT.items():
        if name not in given:
            continue
        value = row.get(name)
        if value == shown[name]:
            continue
        if name == "input":
            patch[canonical] = inputs_of(value)
        elif name == "context":
            patch[canonical] = context_of(value)
        else:
            patch[canonical] = value
    if "sources" in given:
        patch["sources"] = entries_of(row.get("sources") or [], SOURCE, what) or None
    if "filters" in given:
        patch["filters"] = entries_of(row.get("filters") or [], FILTER, what) or None
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
    """``dataSetRowInput``: the value of ``{"input": value}``, else the JSON text of ``inputs``."""
    if isinstance(inputs, dict) and len(inputs) == 1 and "input" in inputs:
        only = inputs["input"]
        return only if isinstance(only, str) else text_of(only)
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
