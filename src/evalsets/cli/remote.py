"""Talking to a server from the command line: connection options, profiles, errors, exit codes.

Exit codes (also in docs/cli.md): 0 success, 1 the server refused the request, 2 bad usage,
3 not found, 4 bad or insufficient key, 5 server unreachable, 6 bad input file,
7 conflict (name taken, version committed, stale head), 130 interrupted.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import orjson
import typer
from rich.console import Console

from evalsets.sdk import errors
from evalsets.sdk.client import Client
from evalsets.sdk.sources import InvalidFile

OK, REFUSED, USAGE, NOT_FOUND, AUTH, UNREACHABLE, BAD_FILE, CONFLICT = range(8)
INTERRUPTED = 130

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

UrlOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        envvar="EVALSETS_URL",
        help="Server URL (or EVALSETS_URL, or a profile).",
        show_default=False,
    ),
]
KeyOption = Annotated[
    str | None,
    typer.Option(
        "--key",
        envvar="EVALSETS_API_KEY",
        help="API key (or EVALSETS_API_KEY, or a profile).",
        show_default=False,
    ),
]
ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile",
        envvar="EVALSETS_PROFILE",
        help="Profile saved by `evalsets login`.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def config_dir() -> Path:
    """``$EVALSETS_CONFIG_DIR`` or ``~/.config/evalsets``."""
    given = os.environ.get("EVALSETS_CONFIG_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "evalsets"


def load_profiles() -> dict[str, dict[str, str]]:
    path = config_dir() / "profiles.json"
    try:
        found = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except orjson.JSONDecodeError:
        fail(f"{path} is not valid JSON", USAGE)
    return found if isinstance(found, dict) else {}


def save_profile(name: str, url: str, key: str) -> Path:
    """Store a profile (the file is readable by its owner only)."""
    profiles = load_profiles()
    profiles[name] = {"url": url, "key": key}
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "profiles.json"
    temporary = path.with_suffix(".tmp")
    temporary.touch(mode=0o600)
    temporary.write_bytes(orjson.dumps(profiles, option=orjson.OPT_INDENT_2))
    os.replace(temporary, path)
    return path


def connect(url: str | None, key: str | None, profile: str | None = None) -> Client:
    """A client from options, environment variables, or a saved profile (in that order)."""
    if url is None or key is None or profile is not None:
        profiles = load_profiles()
        chosen = profiles.get(profile or "default")
        if profile is not None and chosen is None:
            fail(
                f"no profile {profile!r}; create it with `evalsets login --profile {profile}`",
                USAGE,
            )
        if chosen:
            url = url or chosen.get("url")
            key = key if key is not None else chosen.get("key")
    if not url:
        fail("no server: pass --url, set EVALSETS_URL, or run `evalsets login`", USAGE)
    return Client(url, key or "")


def fail(message: str, code: int = REFUSED) -> NoReturn:
    err.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@contextmanager
def failures() -> Iterator[None]:
    """Turn SDK errors into one clear line on stderr and the documented exit code."""
    try:
        yield
    except errors.Unauthorized as exc:
        fail(f"the API key was refused (missing, wrong or revoked): {_escape(exc.message)}", AUTH)
    except errors.Forbidden as exc:
        fail(f"the API key may not do this: {_escape(exc.message)}", AUTH)
    except errors.NotFound as exc:
        fail(_escape(exc.message), NOT_FOUND)
    except errors.Conflict as exc:
        fail(_escape(exc.message), CONFLICT)
    except errors.EvalsetsApiError as exc:
        fail(f"{_escape(exc.message)} ({exc.code})", REFUSED)
    except errors.EvalsetsConnectionError as exc:
        fail(_escape(str(exc)), UNREACHABLE)
    except InvalidFile as exc:
        fail(_escape(str(exc)), BAD_FILE)
    except OSError as exc:
        fail(_escape(str(exc)), BAD_FILE)


def split_ref(ref: str) -> tuple[str, str | None]:
    """``DATASET[@VERSION|@ENV]`` into its dataset and version parts."""
    dataset, sep, version = ref.partition("@")
    if not dataset:
        fail(f"{ref!r} names no dataset", USAGE)
    return dataset, (version or None) if sep else None


def dumps(value: object) -> str:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
