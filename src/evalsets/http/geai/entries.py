"""Expected sources and filter variables of a row: entries of its ``sources``/``filters`` list.

Each write edits the row's list in the draft. Entries written elsewhere without an id get
one here, derived from their place, and keep it from the first write through this dialect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request

from evalsets.core import content as content_mod
from evalsets.core.content import Record
from evalsets.core.engine import Engine
from evalsets.core.model import Datapoint
from evalsets.http.auth import Principal, engine_of
from evalsets.http.geai import mapping
from evalsets.http.geai import serializers as out
from evalsets.http.geai.common import JsonBody, Reader, Writer, meta

router = APIRouter(tags=["globant expected sources and filter variables"])
ROW = "/dataSet/{dataSetId}/dataSetRow/{dataSetRowId}"


@dataclass(frozen=True)
class Kind:
    """What differs between expected sources and filter variables."""

    name: str
    field: str
    keys: dict[str, tuple[str, ...]]
    show: Callable[[object, str, int], dict[str, Any]]
    label: str


SOURCES = Kind(mapping.SOURCE, "sources", mapping.SOURCE_KEYS, out.source, "Expected source")
FILTERS = Kind(
    mapping.FILTER, "filters", mapping.FILTER_KEYS, out.filter_variable, "Filter variable"
)


@dataclass(frozen=True)
class Target:
    """A row and its entries of one kind, ids made explicit."""

    engine: Engine
    principal: Principal
    dataset_id: str
    row: Datapoint
    row_uuid: str
    items: list[Any]


def _target(request: Request, principal: Principal, ds: str, row: str, kind: Kind) -> Target:
    engine = engine_of(request)
    dataset_id = mapping.dataset_id(ds)
    found = engine.data.get(principal.project_id, dataset_id, mapping.row_id(row))
    row_uuid = mapping.public_id(found.id)
    return Target(
        engine, principal, dataset_id, found, row_uuid, _items(found.content, row_uuid, kind)
    )


def _items(content: Record, row_uuid: str, kind: Kind) -> list[Any]:
    """The row's entries of this kind, each with its id."""
    return [
        {**e, "id": mapping.entry_id(e, row_uuid, kind.name, i)} if isinstance(e, dict) else e
        for i, e in enumerate(mapping.entries(content, kind.name))
    ]


def _show(target: Target, kind: Kind, items: list[Any], index: int) -> dict[str, Any]:
    body = kind.show(items[index], target.row_uuid, index)
    return out.standalone(body, target.dataset_id, target.row_uuid)


def _save(target: Target, kind: Kind, change: Callable[[list[Any]], int]) -> tuple[list[Any], int]:
    """Change the row's entries as they are in the write transaction (so a concurrent change
    of the same row is kept); ``change`` edits the list in place and returns an index.

    Returns the entries written and that index.
    """
    done: list[tuple[list[Any], int]] = []

    def edit(content: Record) -> Record:
        items = _items(content, target.row_uuid, kind)
        index = change(items)
        done[:] = [(items, index)]
        return content_mod.merge(content, {kind.field: items or None})

    target.engine.data.edit(
        target.principal.project_id,
        target.dataset_id,
        [(target.row.id, edit)],
        meta=meta(target.principal),
    )
    return done[0]


def _create(
    request: Request, principal: Principal, ds: str, row: str, body: Any, kind: Kind
) -> Any:
    target = _target(request, principal, ds, row, kind)
    fields = mapping.read_entry(body, kind.keys, kind.label.lower())
    fields.pop("id", None)

    def append(items: list[Any]) -> int:
        used = {str(e["id"]) for e in items if isinstance(e, dict)}
        items.append(mapping.new_entry(dict(fields), used))
        return len(items) - 1

    items, index = _save(target, kind, append)
    return _show(target, kind, items, index)


def _list(request: Request, principal: Principal, ds: str, row: str, kind: Kind) -> Any:
    target = _target(request, principal, ds, row, kind)
    return [_show(target, kind, target.items, i) for i in range(len(target.items))]


