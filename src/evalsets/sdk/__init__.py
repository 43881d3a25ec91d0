"""The Python SDK of evalsets: ``Client``, ``AsyncClient``, typed errors, plain dataclasses."""

from evalsets.sdk.async_client import AsyncClient
from evalsets.sdk.client import Client
from evalsets.sdk.errors import (
    BadRequest,
    Conflict,
    EvalsetsApiError,
    EvalsetsConnectionError,
    Forbidden,
    InvalidInput,
    NameTaken,
    NotFound,
    PayloadTooLarge,
    ServerError,
    StaleVersion,
    Unauthorized,
    VersionCommitted,
)
from evalsets.sdk.models import Change, Dataset, Deployment, Diff, Page, Version
from evalsets.sdk.sources import InvalidFile

__all__ = [
    "AsyncClient",
    "BadRequest",
    "Change",
    "Client",
    "Conflict",
    "Dataset",
    "Deployment",
    "Diff",
    "EvalsetsApiError",
    "EvalsetsConnectionError",
    "Forbidden",
    "InvalidFile",
    "InvalidInput",
    "NameTaken",
    "NotFound",
    "Page",
    "PayloadTooLarge",
    "ServerError",
    "StaleVersion",
    "Unauthorized",
    "Version",
    "VersionCommitted",
]
