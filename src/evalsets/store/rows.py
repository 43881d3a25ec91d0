"""Rows of the tables turned into the core's dataclasses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from evalsets.core import content as content_mod
from evalsets.core.model import (
    ApiKey,
    Datapoint,
    Dataset,
    Environment,
    Project,
    Version,
    VersionStatus,
)


def uid_to_id(uid: bytes) -> str:
    """The public ``dp_`` id of a stored 16-byte uid."""
    return f"dp_{uid.hex()}"


def id_to_uid(ident: str) -> bytes | None:
    """The stored uid of a ``dp_`` id, or None if it is not one."""
    head, _, tail = ident.partition("_")
    if head != "dp" or len(tail) != 32:
        return None
    try:
        return bytes.fromhex(tail)
    except ValueError:
        return None


def project(row: Row[Any]) -> Project:
    return Project(id=row.id, name=row.name, created_at=row.created_at)


def api_key(row: Row[Any]) -> ApiKey:
    return ApiKey(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        prefix=row.prefix,
        scopes=tuple(row.scopes),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def environment(row: Row[Any]) -> Environment:
    return Environment(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        is_default=row.is_default,
        created_at=row.created_at,
    )


def dataset(row: Row[Any]) -> Dataset:
    return Dataset(
        id=row.id,
        project_id=row.project_id,
        path=row.path,
        name=row.name,
        description=row.description,
        type=row.type,
        readme=row.readme,
        tags=tuple(row.tags),
        attributes=dict(row.attributes),
        schema=row.json_schema,
        active=row.active,
        head_version_id=row.head_version_id,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
    )


def version(row: Row[Any], dataset_id: str) -> Version:
    return Version(
        id=row.id,
        dataset_id=dataset_id,
        number=row.number,
        seq=row.seq,
        parent_id=row.parent_id,
        status=VersionStatus(row.status),
        name=row.name,
        description=row.description,
        commit_message=row.commit_message,
        attributes=dict(row.attributes),
        author=row.author,
        datapoint_count=row.datapoint_count,
        created_at=row.created_at,
        updated_at=row.updated_at,
        committed_at=row.committed_at,
    )


def datapoint(row: Row[Any]) -> Datapoint:
    return Datapoint(
        id=uid_to_id(bytes(row.uid)),
        ordinal=row.ordinal,
        content=content_mod.loads(row.content),
        content_hash=row.content_hash,
        revision=row.from_seq,
    )
