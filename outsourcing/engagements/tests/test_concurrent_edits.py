"""The engagement's records carry versions too: a stale agreement form and a stale If-Match on a metric are refused."""

from __future__ import annotations

from typing import Any

import pytest

from outsourcing.engagements.models import ServiceAgreement

pytestmark = pytest.mark.django_db


def _agreement_form(agreement: ServiceAgreement, **changes: Any) -> dict[str, Any]:
    fields = {
        "number": agreement.number,
        "owner_party": agreement.owner_party,
        "provider_party": agreement.provider_party,
        "start_date": agreement.start_date.isoformat(),
        "end_date": agreement.end_date.isoformat() if agreement.end_date else "",
        "value": str(agreement.value),
        "currency": agreement.currency,
        "monthly_fee": str(agreement.monthly_fee),
        "notice_period_days": agreement.notice_period_days,
    }
    return {**fields, **changes}


def test_a_stale_agreement_form_is_refused(web, manager, admin, agreement):
    loaded = agreement.version
    path = f"/engagements/{agreement.engagement_id}/agreement"
    assert f'name="version" value="{loaded}"' in web(manager).get(path).content.decode()
    assert web(manager).post(path, _agreement_form(agreement, notice_period_days=60, version=loaded)).status_code == 302
    stale = web(admin).post(path, _agreement_form(agreement, notice_period_days=30, version=loaded))
    assert stale.status_code == 200
    assert "Someone else saved this record" in stale.content.decode()
    agreement.refresh_from_db()
    assert agreement.notice_period_days == 60


def test_a_stale_if_match_on_a_metric_gets_412(api, manager, availability):
    client = api(manager)
    etag = client.get(f"/sla-metrics/{availability.pk}")["ETag"]
    assert client.patch(f"/sla-metrics/{availability.pk}", {"weight": "2"}).status_code == 200
    stale = client.client.patch(
        f"/api/v1/sla-metrics/{availability.pk}",
        {"weight": "3"},
        content_type="application/json",
        headers={**client.headers, "If-Match": etag},
    )
    assert stale.status_code == 412
    availability.refresh_from_db()
    assert availability.weight == 2
