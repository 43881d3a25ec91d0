"""evalsets: versioned datasets for evaluating AI assistants.

``evalsets.Client`` (the Python SDK) is imported on first use, so ``import evalsets`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from evalsets.sdk import Client

__all__ = ["Client", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Client":
        from evalsets.sdk import Client

        return Client
    raise AttributeError(f"module 'evalsets' has no attribute {name!r}")
