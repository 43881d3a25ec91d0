"""Projects, API keys, environments and authentication."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from sqlalchemy import Connection

from evalsets.core.clock import utcnow
from evalsets.core.errors import InvalidInput, NotFound
from evalsets.core.ids import API_KEY, new_id
from evalsets.core.keycache import KeyCache
from evalsets.core.model import ApiKey, Environment, Project, Scope
from evalsets.store import projects as repo
from evalsets.store.store import Store

DEFAULT_PROJECT_ID = 1
DEFAULT_PROJECT_NAME = "default"
KEY_PREFIX = "es_"


def hash_secret(secret: str) -> str:
    """The stored form of a key secret (SHA-256: secrets are long and random)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_scopes(scopes: Iterable[str]) -> list[str]:
    valid = {s.value for s in Scope}
    result = list(dict.fromkeys(scopes))
    bad = [s for s in result if s not in valid]
    if bad or not result:
        raise InvalidInput(f"scopes must be a non-empty subset of {sorted(valid)}", field="scopes")
    return result


def _check_name(name: str, what: str) -> str:
    name = name.strip() if isinstance(name, str) else ""
    if not name or len(name) > 200:
        raise InvalidInput(f"{what} name must be 1 to 200 characters", field="name")
    return name


class Admin:
    """Tenancy and access: projects, their keys and their environments."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.keys = KeyCache()

    def bootstrap(self, admin_secret: str | None) -> str | None:
        """Make sure the default project exists; returns a new admin secret on first start.

        With ``admin_secret`` set, an admin key with exactly that secret exists afterwards
        (idempotent) and nothing is returned.
        """
        with self.store.write() as conn:
            repo.lock_bootstrap(conn)
            created = repo.find_project(conn, DEFAULT_PROJECT_ID) is None
            if created:
                repo.create_project(conn, DEFAULT_PROJECT_NAME, utcnow(), DEFAULT_PROJECT_ID)
                repo.sync_project_sequence(conn)
            if admin_secret:
                if repo.key_by_hash(conn, hash_secret(admin_secret)) is None:
                    self._insert_key(
                        conn, DEFAULT_PROJECT_ID, "bootstrap", [Scope.ADMIN.value], admin_secret
                    )
                return None
            if created:
                secret = KEY_PREFIX + secrets.token_urlsafe(30)
                self._insert_key(conn, DEFAULT_PROJECT_ID, "admin", [Scope.ADMIN.value], secret)
                return secret
        return None

    def create_project(self, name: str) -> Project:
        with self.store.write() as conn:
            return repo.create_project(conn, _check_name(name, "project"), utcnow())

    def list_projects(self) -> list[Project]:
        with self.store.read() as conn:
            return repo.list_projects(conn)

    def get_project(self, project_id: int) -> Project:
        with self.store.read() as conn:
            return repo.get_project(conn, project_id)

    def create_key(
        self, project_id: int, name: str, scopes: Iterable[str], secret: str | None = None
    ) -> tuple[ApiKey, str]:
        """A new key; its secret is returned here and never again."""
        checked = _check_scopes(scopes)
        secret = secret or KEY_PREFIX + secrets.token_urlsafe(30)
        with self.store.write() as conn:
            repo.get_project(conn, project_id)
            key = self._insert_key(conn, project_id, _check_name(name, "key"), checked, secret)
        return key, secret

    def _insert_key(
        self, conn: Connection, project_id: int, name: str, scopes: list[str], secret: str
    ) -> ApiKey:
        return repo.insert_key(
            conn,
            project_id=project_id,
            name=name,
            prefix=secret[:10],
            secret_hash=hash_secret(secret),
            scopes=scopes,
            now=utcnow(),
            key_id=new_id(API_KEY),
        )

    def list_keys(self, project_id: int) -> list[ApiKey]:
        with self.store.read() as conn:
            repo.get_project(conn, project_id)
            return repo.list_keys(conn, project_id)

    def revoke_key(self, project_id: int, key_id: str) -> ApiKey:
        with self.store.write() as conn:
            key = repo.revoke_key(conn, project_id, key_id, utcnow())
        self.keys.forget_key(key_id)  # after the commit: no later read can see the key live
        return key

    def authenticate(self, secret: str) -> ApiKey | None:
        """The live key with this secret, or None (asks the database; see ``verified``)."""
        if not secret:
            return None
        secret_hash = hash_secret(secret)
        generation = self.keys.generation
        with self.store.read() as conn:
            key = repo.key_by_hash(conn, secret_hash)
        if key is None or key.revoked_at is not None:
            self.keys.discard(secret_hash)
            return None
        self.keys.remember(secret_hash, key, generation)
        return key

    def verified(self, secret: str) -> ApiKey | None:
        """The key with this secret if ``authenticate`` accepted it moments ago; no I/O.

        None means "not known", not "invalid": ask ``authenticate`` then. Revocations through
        this object apply at once; those made elsewhere within ``keys.ttl`` seconds.
        """
        return self.keys.get(hash_secret(secret)) if secret else None

    def list_environments(self, project_id: int) -> list[Environment]:
        with self.store.read() as conn:
            return repo.list_environments(conn, project_id)

    def create_environment(
        self, project_id: int, name: str, *, default: bool = False
    ) -> Environment:
        with self.store.write() as conn:
            repo.get_project(conn, project_id)
            return repo.create_environment(
                conn, project_id, _check_name(name, "environment"), is_default=default, now=utcnow()
            )

    def get_environment(self, project_id: int, name_or_id: str) -> Environment:
        with self.store.read() as conn:
            return repo.find_environment(conn, project_id, name_or_id)

    def require_project(self, project_id: int) -> Project:
        """The project, or NotFound."""
        with self.store.read() as conn:
            project = repo.find_project(conn, project_id)
        if project is None:
            raise NotFound("project", project_id)
        return project
