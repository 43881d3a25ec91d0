"""Invariants: content hashing, import/export round trips, atomic imports."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalsets.core import content
from evalsets.core.engine import Engine
from evalsets.core.errors import InvalidInput
from evalsets.core.versioning import VersionMeta
from evalsets.store.store import Store
from tests.backends import Templates

json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
datapoints = st.fixed_dictionaries(
    {"inputs": st.dictionaries(st.text(max_size=5), json_values, max_size=3)},
    optional={
        "expected": json_values.filter(lambda v: v is not None),
        "metadata": st.dictionaries(st.text(max_size=5), json_values, max_size=2),
        "messages": st.lists(
            st.fixed_dictionaries({"role": st.just("user"), "content": st.text(max_size=10)}),
            max_size=2,
        ),
        "custom": json_values.filter(lambda v: v is not None),
    },
)


def _shuffled(value: Any, seed: int) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        items = items[seed % max(len(items), 1) :] + items[: seed % max(len(items), 1)]
        return {k: _shuffled(v, seed + 1) for k, v in reversed(items)}
    if isinstance(value, list):
        return [_shuffled(v, seed) for v in value]
    return value


@given(datapoints, st.integers(0, 10))
def test_hash_ignores_key_order(record: dict[str, Any], seed: int) -> None:
    shuffled = _shuffled(record, seed)
    assert shuffled == record
    assert content.content_hash(shuffled) == content.content_hash(record)


@given(datapoints)
def test_hash_sees_every_value(record: dict[str, Any]) -> None:
    changed = {**record, "inputs": {**record["inputs"], "_dedupe_id": "other"}}
    assert content.content_hash(changed) != content.content_hash(record)


@settings(max_examples=15, deadline=None)
@given(records=st.lists(datapoints, max_size=30))
def test_export_of_import_is_identity_sqlite(
    templates: Templates, records: list[dict[str, Any]]
) -> None:
    """A private SQLite store per example (hypothesis and function fixtures do not mix)."""
    with tempfile.TemporaryDirectory() as tmp, templates.database("sqlite", Path(tmp)) as url:
        store = Store(url)
        try:
            _roundtrip(Engine(store), records)
        finally:
            store.close()


def _roundtrip(engine: Engine, records: list[dict[str, Any]]) -> None:
    engine.admin.bootstrap(None)
    ds = engine.datasets.create(1, "roundtrip")
    if records:
        engine.data.import_records(1, ds.id, iter(records))
    exported = [d.content for d in engine.data.export(1, ds.id)]
    assert exported == [content.normalize(r) for r in records]


def test_export_of_import_is_identity(engine: Engine) -> None:
    records: list[dict[str, Any]] = [
        {"inputs": {"q": "é\u0000\U0001f600", "n": 1.5}, "expected": [1, {"a": None}], "x": True},
        {"messages": [{"role": "user", "content": "hi"}], "metadata": {}, "context": "doc"},
    ]
    _roundtrip(engine, records)


def _state(engine: Engine, dataset_id: str) -> tuple[int, int, str | None]:
    versions = engine.datasets.versions(
        1, dataset_id, statuses=["uncommitted", "committed", "deleted"]
    )
    newest = engine.datasets.newest(1, dataset_id)
    return len(versions), engine.data.page(1, dataset_id).total, newest.id if newest else None


def test_failed_import_leaves_no_trace(engine: Engine) -> None:
    ds = engine.datasets.create(1, "atomic")
    engine.data.import_records(
        1, ds.id, ({"inputs": {"i": i}} for i in range(100)), meta=VersionMeta(commit=True)
    )
    before = _state(engine, ds.id)

    def bad_record_at(n: int) -> Iterator[object]:
        for i in range(n):
            yield {"inputs": {"i": i}}
        yield "not an object"

    with pytest.raises(InvalidInput, match="record 12001"):
        engine.data.import_records(1, ds.id, bad_record_at(12_000))
    assert _state(engine, ds.id) == before

    class Boom(Exception):
        pass

    def exploding() -> Iterator[object]:
        for i in range(7_000):
            yield {"inputs": {"i": i}}
        raise Boom

    with pytest.raises(Boom):
        engine.data.import_records(1, ds.id, exploding(), replace=True)
    assert _state(engine, ds.id) == before
    with pytest.raises(Boom):
        engine.data.import_records(1, ds.id, exploding(), into_draft=True)
    assert _state(engine, ds.id) == before
    assert [d.content["inputs"]["i"] for d in engine.data.export(1, ds.id)] == list(range(100))


def test_replace_import(engine: Engine) -> None:
    ds = engine.datasets.create(1, "replace")
    first = engine.data.import_records(1, ds.id, ({"inputs": {"i": i}} for i in range(10)))
    engine.data.import_records(1, ds.id, ({"inputs": {"j": i}} for i in range(3)), replace=True)
    assert [d.content for d in engine.data.export(1, ds.id)] == [
        {"inputs": {"j": i}} for i in range(3)
    ]
    assert engine.data.page(1, ds.id, version_id=first.version.id).total == 10
