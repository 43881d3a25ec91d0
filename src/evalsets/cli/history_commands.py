"""``evalsets log|diff|show|commit|tag|deploy|restore``: versions, like git."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
import typer
from rich.markup import escape

from evalsets.cli.remote import (
    NOT_FOUND,
    JsonOption,
    KeyOption,
    ProfileOption,
    UrlOption,
    connect,
    dumps,
    fail,
    failures,
    out,
    split_ref,
)
from evalsets.sdk.client import Client
from evalsets.sdk.models import Diff, Version

RefArgument = Annotated[
    str,
    typer.Argument(
        metavar="DATASET[@VERSION|@ENV]",
        help="Path or ds_ id, then @ a version id, number (3 or v3), name or env.",
    ),
]


def _version(client: Client, dataset: str, spec: str | None) -> Version:
    found = client.resolve_version(dataset, spec)
    if found is None:
        fail(f"{escape(dataset)} has no versions yet", NOT_FOUND)
    return found


def _labels(version: Version, head: str | None, deployed: dict[str, str]) -> str:
    labels = ["HEAD"] if version.id == head else []
    labels += [env for env, vid in sorted(deployed.items()) if vid == version.id]
    if version.name:
        labels.append(f"tag: {version.name}")
    return f" [yellow]({escape(', '.join(labels))})[/yellow]" if labels else ""


def log(
    dataset: Annotated[str, typer.Argument(help="Path or ds_ id.")],
    oneline: Annotated[bool, typer.Option("--oneline", help="One line per version.")] = False,
    limit: Annotated[int | None, typer.Option("-n", help="Show at most N versions.")] = None,
    as_json: JsonOption = False,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Show the versions of a dataset, newest first (like git log)."""
    with failures(), connect(url, key, profile) as client:
        ds = client.dataset(dataset)
        versions = client.versions(ds)[:limit]
    if as_json:
        print(dumps([v.__dict__ for v in versions]))
        return
    head = versions[0].id if versions else None
    for version in versions:
        labels = _labels(version, head, ds.deployed)
        message = escape(version.commit_message or "")
        status = "" if version.committed else " [red](uncommitted draft)[/red]"
        if oneline:
            out.print(f"[yellow]v{version.number}[/yellow] {version.id}{labels}{status} {message}")
            continue
        out.print(f"[yellow]version {version.number} {version.id}[/yellow]{labels}{status}")
        out.print(f"Author: {escape(version.author or '-')}")
        out.print(f"Date:   {version.committed_at or version.updated_at or '-'}")
        out.print(f"Rows:   {version.datapoint_count:,}")
        out.print("")
        for line in (version.commit_message or "(no message)").splitlines():
            out.print(f"    {escape(line)}")
        out.print("")


def _brief(record: dict[str, Any]) -> str:
    content = {k: v for k, v in record.items() if k != "id"}
    text = orjson.dumps(content).decode()
    return escape(text if len(text) <= 160 else text[:157] + "...")


def _field(value: Any) -> str:
    return escape(orjson.dumps(value).decode()) if value is not None else "(absent)"


def _print_diff(diff: Diff, stat: bool) -> None:
    if stat:
        fields: dict[str, int] = {}
        for change in diff.changed:
            for name in change.fields:
                fields[name] = fields.get(name, 0) + 1
        for name, count in sorted(fields.items()):
            out.print(f" {escape(name):<20} | {count} changed")
        stats = diff.stats
        out.print(
            f" [green]{stats['added']} added[/green], [red]{stats['removed']} removed[/red], "
            f"[yellow]{stats['changed']} changed[/yellow]"
        )
        return
    for record in diff.removed:
        out.print(f"[red]- {record['id']} {_brief(record)}[/red]")
    for record in diff.added:
        out.print(f"[green]+ {record['id']} {_brief(record)}[/green]")
    for change in diff.changed:
        out.print(f"[yellow]~ {change.id}[/yellow]")
        for name in change.fields:
            out.print(f"[red]  - {escape(name)}: {_field(change.before.get(name))}[/red]")
            out.print(f"[green]  + {escape(name)}: {_field(change.after.get(name))}[/green]")


def diff(
    dataset: Annotated[str, typer.Argument(help="Path or ds_ id.")],
    base: Annotated[str, typer.Argument(help="Base version (id, number, name or env).")],
    target: Annotated[
        str | None, typer.Argument(help="Target version (default: the newest).")
    ] = None,
    stat: Annotated[bool, typer.Option("--stat", help="Only counts per field.")] = False,
    as_json: JsonOption = False,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Show datapoints added, removed and changed (field by field) between two versions."""
    with failures(), connect(url, key, profile) as client:
        a = _version(client, dataset, base)
        b = _version(client, dataset, target)
        found = client.diff(dataset, a.id, b.id)
    if as_json:
        print(dumps(found.to_json()))
        return
    out.print(f"[bold]diff v{a.number} {a.id} -> v{b.number} {b.id}[/bold]")
    _print_diff(found, stat)


def show(
    ref: RefArgument,
    datapoint: Annotated[
        str | None, typer.Argument(help="A dp_ id (omit: the version itself).")
    ] = None,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Show one datapoint as it is in a version (or the version's details)."""
    dataset, spec = split_ref(ref)
    with failures(), connect(url, key, profile) as client:
        version = _version(client, dataset, spec)
        if datapoint is None:
            print(dumps(version.__dict__))
            return
        record = client.datapoint(dataset, datapoint, version=version.id)
    print(dumps(record))


def commit(
    dataset: Annotated[str, typer.Argument(help="Path or ds_ id.")],
    message: Annotated[str | None, typer.Option("--message", "-m", help="Commit message.")] = None,
    name: Annotated[str | None, typer.Option(help="Name (tag) of the version.")] = None,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Commit the dataset's draft: it becomes an unchangeable version."""
    with failures(), connect(url, key, profile) as client:
        version = client.commit(dataset, message=message, name=name)
    out.print(
        f"committed version {version.number} {version.id} ({version.datapoint_count:,} datapoints)"
    )


def tag(
    ref: RefArgument,
    name: Annotated[str, typer.Argument(help="The version's new name.")],
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Name a version (the newest by default)."""
    dataset, spec = split_ref(ref)
    with failures(), connect(url, key, profile) as client:
        version = _version(client, dataset, spec)
        client.update_version(dataset, version.id, name=name)
    out.print(f"tagged version {version.number} {version.id} as {escape(name)}")


def deploy(
    ref: RefArgument,
    environment: Annotated[str, typer.Argument(help="Environment, e.g. production.")],
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Deploy a version (the newest by default) to an environment."""
    dataset, spec = split_ref(ref)
    with failures(), connect(url, key, profile) as client:
        version = _version(client, dataset, spec)
        client.deploy(dataset, environment, version.id)
    out.print(f"deployed version {version.number} {version.id} to {escape(environment)}")


def restore(
    ref: RefArgument,
    message: Annotated[str | None, typer.Option("--message", "-m", help="Commit message.")] = None,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Make a new version equal to an old one (history is kept)."""
    dataset, spec = split_ref(ref)
    if spec is None:
        fail("name the version to restore: DATASET@VERSION", 2)
    with failures(), connect(url, key, profile) as client:
        old = _version(client, dataset, spec)
        version = client.restore(dataset, old.id, message=message)
    out.print(f"restored version {old.number} as version {version.number} {version.id}")
