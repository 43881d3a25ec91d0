"""``evalsets db``: schema migrations."""

from __future__ import annotations

import typer
from rich.console import Console

from evalsets.settings import Settings
from evalsets.store import migrate

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
