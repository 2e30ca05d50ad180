"""The search page and the suggestions under the header's search box."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from outsourcing.core.pickers import FIND, options_html

from .queries import KINDS, PICKABLE, options, search

SUGGESTIONS_PER_KIND = 5
RESULTS_PER_KIND = 50


@login_required
def results(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind")
    kinds = [kind] if kind in KINDS else None
    groups = search(request.user, q, kinds=kinds, limit=RESULTS_PER_KIND)
    context = {
        "title": _("Search"),
        "q": q,
        "kind": kind if kinds else "",
        "kinds": list(KINDS.values()),
        "groups": groups,
        "total": sum(g.count for g in groups),
        "limit": RESULTS_PER_KIND,
    }
    return render(request, "search/results.html", context)


@login_required
def suggestions(request: HttpRequest) -> HttpResponse:
    """The type-ahead list: a few hits of each kind, each a link, and a link to all results."""
    q = request.GET.get("q", "").strip()
    groups = [g for g in search(request.user, q, limit=SUGGESTIONS_PER_KIND) if g.hits]
    return render(request, "search/_suggestions.html", {"q": q, "groups": groups})


@login_required
def picker_options(request: HttpRequest) -> HttpResponse:
    """The `<option>`s of a type-ahead picker (core.pickers) for what was typed in its search box."""
    kind = request.GET.get("kind", "")
    field = request.GET.get("field", "")
    if kind not in PICKABLE or not field:
        return HttpResponseBadRequest(_("Unknown kind of record."))
    text = request.GET.get(f"{field}{FIND}", "")
    chosen = request.GET.getlist(field)
    scope = {k: request.GET.get(k, "") for k in ("vendor", "current", "team")}
    records = options(request.user, kind, text, scope, chosen)
    multiple = request.GET.get("multiple") == "1"
    everything = request.GET.get("all") == "1"
    return HttpResponse(options_html(records, set(chosen), blank=not multiple, everything=everything))
