"""Copying a vendor's datasets into evalsets: every dataset, version and datapoint, in order.

Each version becomes one evalsets version (committed as the vendor's was), with the vendor's
name, commit message and description, and ``evalsets.migrated_from`` =
``"<vendor>:<vendor version id>"`` in its attributes; running a migration again copies only
the versions not copied yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from evalsets.sdk.client import Client
from evalsets.sdk.errors import Conflict
from evalsets.sdk.models import Version
from evalsets.sdk.vendors import VendorDataset, reader

MIGRATED_FROM = "evalsets.migrated_from"


@dataclass
class Migrated:
    """What the migration of one dataset did."""

    path: str
    dataset_id: str
    copied: list[Version] = field(default_factory=list)
    skipped: int = 0
    deployed: list[str] = field(default_factory=list)


def migrate(
    target: Client,
    vendor: str,
    url: str,
    key: str,
    *,
    prefix: str = "",
    only: Callable[[VendorDataset], bool] | None = None,
    options: dict[str, str] | None = None,
) -> Iterator[Migrated]:
    """Migrate every dataset of a vendor account (read at ``url`` with ``key``)."""
    for dataset in reader(vendor, url, key, **(options or {})):
        if only is None or only(dataset):
            yield migrate_dataset(target, vendor, dataset, prefix=prefix)


def migrate_dataset(
    target: Client, vendor: str, dataset: VendorDataset, *, prefix: str = ""
) -> Migrated:
    """Copy one vendor dataset's versions that are not in evalsets yet, oldest first."""
    path = f"{prefix.strip('/')}/{dataset.path}" if prefix else dataset.path
    ds = target.ensure_dataset(
        path,
        description=dataset.description,
        tags=dataset.tags or None,
        attributes=dataset.attributes or None,
    )
    known: dict[str, Version] = {}
    for version in target.versions(ds, statuses=["uncommitted", "committed"]):
        origin = version.attributes.get(MIGRATED_FROM)
        if isinstance(origin, str):
            known[origin] = version
    result = Migrated(ds.path, ds.id)
    for theirs in dataset.versions:
        origin = f"{vendor}:{theirs.id}"
        if origin in known and known[origin].committed == theirs.committed:
            result.skipped += 1
            continue
        if origin in known:
            target.delete_version(ds, known[origin].id)
        copied = target.import_records(
            ds, theirs.records(), mode="replace", commit=theirs.committed, message=theirs.message
        )
        attributes = {**copied.attributes, MIGRATED_FROM: origin}
        try:
            copied = target.update_version(
                ds,
                copied.id,
                name=theirs.name,
                description=theirs.description,
                attributes=attributes,
            )
        except Conflict:
            copied = target.update_version(ds, copied.id, attributes=attributes)
        known[origin] = copied
        result.copied.append(copied)
    for environment, version_id in dataset.deployments.items():
        mine = known.get(f"{vendor}:{version_id}")
        if mine is not None:
            target.deploy(ds, environment, mine.id)
            result.deployed.append(environment)
    return result
