"""``evalsets projects`` and ``evalsets keys``: tenancy on the local store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from evalsets.cli.local import open_engine
from evalsets.core.errors import EvalsetsError
from evalsets.core.model import Scope

projects_app = typer.Typer(help="Create and list projects.", no_args_is_help=True)
keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _fail(exc: EvalsetsError) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc.message}")
    return typer.Exit(1)


@projects_app.command("create")
def create_project(name: str) -> None:
    """Create a project and print its id."""
    try:
        project = open_engine().admin.create_project(name)
    except EvalsetsError as exc:
        raise _fail(exc) from None
    console.print(f"{project.id}\t{project.name}")


@projects_app.command("list")
def list_projects() -> None:
    """List projects."""
    table = Table("id", "name", "created")
    for project in open_engine().admin.list_projects():
        table.add_row(str(project.id), project.name, project.created_at.isoformat())
    console.print(table)


DEFAULT_SCOPES = [Scope.READ.value, Scope.WRITE.value]
ProjectOption = Annotated[int, typer.Option("--project", "-p", help="Project id.")]


@keys_app.command("create")
def create_key(
    name: str,
    project: ProjectOption = 1,
    scope: Annotated[
        list[str] | None, typer.Option("--scope", "-s", help="Scope (repeatable).")
    ] = None,
) -> None:
    """Create a key and print its secret (shown only once)."""
    try:
        key, secret = open_engine().admin.create_key(project, name, scope or DEFAULT_SCOPES)
    except EvalsetsError as exc:
        raise _fail(exc) from None
    console.print(f"{key.id}\t{' '.join(key.scopes)}")
    print(secret)


@keys_app.command("list")
def list_keys(project: ProjectOption = 1) -> None:
    """List a project's keys (never their secrets)."""
    try:
        keys = open_engine().admin.list_keys(project)
    except EvalsetsError as exc:
        raise _fail(exc) from None
    table = Table()
    table.add_column("id", no_wrap=True)
    for column in ("name", "prefix", "scopes", "revoked"):
        table.add_column(column)
    for key in keys:
        revoked = key.revoked_at.isoformat() if key.revoked_at else ""
        table.add_row(key.id, key.name, key.prefix + "…", " ".join(key.scopes), revoked)
    console.print(table)


@keys_app.command("revoke")
def revoke_key(key_id: str, project: ProjectOption = 1) -> None:
    """Revoke a key: it stops working at once (running servers notice within 2 seconds)."""
    try:
        open_engine().admin.revoke_key(project, key_id)
    except EvalsetsError as exc:
        raise _fail(exc) from None
    console.print(f"revoked {key_id}")
