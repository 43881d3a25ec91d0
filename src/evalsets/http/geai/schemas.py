"""Globant ``dataSetApi`` request bodies, parsed tolerantly (unknown keys are ignored).

The extension of an expected source is accepted in every spelling seen in the wild: the
documented ``dataSetexpectedSourceExtention`` and pygeai's ``dataSetExpectedSourceExtension``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evalsets.core.errors import InvalidInput

DOC_EXTENSION = "dataSetexpectedSourceExtention"
"""The spelling of the documentation and of the real server's replies."""
SDK_EXTENSION = "dataSetExpectedSourceExtension"
"""The spelling pygeai sends (and the correct one)."""


class Tolerant(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=False)


class DatasetIn(Tolerant):
    """A dataset to create (``POST /dataSet`` and the dataset file upload)."""

    name: str = Field(validation_alias="dataSetName", min_length=1)
    description: str | None = Field(None, validation_alias="dataSetDescription")
    type: str | None = Field(None, validation_alias="dataSetType")
    active: bool | None = Field(None, validation_alias="dataSetActive")
    rows: list[Any] | None = None
    """Read by ``mapping.read_rows`` (fast, and tolerant of both extension spellings)."""


class DatasetPatch(Tolerant):
    """A partial dataset update (``PUT /dataSet/{id}``)."""

    name: str | None = Field(None, validation_alias="dataSetName", min_length=1)
    description: str | None = Field(None, validation_alias="dataSetDescription")
    type: str | None = Field(None, validation_alias="dataSetType")
    active: bool | None = Field(None, validation_alias="dataSetActive")
    rows: list[Any] | None = None


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], value: object, what: str) -> M:
    """A model from parsed JSON; InvalidInput (400) with the first problem otherwise."""
    if not isinstance(value, dict):
        raise InvalidInput(f"{what} must be a JSON object")
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise InvalidInput(f"invalid {what}: {_first(exc)}") from None


def _first(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    text = str(first.get("msg", "invalid"))
    return f"{where}: {text}" if where else text
