"""Public contracts are documented and current."""

from __future__ import annotations

import json
from pathlib import Path

from evalsets.http.app import create_app
from evalsets.settings import ENV_VARS, Settings
from evalsets.store.store import Store

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text()
    missing = [name for name in ENV_VARS if f"`{name}`" not in text]
    assert missing == []


def test_settings_read_the_environment(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "EVALSETS_DATA_DIR": str(tmp_path),
            "EVALSETS_ADMIN_KEY": "k",
            "EVALSETS_MAX_JSON_BODY_MB": "2",
        }
    )
    assert settings.data_dir == tmp_path and settings.admin_key == "k"
    assert settings.max_json_body == 2 * 1024 * 1024
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'evalsets.db'}"
    pg = Settings.from_env({"EVALSETS_DATABASE_URL": "postgresql://u@h/db"})
    assert pg.resolved_database_url == "postgresql://u@h/db"


def test_committed_openapi_is_current(tmp_path: Path) -> None:
    """docs/openapi.json is the native API's schema; regenerate with scripts/openapi."""
    app = create_app(Settings(data_dir=tmp_path), Store(f"sqlite:///{tmp_path / 'x.db'}"))
    native = {
        path: item for path, item in app.openapi()["paths"].items() if path.startswith("/api/v1")
    }
    committed = json.loads((ROOT / "docs" / "openapi.json").read_text())
    assert committed["paths"] == native, "native API changed: run scripts/openapi and review"
