"""evalsets: versioned datasets for evaluating AI assistants.

``evalsets.Client`` and ``evalsets.AsyncClient`` (the Python SDK) are imported on first use, so
``import evalsets`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from evalsets.sdk import AsyncClient, Client

__all__ = ["AsyncClient", "Client", "__version__"]


def __getattr__(name: str) -> Any:
    if name in ("Client", "AsyncClient"):
        from evalsets import sdk

        return getattr(sdk, name)
    raise AttributeError(f"module 'evalsets' has no attribute {name!r}")
