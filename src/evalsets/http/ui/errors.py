"""Errors on UI paths: an HTML page with the message (sign-in for a missing session)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from evalsets.core.errors import Unauthorized
from evalsets.http.errors import message_of, status_of
from evalsets.http.responses import OrjsonResponse
from evalsets.http.ui.render import page


def render(request: Request, exc: Exception) -> Response:
    """A browser-friendly error: a redirect to sign in, JSON for scripts, else a page."""
    status = status_of(exc)
    message = message_of(exc)
    wants_json = (
        request.headers.get("x-requested-with") == "fetch"
        or request.query_params.get("format") == "json"
    )
    if wants_json:
        return OrjsonResponse({"error": {"message": message}}, status_code=status)
    if isinstance(exc, Unauthorized) and request.method in ("GET", "HEAD"):
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/ui/sign-in?next={quote(here)}", status_code=303)
    back = request.headers.get("referer", "")
    same_site = back.startswith(str(request.base_url).rstrip("/") + "/ui")
    return page(
        request,
        "error.html",
        {"status": status, "message": message},
        status=status,
        title="Error",
        back=back if same_site else "/ui/",
    )
