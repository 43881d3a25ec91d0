"""``evalsets db``: schema migrations and the integrity check."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from evalsets.settings import Settings
from evalsets.store import migrate
from evalsets.store.check import DEFAULT_HASH_SAMPLE, check
from evalsets.store.store import Store

app = typer.Typer(help="Manage the database schema.", no_args_is_help=True)
console = Console()


def _url() -> str:
    settings = Settings.from_env()
    if not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings.resolved_database_url


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Migrate the database to the newest schema (or to REVISION)."""
    url = _url()
    migrate.upgrade(url, revision)
    console.print(f"database at revision [bold]{migrate.current_revision(url)}[/bold]")


@app.command()
def downgrade(revision: str = typer.Argument(..., help="Target revision, or 'base'.")) -> None:
    """Migrate the database down to REVISION."""
    url = _url()
    migrate.downgrade(url, revision)
    console.print(f"database at revision [bold]{migrate.current_revision(url)}[/bold]")


@app.command()
def current() -> None:
    """Print the schema revision the database is at."""
    console.print(migrate.current_revision(_url()) or "empty")


@app.command("check")
def check_command(
    sample: int = typer.Option(
        0,
        "--sample",
        min=0,
        help="Count the live rows of only the newest N versions per dataset (0: every version).",
    ),
    hash_sample: int = typer.Option(
        DEFAULT_HASH_SAMPLE,
        "--hash-sample",
        min=0,
        help="Re-hash the content of up to N datapoint revisions per dataset.",
    ),
) -> None:
    """Check the store's integrity: exit 0 when consistent, 1 with the problems otherwise."""
    store = Store(_url())
    try:
        report = check(store, sample=sample or None, hash_sample=hash_sample)
    finally:
        store.close()
    summary = (
        f"{report.datasets} datasets, {report.versions} versions,"
        f" {report.rows_hashed} revisions re-hashed"
    )
    if report.ok:
        console.print(f"[green]ok[/green]: {summary}")
        return
    for problem in report.problems:
        console.print(f"[red]problem[/red]: {escape(problem)}", soft_wrap=True)
    console.print(f"{len(report.problems)} problems in {summary}")
    raise typer.Exit(1)
