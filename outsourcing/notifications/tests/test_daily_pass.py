"""The daily pass: reminders at 30, 7 and 0 days before, one "overdue", each occasion once per person however
often the pass runs; automatic renewal creates exactly one next term."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.management import call_command

from outsourcing.engagements.models import AgreementVersion, ServiceAgreement
from outsourcing.engagements.tests.conftest import make_agreement, make_engagement
from outsourcing.notifications.daily import run_daily_pass
from outsourcing.notifications.models import Notification

from .conftest import DAY

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_certificate_reminder_goes_to_the_vendor_users_and_the_managers_of_its_live_engagements(
    certificate, vendor_a_user, vendor_b_user, manager, admin, django_capture_on_commit_callbacks
):
    make_engagement(certificate.vendor, title="Live", manager_id=manager.pk)
    vendor_a_user.email = "alice@vendor-a.example"
    vendor_a_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        run_daily_pass(DAY)
    # The engagement is a draft: its manager is not told. Vendor B's user never is.
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"alice_a"}
    assert [m.to for m in mail.outbox] == [["alice@vendor-a.example"]]
    assert "ISMS-0042" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("days_before", "sent"),
    [(31, False), (30, True), (29, False), (8, False), (7, True), (1, False), (0, True), (-1, True), (-2, False)],
)
def test_reminders_come_at_30_7_and_0_days_before_and_once_the_day_after(certificate, vendor_a_user, days_before, sent):
    day = certificate.valid_until - datetime.timedelta(days=days_before)
    run_daily_pass(day)
    assert Notification.objects.filter(recipient=vendor_a_user).exists() is sent


def test_running_the_pass_twice_the_same_day_sends_each_reminder_once(
    certificate, vendor_a_user, django_capture_on_commit_callbacks
):
    vendor_a_user.email = "alice@vendor-a.example"
    vendor_a_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = run_daily_pass(DAY)
    with django_capture_on_commit_callbacks(execute=True):
        second = call_command("reminders", "--date", DAY.isoformat())
    assert first.sent == 1
    assert second is None  # the command prints; the count is below
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_moved_deadline_makes_new_occasions(certificate, vendor_a_user):
    run_daily_pass(DAY)
    certificate.valid_until = DAY + datetime.timedelta(days=30)
    certificate.save()
    run_daily_pass(DAY)
    assert Notification.objects.filter(recipient=vendor_a_user).count() == 2


def test_rejected_and_superseded_certificates_are_not_reminded(certificate, vendor_a_user):
    certificate.verification_status = "rejected"
    certificate.save()
    run_daily_pass(DAY)
    assert not Notification.objects.exists()


def test_the_decision_reminders_reach_the_responsible_manager_at_30_7_0_and_after_the_deadline(vendor_a, manager):
    engagement = make_engagement(vendor_a, manager_id=manager.pk)
    make_agreement(engagement)  # 2026 term, 90 days: notice by 2026-10-02
    for day in (D(2026, 9, 2), D(2026, 9, 3), D(2026, 9, 25), D(2026, 10, 2), D(2026, 10, 3), D(2026, 10, 4)):
        run_daily_pass(day)
    messages = list(Notification.objects.filter(recipient=manager).order_by("pk"))
    assert [n.occasion.rsplit(":", 1)[1] for n in messages] == ["30", "7", "0", "overdue"]
    assert "give notice by 2026-10-02 (30 days left)" in messages[0].message
    assert "ends on 2026-12-31 without renewal" in messages[3].message
    assert messages[0].url == f"/engagements/{engagement.pk}/"


def test_no_decision_reminder_once_notice_is_given(vendor_a, manager):
    engagement = make_engagement(vendor_a, manager_id=manager.pk)
    agreement = make_agreement(engagement)
    ServiceAgreement.objects.filter(pk=agreement.pk).update(notice_given_on=D(2026, 9, 1), notice_reason="x")
    run_daily_pass(D(2026, 9, 25))
    assert not Notification.objects.exists()


def test_auto_renewal_creates_exactly_one_next_term_even_when_the_pass_runs_twice(vendor_a, manager):
    engagement = make_engagement(vendor_a, manager_id=manager.pk)
    agreement = make_agreement(engagement, auto_renewal=True, renewal_months=12)
    run_daily_pass(D(2026, 12, 31))
    assert not AgreementVersion.objects.exists()  # the last day of the term: nothing yet
    run_daily_pass(D(2027, 1, 1))
    run_daily_pass(D(2027, 1, 1))
    agreement.refresh_from_db()
    version = AgreementVersion.objects.get()
    assert (version.effective_from, version.effective_to) == (D(2027, 1, 1), D(2027, 12, 31))
    assert agreement.end_date == D(2027, 12, 31)
    assert agreement.notice_period_days == 90
    assert agreement.notice_by == D(2027, 10, 2)
    assert agreement.state(D(2027, 1, 1)) == "active"
    assert LogEntry.objects.get_for_object(version).filter(action=LogEntry.Action.CREATE).exists()
    renewed = Notification.objects.get(recipient=manager, kind="agreement_renewed")
    assert "2027-01-01 to 2027-12-31" in renewed.message


def test_a_late_scheduler_catches_up_term_by_term(vendor_a):
    """Each new term runs from E + 1 to E plus the renewal term (SPEC), so month ends follow relativedelta:
    31 Dec + 6 months is 30 Jun, and 30 Jun + 6 months is 30 Dec."""
    engagement = make_engagement(vendor_a)
    agreement = make_agreement(engagement, auto_renewal=True, renewal_months=6)
    run_daily_pass(D(2027, 8, 1))
    agreement.refresh_from_db()
    assert agreement.end_date == D(2027, 12, 30)
    assert list(AgreementVersion.objects.values_list("effective_from", "effective_to")) == [
        (D(2027, 1, 1), D(2027, 6, 30)),
        (D(2027, 7, 1), D(2027, 12, 30)),
    ]


def test_notice_given_in_time_stops_the_renewal(vendor_a):
    engagement = make_engagement(vendor_a)
    agreement = make_agreement(engagement, auto_renewal=True)
    ServiceAgreement.objects.filter(pk=agreement.pk).update(notice_given_on=D(2026, 10, 2), notice_reason="x")
    run_daily_pass(D(2027, 1, 1))
    agreement.refresh_from_db()
    assert agreement.end_date == D(2026, 12, 31)
    assert agreement.state(D(2027, 1, 1)) == "expired"
