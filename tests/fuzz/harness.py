"""Schemathesis against one API's OpenAPI document (docs/openapi/<dialect>.json, and the
native API's docs/openapi.json).

Every generated request goes to an in-process app (schemathesis' ASGI transport) with a
read/write key of the default project; each response must not be a 5xx and must conform to the
document (``not_a_server_error``, ``response_schema_conformance``). Requests are valid and invalid
(both generation modes); path parameters are either generated or, half the time, the ids of a
seeded dataset, so the handlers behind the 404s run too.

``EVALSETS_FUZZ_CASES`` is the number of cases per dialect (default 30).
"""

from __future__ import annotations

import json
import math
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.generation.case import Case
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import response_schema_conformance

from evalsets.core.engine import Engine
from evalsets.core.model import Scope
from evalsets.http.arize import ids as arize_ids
from evalsets.http.geai.mapping import public_id

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "openapi"
DIALECTS = ("humanloop", "arize", "geai", "posthog")
#: The OpenAPI document each API is fuzzed from (the native API's is docs/openapi.json).
DOCUMENTS = {
    **{dialect: DOCS / f"{dialect}.json" for dialect in DIALECTS},
    "native": ROOT / "docs" / "openapi.json",
}
CHECKS = [not_a_server_error, response_schema_conformance]

Operation = APIOperation[Any, Any, Any, Any]


def target_cases() -> int:
    """Generated cases per dialect: ``EVALSETS_FUZZ_CASES``, else 30."""
    return int(os.environ.get("EVALSETS_FUZZ_CASES", "30"))


@dataclass
class Seeded:
    """A dataset with one committed version and one datapoint."""

    dataset_id: str
    version_id: str
    datapoint_id: str


def fuzz_key(engine: Engine) -> str:
    """A read/write key of the default project."""
    _, secret = engine.admin.create_key(1, "fuzz", [Scope.READ.value, Scope.WRITE.value])
    return secret


def seed(engine: Engine) -> Seeded:
    """A new dataset in the default project, with a datapoint carrying sources and filters."""
    ds = engine.datasets.create(1, f"fuzz/seeded-{uuid.uuid4().hex[:12]}")
    record = {
        "inputs": {"question": "What is 2 + 2?"},
        "expected": {"answer": "4"},
        "sources": [{"id": "s1", "name": "doc", "text": "arithmetic"}],
        "filters": [{"id": "f1", "name": "lang", "value": "en"}],
        "metadata": {"split": "test"},
    }
    written = engine.data.add(1, ds.id, [record])
    version = engine.datasets.commit(1, ds.id, written.version.id)
    return Seeded(ds.id, version.id, written.datapoint_ids[0])


def known_parameters(dialect: str, seeded: Seeded) -> dict[str, str]:
    """Path parameter values naming the seeded dataset, in the dialect's id forms."""
    if dialect in ("humanloop", "native"):
        return {
            "dataset_id": seeded.dataset_id,
            "version_id": seeded.version_id,
            "datapoint_id": seeded.datapoint_id,
            "project_id": "1",
        }
    if dialect == "arize":
        return {
            "dataset_id": arize_ids.dataset_id(1, seeded.dataset_id),
            "space_id": arize_ids.space_id(1),
        }
    if dialect == "geai":
        return {
            "dataSetId": public_id(seeded.dataset_id),
            "dataSetRowId": public_id(seeded.datapoint_id),
            "dataSetExpectedSourceId": "s1",
            "dataSetRowFilterVarId": "f1",
        }
    return {
        "project_ref": "1",
        "dataset_ref": public_id(seeded.dataset_id),
        "item_ref": public_id(seeded.datapoint_id),
    }


@dataclass
class Report:
    """What a fuzz run did: cases per operation and the failures found."""

    cases: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.cases.values())


def fuzz(app: Any, engine: Engine, dialect: str, cases: int) -> Report:
    """Run about ``cases`` generated requests (at least that many, unless exhausted).

    Each operation's run gets a newly seeded dataset: an earlier DELETE or PUT on the seeded
    ids would otherwise turn every later request into a 404.
    """
    document = json.loads(DOCUMENTS[dialect].read_text())
    schema = schemathesis.openapi.from_dict(document)
    operations: list[Operation] = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()
        operations.append(result.ok())
    headers = {"X-API-KEY": fuzz_key(engine)}
    report = Report()
    per_round = max(1, math.ceil(cases / len(operations)))
    live = list(operations)
    while live and report.total < cases:
        for operation in list(live):
            before = report.cases.get(operation.label, 0)
            known = known_parameters(dialect, seed(engine))
            _run(app, operation, known, headers, per_round, report)
            if report.cases.get(operation.label, 0) - before < per_round:
                live.remove(operation)  # every distinct case of this operation was generated
            if report.total >= cases:
                break
    return report


def _strategy(operation: Operation, known: dict[str, str]) -> st.SearchStrategy[Case[Any]]:
    """Valid and invalid requests; with the seeded ids as path parameters when they fit."""
    generated = [operation.as_strategy(mode) for mode in GenerationMode]
    names = {p.name for p in operation.path_parameters}
    if names and names <= known.keys():
        fixed = {name: known[name] for name in names}
        generated += [operation.as_strategy(mode, path_parameters=fixed) for mode in GenerationMode]
    return st.one_of(generated)


def _run(
    app: Any,
    operation: Operation,
    known: dict[str, str],
    headers: dict[str, str],
    examples: int,
    report: Report,
) -> None:
    label = operation.label

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=_strategy(operation, known))
    def check(case: Case[Any]) -> None:
        report.cases[label] = report.cases.get(label, 0) + 1
        response = case.call(app=app, headers=headers)
        report.statuses[response.status_code] = report.statuses.get(response.status_code, 0) + 1
        case.validate_response(response, checks=CHECKS)

    try:
        check()
    except (Exception, BaseExceptionGroup) as exc:  # every failure is collected and reported
        report.failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:3000]}")
