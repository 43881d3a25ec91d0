"""docs/cli.md carries the current help of every command (generated with cog)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_cli_reference_is_current() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "PY_COLORS")}
    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "docs/cli.md"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, (
        f"docs/cli.md is out of date: run `cog -r docs/cli.md`\n{done.stdout}{done.stderr}"
    )


def test_every_command_is_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text()
    for command in ("import", "export", "log", "diff", "show", "push", "pull", "datasets ls"):
        assert f"### evalsets {command}\n" in text
    assert "| 6 | bad input file" in text
    readme = (ROOT / "README.md").read_text()
    assert "## Command line" in readme and "docs/cli.md" in readme
