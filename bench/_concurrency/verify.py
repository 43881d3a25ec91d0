"""The checks after the run: every dataset written, read back through the native export.

- no lost write: each acknowledged write's marker is where it must be (the owner's rows hold
  exactly their last markers, shared appends are there, each contested item and patched field
  holds the last acknowledged marker);
- no phantom: nothing refused (409), deleted or never acknowledged is there;
- no duplicate: version numbers 1..n, unique ids, each marker once, one dataset per path,
  one acknowledged write per base (``expected_head``, ``base_version``);
- ``evalsets db check`` passes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field

import httpx
import orjson

from .client import Call, Client, Fixture, Ledger, Owned
from .servers import ADMIN

MARKER = re.compile(rb"mk-\d+-\d+")


@dataclass
class Report:
    """The calls, the figures of the check and every problem found."""

    clients: int
    writes: int
    seconds: float
    calls: list[Call]
    read_errors: list[tuple[int, str]] = field(default_factory=list)
    """(status, what) of failed reads the writes depended on (status 0: no answer)."""
    problems: list[str] = field(default_factory=list)
    lost: int = 0
    phantom: int = 0
    duplicate: int = 0
    datasets: int = 0
    versions: int = 0
    db_check: str = ""
    tracebacks: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, clients: list[Client], writes: int, seconds: float) -> Report:
        calls = [call for c in clients for call in c.calls]
        reads = [failure for c in clients for failure in c.read_errors]
        report = cls(len(clients), writes, seconds, calls, reads)
        for call in calls:
            if call.verdict in ("5xx", "unexpected"):
                report.problems.append(f"{call.dialect} {call.op}: {call.sample}")
        report.problems += [f"read {sample}" for _, sample in reads]
        return report

    def count(self, verdict: str) -> int:
        return sum(1 for c in self.calls if c.verdict == verdict)

    @property
    def conflicts(self) -> int:
        """Clean 409s."""
        return self.count("conflict")

    @property
    def server_errors(self) -> int:
        """Writes and reads answered 5xx."""
        return self.count("5xx") + sum(1 for status, _ in self.read_errors if status >= 500)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, kind: str, text: str) -> None:
        """Count a lost, phantom or duplicate finding and say what it is."""
        setattr(self, kind, getattr(self, kind) + 1)
        self.problems.append(f"{kind}: {text}")


@dataclass
class Stored:
    """A dataset's newest version as the native export shows it."""

    rows: dict[str, set[str]] = field(default_factory=dict)
    """Row id → the markers in its content."""
    where: dict[str, str] = field(default_factory=dict)
    """Marker → row id."""
    parents: dict[str, str | None] = field(default_factory=dict)
    """Version id → its parent's id."""


def read_dataset(http: httpx.Client, dataset: str, report: Report) -> Stored:
    """Export the newest version; check its row ids, markers and version numbers."""
    export = http.get(f"/api/v1/datasets/{dataset}/export")
    export.raise_for_status()
    stored = Stored()
    for line in export.content.splitlines():
        if not line.strip():
            continue
        row = orjson.loads(line)["id"]
        marks = {m.decode() for m in MARKER.findall(line)}
        if row in stored.rows:
            report.problem("duplicate", f"{dataset}: row {row} exported twice")
        stored.rows[row] = marks
        for mark in marks:
            if mark in stored.where:
                report.problem("duplicate", f"{dataset}: marker {mark} in two rows")
            stored.where[mark] = row
    versions = http.get(f"/api/v1/datasets/{dataset}/versions").json()["items"]
    stored.parents = {v["id"]: v["parent_id"] for v in versions}
    numbers = sorted(v["number"] for v in versions)
    report.datasets += 1
    report.versions += len(versions)
    if numbers != list(range(1, len(numbers) + 1)):
        report.problem("duplicate", f"{dataset}: version numbers {numbers} are not 1..n")
    if len({v["id"] for v in versions}) != len(versions):
        report.problem("duplicate", f"{dataset}: duplicate version ids")
    return stored


def check_owned(owned: Owned, stored: Stored, report: Report) -> None:
    """The dataset holds exactly the rows its owner expects, each with its last marker."""
    what = f"{owned.dialect} {owned.dataset}"
    if owned.by_content:
        got = {m for marks in stored.rows.values() for m in marks}
        for mark in sorted(owned.rows.keys() - got):
            report.problem("lost", f"{what}: {mark} is missing")
        for mark in sorted(got - owned.rows.keys()):
            report.problem("phantom", f"{what}: {mark} should not be there")
        return
    for row, mark in owned.rows.items():
        if stored.rows.get(row) != {mark}:
            held = sorted(stored.rows.get(row, set())) or "nothing"
            report.problem("lost", f"{what}: row {row} should hold {mark}, holds {held}")
    for row in stored.rows.keys() - owned.rows.keys():
        report.problem("phantom", f"{what}: row {row} should be gone")


