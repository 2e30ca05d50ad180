"""The engagement pages: list with filters, sorting and exports, the detail page of every form, the forms."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from outsourcing.core.access import SYSTEM
from outsourcing.engagements.actions import do_record_measurement
from outsourcing.engagements.models import Deliverable, Engagement, SlaMetric

from .conftest import make_agreement, make_engagement

pytestmark = pytest.mark.django_db


def test_the_list_page_query_count_is_pinned(web, manager, vendor_a, django_assert_max_num_queries):
    for n in range(30):
        make_engagement(vendor_a, title=f"Engagement {n}", manager_id=manager.pk)
    client = web(manager)
    with django_assert_max_num_queries(12):
        response = client.get("/engagements/?sort=title&per_page=25")
    assert response.status_code == 200
    assert response.content.decode().count('href="/engagements/') >= 25


def test_the_list_filters_by_vendor_and_form(web, manager, vendor_a, vendor_b):
    make_engagement(vendor_a, title="Alpha ops")
    make_engagement(vendor_b, form="contracting_out", title="Beta build")
    page = web(manager).get(f"/engagements/?vendor={vendor_b.pk}").content.decode()
    assert "Beta build" in page and "Alpha ops" not in page
    page = web(manager).get("/engagements/?form=service").content.decode()
    assert "Alpha ops" in page and "Beta build" not in page


def test_vendor_user_lists_only_its_own_engagements_and_gets_404_for_others(web, vendor_a, vendor_b, vendor_b_user):
    mine = make_engagement(vendor_b, title="Mine")
    theirs = make_engagement(vendor_a, title="Theirs")
    client = web(vendor_b_user)
    page = client.get("/engagements/").content.decode()
    assert "Mine" in page and "Theirs" not in page
    assert client.get(f"/engagements/{theirs.pk}/").status_code == 404
    assert client.get(f"/engagements/{mine.pk}/").status_code == 200
    assert client.get(f"/engagements/{mine.pk}/edit").status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_follow_the_filters_and_visibility(web, vendor_a, vendor_b, vendor_b_user, fmt):
    make_engagement(vendor_a, title="Theirs")
    make_engagement(vendor_b, title="Mine")
    response = web(vendor_b_user).get(f"/engagements/export.{fmt}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        text = content.decode("utf-8-sig")
        assert "Mine" in text and "Theirs" not in text
    else:
        assert content[:2] == b"PK"


def test_detail_page_shows_the_state_at_a_glance(web, manager, service, availability, fake_checks):
    from outsourcing.core.registry import Blocker

    fake_checks(Blocker("qualification_gap", "Missing qualification: ISO/IEC 27001."))
    for month, value in ((1, "99.95"), (2, "99.3")):
        do_record_measurement(
            service,
            metric_id=availability.pk,
            period_start=datetime.date(2026, month, 1),
            value=Decimal(value),
            acting_user=SYSTEM,
        )
    page = web(manager).get(f"/engagements/{service.pk}/").content.decode()
    assert "Missing qualification: ISO/IEC 27001." in page
    assert "with a signed copy is on file" in page and "no_signed_agreement" in page
    assert '<svg class="chart"' in page and "Attainment (%)" in page
    assert "Notice by 2026-10-02" in page
    assert "10,000.00" in page  # the February credit: 10 % of 100 000.00, grouped for the reader


def test_detail_pages_of_every_demo_form_render(web):
    from io import StringIO

    from outsourcing.accounts.models import User
    from outsourcing.engagements.reports import measurement_gaps

    call_command("demo", stdout=StringIO())
    client = web(User.objects.get(username="admin"))
    for engagement in Engagement.objects.all():
        response = client.get(f"/engagements/{engagement.pk}/")
        assert response.status_code == 200, engagement
    ops = Engagement.objects.get(code="OM-2026-001")
    assert SlaMetric.objects.filter(engagement=ops).count() == 3
    assert ops.sla_metrics.first().measurements.count() == 12  # every month of the agreement's first year
    assert [g.metric.name for g in measurement_gaps(ops)] == ["工单按时关闭率 Tickets closed on time"]  # one gap
    assert Deliverable.objects.filter(engagement__code="DEV-2026-002").count() == 5
    benefit = Engagement.objects.get(code="BEN-2026-004")
    assert benefit.benefit_periods.count() == 6
    assert "Payout =" in client.get(f"/engagements/{benefit.pk}/").content.decode()
    assert client.get("/").status_code == 200


def test_manager_creates_an_engagement_through_the_form(web, manager, vendor_a):
    response = web(manager).post(
        "/engagements/new",
        {
            "title": "Data centre move",
            "form": "contracting_out",
            "vendor": vendor_a.pk,
            "start_date": "2026-02-01",
            "min_tenure_months": 12,
            "min_experience_months": 24,
        },
    )
    engagement = Engagement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/engagements/{engagement.pk}/"
    assert engagement.status == "draft"


def test_the_form_shows_the_action_errors_next_to_the_fields(web, manager):
    response = web(manager).post(
        "/engagements/new",
        {
            "title": "Help desk",
            "form": "insourcing",
            "start_date": "2026-02-01",
            "min_tenure_months": 12,
            "min_experience_months": 24,
        },
    )
    assert response.status_code == 200
    assert "Name the internal unit" in response.content.decode()
    assert not Engagement.objects.exists()


def test_metric_form_parses_the_band_table(web, manager, service, agreement):
    client = web(manager)
    response = client.post(
        f"/engagements/{service.pk}/metrics/new",
        {
            "name": "Availability",
            "unit": "%",
            "target": "99.9",
            "higher_is_better": "on",
            "period": "monthly",
            "weight": "1",
            "bands": "0.1 5\n0.5, 10%\n",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SlaMetric.objects.get().band_pairs() == [
        (Decimal("0.1"), Decimal(5)),
        (Decimal("0.5"), Decimal(10)),
    ]
    bad = client.post(
        f"/engagements/{service.pk}/metrics/new",
        {"name": "Other", "unit": "%", "target": "1", "period": "monthly", "weight": "1", "bands": "lots"},
    )
    assert "Line 1" in bad.content.decode()


def test_agreement_and_version_forms(web, manager, service):
    client = web(manager)
    response = client.post(
        f"/engagements/{service.pk}/agreement",
        {
            "number": "HT-1",
            "owner_party": "Bureau",
            "provider_party": "A",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "value": "100.00",
            "currency": "CNY",
            "notice_period_days": "30",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        f"/engagements/{service.pk}/agreement/versions/new",
        {"effective_from": "2027-05-01", "changes": "x", "signed_on": "2026-01-01", "signed_by": "me"},
    )
    assert "within the agreement" in bad.content.decode()


def test_auditor_sees_no_edit_buttons_and_gets_403_on_forms(web, auditor, service):
    make_agreement(service)
    client = web(auditor)
    page = client.get(f"/engagements/{service.pk}/").content.decode()
    assert f"/engagements/{service.pk}/edit" not in page
    assert client.get(f"/engagements/{service.pk}/agreement").status_code == 403
    assert client.post(f"/engagements/{service.pk}/transition", {"to": "selection"}).status_code == 403
