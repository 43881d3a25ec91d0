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
    entry_id,
    input_text,
    public_id,
    text_of,
)
from evalsets.http.geai.schemas import DOC_EXTENSION, SDK_EXTENSION


def day(moment: datetime) -> str:
    """The UTC date of a moment, ``YYYY-MM-DD``."""
    return moment.date().isoformat()


def dataset(ds: Dataset, rows: Iterable[dict[str, Any]], newest: Version | None) -> dict[str, Any]:
    """A dataset with its (serialised) rows; its update date counts row writes too."""
    updated = max(ds.updated_at, newest.updated_at) if newest else ds.updated_at
    return {
        "dataSetId": public_id(ds.id),
        "dataSetName": ds.path,
        "dataSetDescription": ds.description or "",
        "dataSetType": ds.type or "",
        "dataSetActive": ds.active,
        "dataSetCreateDate": day(ds.created_at),
        "dataSetUpdateDate": day(updated),
        "rows": list(rows),
    }


def row(dp: Datapoint) -> dict[str, Any]:
    """A row as the row endpoints and the nested ``rows`` show it."""
    return row_of(dp.id, dp.content)


def _str(value: Any) -> str:
    return value if value.__class__ is str else text_of(value)


def row_of(ident: str, content: Record) -> dict[str, Any]:
    """A row from a datapoint's id and content (the hot path of big replies: kept flat)."""
    row_uuid = public_id(ident)
    sources, filters = content.get("sources"), content.get("filters")
    return {
        "dataSetRowId": row_uuid,
        "dataSetRowInput": input_text(content.get("inputs")),
        "dataSetRowExpectedAnswer": _str(content.get("expected")),
        "dataSetRowContextDocument": _str(content.get("context")),
        "expectedSources": (
            [source(e, row_uuid, i) for i, e in enumerate(sources)]
            if sources.__class__ is list
            else []
        ),
        "filterVariables": (
            [filter_variable(e, row_uuid, i) for i, e in enumerate(filters)]
            if filters.__class__ is list
            else []
        ),
    }


def _entry_id(entry: dict[str, Any], row_uuid: str, kind: str, index: int) -> str:
    ident = entry.get("id")
    return ident if ident.__class__ is str else entry_id(entry, row_uuid, kind, index)


def source(entry: object, row_uuid: str, index: int) -> dict[str, Any]:
    if not isinstance(entry, dict):
        entry = {"value": entry}
    get = entry.get
    extension = _str(get("extension", ""))
    return {
        "dataSetExpectedSourceId": _entry_id(entry, row_uuid, SOURCE, index),
        "dataSetExpectedSourceName": _str(get("name", "")),
        "dataSetExpectedSourceValue": _str(get("value", "")),
        DOC_EXTENSION: extension,
        SDK_EXTENSION: extension,
    }


def filter_variable(entry: object, row_uuid: str, index: int) -> dict[str, Any]:
    if not isinstance(entry, dict):
        entry = {"value": entry}
    get = entry.get
    return {
        "dataSetRowFilterVarId": _entry_id(entry, row_uuid, FILTER, index),
        "dataSetMetadataType": _str(get("type", "")),
        "dataSetRowFilterKey": _str(get("key", "")),
        "dataSetRowFilterValue": _str(get("value", "")),
        "dataSetRowFilterOperator": _str(get("operator", "")),
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
