"""Every remote command of ``evalsets`` through Typer's CliRunner against a served evalsets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evalsets.sdk import Client, EvalsetsConnectionError
from tests.cli.helpers import Cli
from tests.clients import Served, free_port
from tests.sdk.served import unique


@pytest.fixture
def client(server: Served) -> Iterator[Client]:
    with Client(server.url, server.admin_key) as found:
        yield found


def _jsonl(path: Path, rows: int, start: int = 0) -> Path:
    path.write_text(
        "".join(
            json.dumps({"inputs": {"i": i}, "expected": f"e{i}"}) + "\n"
            for i in range(start, start + rows)
        )
    )
    return path


def _lines(path: Path) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in json.loads(line).items() if k != "id"}
        for line in path.read_text().splitlines()
    ]


def test_datasets_ls_create_mv_rm(cli: Cli) -> None:
    path = unique("cli")
    created = cli("datasets", "create", path, "--description", "qa", "--tag", "a")
    ident = created.stdout.split()[0]
    assert ident.startswith("ds_")
    listed = cli("datasets", "ls", "--search", path)
    assert path in listed.stdout and ident in listed.stdout
    as_json = json.loads(cli("datasets", "ls", "--search", path, "--json").stdout)
    assert [(d["id"], d["tags"]) for d in as_json] == [(ident, ["a"])]
    taken = cli("datasets", "create", path, code=7)
    assert "already" in taken.stderr or "taken" in taken.stderr
    cli("datasets", "mv", path, path + "-2")
    assert cli("datasets", "ls", "--search", path + "-2", "--json").stdout.count(ident) == 1
    assert "not deleted" in cli("datasets", "rm", ident, code=2, input="n\n").stderr
    cli("datasets", "rm", path + "-2", "--yes")
    missing = cli("datasets", "rm", ident, "--yes", code=3)
    assert "not found" in missing.stderr.lower() or ident in missing.stderr


def test_import_log_export_show_commit_tag_deploy_restore(cli: Cli, tmp_path: Path) -> None:
    path = unique("cli")
    first = _jsonl(tmp_path / "a.jsonl", 30)
    imported = cli("import", str(first), path, "-m", "first rows", "-q")
    assert "imported 30 rows" in imported.stdout and "version 1" in imported.stdout
    second = _jsonl(tmp_path / "b.jsonl", 5, start=30)
    cli("import", str(second), path, "-m", "five more", "--no-commit", "-q")
    cli("commit", path, "-m", "five more", "--name", "v-two")
    log = cli("log", path).stdout
    assert log.index("version 2") < log.index("version 1")
    assert "five more" in log and "tag: v-two" in log and "Rows:   35" in log
    oneline = cli("log", path, "--oneline").stdout.splitlines()
    assert len(oneline) == 2 and oneline[1].startswith("v1 ")
    cli("tag", f"{path}@1", "baseline")
    cli("deploy", f"{path}@baseline", "production")
    out = tmp_path / "prod.jsonl"
    cli("export", f"{path}@production", str(out))
    assert _lines(out) == _lines(first)
    cli("export", path, str(tmp_path / "all.csv"))
    assert (tmp_path / "all.csv").read_text().count("\n") == 36
    record = json.loads(cli("export", f"{path}@v-two", "-").stdout.splitlines()[0])
    shown = json.loads(cli("show", f"{path}@1", record["id"]).stdout)
    assert shown == record
    version = json.loads(cli("show", f"{path}@production").stdout)
    assert version["number"] == 1 and version["name"] == "baseline"
    restored = cli("restore", f"{path}@1", "-m", "roll back")
    assert "as version 3" in restored.stdout
    cli("export", path, str(out))
    assert _lines(out) == _lines(first)
    assert "production" in cli("log", path).stdout
    cli("show", f"{path}@9", code=3)
    cli("restore", path, code=2)


def test_import_csv_and_parquet(cli: Cli, client: Client, tmp_path: Path) -> None:
    origin = unique("cli")
    source = _jsonl(tmp_path / "s.jsonl", 40)
    cli("import", str(source), origin, "-q")
    for suffix in ("csv", "parquet"):
        exported = tmp_path / f"x.{suffix}"
        cli("export", origin, str(exported))
        target = unique("cli")
        cli("import", str(exported), target, "-q")
        back = tmp_path / f"back-{suffix}.jsonl"
        cli("export", target, str(back))
        assert _lines(back) == _lines(source)


def test_interrupted_import_resumes_to_completion(
    cli: Cli, client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _jsonl(tmp_path / "big.jsonl", 900)
    straight = unique("cli")
    cli("import", str(source), straight, "-q", "--chunk-rows", "100")
    path = unique("cli")
    real = Client.import_rows
    calls: list[int] = []

    def flaky(self: Client, ref: Any, rows: Any, **options: Any) -> Any:
        calls.append(1)
        if len(calls) == 4:
            raise EvalsetsConnectionError("connection reset by peer")
        return real(self, ref, rows, **options)

    with monkeypatch.context() as patch:
        patch.setattr(Client, "import_rows", flaky)
        broken = cli("import", str(source), path, "--chunk-rows", "100", "-q", code=5)
    assert "300 rows are safe" in broken.stderr and "resume" in broken.stderr
    versions = client.versions(path)
    assert [(v.committed, v.datapoint_count) for v in versions] == [(False, 300)]
    resumed = cli("import", str(source), path, "--chunk-rows", "100", "-q")
    assert "resuming" in resumed.stderr and "900 rows" in resumed.stdout
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    cli("export", straight, str(a))
    cli("export", path, str(b))
    assert _lines(a) == _lines(b) == _lines(source)
    assert [v.number for v in client.versions(path)] == [1]


def test_bad_file_names_line_and_column(cli: Cli, client: Client, tmp_path: Path) -> None:
    path = unique("cli")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"inputs": {}}\n{"inputs": {"a": 1},, }\n')
    result = cli("import", str(bad), path, "-q", code=6)
    assert "line 2, column 21" in result.stderr
    assert client.find_dataset(path) is None
    client.create_dataset(path)
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text('{"inputs": {}}\n[1, 2]\n')
    assert "line 2" in cli("import", str(wrong), path, "-q", code=6).stderr
    assert client.versions(path) == []


def test_diff_shows_a_known_change(cli: Cli, client: Client, tmp_path: Path) -> None:
    path = unique("cli")
    client.create_dataset(path)
    _, ids = client.add(path, [{"inputs": {"q": "a"}, "expected": "x"}, {"inputs": {"q": "b"}}])
    client.commit(path, message="base")
    client.patch_datapoint(path, ids[0], {"expected": "y"})
    client.delete_datapoints(path, [ids[1]])
    _, new = client.add(path, [{"inputs": {"q": "c"}}])
    client.commit(path, message="edit")
    text = cli("diff", path, "1", "2").stdout
    assert f"- {ids[1]}" in text and f"+ {new[0]}" in text and f"~ {ids[0]}" in text
    assert '  - expected: "x"' in text and '  + expected: "y"' in text
    stat = cli("diff", path, "v1", "--stat").stdout
    assert "1 added, 1 removed, 1 changed" in stat and "expected" in stat
    as_json = json.loads(cli("diff", path, "1", "2", "--json").stdout)
    assert as_json["stats"] == {"added": 1, "removed": 1, "changed": 1}
    assert as_json["changed"][0]["before"]["expected"] == "x"


def test_login_profiles_and_bad_keys(cli: Cli, server: Served, tmp_path: Path) -> None:
    bare = {"EVALSETS_URL": "", "EVALSETS_API_KEY": ""}
    refused = cli("login", "--url", server.url, "--key", "es_wrong", code=4)
    assert "API key was refused" in refused.stderr
    cli("login", "--url", server.url, "--key", server.admin_key, "--profile", "prod", env=bare)
    stored = json.loads((tmp_path / "config" / "profiles.json").read_text())
    assert stored["prod"]["url"] == server.url
    cli("datasets", "ls", "--profile", "prod", env=bare)
    assert "no server" in cli("datasets", "ls", code=2, env=bare).stderr
    assert "no profile" in cli("datasets", "ls", "--profile", "x", code=2, env=bare).stderr
    wrong = cli("datasets", "ls", "--key", "es_wrong", code=4)
    assert "API key was refused" in wrong.stderr
    nowhere = cli("datasets", "ls", "--url", f"http://127.0.0.1:{free_port()}", code=5)
    assert "cannot reach" in nowhere.stderr


def test_ctrl_c_during_import_exits_130_and_resumes(
    cli: Cli, client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _jsonl(tmp_path / "c.jsonl", 250)
    path = unique("cli")
    real = Client.import_rows
    calls: list[int] = []

    def interrupted(self: Client, ref: Any, rows: Any, **options: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, ref, rows, **options)

    with monkeypatch.context() as patch:
        patch.setattr(Client, "import_rows", interrupted)
        stopped = cli("import", str(source), path, "--chunk-rows", "100", "-q", code=130)
    assert "interrupted after 100 rows" in stopped.stderr
    cli("import", str(source), path, "--chunk-rows", "100", "-q", "-m", "done")
    out = tmp_path / "out.jsonl"
    cli("export", path, str(out))
    assert _lines(out) == _lines(source)
