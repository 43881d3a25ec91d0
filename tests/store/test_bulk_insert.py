"""The bulk insert paths (SQLite's JSON batch, PostgreSQL's binary COPY) store rows exactly."""

from __future__ import annotations

from typing import Any

from evalsets.core.engine import Engine
from evalsets.core.versioning import VersionMeta
from evalsets.store.writer import BULK_ROWS

ODD = ['"quoted"', "back\\slash", "tab\tand\nnewline", "é ☃ 😀", "\u2028", "+0000", "-1", "{}"]


def _records(n: int) -> list[dict[str, Any]]:
    return [
        {
            "inputs": {"q": f"{ODD[i % len(ODD)]} {i}", "n": -(2**62) + i},
            "metadata": {"i": i, "float": i / 3},
            "z_extra": [ODD[(i + 1) % len(ODD)]],
        }
        for i in range(n)
    ]


def test_bulk_import_round_trips(engine: Engine) -> None:
    records = _records(3 * BULK_ROWS + 7)
    ds = engine.datasets.create(1, "bulk/round-trip")
    result = engine.data.import_records(1, ds.id, records, meta=VersionMeta(commit=True))
    exported = list(engine.data.export(1, ds.id))
    assert [d.content for d in exported] == records
    assert len({d.id for d in exported}) == len(records)
    assert result.version.datapoint_count == len(records)
    page = engine.data.page(1, ds.id, offset=BULK_ROWS, limit=3)
    assert [d.content for d in page.items] == records[BULK_ROWS : BULK_ROWS + 3]
    _, again = engine.data.upsert(1, dataset_id=ds.id, records=records[-2:], action="add")
    assert not again.created, "identical content is found by its stored hash"
