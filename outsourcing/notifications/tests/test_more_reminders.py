"""Reminders of reports, waivers and deliverables: the due day and the day after, to the people who act."""

import datetime

import pytest

from outsourcing.engagements.models import Deliverable
from outsourcing.engagements.tests.conftest import make_engagement
from outsourcing.notifications.daily import run_daily_pass
from outsourcing.notifications.models import Notification
from outsourcing.performance import actions as performance
from outsourcing.teams.actions import do_grant_waiver
from outsourcing.teams.models import TeamMember

pytestmark = pytest.mark.django_db
D = datetime.date


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_report_is_due_to_the_vendor_on_its_day_and_overdue_to_both_the_day_after(vendor_a, manager, vendor_a_user):
    engagement = make_engagement(vendor_a, manager_id=manager.pk)
    engagement.status = "active"
    engagement.save()
    performance.do_set_schedule(
        engagement, acting_user=manager, frequency="monthly", first_period_start=D(2026, 1, 1), due_days=10
    )
    run_daily_pass(D(2026, 2, 9))  # January's report is due on 10 February
    assert kinds(vendor_a_user) == []
    run_daily_pass(D(2026, 2, 10))
    assert (kinds(vendor_a_user), kinds(manager)) == (["report_due"], [])
    run_daily_pass(D(2026, 2, 11))
    assert (kinds(vendor_a_user), kinds(manager)) == (["report_due", "report_overdue"], ["report_overdue"])
    run_daily_pass(D(2026, 2, 12))  # no more nagging
    assert Notification.objects.count() == 3


def test_a_submitted_report_is_not_reminded(vendor_a, manager, vendor_a_user):
    engagement = make_engagement(vendor_a, manager_id=manager.pk)
    engagement.status = "active"
    engagement.save()
    performance.do_set_schedule(
        engagement, acting_user=manager, frequency="monthly", first_period_start=D(2026, 1, 1), due_days=10
    )
    performance.do_submit_report(
        engagement,
        acting_user=vendor_a_user,
        period_start=D(2026, 1, 1),
        project_management="Weekly steering.",
        appraisal_execution="Monthly KPIs.",
    )
    run_daily_pass(D(2026, 2, 10))
    run_daily_pass(D(2026, 2, 11))
    assert not Notification.objects.filter(kind__startswith="report_").exists()


def test_a_waiver_expiring_reaches_the_responsible_manager(vendor_a, manager):
    engagement = make_engagement(vendor_a, manager_id=manager.pk)
    member = TeamMember.objects.create(
        vendor=vendor_a, full_name="实习生 Intern", employment_type="intern", hire_date=D(2025, 1, 1)
    )
    do_grant_waiver(
        engagement,
        member=member,
        acting_user=manager,
        justification="Handover period only.",
        valid_from=D(2026, 1, 1),
        valid_until=D(2026, 7, 1),
    )
    for day in (D(2026, 6, 1), D(2026, 6, 24), D(2026, 7, 1), D(2026, 7, 2)):
        run_daily_pass(day)
    assert [n.occasion.rsplit(":", 1)[1] for n in Notification.objects.filter(recipient=manager).order_by("pk")] == [
        "30",
        "7",
        "0",
        "overdue",
    ]


def test_an_open_deliverable_is_reminded_and_a_delivered_one_is_not(vendor_a, manager, vendor_a_user):
    engagement = make_engagement(vendor_a, form="contracting_out", manager_id=manager.pk)
    Deliverable.objects.create(engagement=engagement, title="Design", due_date=D(2026, 5, 8))
    Deliverable.objects.create(
        engagement=engagement, title="Done early", due_date=D(2026, 5, 8), delivered_on=D(2026, 5, 1)
    )
    run_daily_pass(D(2026, 5, 1))
    assert [n.message for n in Notification.objects.filter(recipient=vendor_a_user)] == [
        f"Deliverable “Design” of {engagement} is due on 2026-05-08."
    ]
    run_daily_pass(D(2026, 5, 9))
    assert Notification.objects.filter(recipient=manager, message_id__contains="is late").count() == 1
