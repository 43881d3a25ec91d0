"""Settings, read from the environment once, passed explicitly everywhere.

Every variable is documented in docs/configuration.md (a test checks).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

MIB = 1024 * 1024


def default_data_dir(env: Mapping[str, str]) -> Path:
    """``$XDG_DATA_HOME/evalsets``, else ``~/.local/share/evalsets``."""
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "evalsets"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    """How one evalsets process runs."""

    data_dir: Path
    database_url: str | None = None
    admin_key: str | None = None
    max_json_body: int = 64 * MIB
    max_upload: int = 16 * 1024 * MIB
    flight_port: int | None = None
    public_url: str | None = None
    session_secret: str | None = None
    """Signs the web UI's session cookies; random per process when unset."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``EVALSETS_*`` variables (``os.environ`` by default)."""
        env = os.environ if env is None else env
        data_dir = Path(env.get("EVALSETS_DATA_DIR") or default_data_dir(env)).expanduser()
        flight = env.get("EVALSETS_FLIGHT_PORT")
        return cls(
            data_dir=data_dir,
            database_url=env.get("EVALSETS_DATABASE_URL") or None,
            admin_key=env.get("EVALSETS_ADMIN_KEY") or None,
            max_json_body=_int(env, "EVALSETS_MAX_JSON_BODY_MB", 64) * MIB,
            max_upload=_int(env, "EVALSETS_MAX_UPLOAD_MB", 16 * 1024) * MIB,
            flight_port=int(flight) if flight else None,
            public_url=env.get("EVALSETS_PUBLIC_URL") or None,
            session_secret=env.get("EVALSETS_SESSION_SECRET") or None,
        )

    @property
    def resolved_database_url(self) -> str:
        """The database URL: ``EVALSETS_DATABASE_URL``, else the SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'evalsets.db'}"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


ENV_VARS = (
    "EVALSETS_DATA_DIR",
    "EVALSETS_DATABASE_URL",
    "EVALSETS_ADMIN_KEY",
    "EVALSETS_MAX_JSON_BODY_MB",
    "EVALSETS_MAX_UPLOAD_MB",
    "EVALSETS_FLIGHT_PORT",
    "EVALSETS_PUBLIC_URL",
    "EVALSETS_SESSION_SECRET",
)
"""Every environment variable the server reads."""
