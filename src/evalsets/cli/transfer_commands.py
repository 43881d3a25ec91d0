"""``evalsets import`` (resumable, with progress) and ``evalsets export``."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from evalsets.cli.remote import (
    BAD_FILE,
    CONFLICT,
    INTERRUPTED,
    NOT_FOUND,
    UNREACHABLE,
    KeyOption,
    ProfileOption,
    UrlOption,
    connect,
    err,
    fail,
    failures,
    out,
    split_ref,
)
from evalsets.sdk.client import Client
from evalsets.sdk.errors import EvalsetsConnectionError, NotFound
from evalsets.sdk.imports import CHUNK_ROWS, ImportStateError, checkpoint_path
from evalsets.sdk.models import Version
from evalsets.sdk.sources import InvalidFile


def _dataset_for_import(client: Client, dataset: str, create: bool) -> tuple[str, bool]:
    """The dataset's id, and whether this import created it."""
    try:
        return client.dataset_id(dataset), False
    except NotFound:
        if not create or dataset.startswith("ds_"):
            raise
        ds = client.create_dataset(dataset)
        err.print(f"created dataset {escape(ds.path)} ({ds.id})")
        return ds.id, True


def import_command(
    path: Annotated[
        Path,
        typer.Argument(
            help="A .jsonl, .csv or .parquet file.", exists=True, dir_okay=False, readable=True
        ),
    ],
    dataset: Annotated[str, typer.Argument(help="Path or ds_ id (a new path is created).")],
    message: Annotated[str | None, typer.Option("--message", "-m", help="Commit message.")] = None,
    name: Annotated[str | None, typer.Option(help="Name of the new version.")] = None,
    format: Annotated[
        str | None, typer.Option(help="jsonl, csv or parquet (default: from the extension).")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="The file replaces the contents (default: append).")
    ] = False,
    commit: Annotated[
        bool, typer.Option("--commit/--no-commit", help="Commit the draft at the end.")
    ] = True,
    create: Annotated[
        bool, typer.Option("--create/--no-create", help="Create the dataset if missing.")
    ] = True,
    chunk_rows: Annotated[
        int, typer.Option(help="Rows per request (and checkpoint).", min=1)
    ] = CHUNK_ROWS,
    restart: Annotated[
        bool, typer.Option("--restart", help="Undo an interrupted import's rows and start over.")
    ] = False,
    checkpoint: Annotated[
        Path | None, typer.Option(help="Checkpoint file (default: in the state directory).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Import a file into a dataset as one new version, resumably.

    Rows go to the dataset's draft in chunks; a checkpoint records the rows done, so running
    the same command again after an interruption resumes where it stopped. The draft is
    committed at the end.
    """
    mode: Literal["append", "replace"] = "replace" if replace else "append"
    started = time.monotonic()
    with failures(), connect(url, key, profile) as client:
        ident, created = _dataset_for_import(client, dataset, create)
        where = checkpoint or checkpoint_path(client.url, ident, path)
        if where.exists() and not restart:
            err.print("resuming an interrupted import")
        size = path.stat().st_size
        progress = Progress(
            TextColumn("importing"),
            BarColumn(),
            TextColumn("{task.fields[rows]:,} rows"),
            TextColumn("{task.fields[rate]:,.0f} rows/s"),
            TimeElapsedColumn(),
            console=err,
            disable=quiet,
            transient=False,
        )
        done = {"rows": 0}
        with progress:
            task = progress.add_task("import", total=size or None, rows=0, rate=0.0)

            def report(rows: int, offset: int) -> None:
                done["rows"] = rows
                rate = rows / max(time.monotonic() - started, 1e-6)
                progress.update(task, completed=offset or None, rows=rows, rate=rate)

            try:
                version = _run_import(
                    client,
                    ident,
                    path,
                    where,
                    mode,
                    commit,
                    message,
                    name,
                    format,
                    chunk_rows,
                    restart,
                    report,
                    done,
                )
            except InvalidFile:
                if created and not client.versions(ident):
                    client.delete_dataset(ident)
                    where.unlink(missing_ok=True)
                raise
            progress.update(task, completed=size)
    elapsed = max(time.monotonic() - started, 1e-6)
    _print_imported(version, done["rows"], elapsed)


def _run_import(
    client: Client,
    ident: str,
    path: Path,
    where: Path,
    mode: Literal["append", "replace"],
    commit: bool,
    message: str | None,
    name: str | None,
    format: str | None,
    chunk_rows: int,
    restart: bool,
    report: object,
    done: dict[str, int],
) -> Version:
    try:
        return client.import_file(
            ident,
            path,
            format=format,
            mode=mode,
            commit=commit,
            message=message,
            name=name,
            chunk_rows=chunk_rows,
            checkpoint=where,
            restart=restart,
            progress=report,
        )
    except ImportStateError as exc:
        fail(escape(str(exc)), CONFLICT)
    except KeyboardInterrupt:
        fail(
            f"interrupted after {done['rows']:,} rows; run the same command to resume", INTERRUPTED
        )
    except EvalsetsConnectionError as exc:
        fail(
            f"{escape(str(exc))}\n{done['rows']:,} rows are safe in the draft; run the same "
            "command to resume",
            UNREACHABLE,
        )


def _print_imported(version: Version, rows: int, elapsed: float) -> None:
    state = "committed" if version.committed else "draft"
    out.print(
        f"imported {rows:,} rows in {elapsed:.1f}s ({rows / elapsed:,.0f} rows/s): "
        f"version {version.number} {version.id} ({state}, {version.datapoint_count:,} datapoints)"
    )


def export_command(
    ref: Annotated[
        str,
        typer.Argument(
            metavar="DATASET[@VERSION|@ENV]",
            help="Path or ds_ id; version id, number, name or env.",
        ),
    ],
    path: Annotated[str, typer.Argument(help="Output file (.jsonl, .csv, .parquet) or - .")],
    format: Annotated[
        str | None, typer.Option(help="ndjson, csv or parquet (default: from the extension).")
    ] = None,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Export a version (the newest by default) to a file, streamed."""
    dataset, spec = split_ref(ref)
    if format not in (None, "ndjson", "jsonl", "csv", "parquet"):
        fail(f"unknown format {format!r} (use ndjson, csv or parquet)", BAD_FILE)
    chosen = "ndjson" if format == "jsonl" else format
    with failures(), connect(url, key, profile) as client:
        version = client.resolve_version(dataset, spec)
        if version is None:
            fail(f"{escape(dataset)} has no versions yet", NOT_FOUND)
        if path == "-":
            for chunk in client.export(dataset, version=version.id, format=chosen or "ndjson"):  # type: ignore[arg-type]
                sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
            return
        written = client.export_file(dataset, path, version=version.id, format=chosen)  # type: ignore[arg-type]
    err.print(
        f"exported version {version.number} ({version.datapoint_count:,} datapoints, "
        f"{written:,} bytes) to {escape(path)}"
    )