def check_shared(ledger: Ledger, stored: dict[str, Stored], report: Report) -> None:
    """Acknowledged appends are there (in their row), refused ones are not."""
    for mark, (ds, row) in ledger.present.items():
        at = stored[ds].where.get(mark)
        if at is None:
            report.problem("lost", f"{ds}: acknowledged {mark} is missing")
        elif row is not None and at != row:
            report.problem("lost", f"{ds}: {mark} is in row {at}, not {row}")
    for mark, ds in ledger.refused.items():
        if mark in stored[ds].where:
            report.problem("phantom", f"{ds}: {mark} was refused but is there")
    for api, ds, named, answered in ledger.based:
        if answered != named and stored[ds].parents.get(answered) != named:
            what = f"{ds}: an {api} write naming {named} was made on another version"
            report.problem("lost", what)
    for ds, heads in ledger.heads.items():
        for head, times in Counter(heads).items():
            if times > 1:
                report.problem("duplicate", f"{ds}: {times} new versions acknowledged on {head}")


def check_paths(ledger: Ledger, report: Report) -> None:
    """One dataset per path: upserts to a path agree, and exactly one create took it."""
    for path, ids in ledger.paths.items():
        if len(ids) != 1 and path not in ledger.unsure:
            report.problem("duplicate", f"{path}: upserts answered {len(ids)} datasets")
    for path, made in ledger.created.items():
        if len(made) != 1 and path not in ledger.unsure:
            report.problem("duplicate", f"{path}: {len(made)} creates succeeded, not 1")


def check_items(ledger: Ledger, stored: Stored, report: Report) -> None:
    """Contested items: one acknowledged update per base version, and the last one is there."""
    for item, acks in ledger.bases.items():
        for base, times in Counter(b for b, _ in acks).items():
            if times > 1:
                report.problem("duplicate", f"item {item}: {times} updates acknowledged on v{base}")
        last = max(acks)[1]
        if stored.rows.get(item) != {last}:
            held = sorted(stored.rows.get(item, set()))
            report.problem("lost", f"item {item}: should hold {last}, holds {held}")


def check_patches(ledger: Ledger, stored: dict[str, set[str]], report: Report) -> None:
    """Each patched row holds, for every field, the last acknowledged patch of that field."""
    rows = {row for row, _ in ledger.patches} | {row for row, _ in ledger.patch_unsure}
    for row in sorted(rows):
        if any(r == row for r, _ in ledger.patch_unsure):
            continue
        want = {mark for (r, _), mark in ledger.patches.items() if r == row}
        got = stored.get(row, set())
        for mark in sorted(want - got):
            report.problem("lost", f"patched row {row}: {mark} was undone")
        for mark in sorted(got - want):
            report.problem("phantom", f"patched row {row}: {mark} should have been replaced")


def verify(url: str, fixture: Fixture, clients: list[Client], report: Report) -> None:
    """Read every dataset written and check it against the clients' ledgers."""
    ledger = Ledger()
    for c in clients:
        ledger.merge(c.ledger)
        ledger.owned += [o for api, o in c.own.items() if api not in c.uncertain]
    ledger.present = {k: v for k, v in ledger.present.items() if k not in ledger.unsure}
    ledger.refused = {k: v for k, v in ledger.refused.items() if k not in ledger.unsure}
    for mark, path in ledger.beaten.items():
        made = ledger.created.get(path, [])
        if len(made) == 1 and mark not in ledger.unsure:
            ledger.refused[mark] = made[0]
    appended = {fixture.shared, *(ds for ds, _ in ledger.present.values())}
    wanted = {*appended, fixture.items_dataset, fixture.patched, fixture.replaced}
    wanted |= set(ledger.refused.values())
    with httpx.Client(base_url=url, headers={"X-API-KEY": ADMIN}, timeout=300) as http:
        stored = {ds: read_dataset(http, ds, report) for ds in sorted(wanted)}
        for owned in ledger.owned:
            check_owned(owned, read_dataset(http, owned.dataset, report), report)
    check_shared(ledger, stored, report)
    check_paths(ledger, report)
    check_items(ledger, stored[fixture.items_dataset], report)
    patched = {**stored[fixture.patched].rows, **stored[fixture.replaced].rows}
    check_patches(ledger, patched, report)
    known = {*ledger.present, *ledger.refused, *ledger.unsure}
    for ds in sorted(appended):
        for mark in sorted(stored[ds].where.keys() - known):
            report.problem("phantom", f"{ds}: {mark} was never acknowledged but is there")


def db_check(database_url: str, report: Report) -> None:
    """``evalsets db check`` on the database; a failure is a problem."""
    env = {**os.environ, "EVALSETS_DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "-m", "evalsets", "db", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report.db_check = " ".join(done.stdout.split())
    if done.returncode != 0:
        report.problems.append(f"evalsets db check failed: {done.stdout[-2000:]}{done.stderr}")
