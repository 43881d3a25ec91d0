"""``evalsets``: serve, manage the database, projects and keys."""

from __future__ import annotations

import typer

from evalsets.cli import admin_commands, db_commands, serve_command

app = typer.Typer(
    name="evalsets",
    help="Versioned datasets for evaluating AI assistants.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("serve")(serve_command.serve)
app.add_typer(db_commands.app, name="db")
app.add_typer(admin_commands.projects_app, name="projects")
app.add_typer(admin_commands.keys_app, name="keys")


def main() -> None:
    """Entry point of the ``evalsets`` script."""
    app()
