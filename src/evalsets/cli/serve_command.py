"""``evalsets serve``: the server (UI and every API on one port)."""

from __future__ import annotations

import typer


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Run the evalsets server."""
    from evalsets.http.server import run

    run(host=host, port=port)
