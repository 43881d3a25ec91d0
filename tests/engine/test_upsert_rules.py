"""Humanloop's set-based rules, on both backends."""

from __future__ import annotations

import pytest

from evalsets.core.engine import Engine
from evalsets.core.errors import InvalidInput, NameTaken, NotFound, StaleVersion, VersionCommitted
from evalsets.core.model import VersionStatus
from evalsets.core.versioning import VersionMeta

QA = [
    {"inputs": {"q": "2+2"}, "expected": {"a": "4"}},
    {"inputs": {"q": "3+3"}, "expected": {"a": "6"}},
]


def contents(
    engine: Engine, dataset_id: str, version_id: str | None = None
) -> list[dict[str, object]]:
    return [d.content for d in engine.data.export(1, dataset_id, version_id=version_id)]


def test_upsert_creates_dataset_and_committed_version(engine: Engine) -> None:
    ds, result = engine.data.upsert(
        1, path="folder/qa", records=QA, meta=VersionMeta(commit=True, message="m")
    )
    assert (ds.path, ds.name) == ("folder/qa", "qa")
    assert result.created and result.version.status is VersionStatus.COMMITTED
    assert result.version.commit_message == "m"
    assert result.version.datapoint_count == 2
    assert contents(engine, ds.id) == QA


def test_set_with_identical_content_creates_no_version(engine: Engine) -> None:
    ds, first = engine.data.upsert(1, path="qa", records=QA)
    _, again = engine.data.upsert(1, path="qa", records=list(reversed(QA)))
    assert not again.created and again.version.id == first.version.id
    assert len(engine.datasets.versions(1, ds.id)) == 1


def test_set_keeps_ids_of_unchanged_datapoints(engine: Engine) -> None:
    ds, first = engine.data.upsert(1, path="qa", records=QA)
    before = {d.id for d in engine.data.export(1, ds.id)}
    _, second = engine.data.upsert(1, path="qa", records=[QA[0], {"inputs": {"q": "new"}}])
    after = list(engine.data.export(1, ds.id, version_id=second.version.id))
    assert second.created and len(after) == 2
    assert after[0].id in before and after[1].id not in before
    assert len(contents(engine, ds.id, version_id=first.version.id)) == 2


def test_add_ignores_duplicates_unless_dedupe_id_differs(engine: Engine) -> None:
    ds, first = engine.data.upsert(1, path="qa", records=QA)
    _, same = engine.data.upsert(1, dataset_id=ds.id, action="add", records=[QA[0], QA[0]])
    assert not same.created and same.version.id == first.version.id
    twin = {"inputs": {**QA[0]["inputs"], "_dedupe_id": "x"}, "expected": {"a": "4"}}
    _, added = engine.data.upsert(1, dataset_id=ds.id, action="add", records=[twin, QA[1]])
    assert added.created and added.version.datapoint_count == 3


def test_add_nothing_creates_nothing(engine: Engine) -> None:
    ds, first = engine.data.upsert(
        1, path="qa", records=QA, meta=VersionMeta(commit=True, message="v1")
    )
    _, again = engine.data.upsert(1, path="qa", action="add", records=[])
    assert not again.created and again.version.id == first.version.id
    assert len(engine.datasets.versions(1, ds.id)) == 1


def test_remove_takes_matching_datapoints_out(engine: Engine) -> None:
    ds, _ = engine.data.upsert(1, path="qa", records=QA)
    _, removed = engine.data.upsert(1, dataset_id=ds.id, action="remove", records=[QA[0]])
    assert removed.created and contents(engine, ds.id) == [QA[1]]
    _, nothing = engine.data.upsert(1, dataset_id=ds.id, action="remove", records=[QA[0]])
    assert not nothing.created


def test_add_is_based_on_the_given_version_or_environment(engine: Engine) -> None:
    ds, v1 = engine.data.upsert(
        1, path="qa", records=[QA[0]], meta=VersionMeta(commit=True, message="1")
    )
    engine.data.upsert(
        1, dataset_id=ds.id, records=[{"inputs": {"q": "other"}}], meta=VersionMeta(commit=True)
    )
    extra = {"inputs": {"q": "extra"}}
    _, from_v1 = engine.data.upsert(
        1, dataset_id=ds.id, action="add", version_id=v1.version.id, records=[extra]
    )
    assert contents(engine, ds.id, version_id=from_v1.version.id) == [QA[0], extra]
    engine.datasets.deploy(1, ds.id, "production", v1.version.id)
    _, from_env = engine.data.upsert(
        1, dataset_id=ds.id, action="add", environment="production", records=[QA[1]]
    )
    assert contents(engine, ds.id, version_id=from_env.version.id) == [QA[0], QA[1]]


