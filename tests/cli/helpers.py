"""Running the ``evalsets`` command in process against a served evalsets."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from evalsets.cli.main import app
from tests.clients import Served


class Cli:
    """``evalsets`` with a server's URL and key in the environment."""

    def __init__(self, server: Served, home: Path, key: str | None = None) -> None:
        self.runner = CliRunner()
        self.env = {
            "EVALSETS_URL": server.url,
            "EVALSETS_API_KEY": key or server.admin_key,
            "EVALSETS_CONFIG_DIR": str(home / "config"),
            "EVALSETS_STATE_DIR": str(home / "state"),
            "COLUMNS": "200",
        }

    def __call__(
        self,
        *args: str,
        code: int = 0,
        env: dict[str, str] | None = None,
        input: str | None = None,
    ) -> Result:
        result = self.runner.invoke(app, list(args), env={**self.env, **(env or {})}, input=input)
        assert result.exit_code == code, (args, result.exit_code, result.output, result.stderr)
        return result
