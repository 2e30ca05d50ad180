"""`GET /search`: the header's search in the API, for integrators and type-ahead pickers."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from .queries import MAX_QUERY, search

router = Router(tags=["search"])

KindCode = Literal["vendor", "person", "engagement", "certificate"]


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=MAX_QUERY, description="Part of a name, number, code or title.")
    kind: KindCode | None = Field(None, description="Only this kind of record.")
    limit: int = Field(10, ge=1, le=50, description="Hits per kind.")


class HitOut(Schema):
    kind: KindCode
    id: int
    title: str
    subtitle: str
    url: str


class GroupOut(Schema):
    kind: KindCode
    count: int
    items: list[HitOut]


class SearchOut(Schema):
    q: str
    groups: list[GroupOut]


@router.get("/search", response=SearchOut)
def search_all(request: HttpRequest, query: Query[SearchQuery]) -> Any:
    """Vendors by name or registration number, people by name or employee number, engagements by code or title
    and certificates by number, among the records the caller may see."""
    kinds: list[str] | None = [query.kind] if query.kind else None
    groups = search(request.user, query.q, kinds=kinds, limit=query.limit)
    return {
        "q": query.q.strip(),
        "groups": [{"kind": g.kind.code, "count": g.count, "items": [h.__dict__ for h in g.hits]} for g in groups],
    }
