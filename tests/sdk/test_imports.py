"""Resumable file imports: interrupted anywhere, a resumed import equals an uninterrupted one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evalsets.sdk import Client, EvalsetsConnectionError, InvalidFile
from evalsets.sdk.imports import ImportStateError
from tests.clients import Served
from tests.sdk.served import unique

ROWS = 1000
CHUNK = 150


@pytest.fixture
def client(server: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    monkeypatch.setenv("EVALSETS_STATE_DIR", str(tmp_path / "state"))
    with Client(server.url, server.admin_key) as found:
        yield found


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "data.jsonl"
    lines = [json.dumps({"inputs": {"i": i}, "expected": f"e{i}"}) for i in range(ROWS)]
    lines.insert(10, "")
    path.write_text("\n".join(lines) + "\n")
    return path


def _contents(client: Client, path: str) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "id"} for r in client.export_records(path)]


def _seeded(client: Client) -> str:
    path = unique("imp")
    client.create_dataset(path)
    client.write_version(path, [{"inputs": {"seed": 1}}], commit=True)
    return path


def _failing(monkeypatch: pytest.MonkeyPatch, at_call: int, *, after_sending: bool) -> list[int]:
    """Make the ``at_call``-th chunk fail (before it is sent, or after it landed)."""
    calls: list[int] = []
    real = Client.import_rows

    def flaky(self: Client, ref: Any, rows: Any, **options: Any) -> Any:
        calls.append(len(calls) + 1)
        if len(calls) == at_call and not after_sending:
            raise EvalsetsConnectionError("connection reset")
        result = real(self, ref, rows, **options)
        if len(calls) == at_call:
            raise EvalsetsConnectionError("response lost")
        return result

    monkeypatch.setattr(Client, "import_rows", flaky)
    return calls


@pytest.mark.parametrize("after_sending", [False, True])
def test_interrupted_import_resumes_to_the_same_contents(
    client: Client, source: Path, monkeypatch: pytest.MonkeyPatch, after_sending: bool
) -> None:
    straight = _seeded(client)
    expected = client.import_file(straight, source, chunk_rows=CHUNK, message="m")
    resumed = _seeded(client)
    with monkeypatch.context() as patch:
        _failing(patch, 3, after_sending=after_sending)
        with pytest.raises(EvalsetsConnectionError):
            client.import_file(resumed, source, chunk_rows=CHUNK, message="m")
    draft = client.newest_version(resumed)
    assert draft is not None and not draft.committed
    assert draft.datapoint_count == 1 + CHUNK * (3 if after_sending else 2)
    done = client.import_file(resumed, source, chunk_rows=CHUNK, message="m")
    assert (done.number, done.datapoint_count, done.commit_message) == (2, ROWS + 1, "m")
    assert expected.datapoint_count == ROWS + 1
    assert _contents(client, resumed) == _contents(client, straight)
    assert [v.number for v in client.versions(resumed)] == [2, 1]


def test_interrupted_commit_is_not_repeated(
    client: Client, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _seeded(client)
    real = Client.commit

    def lost(self: Client, *args: Any, **kwargs: Any) -> Any:
        real(self, *args, **kwargs)
        raise EvalsetsConnectionError("response lost")

    with monkeypatch.context() as patch:
        patch.setattr(Client, "commit", lost)
        with pytest.raises(EvalsetsConnectionError):
            client.import_file(path, source, chunk_rows=400)
    done = client.import_file(path, source, chunk_rows=400)
    assert done.committed and done.datapoint_count == ROWS + 1
    assert len(client.versions(path)) == 2


def test_changed_file_refuses_to_resume(
    client: Client, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _seeded(client)
    with monkeypatch.context() as patch:
        _failing(patch, 2, after_sending=False)
        with pytest.raises(EvalsetsConnectionError):
            client.import_file(path, source, chunk_rows=CHUNK)
    with source.open("a") as more:
        more.write('{"inputs": {"late": true}}\n')
    with pytest.raises(ImportStateError, match="changed"):
        client.import_file(path, source, chunk_rows=CHUNK)
    done = client.import_file(path, source, chunk_rows=CHUNK, restart=True)
    assert done.datapoint_count == ROWS + 2


def test_replace_resumes_over_an_open_draft(
    client: Client, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _seeded(client)
    client.add(path, [{"inputs": {"pending": 1}}])
    with monkeypatch.context() as patch:
        _failing(patch, 1, after_sending=True)
        with pytest.raises(EvalsetsConnectionError):
            client.import_file(path, source, chunk_rows=CHUNK, mode="replace")
    done = client.import_file(path, source, chunk_rows=CHUNK, mode="replace")
    assert done.datapoint_count == ROWS
    assert [r["inputs"]["i"] for r in client.export_records(path)] == list(range(ROWS))


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_tabular_files_resume(
    client: Client, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    origin = _seeded(client)
    client.import_file(origin, source)
    table = tmp_path / f"data.{suffix}"
    client.export_file(origin, table)
    path = unique("tab")
    client.create_dataset(path)
    with monkeypatch.context() as patch:
        _failing(patch, 2, after_sending=True)
        with pytest.raises(EvalsetsConnectionError):
            client.import_file(path, table, chunk_rows=300)
    done = client.import_file(path, table, chunk_rows=300)
    assert done.datapoint_count == ROWS + 1
    assert _contents(client, path) == _contents(client, origin)


def test_bad_lines_name_line_and_column(client: Client, tmp_path: Path) -> None:
    path = _seeded(client)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"inputs": {}}\n\n{"inputs": {}, oops}\n')
    with pytest.raises(InvalidFile) as syntax:
        client.import_file(path, bad, chunk_rows=1)
    assert (syntax.value.line, syntax.value.column) == (3, 16)
    typed = tmp_path / "typed.jsonl"
    typed.write_text('{"inputs": {}}\n{"inputs": {}}\n{"messages": "no"}\n')
    with pytest.raises(InvalidFile) as wrong:
        client.import_file(path, typed, chunk_rows=2)
    assert wrong.value.line == 3 and "messages" in str(wrong.value)
    assert [(v.number, v.datapoint_count) for v in client.versions(path)] == [(1, 1)]
    client.add(path, [{"inputs": {"pending": True}}])
    with pytest.raises(InvalidFile):
        client.import_file(path, typed, chunk_rows=1)
    draft = client.newest_version(path)
    assert draft is not None and (draft.committed, draft.datapoint_count) == (False, 2)
