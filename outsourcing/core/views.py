from __future__ import annotations

import datetime
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.access import sees_all_vendors
from outsourcing.core.audit_trail import describe
from outsourcing.core.errors import is_api, json_error
from outsourcing.core.exports import export_response
from outsourcing.core.listing import record_id
from outsourcing.core.registry import DashboardCard, dashboard_cards


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    cards: list[DashboardCard] = []
    for provider in dashboard_cards:
        # Only what needs attention: a card counting nothing is good news, not a task.
        cards.extend(card for card in provider(request.user) if card.count)
    return render(request, "core/dashboard.html", {"cards": cards, "title": _("Dashboard")})


AUDIT_EXPORT_LIMIT = 50_000  # rows in one export: a year of a busy portfolio; narrow the filters for more


def _day(raw: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return None


def _audit_entries(request: HttpRequest) -> tuple[Any, dict[str, Any]]:
    """The entries the filters in the address ask for, newest first, and the filters as understood."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    filters: dict[str, Any] = {key: request.GET.get(key, "").strip() for key in ("type", "actor", "q", "action")}
    type_id = record_id(filters["type"])
    if type_id:
        entries = entries.filter(content_type_id=type_id)
    if filters["actor"]:
        actor = filters["actor"]
        entries = entries.filter(
            Q(actor__username__iexact=actor)
            | Q(actor__first_name__icontains=actor)
            | Q(actor__last_name__icontains=actor)
        )
    if filters["q"]:
        entries = entries.filter(Q(object_repr__icontains=filters["q"]) | Q(object_pk=filters["q"]))
    if filters["action"] in {"0", "1", "2"}:
        entries = entries.filter(action=int(filters["action"]))
    # Dates are the owner's calendar days (USE_TZ: __date is taken in the current time zone).
    for key, lookup in (("start", "timestamp__date__gte"), ("end", "timestamp__date__lte")):
        day = _day(request.GET.get(key, ""))
        filters[key] = day
        if day:
            entries = entries.filter(**{lookup: day})
    return entries, filters


def _type_name(content_type: ContentType) -> str:
    model = content_type.model_class()
    return str(model._meta.verbose_name).capitalize() if model is not None else content_type.name


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The whole audit trail, for the owner's staff: filter by object type, object, person, action and dates."""
    if not sees_all_vendors(request.user):
        raise Http404
    entries, filters = _audit_entries(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    type_ids = LogEntry.objects.order_by().values_list("content_type_id", flat=True).distinct()
    types = sorted(((ct.pk, _type_name(ct)) for ct in ContentType.objects.filter(pk__in=type_ids)), key=lambda t: t[1])
    context: dict[str, Any] = {
        "title": _("Audit trail"),
        "page": page,
        "described": describe(page.object_list),
        "types": types,
        "filters": filters,
    }
    return render(request, "core/audit.html", context)


@login_required
def audit_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The filtered audit trail as CSV or XLSX, in people's words like the page."""
    if not sees_all_vendors(request.user) or fmt not in {"csv", "xlsx"}:
        raise Http404
    entries, _filters = _audit_entries(request)

    def rows() -> Any:
        chunk = 2_000
        selected = list(entries[:AUDIT_EXPORT_LIMIT])
        for start in range(0, len(selected), chunk):
            yield from describe(selected[start : start + chunk])

    return export_response(
        fmt,
        filename="audit-trail",
        headers=[_("When"), _("Who"), _("Action"), _("What"), _("Changes")],
        rows=rows(),
        row=lambda e: [
            timezone.localtime(e.entry.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
            str(e.entry.actor) if e.entry.actor else _("system"),
            e.action,
            e.what,
            "; ".join(c.sentence for c in e.changes),
        ],
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for every unknown address: JSON under /api/, the product's own page elsewhere."""
    if is_api(request):
        return json_error(404, _("Not found."), loc=["path"], field="")
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, unless the error was a locked database raised outside a view (e.g. saving the session): then 503."""
    import sys

    from django.template import loader

    from outsourcing.core.jobs import is_locked
    from outsourcing.core.middleware import database_busy_response

    if is_locked(sys.exc_info()[1] or Exception()):
        return database_busy_response(request)
    if is_api(request):
        return json_error(500, _("Something went wrong on our side; nothing was changed. It has been logged."))
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 for a request Django cannot read (too many fields, a body over Django's limits, a bad header):
    JSON under /api/, a plain sentence elsewhere; a body over the size cap is a 413."""
    from django.core.exceptions import DisallowedHost, RequestDataTooBig

    from outsourcing.core.middleware import too_large

    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    message = _("The request could not be read.")
    if is_api(request):
        # A host or header Django refuses is no part of the body; too many fields or a malformed body is.
        in_body = not isinstance(exception, DisallowedHost)
        return json_error(400, message, loc=["body"] if in_body else ["header", "Host"])
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
