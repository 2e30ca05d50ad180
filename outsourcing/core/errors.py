"""The API's one error body, whatever answers it: `{"detail": [{"loc": [...], "field": "...", "msg": "..."}]}`.

`loc` says where in the request the problem is: `["body", "to"]`, `["query", "start"]`, `["path",
"engagement_id"]`, `["header", "Authorization"]`; a problem of the request as a whole (too large, wrong method,
database busy, too many failed logins) has an empty `loc` and an empty `field`. `field` is the request field the
problem is about (the last part of `loc`), `msg` the sentence for a person, in the caller's language.

Plain Django (no django-ninja), so that middleware and Django's own error handlers answer with the same body as
the API's endpoints (core.api).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, JsonResponse

LOCATIONS = ("body", "query", "path", "header")


def error_item(msg: str, loc: Sequence[str] = (), field: str | None = None) -> dict[str, Any]:
    loc = [str(part) for part in loc]
    if field is None:
        field = loc[-1] if len(loc) > 1 else ""
    return {"loc": loc, "field": field, "msg": str(msg)}


def json_error(
    status: int,
    msg: str,
    *,
    loc: Sequence[str] = (),
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    """One error answer with one item."""
    response = JsonResponse({"detail": [error_item(msg, loc, field)]}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")
