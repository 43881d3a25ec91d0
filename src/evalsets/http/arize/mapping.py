"""Arize examples (flat rows of user columns) to datapoint content and back.

The rule (documented in docs/migrate/arize.md), for a dataset whose *expected column* is ``E``:

Arize -> canonical, column by column:

- the column ``E`` with a non-null value -> ``expected``;
- ``messages`` (a list), ``context`` (not null), ``metadata`` (an object), ``sources`` (a list),
  ``filters`` (a list), ``trace`` (an object) -> the canonical field of the same name;
- every other column (including those above when their value does not fit) -> ``inputs[column]``.

Canonical -> Arize: the keys of ``inputs`` become columns, then ``expected`` becomes column ``E``
and every other key becomes the column of its name (a canonical field wins over an ``inputs``
key of the same name). ``annotations`` is Arize's system field, kept under the content key
``annotations``. Both directions are inverse to each other for every example written through
Arize, so examples round-trip unchanged.

``E`` is fixed per dataset when Arize creates it: the first of ``expected``, ``expected_output``,
``output`` that any example has (``expected`` if none), stored in the dataset's attributes under
``arize.expected_column``. Datasets made elsewhere use ``expected``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from evalsets.core.content import Record
from evalsets.core.errors import InvalidInput
from evalsets.core.model import Dataset

EXPECTED_COLUMNS = ("expected", "expected_output", "output")
DEFAULT_EXPECTED = "expected"
SYSTEM_COLUMNS = ("id", "created_at", "updated_at")
ANNOTATIONS = "annotations"
ATTRIBUTE = "arize"

_DIRECT: dict[str, type | None] = {
    "messages": list,
    "sources": list,
    "filters": list,
    "metadata": dict,
    "trace": dict,
    "context": None,
}
"""Columns that map to the canonical field of their name when the value has this type."""


def expected_column_of(dataset: Dataset) -> str:
    """The column of this dataset that holds the canonical ``expected``."""
    settings = dataset.attributes.get(ATTRIBUTE)
    if isinstance(settings, Mapping):
        column = settings.get("expected_column")
        if isinstance(column, str) and column:
            return column
    return DEFAULT_EXPECTED


def choose_expected_column(examples: Iterable[Mapping[str, Any]]) -> str:
    """The expected column of a new dataset: the first known name any example uses."""
    seen: set[str] = set()
    for example in examples:
        seen.update(k for k in EXPECTED_COLUMNS if k in example)
        if EXPECTED_COLUMNS[0] in seen:
            break
    return next((name for name in EXPECTED_COLUMNS if name in seen), DEFAULT_EXPECTED)


def to_content(example: Mapping[str, Any], expected_column: str) -> Record:
    """The datapoint content of a flat Arize example (system columns must be gone)."""
    inputs: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    for column, value in example.items():
        if value is None:
            inputs[column] = value
        elif column == expected_column:
            fields["expected"] = value
        elif column in _DIRECT:
            kind = _DIRECT[column]
            if kind is None or isinstance(value, kind):
                fields[column] = value
            else:
                inputs[column] = value
        else:
            inputs[column] = value
    content: Record = {"inputs": inputs} if inputs else {}
    content.update(fields)
    return content


def to_columns(content: Mapping[str, Any], expected_column: str) -> dict[str, Any]:
    """The flat user columns of a datapoint's content (no system fields)."""
    columns: dict[str, Any] = {}
    inputs = content.get("inputs")
    if isinstance(inputs, Mapping):
        columns.update(inputs)
    for key, value in content.items():
        if key == "inputs" or key == ANNOTATIONS:
            continue
        columns[expected_column if key == "expected" else key] = value
    return columns


def annotations_of(content: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The Arize annotations kept in a datapoint's content (well-formed entries only)."""
    found = content.get(ANNOTATIONS)
    if not isinstance(found, list):
        return []
    return [a for a in found if isinstance(a, dict) and isinstance(a.get("name"), str)]


def check_new_example(example: object, index: int) -> Mapping[str, Any]:
    """An example for create or append: a non-empty object without system fields."""
    if not isinstance(example, Mapping) or not example:
        raise InvalidInput(
            f"examples[{index}] must be an object with at least one property", field="examples"
        )
    taken = [k for k in (*SYSTEM_COLUMNS, ANNOTATIONS) if k in example]
    if taken:
        raise InvalidInput(
            f"examples[{index}] contains system-managed field '{taken[0]}'", field="examples"
        )
    return example


def merged(old: Mapping[str, Any], patch: Mapping[str, Any], expected_column: str) -> Record:
    """Content after an update by id: the patch's columns over the old ones, annotations kept."""
    columns = to_columns(old, expected_column)
    columns.update({k: v for k, v in patch.items() if k != "id"})
    content = to_content(columns, expected_column)
    if ANNOTATIONS in old:
        content[ANNOTATIONS] = old[ANNOTATIONS]
    return content
