"""``evalsets migrate``: bring every dataset of a vendor account into evalsets."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape

from evalsets.cli.remote import KeyOption, ProfileOption, UrlOption, connect, err, failures, out


class Vendor(StrEnum):
    """The vendors `migrate` reads."""

    humanloop = "humanloop"
    arize = "arize"
    posthog = "posthog"
    geai = "geai"


def migrate(
    vendor: Annotated[Vendor, typer.Argument(help="Where the datasets are now.")],
    from_url: Annotated[
        str,
        typer.Option(
            "--from-url",
            help="The vendor's API base URL (e.g. https://api.humanloop.com, "
            "https://api.arize.com, https://us.posthog.com, https://eval-api.saia.ai).",
        ),
    ],
    from_key: Annotated[
        str, typer.Option("--from-key", envvar="EVALSETS_FROM_KEY", help="The vendor's API key.")
    ],
    from_project: Annotated[
        str, typer.Option("--from-project", help="PostHog project id (default: the key's).")
    ] = "@current",
    prefix: Annotated[
        str, typer.Option("--prefix", help="Folder to put the migrated datasets under.")
    ] = "",
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
) -> None:
    """Copy every dataset, version and datapoint a vendor's API shows into evalsets.

    Names, commit messages, version order and datapoint order are kept; each vendor version
    becomes one evalsets version. Running it again copies only what is new.
    """
    from evalsets.sdk.migrate import migrate as run

    options = {"project": from_project} if vendor is Vendor.posthog else {}
    totals = [0, 0, 0]
    with failures(), connect(url, key, profile) as client:
        for done in run(client, vendor.value, from_url, from_key, prefix=prefix, options=options):
            rows = sum(v.datapoint_count for v in done.copied[-1:])
            totals[0] += 1
            totals[1] += len(done.copied)
            totals[2] += done.skipped
            deployed = f", deployed to {', '.join(done.deployed)}" if done.deployed else ""
            out.print(
                f"{escape(done.path)} ({done.dataset_id}): {len(done.copied)} versions copied, "
                f"{done.skipped} already there, newest has {rows:,} datapoints{deployed}"
            )
    err.print(
        f"migrated {totals[0]} datasets from {vendor.value}: {totals[1]} versions copied, "
        f"{totals[2]} already there"
    )