def _get(request: Request, principal: Principal, ds: str, row: str, ident: str, kind: Kind) -> Any:
    target = _target(request, principal, ds, row, kind)
    index = mapping.find_entry(target.row.content, kind.name, target.row_uuid, ident)
    return _show(target, kind, target.items, index)


def _update(
    request: Request, principal: Principal, ds: str, row: str, ident: str, body: Any, kind: Kind
) -> Any:
    target = _target(request, principal, ds, row, kind)
    mapping.find_entry(target.row.content, kind.name, target.row_uuid, ident)
    fields = mapping.read_entry(body, kind.keys, kind.label.lower())
    fields.pop("id", None)

    def replace(items: list[Any]) -> int:
        index = _find(items, kind, target.row_uuid, ident)
        old = items[index]
        entry: Record = (
            dict(old)
            if isinstance(old, dict)
            else {"id": mapping.entry_id(old, target.row_uuid, kind.name, index), "value": old}
        )
        entry.update(fields)
        items[index] = entry
        return index

    items, index = _save(target, kind, replace)
    return _show(target, kind, items, index)


def _delete(
    request: Request, principal: Principal, ds: str, row: str, ident: str, kind: Kind
) -> Any:
    target = _target(request, principal, ds, row, kind)
    mapping.find_entry(target.row.content, kind.name, target.row_uuid, ident)

    def drop(items: list[Any]) -> int:
        index = _find(items, kind, target.row_uuid, ident)
        del items[index]
        return index

    _save(target, kind, drop)
    return out.message(f"{kind.label} deleted successfully")


def _find(items: list[Any], kind: Kind, row_uuid: str, ident: str) -> int:
    """The index of entry ``ident`` in a list made by ``_items``; NotFound if it is gone."""
    return mapping.find_entry({kind.field: items}, kind.name, row_uuid, ident)


def _routes(kind: Kind, one: str, many: str, param: str) -> None:
    """The five endpoints of one kind (plus the singular list path the docs also show)."""
    base, item = f"{ROW}/{one}", f"{ROW}/{one}/{{{param}}}"

    @router.post(base, name=f"create_{kind.field}")
    def create(
        dataSetId: str, dataSetRowId: str, body: JsonBody, request: Request, principal: Writer
    ) -> Any:
        return _create(request, principal, dataSetId, dataSetRowId, body, kind)

    @router.get(f"{ROW}/{many}", name=f"list_{kind.field}")
    @router.get(base, name=f"list_{kind.field}_singular", include_in_schema=False)
    def listing(dataSetId: str, dataSetRowId: str, request: Request, principal: Reader) -> Any:
        return _list(request, principal, dataSetId, dataSetRowId, kind)

    @router.get(item, name=f"get_{kind.field}")
    def get(dataSetId: str, dataSetRowId: str, request: Request, principal: Reader) -> Any:
        ident = request.path_params[param]
        return _get(request, principal, dataSetId, dataSetRowId, ident, kind)

    @router.put(item, name=f"update_{kind.field}")
    def update(
        dataSetId: str,
        dataSetRowId: str,
        body: JsonBody,
        request: Request,
        principal: Writer,
    ) -> Any:
        ident = request.path_params[param]
        return _update(request, principal, dataSetId, dataSetRowId, ident, body, kind)

    @router.delete(item, name=f"delete_{kind.field}")
    def delete(dataSetId: str, dataSetRowId: str, request: Request, principal: Writer) -> Any:
        ident = request.path_params[param]
        return _delete(request, principal, dataSetId, dataSetRowId, ident, kind)


_routes(SOURCES, "dataSetRowExpectedSource", "dataSetRowExpectedSources", "dataSetExpectedSourceId")
_routes(FILTERS, "dataSetRowFilterVariable", "dataSetRowFilterVariables", "dataSetRowFilterVarId")
