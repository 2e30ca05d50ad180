"""The team attrition forecast page (also loaded into the team page) and the forecast's backtest page."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from outsourcing.core.api import get_visible
from outsourcing.engagements.models import Engagement

from .charts import forecast_chart
from .forecast import HORIZONS, backtest, forecast_team, provider_ids

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
        "rows": [{"days": h.days, "months": round(h.days * 12 / 365), "h": h} for h in forecast.horizons],
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
