"""``/v2/datasets/{id}/tags`` (alpha): Arize tags are the dataset's evalsets tags.

A tag's id is ``base64("Tag:<project>:<tag text>")``; any such id of the caller's space names a
tag (tags need no separate creation in evalsets).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from evalsets.core.errors import InvalidInput
from evalsets.core.model import Dataset
from evalsets.http.arize import ids
from evalsets.http.arize import serializers as out
from evalsets.http.arize.schemas import TagIds
from evalsets.http.auth import Principal, engine_of, read_access, write_access

router = APIRouter()
Reader = Annotated[Principal, Depends(read_access)]
Writer = Annotated[Principal, Depends(write_access)]


def _tags(ds: Dataset) -> dict[str, Any]:
    tags = [
        {
            "id": ids.tag_id(ds.project_id, tag),
            "name": tag,
            "description": None,
            "color": None,
            "space_id": ids.space_id(ds.project_id),
            "created_at": ds.created_at,
            "updated_at": ds.updated_at,
        }
        for tag in ds.tags
    ]
    return {"tags": tags, "pagination": out.pagination(None)}


def _names(tag_ids: list[str], project_id: int) -> list[str]:
    names = []
    for tag_id in tag_ids:
        name = ids.parse_tag(tag_id, project_id)
        if name is None:
            raise InvalidInput(f"tag {tag_id} does not exist in this space", field="tag_ids")
        names.append(name)
    return names


@router.get("/datasets/{dataset_id}/tags")
def list_tags(dataset_id: str, request: Request, principal: Reader) -> dict[str, Any]:
    native = ids.parse_dataset(dataset_id, principal.project_id)
    return _tags(engine_of(request).datasets.get(principal.project_id, native))


@router.post("/datasets/{dataset_id}/tags")
def add_tags(dataset_id: str, body: TagIds, request: Request, principal: Writer) -> dict[str, Any]:
    """Attach tags (idempotent); the dataset's whole tag list comes back."""
    engine = engine_of(request)
    native = ids.parse_dataset(dataset_id, principal.project_id)
    ds = engine.datasets.get(principal.project_id, native)
    names = _names(body.tag_ids, principal.project_id)
    tags = list(dict.fromkeys([*ds.tags, *names]))
    return _tags(engine.datasets.update(principal.project_id, native, tags=tags))


@router.delete("/datasets/{dataset_id}/tags")
def remove_tags(
    dataset_id: str, body: TagIds, request: Request, principal: Writer
) -> dict[str, Any]:
    """Detach tags; ids not attached are reported in ``not_deleted``."""
    engine = engine_of(request)
    native = ids.parse_dataset(dataset_id, principal.project_id)
    ds = engine.datasets.get(principal.project_id, native)
    attached = {ids.tag_id(ds.project_id, t): t for t in ds.tags}
    deleted = [t for t in dict.fromkeys(body.tag_ids) if t in attached]
    if deleted:
        gone = {attached[t] for t in deleted}
        engine.datasets.update(
            principal.project_id, native, tags=[t for t in ds.tags if t not in gone]
        )
    not_deleted = [t for t in body.tag_ids if t not in set(deleted)]
    return {"completed": not not_deleted, "deleted": deleted, "not_deleted": not_deleted}
