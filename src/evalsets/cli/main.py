"""``evalsets``: serve, manage the database, projects and keys, and work with datasets."""

from __future__ import annotations

import typer

from evalsets.cli import (
    admin_commands,
    dataset_commands,
    db_commands,
    history_commands,
    migrate_command,
    serve_command,
    sync_commands,
    transfer_commands,
)

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
app.command("login")(dataset_commands.login)
app.add_typer(dataset_commands.datasets_app, name="datasets")
app.command("import")(transfer_commands.import_command)
app.command("export")(transfer_commands.export_command)
app.command("log")(history_commands.log)
app.command("diff")(history_commands.diff)
app.command("show")(history_commands.show)
app.command("commit")(history_commands.commit)
app.command("tag")(history_commands.tag)
app.command("deploy")(history_commands.deploy)
app.command("restore")(history_commands.restore)
app.command("push")(sync_commands.push)
app.command("pull")(sync_commands.pull)
app.command("migrate")(migrate_command.migrate)


def main() -> None:
    """Entry point of the ``evalsets`` script."""
    app()
