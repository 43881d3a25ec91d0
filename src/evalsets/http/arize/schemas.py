"""Request bodies of the Arize v2 dataset API."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

MAX_EXAMPLES = 1000
Examples = Annotated[list[Any], Field(min_length=1, max_length=MAX_EXAMPLES)]


class CreateDataset(BaseModel):
    name: str
    space_id: str
    examples: Examples


class UpdateDataset(BaseModel):
    name: str


class InsertExamples(BaseModel):
    examples: Examples


class UpdateExamples(BaseModel):
    examples: Examples
    new_version: str | None = None


class DeleteExamples(BaseModel):
    dataset_version_id: str
    example_ids: Annotated[list[str], Field(min_length=1, max_length=MAX_EXAMPLES)]


class SearchExamples(BaseModel):
    filter: str | None = None
    limit: Annotated[int, Field(ge=1, le=500)] = 50
    cursor: str | None = None
    dataset_version_id: str | None = None


class AnnotationValue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1)]
    score: float | None = None
    label: str | None = None
    text: str | None = None


class AnnotateRecord(BaseModel):
    record_id: str
    values: Annotated[list[AnnotationValue], Field(min_length=1)]


class AnnotateExamples(BaseModel):
    annotations: Annotated[list[AnnotateRecord], Field(max_length=MAX_EXAMPLES)]


class TagIds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tag_ids: Annotated[list[str], Field(min_length=1, max_length=100)]
