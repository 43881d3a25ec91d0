"""What a planned write sees: the datapoints of its dataset at its base, in its transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from evalsets.core.model import Datapoint
from evalsets.store import revisions, rows


class Current:
    """The live datapoints at ``seq`` of the dataset ``pk``, read in the write transaction
    (under the dataset's lock: no other write comes in between)."""

    def __init__(self, conn: Connection, pk: int, seq: int) -> None:
        self._conn = conn
        self._pk = pk
        self._seq = seq

    def get(self, ids: Sequence[str]) -> dict[str, Datapoint]:
        """The datapoints of these ids that are live, by id."""
        uids = [u for u in (rows.id_to_uid(i) for i in ids) if u is not None]
        if not self._seq or not uids:
            return {}
        found = revisions.live_rows(self._conn, self._pk, self._seq, uids)
        return {rows.uid_to_id(uid): rows.datapoint(row) for uid, row in found.items()}

    def ids(self) -> list[str]:
        """The id of every live datapoint, in order."""
        if not self._seq:
            return []
        live = revisions.iter_live_hashes(self._conn, self._pk, self._seq)
        return [rows.uid_to_id(uid) for uid, _, _ in live]
