"""The official Humanloop SDK (0.8.38) against a served evalsets, over real HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from humanloop.core.api_error import ApiError
from humanloop.evals.run import _upsert_dataset
from humanloop.requests.create_datapoint_request import CreateDatapointRequestParams

from tests.clients import Served
from tests.humanloop.conftest import sdk


def project_key(server: Served, scopes: list[str] | None = None) -> str:
    """A key of a new, empty project."""
    with server.client() as admin:
        project = admin.post("/api/v1/projects", json={"name": f"hl-{uuid.uuid4().hex}"})
        body = {"name": "hl", "scopes": scopes or ["datasets:read", "datasets:write"]}
        key = admin.post(f"/api/v1/projects/{project.json()['id']}/keys", json=body)
        secret: str = key.json()["key"]
        return secret


def qa(question: str, answer: str) -> CreateDatapointRequestParams:
    return {"inputs": {"question": question}, "target": {"answer": answer}}


def test_upsert_dedup_versions_and_paging(served: Served) -> None:
    with sdk(served, project_key(served)) as (hl, recorder):
        first = hl.datasets.upsert(
            path="evals/qa",
            version_name="v1",
            version_description="first",
            datapoints=[qa(str(i), str(i)) for i in range(23)] + [qa("0", "0")],
        )
        assert (first.path, first.name, first.datapoints_count) == ("evals/qa", "qa", 23)
        assert (first.version_name, first.version_description) == ("v1", "first")
        assert first.id.startswith("ds_") and first.version_id.startswith("dsv_")

        # add: an existing datapoint is ignored unless its _dedupe_id differs
        added = hl.datasets.upsert(
            id=first.id,
            action="add",
            version_id=first.version_id,
            version_name="v2",
            datapoints=[
                qa("0", "0"),
                {"inputs": {"question": "0", "_dedupe_id": "again"}, "target": {"answer": "0"}},
            ],
        )
        assert added.datapoints_count == 24 and added.version_id != first.version_id
        # the same datapoints again: the same version, no duplicate
        same = hl.datasets.upsert(id=first.id, action="add", datapoints=[qa("1", "1")])
        assert same.version_id == added.version_id
        with pytest.raises(ApiError) as taken:
            hl.datasets.upsert(id=first.id, version_name="v1", datapoints=[qa("new", "x")])
        assert taken.value.status_code == 409
        removed = hl.datasets.upsert(
            id=first.id,
            action="remove",
            version_id=added.version_id,
            datapoints=[qa("22", "22")],
            include_datapoints=True,
        )
        assert removed.datapoints_count == 23 and removed.datapoints is not None
        assert {"question": "22"} not in [d.inputs for d in removed.datapoints]
        assert len(removed.datapoints) == 23 and added.datapoints is None

        # the pager walks page after page until an empty one
        recorder.requests.clear()
        listed = list(hl.datasets.list_datapoints(first.id, version_id=added.version_id, size=5))
        assert len(listed) == 24 and len({d.id for d in listed}) == 24
        pages = [p for m, p in recorder.requests if m == "GET"]
        assert len(pages) == 6 and "page=6" in pages[-1]
        assert listed[0].inputs == {"question": "0"} and listed[0].target == {"answer": "0"}
        assert listed[-1].inputs == {"question": "0", "_dedupe_id": "again"}
        full = hl.datasets.get(first.id, version_id=first.version_id, include_datapoints=True)
        assert full.datapoints is not None and len(full.datapoints) == 23
        assert hl.datasets.get(first.id).datapoints is None

        versions = hl.datasets.list_versions(first.id, include_datapoints="latest_saved").records
        assert [v.version_id for v in versions] == [
            removed.version_id,
            added.version_id,
            first.version_id,
        ]
        assert versions[0].datapoints is not None and len(versions[0].datapoints) == 23
        assert versions[1].datapoints is None
        renamed = hl.datasets.update_dataset_version(
            first.id, removed.version_id, name="v3", description="minus 22"
        )
        assert (renamed.version_name, renamed.version_description) == ("v3", "minus 22")
        with pytest.raises(ApiError) as clash:
            hl.datasets.update_dataset_version(first.id, removed.version_id, name="v2")
        assert clash.value.status_code == 409
        hl.datasets.delete_dataset_version(first.id, removed.version_id)
        with pytest.raises(ApiError) as deleted:
            hl.datasets.get(first.id, version_id=removed.version_id)
        assert deleted.value.status_code == 404
        remaining = hl.datasets.list_versions(first.id).records
        assert [v.version_id for v in remaining] == [added.version_id, first.version_id]
        # without version_id or a deployment, a read shows the newest version
        assert hl.datasets.get(first.id).version_id == added.version_id


def test_list_move_delete(served: Served) -> None:
    with sdk(served, project_key(served)) as (hl, recorder):
        created = [
            hl.datasets.upsert(path=f"team/set-{i}", datapoints=[qa(str(i), "a")]) for i in range(5)
        ]
        recorder.requests.clear()
        names = [d.name for d in hl.datasets.list(size=2, sort_by="name", order="asc")]
        assert names == [f"set-{i}" for i in range(5)]
        assert len(recorder.requests) == 4  # pages 1, 2, 3 and the empty page 4
        newest_first = [d.id for d in hl.datasets.list(size=10)]
        assert newest_first == [d.id for d in reversed(created)]
        assert [d.name for d in hl.datasets.list(name="SET-3")] == ["set-3"]
        page = hl.datasets.list(page=9, size=10)
        assert page.items == []

        moved = hl.datasets.move(created[0].id, path="archive/old")
        assert (moved.path, moved.name, moved.version_id) == (
            "archive/old",
            "old",
            created[0].version_id,
        )
        renamed = hl.datasets.move(created[0].id, name="older")
        assert renamed.path == "archive/older"
        hl.datasets.delete(created[1].id)
        with pytest.raises(ApiError) as gone:
            hl.datasets.get(created[1].id)
        assert gone.value.status_code == 404
        assert len(list(hl.datasets.list())) == 4


def test_environments_deploy_csv_and_eval_helper(served: Served) -> None:
    key = project_key(served, ["admin"])
    with served.client(key) as native:
        staging = native.post("/api/v1/environments", json={"name": "staging"}).json()
    with sdk(served, key) as (hl, _):
        v1 = hl.datasets.upsert(path="deploy/qa", datapoints=[qa("a", "1")])
        v2 = hl.datasets.upsert(path="deploy/qa", action="add", datapoints=[qa("b", "2")])
        envs = hl.datasets.list_environments(v1.id)
        assert [(e.name, e.tag, e.file) for e in envs] == [
            ("production", "default", None),
            ("staging", "other", None),
        ]
        on_staging = hl.datasets.set_deployment(v1.id, "staging", version_id=v2.version_id)
        assert [e.id for e in on_staging.environments or []] == [staging["id"]]
        assert hl.datasets.get(v1.id, environment="staging").version_id == v2.version_id

        deployed = hl.datasets.set_deployment(v1.id, envs[0].id, version_id=v1.version_id)
        assert deployed.version_id == v1.version_id
        assert [e.name for e in deployed.environments or []] == ["production"]
        envs = hl.datasets.list_environments(v1.id)
        assert envs[0].file is not None and envs[0].file.version_id == v1.version_id
        # the default read is the deployed version, not the newest
        assert hl.datasets.get(v1.id).version_id == v1.version_id
        prod = hl.datasets.list_datapoints(v1.id, environment="production")
        assert [d.inputs for d in prod] == [{"question": "a"}]
        # add without a base builds on the deployed version
        v3 = hl.datasets.upsert(id=v1.id, action="add", datapoints=[qa("c", "3")])
        assert v3.datapoints_count == 2 and v3.version_id != v2.version_id
        assert hl.datasets.set_deployment(v1.id, "production", version_id=v2.version_id)

        # the SDK's multipart has no boundary parameter; the upload still works
        csv = b'question,target\nd,"{""answer"": ""4""}"\ne,5\n'
        uploaded = hl.datasets.upload_csv(
            v1.id, file=("qa.csv", csv, "text/csv"), version_name="from csv"
        )
        assert uploaded.version_name == "from csv" and uploaded.datapoints_count == 4
        rows = hl.datasets.get(v1.id, version_id=uploaded.version_id, include_datapoints=True)
        assert [(d.inputs, d.target) for d in rows.datapoints or []][-2:] == [
            ({"question": "d"}, {"answer": "4"}),
            ({"question": "e"}, {"value": "5"}),
        ]

        # the evaluation helper resolves a path with an "add nothing" upsert: no new version
        before = len(hl.datasets.list_versions(v1.id).records)
        resolved = _upsert_dataset({"path": "deploy/qa"}, hl)
        assert resolved.version_id == v2.version_id and resolved.datapoints is not None
        assert len(hl.datasets.list_versions(v1.id).records) == before
        hl.datasets.remove_deployment(v1.id, envs[0].id)
        assert hl.datasets.list_environments(v1.id)[0].file is None
        assert hl.datasets.get(v1.id).version_id == uploaded.version_id
        with pytest.raises(ApiError) as none:
            hl.datasets.remove_deployment(v1.id, "production")
        assert none.value.status_code == 404
        # an "add nothing" upsert of a new path creates the dataset with an empty version
        fresh = _upsert_dataset({"path": "deploy/new"}, hl)
        assert fresh.datapoints_count == 0 and fresh.datapoints == []
        emptied = hl.datasets.upsert(path="deploy/none", action="remove", datapoints=[qa("a", "1")])
        assert emptied.datapoints_count == 0
        seeded = hl.datasets.upsert(path="deploy/seeded", action="add", datapoints=[qa("a", "1")])
        assert seeded.datapoints_count == 1


def test_old_commit_model(served: Served) -> None:
    """SDK ≤ 0.8.22 sent commit_message, /commit and ?status=: raw HTTP, as it would."""
    headers = {"X-API-KEY": project_key(served)}
    with httpx.Client(base_url=f"{served.url}/v5", headers=headers, timeout=60) as client:
        draft = client.post(
            "/datasets", json={"path": "old/qa", "datapoints": [{"inputs": {"q": "1"}}]}
        ).json()
        assert draft["status"] == "uncommitted" and draft["commit_message"] is None
        base = f"/datasets/{draft['id']}/versions"
        done = client.post(f"{base}/{draft['version_id']}/commit", json={"commit_message": "one"})
        assert done.status_code == 200
        assert (done.json()["status"], done.json()["commit_message"]) == ("committed", "one")
        again = client.post(f"{base}/{draft['version_id']}/commit", json={"commit_message": "x"})
        assert again.status_code == 409 and again.json()["detail"]["code"] == 409
        second = client.post(
            "/datasets",
            json={
                "id": draft["id"],
                "action": "add",
                "datapoints": [{"inputs": {"q": "2"}}],
                "commit_message": "two",
            },
        ).json()
        assert (second["status"], second["datapoints_count"]) == ("committed", 2)
        client.post("/datasets", json={"id": draft["id"], "datapoints": []})
        committed = client.get(base, params={"status": "committed"}).json()["records"]
        assert [v["commit_message"] for v in committed] == ["two", "one"]
        uncommitted = client.get(base, params={"status": "uncommitted"}).json()["records"]
        assert [v["datapoints_count"] for v in uncommitted] == [0]
        latest = client.get(base, params={"include_datapoints": "latest_committed"}).json()
        with_points = [v for v in latest["records"] if v.get("datapoints") is not None]
        assert [v["version_id"] for v in with_points] == [second["version_id"]]
        upload = client.post(
            f"/datasets/{draft['id']}/datapoints/csv",
            params={"version_id": second["version_id"]},
            data={"commit_message": "from csv"},
            files={"file": ("a.csv", b"q\n3\n", "text/csv")},
        ).json()
        assert (upload["status"], upload["datapoints_count"]) == ("committed", 3)


def test_native_and_humanloop_read_each_other(served: Served) -> None:
    key = project_key(served)
    with sdk(served, key) as (hl, _):
        with served.client(key) as native:
            ds = native.post("/api/v1/datasets", json={"path": "shared/native"}).json()
            native.post(
                f"/api/v1/datasets/{ds['id']}/versions",
                json={
                    "datapoints": [
                        {"inputs": {"q": "1"}, "expected": {"a": "1"}, "metadata": {"k": 1}},
                        {"inputs": {"q": "2"}, "expected": "two"},
                    ],
                    "message": "native",
                },
            )
            seen = [(d.inputs, d.target) for d in hl.datasets.list_datapoints(ds["id"])]
            assert seen == [({"q": "1"}, {"a": "1"}), ({"q": "2"}, {"value": "two"})]
            extra = next(iter(hl.datasets.list_datapoints(ds["id"])))
            assert extra.model_extra == {"metadata": {"k": 1}}
            # the same datapoints back through Humanloop: the same version
            back: list[Any] = [
                {"inputs": {"q": "1"}, "target": {"a": "1"}, "metadata": {"k": 1}},
                {"inputs": {"q": "2"}, "target": {"value": "two"}},
            ]
            same = hl.datasets.upsert(id=ds["id"], datapoints=back)
            assert (
                same.version_id
                == native.get(f"/api/v1/datasets/{ds['id']}").json()["head_version_id"]
            )
            assert same.model_extra is not None
            assert (same.model_extra["commit_message"], same.model_extra["status"]) == (
                "native",
                "committed",
            )

            written = hl.datasets.upsert(
                path="shared/humanloop",
                datapoints=[
                    {
                        "inputs": {"q": "3"},
                        "messages": [{"role": "user", "content": "3?"}],
                        "target": {"a": "3"},
                    }
                ],
            )
            items = native.get(f"/api/v1/datasets/{written.id}/datapoints").json()["items"]
            assert [{k: v for k, v in i.items() if k != "id"} for i in items] == [
                {
                    "inputs": {"q": "3"},
                    "messages": [{"role": "user", "content": "3?"}],
                    "expected": {"a": "3"},
                }
            ]
            versions = native.get(f"/api/v1/datasets/{written.id}/versions").json()["items"]
            assert [v["id"] for v in versions] == [written.version_id]


def test_other_projects_see_nothing(served: Served) -> None:
    with (
        sdk(served, project_key(served)) as (owner, _),
        sdk(served, project_key(served)) as (stranger, _),
        sdk(served, project_key(served, ["datasets:read"])) as (reader, _),
    ):
        ds = owner.datasets.upsert(path="private/qa", datapoints=[qa("secret", "x")])
        calls: list[Callable[[], object]] = [
            lambda: stranger.datasets.get(ds.id),
            lambda: list(stranger.datasets.list_datapoints(ds.id)),
            lambda: stranger.datasets.list_versions(ds.id),
            lambda: stranger.datasets.upsert(id=ds.id, datapoints=[]),
            lambda: stranger.datasets.move(ds.id, path="stolen"),
            lambda: stranger.datasets.delete(ds.id),
            lambda: stranger.datasets.set_deployment(ds.id, "production", version_id=ds.version_id),
            lambda: stranger.datasets.list_environments(ds.id),
        ]
        for call in calls:
            with pytest.raises(ApiError) as hidden:
                call()
            assert hidden.value.status_code == 404
        assert list(stranger.datasets.list()) == []
        with pytest.raises(ApiError) as forbidden:
            reader.datasets.upsert(path="x", datapoints=[])
        assert forbidden.value.status_code == 403
        kept = owner.datasets.get(ds.id, include_datapoints=True)
        assert kept.path == "private/qa" and kept.datapoints_count == 1
