"""Recently verified API keys: no database read per request, revocation still honoured."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from evalsets.core.admin import hash_secret
from evalsets.core.engine import Engine
from evalsets.core.keycache import KeyCache
from evalsets.core.model import ApiKey
from evalsets.store.store import Store


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _key(key_id: str = "key_1") -> ApiKey:
    return ApiKey(
        key_id, 1, "k", "es_xxxxxxx", ("datasets:read",), datetime(2026, 1, 1, tzinfo=UTC)
    )


def test_revocation_through_the_same_admin_applies_at_once(engine: Engine) -> None:
    key, secret = engine.admin.create_key(1, "reader", ["datasets:read"])
    assert engine.admin.verified(secret) is None  # not known until authenticated
    assert engine.admin.authenticate(secret) == key
    assert engine.admin.verified(secret) == key
    engine.admin.revoke_key(1, key.id)
    assert engine.admin.verified(secret) is None
    assert engine.admin.authenticate(secret) is None


def test_revocation_elsewhere_applies_within_the_ttl(engine: Engine, database_url: str) -> None:
    clock = Clock()
    engine.admin.keys = KeyCache(ttl=2.0, clock=clock)
    key, secret = engine.admin.create_key(1, "reader", ["datasets:read"])
    assert engine.admin.authenticate(secret) == key
    other = Store(database_url)  # another process, as far as this admin can tell
    try:
        Engine(other).admin.revoke_key(1, key.id)
    finally:
        other.close()
    clock.now += 1.9
    assert engine.admin.verified(secret) == key
    clock.now += 0.2
    assert engine.admin.verified(secret) is None
    assert engine.admin.authenticate(secret) is None


def test_unknown_and_empty_secrets_are_never_verified(engine: Engine) -> None:
    assert engine.admin.authenticate("es_not_a_key") is None
    assert engine.admin.verified("es_not_a_key") is None
    assert engine.admin.verified("") is None


def test_a_read_from_before_a_revocation_is_not_kept() -> None:
    cache = KeyCache()
    key = _key()
    generation = cache.generation  # a lookup starts and reads the key live ...
    cache.forget_key(key.id)  # ... while the key is revoked
    cache.remember(hash_secret("s"), key, generation)
    assert cache.get(hash_secret("s")) is None
    cache.remember(hash_secret("s"), key, cache.generation)
    assert cache.get(hash_secret("s")) == key


def test_revoked_keys_are_not_kept_and_the_size_is_bounded() -> None:
    cache = KeyCache(max_entries=3)
    revoked = replace(_key(), revoked_at=datetime(2026, 1, 2, tzinfo=UTC))
    cache.remember("h", revoked, cache.generation)
    assert cache.get("h") is None
    for i in range(5):
        cache.remember(f"h{i}", _key(f"key_{i}"), cache.generation)
    assert [cache.get(f"h{i}") is not None for i in range(5)] == [False, False, True, True, True]
