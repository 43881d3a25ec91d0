"""Resumable imports of large files: chunks into the draft, a checkpoint file, one commit.

Each chunk is one request (one transaction on the server) appended to the dataset's draft;
after each, the checkpoint records the rows done and the byte offset reached. A resumed import
first asks the server how many rows the draft holds, so a chunk that landed just before an
interruption is never sent twice: the result equals an uninterrupted import. Nobody else
should write to the dataset's draft while an import runs.
"""

from __future__ import annotations

import hashlib
import os
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import orjson

from evalsets.sdk.errors import EvalsetsApiError, InvalidInput
from evalsets.sdk.models import Version
from evalsets.sdk.sources import Format, InvalidFile, Row, file_rows, format_of, parse_line

if TYPE_CHECKING:
    from evalsets.sdk.client import Client

CHUNK_ROWS = 25_000
Progress = Callable[[int, int], None]
"""Called with (rows done, bytes done) after each chunk."""


class ImportStateError(RuntimeError):
    """A checkpoint that does not fit the file or the dataset any more."""


@dataclass
class Checkpoint:
    """What a resumable import has done so far (stored as JSON)."""

    server: str
    dataset_id: str
    source: str
    size: int
    mtime_ns: int
    mode: str
    base_count: int
    head_before: str | None
    head_updated_at: str | None
    draft_id: str | None = None
    rows_done: int = 0
    offset: int = 0
    line: int = 0
    landed: bool = False
    finishing: bool = False
    skip: int = 0

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(orjson.dumps(asdict(self)))
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> Checkpoint | None:
        try:
            return cls(**orjson.loads(path.read_bytes()))
        except FileNotFoundError:
            return None
        except (orjson.JSONDecodeError, TypeError) as exc:
            raise ImportStateError(f"unreadable checkpoint {path}: {exc}") from None


