"""Background WAL checkpoints for SQLite, so a bulk write's commit does not wait for one.

SQLite normally checkpoints inside the ``COMMIT`` that pushes the write-ahead log past 1,000
pages: after a 1M-row import that copies a gigabyte into the database file before the import
returns. A bulk write switches that off for its own transaction and asks this class to
checkpoint in a helper thread instead; readers and writers carry on meanwhile (a passive
checkpoint never blocks them), and the log is reset once the checkpoint has caught up.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

log = logging.getLogger(__name__)


class Checkpointer:
    """Runs passive WAL checkpoints of one SQLite file, one at a time, off the caller's thread."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False

    def request(self) -> None:
        """Checkpoint soon (again after the running one, if one is running)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return
            self._again = False
            self._thread = threading.Thread(
                target=self._run, name="evalsets-checkpoint", daemon=True
            )
            self._thread.start()

    def wait(self) -> None:
        """Block until no checkpoint is running or pending."""
        while True:
            with self._lock:
                thread = self._thread
            if thread is None:
                return
            thread.join()
            with self._lock:
                if self._thread is thread:
                    self._thread = None
                    return

    def _run(self) -> None:
        while True:
            try:
                self._checkpoint()
            except Exception:  # a failed checkpoint is retried by the next commit's
                log.exception("background WAL checkpoint failed")
            with self._lock:
                if not self._again:
                    return
                self._again = False

    def _checkpoint(self) -> None:
        raw = self._engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            cursor.close()
        finally:
            raw.close()
