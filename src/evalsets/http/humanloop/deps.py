"""What every ``/v5`` handler needs: the caller (by scope) and response builders."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from evalsets.http.auth import Principal, engine_of, read_access, write_access
from evalsets.http.humanloop.views import Views

Reader = Annotated[Principal, Depends(read_access)]
Writer = Annotated[Principal, Depends(write_access)]


def views_of(request: Request, principal: Principal) -> Views:
    """Response builders for the caller's project."""
    return Views(engine_of(request), principal.project_id)
