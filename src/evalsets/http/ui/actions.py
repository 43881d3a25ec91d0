"""The UI's writes (POST forms): edit, add and delete datapoints; commit, name, deploy, restore.

Each handler checks the CSRF token, makes one core call and redirects (303) to the page that
shows the result. Edits name the version the page showed (``head``) as the expected newest
version, so an edit made on a stale page fails instead of landing somewhere unexpected.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

import orjson
from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from evalsets.core.errors import InvalidInput
from evalsets.core.versioning import VersionMeta
from evalsets.http.auth import engine_of
from evalsets.http.ui import data
from evalsets.http.ui.render import page
from evalsets.http.ui.session import Viewer, check_csrf, writer

router = APIRouter()
Writer = Annotated[Viewer, Depends(writer)]
Text = Annotated[str, Form()]
Optional = Annotated[str, Form()]


def _to(path: str, done: str) -> RedirectResponse:
    sep = "&" if "?" in path else "?"
    return RedirectResponse(f"/ui{path}{sep}done={done}", status_code=303)


def _record(text: str) -> dict[str, Any]:
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"not valid JSON: {exc}", field="content") from None
    if not isinstance(value, dict):
        raise InvalidInput("a datapoint must be a JSON object", field="content")
    value.pop("id", None)
    return value


def _meta(who: Viewer, **fields: Any) -> VersionMeta:
    return VersionMeta(author=who.principal.author, **fields)


def _form_again(
    request: Request, found: dict[str, Any], text: str, exc: InvalidInput, editing: bool
) -> Response:
    title = "Edit datapoint" if editing else "Add a datapoint"
    return page(
        request,
        "edit.html",
        found,
        status=422,
        title=title,
        text=text,
        error=exc.message,
        editing=editing,
    )


@router.post("/datasets/{dataset_id}/datapoints")
def add_datapoint(
    dataset_id: str,
    request: Request,
    who: Writer,
    csrf: Text,
    content: Text,
    head: Optional = "",
) -> Response:
    """Add a datapoint to the draft (opened on the newest version if there is none)."""
    check_csrf(who.session, csrf)
    engine = engine_of(request)
    try:
        result = engine.data.add(
            who.project_id,
            dataset_id,
            [_record(content)],
            meta=_meta(who),
            expected_head=head or None,
        )
    except InvalidInput as exc:
        found = data.dataset_page(engine, who.project_id, dataset_id, limit=25)
        found["page"] = None
        return _form_again(request, found, content, exc, editing=False)
    ident = quote(result.datapoint_ids[0]) if result.datapoint_ids else ""
    return _to(f"/datasets/{quote(dataset_id)}/datapoints/{ident}", "added")


@router.post("/datasets/{dataset_id}/datapoints/{datapoint_id}")
def save_datapoint(
    dataset_id: str,
    datapoint_id: str,
    request: Request,
    who: Writer,
    csrf: Text,
    content: Text,
    head: Optional = "",
) -> Response:
    """Replace a datapoint's content in the draft."""
    check_csrf(who.session, csrf)
    engine = engine_of(request)
    try:
        engine.data.update(
            who.project_id,
            dataset_id,
            [(datapoint_id, _record(content))],
            meta=_meta(who),
            expected_head=head or None,
        )
    except InvalidInput as exc:
        found = data.datapoint_page(engine, who.project_id, dataset_id, datapoint_id)
        return _form_again(request, found, content, exc, editing=True)
    return _to(f"/datasets/{quote(dataset_id)}/datapoints/{quote(datapoint_id)}", "saved")


@router.post("/datasets/{dataset_id}/datapoints/{datapoint_id}/delete")
def delete_datapoint(
    dataset_id: str,
    datapoint_id: str,
    request: Request,
    who: Writer,
    csrf: Text,
    head: Optional = "",
) -> Response:
    """Remove a datapoint from the draft."""
    check_csrf(who.session, csrf)
    engine_of(request).data.remove(
        who.project_id, dataset_id, [datapoint_id], meta=_meta(who), expected_head=head or None
    )
    return _to(f"/datasets/{quote(dataset_id)}", "deleted")


@router.post("/datasets/{dataset_id}/commit")
def commit(
    dataset_id: str,
    request: Request,
    who: Writer,
    csrf: Text,
    message: Text,
    name: Optional = "",
) -> Response:
    """Commit the draft with a message (and optionally a name)."""
    check_csrf(who.session, csrf)
    if not message.strip():
        raise InvalidInput("a commit needs a message", field="message")
    engine_of(request).datasets.commit(
        who.project_id, dataset_id, message=message.strip(), name=name.strip() or None
    )
    return _to(f"/datasets/{quote(dataset_id)}", "committed")


@router.post("/datasets/{dataset_id}/versions/{version_id}")
def describe_version(
    dataset_id: str,
    version_id: str,
    request: Request,
    who: Writer,
    csrf: Text,
    name: Optional = "",
    description: Optional = "",
) -> Response:
    """Name and describe a version (an empty name removes it)."""
    check_csrf(who.session, csrf)
    engine_of(request).datasets.update_version(
        who.project_id,
        dataset_id,
        version_id,
        name=name.strip() or None,
        description=description.strip() or None,
    )
    return _to(f"/datasets/{quote(dataset_id)}?version={quote(version_id)}", "named")


@router.post("/datasets/{dataset_id}/versions/{version_id}/deploy")
def deploy(
    dataset_id: str,
    version_id: str,
    request: Request,
    who: Writer,
    csrf: Text,
    environment: Text,
) -> Response:
    """Point an environment at this version."""
    check_csrf(who.session, csrf)
    engine_of(request).datasets.deploy(who.project_id, dataset_id, environment, version_id)
    return _to(f"/datasets/{quote(dataset_id)}?version={quote(version_id)}", "deployed")


@router.post("/datasets/{dataset_id}/versions/{version_id}/restore")
def restore(
    dataset_id: str,
    version_id: str,
    request: Request,
    who: Writer,
    csrf: Text,
) -> Response:
    """A new committed version whose contents equal this one's."""
    check_csrf(who.session, csrf)
    engine = engine_of(request)
    old = engine.datasets.version(who.project_id, dataset_id, version_id)
    meta = _meta(who, commit=True, message=f"Restore version {old.number}")
    engine.data.restore(who.project_id, dataset_id, version_id, meta)
    return _to(f"/datasets/{quote(dataset_id)}", "restored")
