"""Typed domain errors raised by the core and the store.

The tree::

    EvalsetsError
    ├── NotFound            an object does not exist in the caller's project
    ├── Conflict            the request clashes with the current state
    │   ├── NameTaken       a unique name or path is already used
    │   ├── StaleVersion    a write named a base version the dataset has moved past
    │   └── VersionCommitted  a committed version cannot be committed or edited again
    ├── InvalidInput        the request is malformed or violates a rule
    │   └── PayloadTooLarge the request body is larger than allowed
    ├── Unauthorized        no key, or an unknown or revoked key
    └── Forbidden           the caller's key lacks the scope for the operation

Each HTTP dialect maps these classes to its vendor's status codes and bodies.
"""

from __future__ import annotations

from typing import Any


class EvalsetsError(Exception):
    """Base of every error the core raises on purpose."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(EvalsetsError):
    """The object does not exist, or belongs to another project."""

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"{kind} {ident!s} not found", kind=kind, id=str(ident))
        self.kind = kind
        self.ident = ident


class Conflict(EvalsetsError):
    """The request clashes with the current state of the store."""


class NameTaken(Conflict):
    """A name or path that must be unique is already used."""


class StaleVersion(Conflict):
    """The dataset's head is no longer the version the write was based on."""

    def __init__(self, expected: str, current: str | None) -> None:
        super().__init__(
            f"dataset has moved on: expected head {expected}, current head {current}",
            expected=expected,
            current=current,
        )
        self.expected = expected
        self.current = current


class VersionCommitted(Conflict):
    """A committed version is immutable."""


class InvalidInput(EvalsetsError):
    """The request is malformed or breaks a rule of the model."""

    def __init__(self, message: str, field: str | None = None, **details: Any) -> None:
        super().__init__(message, field=field, **details)
        self.field = field


class Forbidden(EvalsetsError):
    """The caller is not allowed to perform the operation."""


class PayloadTooLarge(InvalidInput):
    """The request body is larger than the server accepts."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body is larger than {limit} bytes", limit=limit)
        self.limit = limit


class Unauthorized(EvalsetsError):
    """No API key was given, or it is unknown or revoked."""
