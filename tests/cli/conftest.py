"""CLI tests run against a real server, one per backend per module."""

from tests.sdk.served import server

__all__ = ["server"]
