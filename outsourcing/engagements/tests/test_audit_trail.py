"""Every change to an engagement's records lands in the audit trail with its author."""

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog

from outsourcing.engagements import models

from .conftest import make_agreement, make_engagement, put

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        models.Engagement,
        models.ServiceAgreement,
        models.AgreementVersion,
        models.Deliverable,
        models.SlaMetric,
        models.CreditBand,
        models.Measurement,
        models.BenefitTerms,
        models.BenefitTier,
        models.BenefitPeriod,
    ],
)
def test_every_model_is_registered_with_the_audit_trail(model):
    assert auditlog.contains(model)


def authored_by(user, obj):
    entries = LogEntry.objects.get_for_model(obj.__class__).filter(object_pk=str(obj.pk))
    return entries.exists() and all(e.actor_id == user.pk for e in entries)


def test_each_change_through_the_api_records_its_author(api, manager, vendor_a):
    client = api(manager)
    service = client.post(
        "/engagements",
        {"title": "Ops", "form": "service", "vendor_id": vendor_a.pk, "start_date": "2026-01-01"},
    ).json()["id"]
    client.patch(f"/engagements/{service}", {"department": "IT Centre"})
    client.post(
        f"/engagements/{service}/agreement",
        {
            "number": "HT-9",
            "owner_party": "Bureau",
            "provider_party": "A",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "value": "1",
        },
    )
    client.post(
        f"/engagements/{service}/agreement/versions",
        {"effective_from": "2026-02-01", "changes": "Scope", "signed_on": "2026-01-20", "signed_by": "Wang"},
    )
    metric = client.post(
        f"/engagements/{service}/sla-metrics",
        {
            "name": "Uptime",
            "unit": "%",
            "target": "99",
            "bands": [{"shortfall_from": "1", "credit_percent": "5"}],
        },
    ).json()["id"]
    client.post(
        f"/engagements/{service}/measurements",
        {"metric_id": metric, "period_start": "2026-02-01", "value": "98"},
    )
    dev = client.post(
        "/engagements",
        {"title": "Build", "form": "contracting_out", "vendor_id": vendor_a.pk, "start_date": "2026-01-01"},
    ).json()["id"]
    deliverable = client.post(f"/engagements/{dev}/deliverables", {"title": "Design", "due_date": "2026-03-01"})
    client.post(
        f"/deliverables/{deliverable.json()['id']}/acceptance",
        {"decision": "accepted", "delivered_on": "2026-03-01"},
    )
    benefit = make_engagement(vendor_a, form="benefit_based")
    make_agreement(benefit)
    put(
        client,
        f"/engagements/{benefit.pk}/benefit-terms",
        {
            "measure": "Cost",
            "baseline": "100",
            "share_percent": "20",
            "tiers": [{"benefit_from": "50", "share_percent": "30"}],
        },
    )
    client.post(f"/engagements/{benefit.pk}/benefit-periods", {"period_start": "2026-02-01", "measured": "80"})

    engagement = models.Engagement.objects.get(pk=service)
    terms = models.BenefitTerms.objects.get()
    for obj in (
        engagement,
        engagement.agreement,
        models.AgreementVersion.objects.get(),
        models.SlaMetric.objects.get(),
        models.CreditBand.objects.get(),
        models.Measurement.objects.get(),
        models.Deliverable.objects.get(),
        terms,
        terms.tiers.get(),
        models.BenefitPeriod.objects.get(),
    ):
        assert authored_by(manager, obj), obj
    update = LogEntry.objects.get_for_model(models.Engagement).filter(object_pk=str(service)).latest("timestamp")
    assert update.changes_dict["department"] == ["", "IT Centre"]


def test_replacing_credit_bands_through_the_web_records_the_deletions(web, manager, service, availability):
    old = sorted(availability.bands.values_list("pk", flat=True))
    response = web(manager).post(
        f"/engagements/{service.pk}/metrics/{availability.pk}",
        {
            "name": "Availability",
            "unit": "%",
            "target": "99.9",
            "higher_is_better": "on",
            "period": "monthly",
            "weight": "1",
            "bands": "2 50",
        },
    )
    assert response.status_code == 302
    deleted = LogEntry.objects.get_for_model(models.CreditBand).filter(action=LogEntry.Action.DELETE)
    assert sorted(int(e.object_pk) for e in deleted) == old
    assert all(e.actor == manager for e in deleted)
