"""The engine: the one object the HTTP dialects, the UI and the CLI talk to."""

from __future__ import annotations

from evalsets.core.admin import Admin
from evalsets.core.data import Data
from evalsets.core.datasets import Datasets
from evalsets.store.store import Store


class Engine:
    """Everything evalsets can do with its data, grouped by concern."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.admin = Admin(store)
        self.datasets = Datasets(store)
        self.data = Data(store)