def state_dir() -> Path:
    """Where checkpoints live: ``$EVALSETS_STATE_DIR`` or ``~/.local/state/evalsets``."""
    given = os.environ.get("EVALSETS_STATE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "evalsets"


def checkpoint_path(server: str, dataset_id: str, source: Path) -> Path:
    """The default checkpoint file of importing ``source`` into a dataset on a server."""
    digest = hashlib.sha256(f"{server}\n{dataset_id}\n{source.resolve()}".encode()).hexdigest()
    return state_dir() / "imports" / f"{digest[:24]}.json"


def import_file(
    client: Client,
    dataset_id: str,
    path: Path,
    *,
    format: str | None = None,
    mode: Literal["append", "replace"] = "append",
    commit: bool = True,
    message: str | None = None,
    name: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    checkpoint: Path | None = None,
    restart: bool = False,
    progress: Progress | None = None,
) -> Version:
    """Import a file into the dataset's draft in chunks, then commit it (unless ``commit=False``).

    Interrupted, it resumes from its checkpoint on the next call with the same arguments.
    A bad record raises InvalidFile (naming its line) after undoing the chunks already sent.
    """
    fmt = format_of(path, format)
    stat = path.stat()
    where = checkpoint or checkpoint_path(client.url, dataset_id, path)
    state = Checkpoint.load(where)
    if restart and state is not None:
        _discard(client, state)
        where.unlink(missing_ok=True)
        state = None
    if state is not None and (state.size, state.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
        raise ImportStateError(
            f"{path} changed since the interrupted import; run again with --restart"
        )
    if state is not None and state.mode != mode:
        raise ImportStateError(f"the interrupted import used mode {state.mode!r}, not {mode!r}")
    if state is None:
        state = _fresh(client, dataset_id, path, stat, mode)
        state.save(where)
    draft = _reconcile(client, state)
    if draft is not None and draft.committed:
        where.unlink(missing_ok=True)
        return draft
    try:
        _send(client, state, where, path, fmt, chunk_rows, progress)
    except InvalidFile:
        _discard(client, state)
        where.unlink(missing_ok=True)
        raise
    result = _finish(client, state, where, commit, message, name)
    where.unlink(missing_ok=True)
    return result


def _fresh(
    client: Client, dataset_id: str, path: Path, stat: os.stat_result, mode: str
) -> Checkpoint:
    newest = client.newest_version(dataset_id)
    open_draft = newest is not None and not newest.committed
    return Checkpoint(
        server=client.url,
        dataset_id=dataset_id,
        source=str(path.resolve()),
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        mode=mode,
        base_count=0 if mode == "replace" or newest is None else newest.datapoint_count,
        head_before=newest.id if newest else None,
        head_updated_at=newest.updated_at if newest else None,
        draft_id=newest.id if open_draft and newest else None,
    )


def _reconcile(client: Client, state: Checkpoint) -> Version | None:
    """Bring the checkpoint up to what the server holds (a chunk may have landed unrecorded)."""
    newest = client.newest_version(state.dataset_id)
    if newest is None:
        return None
    if state.draft_id is None and not newest.committed and newest.id != state.head_before:
        state.draft_id = newest.id
    if state.draft_id is None:
        return None
    draft = (
        newest if newest.id == state.draft_id else client.version(state.dataset_id, state.draft_id)
    )
    if not state.landed:
        state.landed = draft.id != state.head_before or draft.updated_at != state.head_updated_at
    if draft.committed:
        if state.finishing:
            return draft
        raise ImportStateError(
            f"the draft {draft.id} was committed by someone else during the import; "
            "run again with --restart"
        )
    done = draft.datapoint_count - state.base_count if state.landed else 0
    if done < state.rows_done:
        raise ImportStateError(
            f"the draft {draft.id} lost rows during the import; run again with --restart"
        )
    state.skip = done - state.rows_done
    return draft


def _discard(client: Client, state: Checkpoint) -> None:
    """Undo what an abandoned import wrote into the draft (before ``--restart``)."""
    try:
        draft = _reconcile(client, state)
    except ImportStateError:
        return
    if draft is None or draft.committed or not state.landed:
        return
    if draft.id != state.head_before:
        client.delete_version(state.dataset_id, draft.id)
        return
    ids: list[str] = []
    while True:
        page = client.page(
            state.dataset_id, version=draft.id, offset=state.base_count + len(ids), limit=10_000
        )
        ids += [r["id"] for r in page.items]
        if len(page.items) < 10_000:
            break
    for start in range(0, len(ids), 10_000):
        client.delete_datapoints(state.dataset_id, ids[start : start + 10_000])


def _chunks(path: Path, fmt: Format, state: Checkpoint, size: int) -> Iterator[list[Row]]:
    rows = file_rows(path, fmt, skip=state.rows_done, start=state.offset, first_line=state.line + 1)
    while chunk := list(islice(rows, size)):
        yield chunk


def _prefetched(chunks: Iterator[list[Row]]) -> Iterator[list[Row]]:
    """Read and check the next chunk while the server writes the current one."""
    box: queue.Queue[list[Row] | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item: list[Row] | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                box.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for chunk in chunks:
                if not put(chunk):
                    return
            put(None)
        except BaseException as exc:  # handed to the consumer
            put(exc)

    worker = threading.Thread(target=produce, daemon=True)
    worker.start()
    try:
        while (item := box.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join(timeout=5)


def _send(
    client: Client,
    state: Checkpoint,
    where: Path,
    path: Path,
    fmt: Format,
    chunk_rows: int,
    progress: Progress | None,
) -> None:
    skip, state.skip = state.skip, 0
    for chunk in _prefetched(_chunks(path, fmt, state, chunk_rows)):
        rows = chunk
        if skip:
            taken = rows[:skip]
            rows, skip = rows[skip:], skip - len(taken)
            _advance(state, taken)
            state.save(where)
        if rows:
            _send_chunk(client, state, rows)
            _advance(state, rows)
            state.save(where)
        if progress:
            progress(state.rows_done, state.offset)
    if not state.landed and state.mode == "replace":
        _send_chunk(client, state, [])


def _advance(state: Checkpoint, rows: list[Row]) -> None:
    state.rows_done += len(rows)
    state.line = rows[-1].line
    if rows[-1].end:
        state.offset = rows[-1].end


def _send_chunk(client: Client, state: Checkpoint, rows: list[Row]) -> None:
    mode: Literal["append", "replace"] = (
        "replace" if state.mode == "replace" and not state.landed else "append"
    )
    try:
        version = client.import_rows(state.dataset_id, rows, mode=mode, draft=True)
    except InvalidInput as exc:
        raise _located(exc, rows, state.source) from None
    state.draft_id = version.id
    state.landed = True


def _located(exc: EvalsetsApiError, rows: list[Row], source: str) -> Exception:
    """The server's complaint about a chunk, as an InvalidFile naming the file's line."""
    for row in rows:
        parse_line(row.json, row.line, source)
    index = exc.details.get("index")
    if isinstance(index, int) and 0 <= index < len(rows):
        message = (
            exc.message.split(": ", 1)[-1] if exc.message.startswith("record ") else exc.message
        )
        return InvalidFile(message, path=source, line=rows[index].line)
    return exc


def _finish(
    client: Client,
    state: Checkpoint,
    where: Path,
    commit: bool,
    message: str | None,
    name: str | None,
) -> Version:
    if state.draft_id is None:
        newest = client.newest_version(state.dataset_id)
        if newest is None:
            raise InvalidFile("nothing to import: the file has no records", path=state.source)
        return newest
    if not commit:
        return client.version(state.dataset_id, state.draft_id)
    state.finishing = True
    state.save(where)
    return client.commit(state.dataset_id, state.draft_id, message=message, name=name)
