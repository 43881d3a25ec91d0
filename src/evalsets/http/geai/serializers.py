"""The core's objects as Globant JSON.

Dates are date-only strings (``"2025-05-12"``, UTC), as the real server returns them. Rows
always carry ``expectedSources`` and ``filterVariables`` (empty lists when there are none),
as the documentation shows. Expected sources carry both spellings of the extension.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from evalsets.core.content import Record
from evalsets.core.model import Datapoint, Dataset, Version
from evalsets.http.geai.mapping import (
    FILTER,
    SOURCE,
    entries,
    entry_id,
    input_text,
    public_id,
    text_of,
)
from evalsets.http.geai.schemas import DOC_EXTENSION, SDK_EXTENSION


def day(moment: datetime) -> str:
    """The UTC date of a moment, ``YYYY-MM-DD``."""
    return moment.date().isoformat()


def dataset(ds: Dataset, rows: Iterable[Datapoint], newest: Version | None) -> dict[str, Any]:
    """A dataset with its rows; its update date counts row writes too."""
    updated = max(ds.updated_at, newest.updated_at) if newest else ds.updated_at
    return {
        "dataSetId": public_id(ds.id),
        "dataSetName": ds.path,
        "dataSetDescription": ds.description or "",
        "dataSetType": ds.type or "",
        "dataSetActive": ds.active,
        "dataSetCreateDate": day(ds.created_at),
        "dataSetUpdateDate": day(updated),
        "rows": [row(dp) for dp in rows],
    }


def row(dp: Datapoint) -> dict[str, Any]:
    """A row as the row endpoints and the nested ``rows`` show it."""
    row_uuid = public_id(dp.id)
    content = dp.content
    expected, context = content.get("expected"), content.get("context")
    return {
        "dataSetRowId": row_uuid,
        "dataSetRowInput": input_text(content.get("inputs")),
        "dataSetRowExpectedAnswer": expected if isinstance(expected, str) else text_of(expected),
        "dataSetRowContextDocument": context if isinstance(context, str) else text_of(context),
        "expectedSources": [
            source(e, row_uuid, i) for i, e in enumerate(entries(dp.content, SOURCE))
        ],
        "filterVariables": [
            filter_variable(e, row_uuid, i) for i, e in enumerate(entries(dp.content, FILTER))
        ],
    }


def _texts(entry: object, keys: tuple[str, ...]) -> list[str]:
    """The entry's values for ``keys`` as strings ("" when missing); hot in big replies."""
    if entry.__class__ is not dict:
        return [text_of(entry) if k == "value" else "" for k in keys]
    get = entry.get
    found = [get(k, "") for k in keys]
    return [v if v.__class__ is str else text_of(v) for v in found]


_SOURCE_KEYS = ("name", "value", "extension")
_FILTER_KEYS = ("type", "key", "value", "operator")


def source(entry: object, row_uuid: str, index: int) -> dict[str, Any]:
    name, value, extension = _texts(entry, _SOURCE_KEYS)
    return {
        "dataSetExpectedSourceId": entry_id(entry, row_uuid, SOURCE, index),
        "dataSetExpectedSourceName": name,
        "dataSetExpectedSourceValue": value,
        DOC_EXTENSION: extension,
        SDK_EXTENSION: extension,
    }


def filter_variable(entry: object, row_uuid: str, index: int) -> dict[str, Any]:
    kind, key, value, operator = _texts(entry, _FILTER_KEYS)
    return {
        "dataSetRowFilterVarId": entry_id(entry, row_uuid, FILTER, index),
        "dataSetMetadataType": kind,
        "dataSetRowFilterKey": key,
        "dataSetRowFilterValue": value,
        "dataSetRowFilterOperator": operator,
    }


def standalone(body: dict[str, Any], dataset_id: str, row_uuid: str) -> dict[str, Any]:
    """A source or filter variable as its own endpoints show it (with its parents' ids)."""
    return {**body, "dataSetId": public_id(dataset_id), "dataSetRowId": row_uuid}


def message(text: str) -> dict[str, str]:
    """The JSON body of a successful delete (pygeai parses every reply)."""
    return {"message": text}


def upload_summary(count: int) -> dict[str, Any]:
    """The reply to a row file upload (one of the two forms the documentation shows)."""
    return {"success": True, "totalRowsUploaded": count, "errors": []}


def content_row(ident: str, content: Record, ordinal: int = 0) -> Datapoint:
    """A datapoint made from content the dialect just wrote (no read back needed)."""
    return Datapoint(id=ident, ordinal=ordinal, content=content, content_hash=0, revision=0)
