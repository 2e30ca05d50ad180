"""The team attrition forecast and its backtest in the API (SPEC: `GET /engagements/{id}/attrition-forecast`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from outsourcing.core.api import Day, get_visible
from outsourcing.engagements.models import Engagement

from .forecast import backtest, forecast_team, provider_ids

router = Router(tags=["teams"])


class HorizonOut(Schema):
    days: int
    expected: float
    low: int
    high: int


class LeaveProbabilityOut(Schema):
    """The probability of leaving within each horizon, keyed by its days as SPEC names them."""

    within_91: float = Field(alias="91")
    within_182: float = Field(alias="182")
    within_365: float = Field(alias="365")


class MemberForecastOut(Schema):
    member_id: int
    leave_probability: LeaveProbabilityOut


class ForecastOut(Schema):
    as_of: datetime.date
    pooled: bool = Field(
        description="True when the vendor has fewer than 20 departures and all vendors' survival is used.",
    )
    horizons: list[HorizonOut]
    members: list[MemberForecastOut]


class DecileOut(Schema):
    decile: int
    forecasts: int
    p_min: float
    p_max: float
    predicted: float
    actual: int


class BacktestOut(Schema):
    as_of: datetime.date
    horizon: int
    forecast_days: list[datetime.date]
    forecasts: int
    predicted: float
    actual: int
    deciles: list[DecileOut]


@router.get("/engagements/{engagement_id}/attrition-forecast", response=ForecastOut, by_alias=True)
def get_attrition_forecast(request: HttpRequest, engagement_id: int, as_of: Day | None = None) -> Any:
    engagement = get_visible(Engagement.objects.all(), request.user, pk=engagement_id)
    return forecast_team(engagement.pk, as_of or timezone.localdate()).as_dict()


class BacktestQuery(Schema):
    horizon: int = Field(365, ge=1, le=1095, description="Days after each forecast day in which a departure counts.")
    as_of: Day | None = None


@router.get("/attrition-forecast/backtest", response=BacktestOut)
def get_attrition_backtest(request: HttpRequest, query: Query[BacktestQuery]) -> Any:
    """Forecasts made on each of the past 12 month starts for everyone employed by the vendors of the engagements
    the caller may see, against what then happened, by decile of predicted probability."""
    return backtest(provider_ids(request.user), query.as_of or timezone.localdate(), horizon=query.horizon).as_dict()
