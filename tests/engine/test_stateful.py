"""A random sequence of writes, commits, deploys, restores and reads agrees with a plain model.

The model is an independent, naive implementation of the versioning rules on Python lists. After
every step, random old versions, diffs and past moments are read from the store and compared.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from evalsets.core.content import canonical_json
from evalsets.core.engine import Engine
from evalsets.core.errors import NotFound, VersionCommitted
from evalsets.core.versioning import VersionMeta
from evalsets.store.store import Store
from tests.backends import Templates

Item = tuple[str, dict[str, Any]]
records = st.builds(
    lambda q, a, d: {
        "inputs": {"q": q, **({"_dedupe_id": d} if d else {})},
        **({"expected": a} if a else {}),
    },
    st.sampled_from(["a", "b", "c", "d"]),
    st.sampled_from([None, "x", "y"]),
    st.sampled_from([None, None, "1"]),
)


@dataclass
class ModelVersion:
    id: str
    number: int
    status: str
    items: list[Item]


@dataclass
class Model:
    versions: list[ModelVersion] = field(default_factory=list)
    deployed: str | None = None
    moments: list[tuple[datetime, list[Item]]] = field(default_factory=list)

    def live(self) -> list[ModelVersion]:
        return [v for v in self.versions if v.status != "deleted"]

    def newest(self) -> ModelVersion | None:
        live = self.live()
        return live[-1] if live else None

    def draft(self) -> ModelVersion | None:
        newest = self.newest()
        return newest if newest and newest.status == "uncommitted" else None

    def by_id(self, version_id: str) -> ModelVersion:
        return next(v for v in self.versions if v.id == version_id)

    def head_items(self) -> list[Item]:
        """The state the last write left: every write goes to the newest live version."""
        newest = self.newest()
        return list(newest.items) if newest else []


def key(content: dict[str, Any]) -> bytes:
    return canonical_json(content)


class VersioningMachine(RuleBasedStateMachine):
    def __init__(self, templates: Templates, backend: str, workdir: Path) -> None:
        super().__init__()
        self.templates, self.backend, self.workdir = templates, backend, workdir
        self.model = Model()

    @initialize()
    def setup(self) -> None:
        folder = self.workdir / str(time.monotonic_ns())
        folder.mkdir()
        self._db = self.templates.database(self.backend, folder)
        self.url = self._db.__enter__()
        self.store = Store(self.url)
        self.engine = Engine(self.store)
        self.engine.admin.bootstrap(None)
        self.ds = self.engine.datasets.create(1, "machine").id

    def teardown(self) -> None:
        if hasattr(self, "store"):
            self.store.close()
            self._db.__exit__(None, None, None)

    def _moment(self) -> None:
        self.model.moments.append((datetime.now(UTC), self.model.head_items()))

    def _new_version(self, result: Any, items: list[Item], commit: bool) -> None:
        self.model.versions.append(
            ModelVersion(
                result.version.id,
                result.version.number,
                "committed" if commit else "uncommitted",
                items,
            )
        )

    # --- writes ---

    @rule(data=st.data(), action=st.sampled_from(["set", "add", "remove"]), commit=st.booleans())
    def upsert(self, data: st.DataObject, action: str, commit: bool) -> None:
        posted = data.draw(st.lists(records, max_size=5))
        base_choice = data.draw(st.sampled_from(["default", "version", "environment"]))
        base_id = env = None
        if action == "set":
            base = self.model.newest()
        elif base_choice == "version" and self.model.live():
            base = data.draw(st.sampled_from(self.model.live()))
            base_id = base.id
        elif base_choice == "environment" and self.model.deployed:
            base, env = self.model.by_id(self.model.deployed), "production"
        else:
            base = (
                self.model.by_id(self.model.deployed)
                if self.model.deployed
                else self.model.newest()
            )
        unique: dict[bytes, dict[str, Any]] = {}
        for record in posted:
            unique.setdefault(key(record), record)
        base_items = list(base.items) if base else []
        kept, adds, removed = self._plan(action, base_items, list(unique.values()))
        meta = VersionMeta(commit=commit, message="m" if commit else None)
        try:
            _, result = self.engine.data.upsert(
                1,
                dataset_id=self.ds,
                records=posted,
                action=action,  # type: ignore[arg-type]
                version_id=base_id,
                environment=env,
                meta=meta,
            )
        except VersionCommitted:
            assert (
                base is not None
                and not adds
                and not removed
                and commit
                and base.status == "committed"
            )
            return
        if not adds and not removed and base is not None:
            assert not result.created and result.version.id == base.id
            if commit:
                base.status = "committed"
            return
        assert result.created
        items = kept + list(zip(result.datapoint_ids, adds, strict=True))
        self._new_version(result, items, commit)
        self._moment()

    @staticmethod
    def _plan(
        action: str, base: list[Item], posted: list[dict[str, Any]]
    ) -> tuple[list[Item], list[dict[str, Any]], list[Item]]:
        if action == "set":
            remaining = list(base)
            adds = []
            for record in posted:
                match = next((item for item in remaining if key(item[1]) == key(record)), None)
                if match is None:
                    adds.append(record)
                else:
                    remaining.remove(match)
            removed = remaining
            return [i for i in base if i not in removed], adds, removed
        present = {key(c) for _, c in base}
        if action == "add":
            return list(base), [r for r in posted if key(r) not in present], []
        gone = {key(r) for r in posted}
        removed = [i for i in base if key(i[1]) in gone]
        return [i for i in base if i not in removed], [], removed

    def _draft_items(self) -> tuple[ModelVersion | None, list[Item]]:
        draft = self.model.draft()
        if draft is not None:
            return draft, draft.items
        newest = self.model.newest()
        return None, list(newest.items) if newest else []

    def _row_write(self, result: Any, draft: ModelVersion | None, items: list[Item]) -> None:
        if draft is not None:
            assert result.version.id == draft.id
            draft.items = items
        else:
            assert result.created
            self._new_version(result, items, False)
        self._moment()

    @rule(record=records)
    def row_add(self, record: dict[str, Any]) -> None:
        draft, items = self._draft_items()
        result = self.engine.data.add(1, self.ds, [record])
        self._row_write(result, draft, items + [(result.datapoint_ids[0], record)])

    @rule(data=st.data(), record=records)
    def row_update(self, data: st.DataObject, record: dict[str, Any]) -> None:
        draft, items = self._draft_items()
        if not items:
            return
        index = data.draw(st.integers(0, len(items) - 1))
        ident, old = items[index]
        result = self.engine.data.update(1, self.ds, [(ident, record)])
        if key(old) == key(record):
            assert not result.created
            return
        changed = list(items)
        changed[index] = (ident, record)
        self._row_write(result, draft, changed)

    @rule(data=st.data())
    def row_remove(self, data: st.DataObject) -> None:
        draft, items = self._draft_items()
        if not items:
            return
        ident = data.draw(st.sampled_from([i for i, _ in items]))
        result, _, _ = self.engine.data.remove(1, self.ds, [ident])
        self._row_write(result, draft, [i for i in items if i[0] != ident])

    @rule()
    def commit_draft(self) -> None:
        draft = self.model.draft()
        if draft is None:
            with pytest.raises(NotFound):
                self.engine.datasets.commit(1, self.ds, message="c")
            return
        assert self.engine.datasets.commit(1, self.ds, message="c").id == draft.id
        draft.status = "committed"

    @rule(data=st.data())
    def deploy(self, data: st.DataObject) -> None:
        if self.model.live():
            version = data.draw(st.sampled_from(self.model.live()))
            self.engine.datasets.deploy(1, self.ds, "production", version.id)
            self.model.deployed = version.id

    @rule(data=st.data())
    def restore(self, data: st.DataObject) -> None:
        if self.model.live():
            version = data.draw(st.sampled_from(self.model.live()))
            result = self.engine.data.restore(1, self.ds, version.id)
            self._new_version(result, list(version.items), True)
            self._moment()

    @rule(data=st.data())
    def delete_version(self, data: st.DataObject) -> None:
        if len(self.model.live()) > 1:
            version = data.draw(st.sampled_from(self.model.live()))
            self.engine.datasets.delete_version(1, self.ds, version.id)
            version.status = "deleted"
            if self.model.deployed == version.id:
                self.model.deployed = None

    # --- reads ---

    def _read(self, **where: Any) -> list[Item]:
        return [(d.id, d.content) for d in self.engine.data.export(1, self.ds, **where)]

    @rule(data=st.data())
    def read_old_version_pages(self, data: st.DataObject) -> None:
        if not self.model.versions:
            return
        version = data.draw(st.sampled_from(self.model.versions))
        assert self._read(version_id=version.id) == version.items
        page = self.engine.data.page(1, self.ds, version_id=version.id, offset=1, limit=2)
        assert [(d.id, d.content) for d in page.items] == version.items[1:3]
        assert page.total == len(version.items)

    @rule(data=st.data())
    def diff_two_versions(self, data: st.DataObject) -> None:
        if not self.model.versions:
            return
        a = data.draw(st.sampled_from(self.model.versions))
        b = data.draw(st.sampled_from(self.model.versions))
        diff = self.engine.data.diff(1, self.ds, a.id, b.id)
        before, after = dict(a.items), dict(b.items)
        assert sorted(d.id for d in diff.added) == sorted(set(after) - set(before))
        assert sorted(d.id for d in diff.removed) == sorted(set(before) - set(after))
        changed = {i for i in set(before) & set(after) if key(before[i]) != key(after[i])}
        assert {c.id for c in diff.changed} == changed
        applied = {i: c for i, c in before.items() if i not in {d.id for d in diff.removed}}
        applied.update({d.id: d.content for d in diff.added})
        applied.update({c.id: c.after for c in diff.changed})
        assert applied == after

    @rule(data=st.data())
    def read_as_of(self, data: st.DataObject) -> None:
        if self.model.moments:
            at, items = data.draw(st.sampled_from(self.model.moments))
            assert self._read(as_of=at) == items

    @invariant()
    def newest_and_deployed_agree(self) -> None:
        if not hasattr(self, "engine"):
            return
        newest = self.model.newest()
        found = self.engine.datasets.newest(1, self.ds)
        assert (found.id if found else None) == (newest.id if newest else None)
        if newest is not None:
            assert found is not None and found.datapoint_count == len(newest.items)
            assert found.status.value == newest.status


def test_engine_agrees_with_model(templates: Templates, backend: str, tmp_path: Path) -> None:
    class Machine(VersioningMachine):
        def __init__(self) -> None:
            super().__init__(templates, backend, tmp_path)

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
