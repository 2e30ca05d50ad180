"""Recurring re-examination: the risk tier sets the cycle (admin-editable); when it has run since the last
completed assessment, the daily pass starts a new one from the current template and sends it to the vendor."""

import datetime

import pytest
from django.utils import timezone

from outsourcing.assessments.models import Assessment, AssessmentSettings, AssessmentTemplate
from outsourcing.notifications.daily import run_daily_pass
from outsourcing.notifications.models import Notification
from outsourcing.vendors.models import examinations

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def examined(vendor_a, vendor_a_user, admin):
    """Vendor A, approved and critical, last examined on 2025-06-01 (so due on 2026-06-01)."""
    vendor_a.status = "approved"
    vendor_a.risk_tier = "critical"
    vendor_a.save()
    template = AssessmentTemplate.objects.create(name="Management system 2026")
    Assessment.objects.create(
        vendor=vendor_a,
        template=template,
        title="2025",
        status="completed",
        completed_at=timezone.make_aware(datetime.datetime(2025, 6, 1, 10)),
    )
    return vendor_a


def test_the_tier_sets_the_cycle_and_the_admin_can_change_it(examined):
    assert examinations([examined])[examined.pk].next_due == D(2026, 6, 1)
    examined.risk_tier = "standard"
    assert examinations([examined])[examined.pk].next_due == D(2028, 6, 1)
    settings = AssessmentSettings.current()
    settings.standard_months = 30
    settings.save()
    assert examinations([examined])[examined.pk].next_due == D(2027, 12, 1)
    assert examined.reexamination_months == 30


def test_due_re_examination_is_started_once_and_sent_to_the_vendor(examined, vendor_a_user, admin):
    run_daily_pass(D(2026, 5, 31))
    assert Assessment.objects.count() == 1  # not yet due
    run_daily_pass(D(2026, 6, 1))
    run_daily_pass(D(2026, 6, 1))
    new = Assessment.objects.exclude(title="2025").get()
    assert new.status == "sent"
    assert new.template.name == "Management system 2026"
    assert Notification.objects.filter(recipient=vendor_a_user, kind="reexamination_due").count() == 1
    assert Notification.objects.filter(recipient=admin, kind="reexamination_due").count() == 1  # the 0-day one


def test_the_admins_are_reminded_30_days_before(examined, admin):
    run_daily_pass(D(2026, 5, 2))
    [notification] = Notification.objects.filter(recipient=admin)
    assert "due for re-examination on 2026-06-01 (last examined 2025-06-01)" in notification.message


def test_only_the_owner_sets_the_risk_tier(api, manager, vendor_a_user, vendor_a):
    assert api(vendor_a_user).patch(f"/vendors/{vendor_a.pk}", {"risk_tier": "standard"}).status_code == 403
    response = api(manager).patch(f"/vendors/{vendor_a.pk}", {"risk_tier": "high"})
    assert response.status_code == 200
    assert response.json()["risk_tier"] == "high"


def test_the_vendor_page_shows_last_examined_and_next_due(web, manager, examined):
    page = web(manager).get(f"/vendors/{examined.pk}/").content.decode()
    assert "last 2025-06-01, next due 2026-06-01" in page


def test_the_dashboard_counts_due_re_examinations_with_last_and_next_dates(examined, manager, vendor_a_user):
    from outsourcing.assessments.reexamination import dashboard_cards

    [card] = dashboard_cards(manager)
    assert card.count == 1
    assert card.description == f"{examined.name}: last examined 2025-06-01, due 2026-06-01"
    assert dashboard_cards(vendor_a_user) == []


def test_a_queryset_of_vendors_is_examined_as_the_same_vendors_in_a_list(examined, vendor_b):
    """The dashboard and the daily pass hand every approved vendor over as a queryset (a subquery, no objects):
    the same examinations as the list the vendor page gives, never examined included."""
    from outsourcing.vendors.models import Vendor

    vendor_b.risk_tier = "standard"
    vendor_b.save()
    chosen = Vendor.objects.filter(pk__in=[examined.pk, vendor_b.pk])
    assert examinations(chosen) == examinations(list(chosen))
    assert examinations(chosen)[examined.pk].next_due == D(2026, 6, 1)
    assert examinations(chosen)[vendor_b.pk].next_due is None
    assert examinations(Vendor.objects.none()) == {}