def test_default_base_is_the_deployed_version(engine: Engine) -> None:
    ds, v1 = engine.data.upsert(1, path="qa", records=[QA[0]], meta=VersionMeta(commit=True))
    engine.data.upsert(
        1, dataset_id=ds.id, records=[{"inputs": {"q": "x"}}], meta=VersionMeta(commit=True)
    )
    engine.datasets.deploy(1, ds.id, "production", v1.version.id)
    _, added = engine.data.upsert(1, dataset_id=ds.id, action="add", records=[QA[1]])
    assert contents(engine, ds.id, version_id=added.version.id) == QA


def test_committing_a_committed_version_is_an_error(engine: Engine) -> None:
    ds, v1 = engine.data.upsert(
        1, path="qa", records=QA, meta=VersionMeta(commit=True, message="a")
    )
    with pytest.raises(VersionCommitted):
        engine.datasets.commit(1, ds.id, v1.version.id, message="again")
    with pytest.raises(VersionCommitted):
        engine.data.upsert(
            1, dataset_id=ds.id, records=QA, meta=VersionMeta(commit=True, message="b")
        )


def test_identical_upsert_with_message_commits_an_uncommitted_version(engine: Engine) -> None:
    ds, v1 = engine.data.upsert(1, path="qa", records=QA)
    _, again = engine.data.upsert(
        1, dataset_id=ds.id, records=QA, meta=VersionMeta(commit=True, message="c")
    )
    assert again.version.id == v1.version.id and again.version.status is VersionStatus.COMMITTED


def test_version_names_are_unique_per_dataset(engine: Engine) -> None:
    ds, _ = engine.data.upsert(1, path="qa", records=[QA[0]], meta=VersionMeta(name="v1"))
    with pytest.raises(NameTaken):
        engine.data.upsert(1, dataset_id=ds.id, records=QA, meta=VersionMeta(name="v1"))
    assert len(engine.datasets.versions(1, ds.id)) == 1
    other, _ = engine.data.upsert(1, path="other", records=QA, meta=VersionMeta(name="v1"))
    assert other.id != ds.id


def test_stale_expected_head_is_a_conflict_and_changes_nothing(engine: Engine) -> None:
    ds, v1 = engine.data.upsert(1, path="qa", records=[QA[0]])
    engine.data.upsert(1, dataset_id=ds.id, records=QA)
    with pytest.raises(StaleVersion):
        engine.data.upsert(
            1, dataset_id=ds.id, action="add", records=[{"inputs": {}}], expected_head=v1.version.id
        )
    assert len(engine.datasets.versions(1, ds.id)) == 2


def test_invalid_records_are_rejected_whole(engine: Engine) -> None:
    ds, v1 = engine.data.upsert(1, path="qa", records=QA)
    with pytest.raises(InvalidInput):
        engine.data.upsert(
            1, dataset_id=ds.id, action="add", records=[{"inputs": {"q": "ok"}}, "not an object"]
        )
    with pytest.raises(InvalidInput):
        engine.data.upsert(
            1, dataset_id=ds.id, action="add", records=[{"inputs": ["not", "object"]}]
        )
    assert engine.datasets.newest(1, ds.id) == v1.version


def test_schema_is_enforced(engine: Engine) -> None:
    from evalsets.core.datasets import DatasetFields

    schema = {
        "type": "object",
        "required": ["inputs"],
        "properties": {"inputs": {"type": "object"}},
    }
    ds = engine.datasets.create(1, "strict", DatasetFields(schema=schema))
    with pytest.raises(InvalidInput):
        engine.data.add(1, ds.id, [{"expected": 1}])
    result = engine.data.add(1, ds.id, [{"inputs": {"a": 1}}])
    assert result.version.datapoint_count == 1


def test_other_project_sees_nothing(engine: Engine) -> None:
    ds, v1 = engine.data.upsert(1, path="qa", records=QA)
    other = engine.admin.create_project("other")
    with pytest.raises(NotFound):
        engine.datasets.get(other.id, ds.id)
    with pytest.raises(NotFound):
        engine.data.page(other.id, ds.id)
    with pytest.raises(NotFound):
        engine.data.add(other.id, ds.id, [{"inputs": {}}])
    with pytest.raises(NotFound):
        engine.datasets.deploy(other.id, ds.id, "production", v1.version.id)
    assert engine.datasets.page(other.id) == ([], 0)
