"""``evalsets db check``: a clean store passes; each kind of corruption (direct SQL) is found."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text
from typer.testing import CliRunner

from evalsets.cli.main import app
from evalsets.core.engine import Engine
from evalsets.core.model import Dataset
from evalsets.store.check import check
from evalsets.store.schema import OPEN_SEQ

Corruption = Callable[[Connection, int], None]


def _build(engine: Engine, path: str) -> Dataset:
    """A dataset with history: set-based versions, row edits, a removal, a draft, a deletion."""
    ds, _ = engine.data.upsert(
        1, path=path, records=[{"inputs": {"i": i}} for i in range(30)], meta=None
    )
    engine.datasets.commit(1, ds.id, message="one")
    added = engine.data.add(1, ds.id, [{"inputs": {"i": 100}}, {"inputs": {"i": 101}}])
    engine.data.update(1, ds.id, [(added.datapoint_ids[0], {"inputs": {"i": 100}, "expected": 1})])
    engine.data.remove(1, ds.id, [added.datapoint_ids[1]])
    engine.datasets.commit(1, ds.id, message="two")
    engine.data.add(1, ds.id, [{"inputs": {"i": 200}}])  # an open draft on top
    return ds


def _sql(statement: str) -> Corruption:
    def corrupt(conn: Connection, pk: int) -> None:
        params: dict[str, object] = {"pk": pk}
        if ":empty" in statement:
            params["empty"] = b""
        conn.execute(text(statement), params)

    return corrupt


CORRUPTIONS: dict[str, tuple[Corruption, str]] = {
    "count": (
        _sql("UPDATE versions SET datapoint_count = datapoint_count + 1 WHERE dataset_pk = :pk"),
        "rows are live at its seq",
    ),
    "open twice": (
        _sql(
            "INSERT INTO datapoints (dataset_pk, uid, ordinal, from_seq, to_seq, content_hash,"
            " content) SELECT dataset_pk, uid, ordinal + 1000000, from_seq, to_seq,"
            " content_hash, content FROM datapoints WHERE dataset_pk = :pk AND rid ="
            f" (SELECT MIN(rid) FROM datapoints WHERE dataset_pk = :pk AND to_seq = {OPEN_SEQ})"
        ),
        "open revisions",
    ),
    "head": (_sql("UPDATE datasets SET head_seq = head_seq + 7 WHERE pk = :pk"), "head_seq"),
    "numbers": (
        _sql("UPDATE versions SET number = number + 10 WHERE dataset_pk = :pk AND number = 2"),
        "version numbers",
    ),
    "parent": (
        _sql(
            "UPDATE versions SET parent_id = 'dsv_00000000000000000000000000000000'"
            " WHERE dataset_pk = :pk AND number = 2"
        ),
        "missing parent",
    ),
    "hash": (
        _sql(
            'UPDATE datapoints SET content = \'{"inputs": {"i": "tampered"}}\''
            " WHERE rid = (SELECT MAX(rid) FROM datapoints WHERE dataset_pk = :pk)"
        ),
        "content hashes to",
    ),
    "buckets": (
        _sql("UPDATE versions SET buckets = :empty WHERE dataset_pk = :pk AND number = 1"),
        "bucket counts",
    ),
}


def _pk(engine: Engine, dataset: Dataset) -> int:
    with engine.store.read() as conn:
        found: int = conn.execute(
            text("SELECT pk FROM datasets WHERE id = :id"), {"id": dataset.id}
        ).scalar_one()
    return found


def _cli(database_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["db", "check", *args], env={"EVALSETS_DATABASE_URL": database_url, "COLUMNS": "300"}
    )
    return result.exit_code, result.output


def test_clean_store_passes(engine: Engine, database_url: str) -> None:
    for index in range(3):
        _build(engine, f"clean/{index}")
    doomed = _build(engine, "clean/deleted")
    engine.datasets.delete(1, doomed.id)
    report = check(engine.store)
    assert report.ok, report.problems
    assert (report.datasets, report.versions) == (4, 12)
    assert report.rows_hashed > 100
    assert check(engine.store, sample=1, hash_sample=5).ok
    code, output = _cli(database_url)
    assert code == 0 and "ok" in output, output


def test_each_corruption_is_reported(engine: Engine, database_url: str) -> None:
    clean = _build(engine, "corrupt/clean")
    targets = {name: _build(engine, f"corrupt/{name}") for name in CORRUPTIONS}
    with engine.store.write() as conn:
        for name, (corrupt, _) in CORRUPTIONS.items():
            corrupt(conn, _pk(engine, targets[name]))
    report = check(engine.store)
    assert not report.ok
    assert not [p for p in report.problems if clean.id in p]
    for name, (_, expected) in CORRUPTIONS.items():
        found = [p for p in report.problems if targets[name].id in p]
        assert any(expected in p for p in found), (name, found)
    code, output = _cli(database_url)
    assert code == 1, output
    assert "problem" in output and targets["hash"].id in output


def test_revisions_of_no_dataset_are_reported(engine: Engine) -> None:
    ds = _build(engine, "orphans/kept")
    with engine.store.write() as conn:
        revisions = conn.execute(
            text("SELECT COUNT(*) FROM datapoints WHERE dataset_pk = :pk"), {"pk": _pk(engine, ds)}
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO datapoints (dataset_pk, uid, ordinal, from_seq, to_seq,"
                " content_hash, content) SELECT 987654, uid, ordinal, from_seq, to_seq,"
                " content_hash, content FROM datapoints WHERE dataset_pk = :pk"
            ),
            {"pk": _pk(engine, ds)},
        )
    report = check(engine.store)
    assert [p for p in report.problems if "belong to no dataset" in p] == [
        f"{revisions} datapoint revisions belong to no dataset (dataset pk 987654)"
    ]
    assert not [p for p in report.problems if ds.id in p]
