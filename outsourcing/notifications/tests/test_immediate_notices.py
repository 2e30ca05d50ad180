"""Immediate notices: sent by the action itself, to the people who can act, once per occasion."""

import datetime
from decimal import Decimal

import pytest

from outsourcing.core.access import SYSTEM
from outsourcing.engagements.actions import do_record_measurement, do_save_metric
from outsourcing.engagements.tests.conftest import make_agreement, make_engagement
from outsourcing.notifications.models import Notification
from outsourcing.performance import actions as performance
from outsourcing.teams.actions import do_add_to_team, do_propose_replacement
from outsourcing.teams.models import TeamMember

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def engagement(vendor_a, manager):
    return make_engagement(vendor_a, manager_id=manager.pk)


def test_an_sla_breach_tells_the_manager_and_the_vendor_at_once(engagement, manager, vendor_a_user, vendor_b_user):
    make_agreement(engagement)
    metric = do_save_metric(
        None, engagement=engagement, acting_user=SYSTEM, changes={"name": "Uptime", "unit": "%", "target": Decimal(99)}
    )
    do_record_measurement(
        engagement, metric_id=metric.pk, period_start=D(2026, 3, 1), value=Decimal(99), acting_user=SYSTEM
    )
    assert not Notification.objects.exists()  # met: nothing to tell
    do_record_measurement(
        engagement, metric_id=metric.pk, period_start=D(2026, 4, 1), value=Decimal(97), acting_user=SYSTEM
    )
    assert set(Notification.objects.values_list("recipient__username", "kind")) == {
        ("manager", "sla_breach"),
        ("alice_a", "sla_breach"),
    }
    assert "Uptime was 97" in Notification.objects.first().message


def test_a_returned_report_tells_the_vendors_users(engagement, manager, vendor_a_user):
    performance.do_set_schedule(
        engagement, acting_user=manager, frequency="monthly", first_period_start=D(2026, 1, 1), due_days=10
    )
    report = performance.do_submit_report(
        engagement,
        acting_user=vendor_a_user,
        period_start=D(2026, 1, 1),
        project_management="Weekly steering.",
        appraisal_execution="Monthly KPIs.",
    )
    performance.do_review_report(report, acting_user=manager, accept=False, comments="Add the resource figures.")
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (vendor_a_user, "report_returned")
    assert notification.message.endswith("was returned: Add the resource figures.")


def test_a_key_person_replacement_waiting_for_approval_tells_the_manager(engagement, manager, vendor_a, vendor_a_user):
    def member(name):
        return TeamMember.objects.create(
            vendor=vendor_a, full_name=name, employment_type="regular", hire_date=D(2020, 1, 1)
        )

    lead = do_add_to_team(
        engagement, acting_user=manager, member=member("Lead"), role="Lead", key_person=True, start_date=D(2026, 1, 1)
    )
    do_propose_replacement(
        engagement,
        outgoing=lead,
        successor=member("Successor"),
        reason="Promotion",
        effective_date=D(2026, 9, 1),
        acting_user=vendor_a_user,
    )
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (manager, "replacement_pending")
    assert "approve or reject" in notification.message
