"""List pages: a filter bar, sortable columns and pagination with counts, the same on every list.

A view builds a `ListPage` from a queryset that is already limited to what the user may see; the
template `core/_table.html` renders the header and `core/_pagination.html` the pager.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PER_PAGE_CHOICES = (25, 50, 100)
MAX_RECORD_ID = 2**63 - 1


def record_id(value: str | None) -> int | None:
    """The id a filter in the address names, or None when it names none: ASCII digits, 1 to 2**63 - 1.

    `str.isdigit()` is not enough: it admits "²" (int() refuses it) and 2**70 (SQLite overflows on it)."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdecimal()) or len(value) > 19:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_RECORD_ID else None


@dataclass
class Column:
    key: str
    label: Any
    sortable: bool = True
    numeric: bool = False


class ListPage:
    def __init__(
        self,
        request: HttpRequest,
        queryset: QuerySet[Any],
        *,
        columns: list[Column],
        sorts: dict[str, str],
        default_sort: str,
    ) -> None:
        self.request = request
        self.columns = columns
        self.sort = request.GET.get("sort", default_sort)
        if self.sort not in sorts:
            self.sort = default_sort
        queryset = queryset.order_by(sorts[self.sort], "pk")
        try:
            per_page = int(request.GET.get("per_page", PER_PAGE_CHOICES[0]))
        except ValueError:
            per_page = PER_PAGE_CHOICES[0]
        if per_page not in PER_PAGE_CHOICES:
            per_page = PER_PAGE_CHOICES[0]
        self.per_page = per_page
        self.paginator = Paginator(queryset, per_page)
        self.page: Page[Any] = self.paginator.get_page(request.GET.get("page"))
        for column in columns:
            column_sort = column.key
            column.current = self.sort.lstrip("-") == column.key  # type: ignore[attr-defined]
            column.descending = self.sort == f"-{column.key}"  # type: ignore[attr-defined]
            next_sort = f"-{column_sort}" if self.sort == column_sort else column_sort
            column.sort_url = self.url_with(sort=next_sort, page=None)  # type: ignore[attr-defined]

    def url_with(self, **changes: Any) -> str:
        params = self.request.GET.copy()
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return "?" + urlencode(sorted((k, v) for k, v in params.items() if v != ""))

    @property
    def export_query(self) -> str:
        params = self.request.GET.copy()
        params.pop("page", None)
        return urlencode(sorted((k, v) for k, v in params.items() if v != ""))

    @property
    def filtered(self) -> bool:
        return any(k not in {"sort", "page", "per_page"} and v for k, v in self.request.GET.items())


def render_list(request: HttpRequest, template: str, partial: str, context: dict[str, Any]) -> HttpResponse:
    """A list page, or only its results (`partial`) when htmx asks for them (filters, sorting, paging)."""
    return render(request, partial if getattr(request, "htmx", False) else template, context)
