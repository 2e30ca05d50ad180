from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from outsourcing.core.access import sees_all_vendors
from outsourcing.core.registry import DashboardCard, dashboard_cards


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    cards: list[DashboardCard] = []
    for provider in dashboard_cards:
        # Only what needs attention: a card counting nothing is good news, not a task.
        cards.extend(card for card in provider(request.user) if card.count)
    return render(request, "core/dashboard.html", {"cards": cards, "title": _("Dashboard")})


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The whole audit trail, for the owner's staff; filter by object type, actor and text."""
    if not sees_all_vendors(request.user):
        raise Http404
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    model = request.GET.get("model", "")
    if model:
        entries = entries.filter(content_type__model=model)
    actor = request.GET.get("actor", "")
    if actor:
        entries = entries.filter(actor__username=actor)
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(Q(object_repr__icontains=q) | Q(object_pk=q))
    action = request.GET.get("action", "")
    if action in {"0", "1", "2"}:
        entries = entries.filter(action=int(action))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    models = (
        LogEntry.objects.values_list("content_type__model", "content_type__app_label")
        .distinct()
        .order_by("content_type__model")
    )
    context: dict[str, Any] = {
        "title": _("Audit trail"),
        "page": page,
        "models": models,
        "filters": {"model": model, "actor": actor, "q": q, "action": action},
    }
    return render(request, "core/audit.html", context)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for every unknown address: JSON under /api/, the product's own page elsewhere."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 for a request Django cannot read (too many fields, a body over Django's limits, a bad header):
    JSON under /api/, a plain sentence elsewhere; a body over the size cap is a 413."""
    from django.core.exceptions import RequestDataTooBig
    from django.http import JsonResponse

    from outsourcing.core.middleware import too_large

    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    message = _("The request could not be read.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
