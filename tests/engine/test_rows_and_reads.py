"""Row-based writes, drafts, reads of any version or moment, diff, history, restore."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from evalsets.core.engine import Engine
from evalsets.core.errors import InvalidInput, NotFound
from evalsets.core.model import VersionStatus
from evalsets.core.versioning import VersionMeta


def make(engine: Engine, n: int = 3) -> str:
    ds = engine.datasets.create(1, "rows")
    engine.data.add(1, ds.id, [{"inputs": {"i": i}} for i in range(n)])
    return ds.id


def test_row_writes_go_to_one_draft_until_committed(engine: Engine) -> None:
    ds_id = make(engine)
    draft = engine.datasets.draft(1, ds_id)
    assert draft is not None and draft.status is VersionStatus.UNCOMMITTED
    again = engine.data.add(1, ds_id, [{"inputs": {"i": 3}}])
    assert again.version.id == draft.id and not again.created
    committed = engine.datasets.commit(1, ds_id, message="first")
    assert committed.status is VersionStatus.COMMITTED
    after = engine.data.add(1, ds_id, [{"inputs": {"i": 4}}])
    assert after.created and after.version.parent_id == committed.id
    assert engine.data.page(1, ds_id, version_id=committed.id).total == 4
    assert engine.data.page(1, ds_id).total == 5


def test_duplicates_are_allowed_in_row_writes(engine: Engine) -> None:
    ds = engine.datasets.create(1, "dups")
    engine.data.add(1, ds.id, [{"inputs": {"a": 1}}, {"inputs": {"a": 1}}])
    assert engine.data.page(1, ds.id).total == 2


def test_update_merge_and_remove(engine: Engine) -> None:
    ds_id = make(engine)
    first = engine.data.page(1, ds_id).items[0]
    engine.data.update(1, ds_id, [(first.id, {"expected": "x"})], merge=True)
    assert engine.data.get(1, ds_id, first.id).content == {"inputs": {"i": 0}, "expected": "x"}
    engine.data.update(1, ds_id, [(first.id, {"expected": "y"})])
    assert engine.data.get(1, ds_id, first.id).content == {"expected": "y"}
    _, removed, missing = engine.data.remove(
        1, ds_id, [first.id, "dp_" + "0" * 32], ignore_missing=True
    )
    assert removed == [first.id] and missing == ["dp_" + "0" * 32]
    with pytest.raises(NotFound):
        engine.data.get(1, ds_id, first.id)
    with pytest.raises(NotFound):
        engine.data.remove(1, ds_id, [first.id])


def test_unchanged_update_writes_nothing(engine: Engine) -> None:
    ds_id = make(engine)
    engine.datasets.commit(1, ds_id, message="c")
    first = engine.data.page(1, ds_id).items[0]
    result = engine.data.update(1, ds_id, [(first.id, {"inputs": {"i": 0}})])
    assert not result.created
    assert len(engine.datasets.versions(1, ds_id)) == 1


def test_cursor_and_offset_pages_agree(engine: Engine) -> None:
    ds = engine.datasets.create(1, "pages")
    engine.data.import_records(1, ds.id, ({"inputs": {"i": i}} for i in range(2500)))
    by_cursor: list[int] = []
    cursor = None
    while True:
        page = engine.data.page(1, ds.id, limit=300, cursor=cursor)
        by_cursor += [d.content["inputs"]["i"] for d in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    by_offset = [
        d.content["inputs"]["i"]
        for offset in range(0, 2500, 300)
        for d in engine.data.page(1, ds.id, limit=300, offset=offset).items
    ]
    assert by_cursor == by_offset == list(range(2500))
    with pytest.raises(InvalidInput):
        engine.data.page(1, ds.id, cursor="garbage!")


def test_deep_offsets_on_an_old_version_after_removals(engine: Engine) -> None:
    ds = engine.datasets.create(1, "deep")
    first = engine.data.import_records(1, ds.id, ({"inputs": {"i": i}} for i in range(3000)))
    ids = [d.id for d in engine.data.page(1, ds.id, limit=3000).items]
    engine.data.remove(1, ds.id, ids[100:2100:2], new_version=True)
    expected = [i for i in range(3000) if not (100 <= i < 2100 and i % 2 == 0)]
    for offset in (0, 99, 100, 1024, 1500, 1999, 2047):
        page = engine.data.page(1, ds.id, offset=offset, limit=5)
        assert [d.content["inputs"]["i"] for d in page.items] == expected[offset : offset + 5]
    old = engine.data.page(1, ds.id, version_id=first.version.id, offset=2990, limit=20)
    assert [d.content["inputs"]["i"] for d in old.items] == list(range(2990, 3000))


def test_filter_and_search(engine: Engine) -> None:
    ds = engine.datasets.create(1, "find")
    engine.data.add(
        1,
        ds.id,
        [
            {"inputs": {"q": "Capital of France"}, "metadata": {"lang": "en", "n": 1}},
            {"inputs": {"q": "Hauptstadt"}, "metadata": {"lang": "de", "n": 2}},
        ],
    )
    assert [
        d.content["metadata"]["n"]
        for d in engine.data.page(1, ds.id, field="metadata.lang", value="de").items
    ] == [2]
    assert engine.data.page(1, ds.id, field="metadata.n", value=1).total == 1
    assert engine.data.page(1, ds.id, search="france").total == 1
    assert engine.data.page(1, ds.id, search="100%").total == 0


def test_diff_history_restore(engine: Engine) -> None:
    ds = engine.datasets.create(1, "diff")
    v1 = engine.data.add(
        1,
        ds.id,
        [{"inputs": {"i": i}} for i in range(4)],
        new_version=True,
        meta=VersionMeta(commit=True),
    ).version
    items = engine.data.page(1, ds.id).items
    engine.data.update(1, ds.id, [(items[0].id, {"inputs": {"i": 0}, "expected": "e"})])
    engine.data.remove(1, ds.id, [items[1].id])
    engine.data.add(1, ds.id, [{"inputs": {"i": 9}}])
    v2 = engine.datasets.commit(1, ds.id, message="edits")
    diff = engine.data.diff(1, ds.id, v1.id, v2.id)
    assert [d.content for d in diff.added] == [{"inputs": {"i": 9}}]
    assert [d.id for d in diff.removed] == [items[1].id]
    assert [(c.id, c.fields) for c in diff.changed] == [(items[0].id, ["expected"])]
    back = engine.data.diff(1, ds.id, v2.id, v1.id)
    assert [d.id for d in back.added] == [items[1].id] and len(back.removed) == 1
    history = engine.data.history(1, ds.id, items[0].id)
    assert [h.op for h in history] == ["created", "updated"]
    assert [h.op for h in engine.data.history(1, ds.id, items[1].id)] == ["created", "removed"]
    restored = engine.data.restore(1, ds.id, v1.id)
    assert restored.created and restored.version.datapoint_count == 4
    assert [d.content for d in engine.data.export(1, ds.id)] == [
        {"inputs": {"i": i}} for i in range(4)
    ]


def test_as_of_reads_the_past(engine: Engine) -> None:
    ds = engine.datasets.create(1, "time")
    engine.data.add(1, ds.id, [{"inputs": {"i": 0}}])
    time.sleep(0.02)
    middle = datetime.now(UTC)
    time.sleep(0.02)
    engine.data.add(1, ds.id, [{"inputs": {"i": 1}}])
    assert engine.data.page(1, ds.id, as_of=middle).total == 1
    assert engine.data.page(1, ds.id).total == 2
    assert engine.data.page(1, ds.id, as_of=datetime(2000, 1, 1, tzinfo=UTC)).total == 0


def test_deploy_and_environment_reads(engine: Engine) -> None:
    ds = engine.datasets.create(1, "env")
    v1 = engine.data.add(
        1, ds.id, [{"inputs": {"i": 0}}], meta=VersionMeta(commit=True), new_version=True
    ).version
    engine.data.add(1, ds.id, [{"inputs": {"i": 1}}])
    engine.admin.create_environment(1, "staging")
    engine.datasets.deploy(1, ds.id, "staging", v1.id)
    assert engine.data.page(1, ds.id, environment="staging").total == 1
    with pytest.raises(NotFound):
        engine.data.page(1, ds.id, environment="production")
    assert [d.environment.name for d in engine.datasets.deployments(1, ds.id)] == ["staging"]
    engine.datasets.undeploy(1, ds.id, "staging")
    assert engine.datasets.deployments(1, ds.id) == []


def test_version_delete_frees_name_and_hides_it(engine: Engine) -> None:
    ds, v1 = engine.data.upsert(
        1, path="named", records=[{"inputs": {}}], meta=VersionMeta(name="a")
    )
    engine.datasets.delete_version(1, ds.id, v1.version.id)
    assert engine.datasets.versions(1, ds.id) == []
    _, again = engine.data.upsert(
        1, dataset_id=ds.id, records=[{"inputs": {"x": 1}}], meta=VersionMeta(name="a")
    )
    assert again.version.name == "a"


def test_dataset_move_rename_and_soft_delete(engine: Engine) -> None:
    ds = engine.datasets.create(1, "a/b")
    moved = engine.datasets.update(1, ds.id, path="c/d")
    assert (moved.path, moved.name) == ("c/d", "d")
    renamed = engine.datasets.update(1, ds.id, name="e")
    assert renamed.path == "c/e"
    engine.datasets.delete(1, ds.id)
    with pytest.raises(NotFound):
        engine.datasets.get(1, ds.id)
    assert engine.datasets.create(1, "c/e").id != ds.id
