"""``evalsets login`` and ``evalsets datasets ls|create|rm|mv`` against a server."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from evalsets.cli.remote import (
    USAGE,
    JsonOption,
    KeyOption,
    ProfileOption,
    UrlOption,
    connect,
    dumps,
    fail,
    failures,
    out,
    save_profile,
)
from evalsets.sdk.client import Client

datasets_app = typer.Typer(help="List, create, remove and move datasets.", no_args_is_help=True)


def login(
    url: Annotated[str, typer.Option("--url", help="Server URL.", prompt=True)],
    key: Annotated[str, typer.Option("--key", help="API key.", prompt=True, hide_input=True)],
    profile: Annotated[str, typer.Option("--profile", help="Profile name.")] = "default",
) -> None:
    """Check a server URL and API key, then save them as a profile."""
    with failures(), Client(url, key) as client:
        me = client.me()
    path = save_profile(profile, url.rstrip("/"), key)
    out.print(f"logged in to {escape(url)} as key {me['id']} (project {me['project_id']})")
    out.print(f"profile {escape(profile)!r} saved in {escape(str(path))}")


@datasets_app.command("ls")
def list_datasets(
    search: Annotated[str | None, typer.Option(help="Only paths containing this.")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="Only datasets with this tag.")] = None,
    as_json: JsonOption = False,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """List datasets: path, id, head version and deployments."""
    with failures(), connect(url, key, profile) as client:
        found = list(client.datasets(search=search, tags=tag))
    if as_json:
        print(dumps([d.__dict__ for d in found]))
        return
    table = Table("path", "id", "head version", "deployed", "updated", box=None)
    for ds in found:
        deployed = ", ".join(f"{env}" for env in sorted(ds.deployed))
        table.add_row(
            escape(ds.path),
            ds.id,
            ds.head_version_id or "-",
            escape(deployed),
            (ds.updated_at or "")[:19],
        )
    out.print(table)


@datasets_app.command("create")
def create_dataset(
    path: Annotated[str, typer.Argument(help="Folder path and name, e.g. team/qa.")],
    description: Annotated[str | None, typer.Option(help="What the dataset is for.")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="A tag (repeatable).")] = None,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Create an empty dataset and print its id."""
    with failures(), connect(url, key, profile) as client:
        ds = client.create_dataset(path, description=description, tags=tag)
    out.print(f"{ds.id}\t{escape(ds.path)}")


@datasets_app.command("rm")
def remove_dataset(
    dataset: Annotated[str, typer.Argument(help="Path or ds_ id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Delete a dataset and all its versions."""
    with failures(), connect(url, key, profile) as client:
        ds = client.dataset(dataset)
        if not yes and not typer.confirm(f"Delete {ds.path} ({ds.id}) and all its versions?"):
            fail("not deleted", USAGE)
        client.delete_dataset(ds)
    out.print(f"deleted {escape(ds.path)} ({ds.id})")


@datasets_app.command("mv")
def move_dataset(
    dataset: Annotated[str, typer.Argument(help="Path or ds_ id.")],
    path: Annotated[str, typer.Argument(help="The new path.")],
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Move or rename a dataset (its id and versions stay)."""
    with failures(), connect(url, key, profile) as client:
        before = client.dataset(dataset)
        ds = client.move_dataset(before, path)
    out.print(f"moved {escape(before.path)} -> {escape(ds.path)} ({ds.id})")
