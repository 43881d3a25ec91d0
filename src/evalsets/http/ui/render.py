"""Jinja2 rendering for the UI: autoescaped templates, a few filters, safe response headers."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import orjson
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from evalsets import __version__
from evalsets.http.responses import OrjsonResponse

HERE = Path(__file__).resolve().parent
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def pretty(value: Any) -> str:
    """JSON, indented (escaped later by the template's autoescape)."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()


def brief(value: Any, width: int = 160) -> str:
    """A one-line preview of a JSON value, cut at ``width`` characters."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    return text if len(text) <= width else text[: width - 1] + "…"


def when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return "" if value is None else str(value)


def short_id(value: str | None) -> str:
    return "" if not value else f"{value[:4]}…{value[-6:]}"


def others(record: dict[str, Any]) -> dict[str, Any]:
    """Fields outside the table's named columns."""
    named = {"id", "inputs", "messages", "expected", "metadata", "context"}
    return {k: v for k, v in record.items() if k not in named}


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pretty=pretty, brief=brief, when=when, short_id=short_id, others=others)
    env.globals.update(version=__version__)
    return env


def query(request: Request, **changes: Any) -> str:
    """The current URL's query with some parameters changed (None drops one)."""
    params = dict(request.query_params)
    params.pop("done", None)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


def page(
    request: Request, template: str, data: dict[str, Any], *, status: int = 200, **extra: Any
) -> Response:
    """A page rendered from its data, or the data itself as JSON with ``?format=json``."""
    if request.query_params.get("format") == "json":
        return OrjsonResponse(data, status_code=status)
    viewer = getattr(request.state, "viewer", None)
    context = {
        "data": data,
        "request": request,
        "viewer": viewer,
        "csrf": viewer.session.csrf if viewer else "",
        "query": lambda **changes: query(request, **changes),
        **extra,
    }
    html = environment().get_template(template).render(context)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
