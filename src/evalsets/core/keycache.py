"""A short-lived memory of recently verified API keys, so a request need not ask the database.

Entries are keyed by the secret's SHA-256 (the secret itself is never kept), live ``ttl``
seconds and are bounded in number. Revoking a key through the same ``Admin`` forgets it at once;
a revocation made by another process takes effect when the entry expires (``ttl`` at most).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from evalsets.core.model import ApiKey

TTL_SECONDS = 2.0
MAX_ENTRIES = 1024


class KeyCache:
    """Live keys by secret hash, each trusted for ``ttl`` seconds after it was read."""

    def __init__(
        self,
        ttl: float = TTL_SECONDS,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[str, tuple[ApiKey, float]] = {}
        self._lock = threading.Lock()
        self._generation = 0

    @property
    def generation(self) -> int:
        """Changes whenever keys are forgotten; read it before a lookup, pass it to ``remember``."""
        return self._generation

    def get(self, secret_hash: str) -> ApiKey | None:
        """The key verified under this hash less than ``ttl`` seconds ago, else None."""
        entry = self._entries.get(secret_hash)
        if entry is None:
            return None
        key, expires = entry
        if self._clock() >= expires:
            with self._lock:
                if self._entries.get(secret_hash) is entry:
                    del self._entries[secret_hash]
            return None
        return key

    def remember(self, secret_hash: str, key: ApiKey, generation: int) -> None:
        """Keep a key read from the database, unless keys were forgotten since ``generation``
        (the read may predate a revocation)."""
        if key.revoked_at is not None:
            return
        with self._lock:
            if generation != self._generation:
                return
            if len(self._entries) >= self.max_entries:
                self._evict()
            self._entries[secret_hash] = (key, self._clock() + self.ttl)

    def discard(self, secret_hash: str) -> None:
        """Drop the entry for a secret the database no longer accepts."""
        with self._lock:
            self._entries.pop(secret_hash, None)

    def forget_key(self, key_id: str) -> None:
        """Drop every entry for a key (it was revoked)."""
        with self._lock:
            self._generation += 1
            for secret_hash in [h for h, (k, _) in self._entries.items() if k.id == key_id]:
                del self._entries[secret_hash]

    def _evict(self) -> None:
        now = self._clock()
        for secret_hash in [h for h, (_, expires) in self._entries.items() if now >= expires]:
            del self._entries[secret_hash]
        while len(self._entries) >= self.max_entries:
            del self._entries[next(iter(self._entries))]
