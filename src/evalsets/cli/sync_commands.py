"""``evalsets push`` and ``evalsets pull``: copy versions between two evalsets servers."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from evalsets.cli.remote import (
    KeyOption,
    ProfileOption,
    UrlOption,
    connect,
    failures,
    load_profiles,
    out,
)
from evalsets.sdk.client import Client
from evalsets.sdk.sync import SyncResult, sync

RemoteArgument = Annotated[str, typer.Argument(help="The other server: a profile name or URL.")]
RemoteKey = Annotated[
    str | None,
    typer.Option(
        "--remote-key",
        envvar="EVALSETS_REMOTE_API_KEY",
        help="API key of the other server (default: its profile's).",
        show_default=False,
    ),
]
PathOption = Annotated[
    str | None, typer.Option("--as", help="Path on the receiving side (default: the same).")
]


def _remote(remote: str, key: str | None) -> Client:
    profile = load_profiles().get(remote)
    if profile is not None:
        return Client(profile["url"], key if key is not None else profile.get("key", ""))
    return Client(remote, key or "")


def _report(result: SyncResult, verb: str) -> None:
    for version in result.copied:
        out.print(
            f"{verb} version {version.number} {version.id} ({version.datapoint_count:,} datapoints)"
        )
    out.print(
        f"{escape(result.dataset.path)}: {len(result.copied)} versions {verb}, "
        f"{result.skipped} already there"
        + (f", deployed to {', '.join(result.deployed)}" if result.deployed else "")
    )


def push(
    dataset: Annotated[str, typer.Argument(help="Path or ds_ id on this server.")],
    remote: RemoteArgument,
    remote_key: RemoteKey = None,
    path: PathOption = None,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Copy the committed versions the other server lacks to it."""
    with failures(), connect(url, key, profile) as here, _remote(remote, remote_key) as there:
        result = sync(here, there, dataset, path=path)
    _report(result, "pushed")


def pull(
    dataset: Annotated[str, typer.Argument(help="Path or ds_ id on the other server.")],
    remote: RemoteArgument,
    remote_key: RemoteKey = None,
    path: PathOption = None,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Copy the committed versions this server lacks from the other one."""
    with failures(), connect(url, key, profile) as here, _remote(remote, remote_key) as there:
        result = sync(there, here, dataset, path=path)
    _report(result, "pulled")
