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


def both_ways(sorts: dict[str, str]) -> dict[str, str]:
    """Each ascending sort key with its descending twin: {"name": "vendor__name"} also gives "-name"."""
    return {**sorts, **{f"-{key}": f"-{expression}" for key, expression in sorts.items()}}


class ListPage:
    """One table's sorting and paging. `sorts` whitelists the sort keys the address may name ("name", "-name"):
    for a queryset each maps to an order_by expression (the primary key breaks ties, so the order is stable);
    for a list of rows already worked out (figures computed in Python) each maps to a function of a row, and
    the rows keep their given order among equals. `prefix` lets several tables share one page: the table reads
    `<prefix>sort` and `<prefix>page` from the address. `tiebreak` is the queryset's unique column when that is
    not the primary key (a grouped query of figures per vendor breaks ties by `vendor_id`)."""

    def __init__(
        self,
        request: HttpRequest,
        queryset: QuerySet[Any] | list[Any],
        *,
        columns: list[Column],
        sorts: dict[str, Any],
        default_sort: str,
        prefix: str = "",
        per_page: int | None = None,
        tiebreak: str = "pk",
    ) -> None:
        self.request = request
        self.columns = columns
        self.sort_param, self.page_param = f"{prefix}sort", f"{prefix}page"
        self.sort = request.GET.get(self.sort_param, default_sort)
        if self.sort not in sorts:
            self.sort = default_sort
        if isinstance(queryset, list):
            key = sorts[self.sort]
            rows: Any = sorted(queryset, key=key, reverse=self.sort.startswith("-"))
        else:
            rows = queryset.order_by(sorts[self.sort], tiebreak)
        if per_page is None:
            try:
                per_page = int(request.GET.get("per_page", PER_PAGE_CHOICES[0]))
            except ValueError:
                per_page = PER_PAGE_CHOICES[0]
            if per_page not in PER_PAGE_CHOICES:
                per_page = PER_PAGE_CHOICES[0]
        self.per_page = per_page
        self.paginator = Paginator(rows, per_page)
        self.page: Page[Any] = self.paginator.get_page(request.GET.get(self.page_param))
        for column in columns:
            column_sort = column.key
            column.current = self.sort.lstrip("-") == column.key  # type: ignore[attr-defined]
            column.descending = self.sort == f"-{column.key}"  # type: ignore[attr-defined]
            next_sort = f"-{column_sort}" if self.sort == column_sort else column_sort
            column.sort_url = self.url_with(**{self.sort_param: next_sort, self.page_param: None})  # type: ignore[attr-defined]

    def url_with(self, **changes: Any) -> str:
        params = self.request.GET.copy()
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return "?" + urlencode(sorted((k, v) for k, v in params.items() if v != ""))

    @property
    def page_base(self) -> str:
        """The address of this table's pages without its page number (the pager adds it)."""
        return self.url_with(**{self.page_param: None})

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


MAX_SELECTED = 200


def selected_ids(data: Any, name: str = "ids") -> list[int]:
    """The record ids a bulk action's checkboxes sent (`core/_bulk_bar.html`): well-formed ids only, in the
    order sent, at most MAX_SELECTED. The view still reads the records through `visible_to`."""
    ids: list[int] = []
    for value in data.getlist(name):
        pk = record_id(value)
        if pk is not None and pk not in ids:
            ids.append(pk)
    return ids[:MAX_SELECTED]
