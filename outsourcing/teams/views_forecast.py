"""The team page's watch panels (attrition forecast, double-booked people), loaded into it, and their pages."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from outsourcing.core.access import sees_all_vendors
from outsourcing.core.api import get_visible
from outsourcing.engagements.models import Engagement

from .charts import forecast_chart
from .double_booking import bookings, double_booked, over_allocated, team_bookings
from .forecast import HORIZONS, backtest, forecast_team, provider_ids
from .models import TeamMember

BACKTEST_HORIZONS = HORIZONS


def _day(raw: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw or "")
    except ValueError:
        return default


@login_required
def engagement_forecast(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_visible(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    as_of = _day(request.GET.get("as_of"), timezone.localdate())
    forecast = forecast_team(engagement.pk, as_of, path=True)
    members = sorted(forecast.members, key=lambda m: (-m.leave_probability[365], m.full_name))
    context = {
        "engagement": engagement,
        "forecast": forecast,
        "as_of": as_of,
        "rows": [
            {"days": h.days, "months": round(h.days * 12 / 365), "h": h, "headcount": forecast.headcount(h)}
            for h in forecast.horizons
        ],
        "year_headcount": forecast.headcount(forecast.horizon(365)),
        "year": forecast.horizon(365),
        "members": [
            {"member": m, "percent": {h: 100 * p for h, p in m.leave_probability.items()}} for m in members[:15]
        ],
        "more_members": max(0, len(members) - 15),
        "chart": forecast_chart(forecast.chart_path()),
    }
    template = "teams/_forecast.html" if request.htmx else "teams/forecast.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def forecast_backtest(request: HttpRequest) -> HttpResponse:
    try:
        horizon = int(request.GET.get("horizon", "365"))
    except ValueError:
        horizon = 365
    if horizon not in BACKTEST_HORIZONS:
        horizon = 365
    result = backtest(provider_ids(request.user), timezone.localdate(), horizon=horizon)
    top = max([max(d.predicted, d.actual) for d in result.deciles] + [1.0])
    context = {
        "result": result,
        "horizon": horizon,
        "horizons": [(h, round(h * 12 / 365)) for h in BACKTEST_HORIZONS],
        "deciles": [
            {
                "d": d,
                "predicted_rate": 100 * d.predicted / d.forecasts,
                "actual_rate": 100 * d.actual / d.forecasts,
                "predicted_width": 100 * d.predicted / top,
                "actual_width": 100 * d.actual / top,
            }
            for d in result.deciles
        ],
    }
    return render(request, "teams/forecast_backtest.html", context)


@login_required
def engagement_bookings(request: HttpRequest, pk: int) -> HttpResponse:
    """The team page's panel of people also sold by another vendor or planned above full time."""
    engagement = get_visible(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    as_of = _day(request.GET.get("as_of"), timezone.localdate())
    found = team_bookings(engagement, as_of, request.user)
    people = {m.pk: m for m in TeamMember.objects.filter(pk__in=list(found))}
    rows = [{"member": people[pk], "booking": found[pk]} for pk in sorted(found, key=lambda k: people[k].full_name)]
    return render(request, "teams/_bookings.html", {"engagement": engagement, "rows": rows, "as_of": as_of})


@login_required
def portfolio_bookings(request: HttpRequest) -> HttpResponse:
    """Everyone the user may see who is double-booked or over-allocated today, across the portfolio."""
    today = timezone.localdate()
    visible = TeamMember.objects.visible_to(request.user)
    flagged = visible.filter(pk__in=over_allocated(today).values("pk"))
    if sees_all_vendors(request.user):
        flagged = flagged | visible.filter(pk__in=double_booked(today).values("pk"))
    page = Paginator(flagged.select_related("vendor").order_by("full_name", "pk"), 50).get_page(request.GET.get("page"))
    found = bookings([m.pk for m in page], today, request.user)
    rows = [{"member": m, "booking": found.get(m.pk)} for m in page]
    listing = {"page": page, "paginator": page.paginator, "url_with": "?"}  # what core/_pagination.html reads
    return render(request, "teams/bookings.html", {"rows": rows, "listing": listing, "as_of": today})
