"""Copying a dataset's committed versions from one evalsets server to another.

Each copied version carries ``evalsets.origin`` (the id of the version it came from) in its
attributes, so a second push or pull copies only the versions the other side lacks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from evalsets.sdk.client import Client
from evalsets.sdk.models import Dataset, Version

ORIGIN = "evalsets.origin"


def origin_of(version: Version) -> str:
    """The id a version is known by across servers (its origin's, or its own)."""
    found = version.attributes.get(ORIGIN)
    return found if isinstance(found, str) else version.id


@dataclass
class SyncResult:
    """What a push or pull did."""

    dataset: Dataset
    copied: list[Version] = field(default_factory=list)
    skipped: int = 0
    deployed: list[str] = field(default_factory=list)


def sync(
    source: Client,
    target: Client,
    dataset: str,
    *,
    path: str | None = None,
    on_version: Callable[[Version], None] | None = None,
) -> SyncResult:
    """Copy the committed versions of ``dataset`` that ``target`` lacks, oldest first.

    The target dataset is found (or created) at ``path`` (default: the source's path).
    Deployments whose versions exist on both sides are mirrored.
    """
    origin = source.dataset(dataset)
    there = target.find_dataset(path or origin.path)
    if there is None:
        there = target.create_dataset(
            path or origin.path,
            description=origin.description,
            tags=origin.tags,
            attributes=origin.attributes,
            schema=origin.schema,
            type=origin.type,
            readme=origin.readme,
        )
    known = {origin_of(v): v for v in target.versions(there)}
    result = SyncResult(there)
    mine = [v for v in reversed(source.versions(origin)) if v.committed]
    for version in mine:
        identity = origin_of(version)
        if identity in known:
            result.skipped += 1
            continue
        copied = target.import_bytes(
            there,
            source.export(origin, version=version.id),
            mode="replace",
            commit=True,
            message=version.commit_message,
        )
        copied = target.update_version(
            there,
            copied.id,
            name=version.name,
            description=version.description,
            attributes={**version.attributes, ORIGIN: identity},
        )
        known[identity] = copied
        result.copied.append(copied)
        if on_version:
            on_version(copied)
    by_id = {v.id: origin_of(v) for v in mine}
    for deployment in source.deployments(origin):
        twin = known.get(by_id.get(deployment.version_id, ""))
        if twin is not None:
            target.deploy(there, deployment.environment, twin.id)
            result.deployed.append(deployment.environment)
    return result
