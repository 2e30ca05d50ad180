"""Engagements' part of the daily pass: the agreement decision and notice deadline, deliverables due, and
automatic renewal. Each asks the same queryset as the screens (decision_due, in_state, Deliverable.objects.late)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_noop

from outsourcing.core.registry import (
    Notice,
    admin_ids,
    engagement_people,
    notify,
    reminder_days,
    reminder_offset,
    vendor_user_ids,
)

from .choices import AgreementState
from .models import Deliverable, Measurement, ServiceAgreement


def _url(engagement_id: int) -> str:
    return reverse("engagements:detail", kwargs={"pk": engagement_id})


def agreement_reminders(day: datetime.date) -> list[Notice]:
    """SPEC: at 30, 7 and 0 days before the notice deadline to the responsible manager, then once the day
    after, saying what the agreement now does."""
    before = [day + datetime.timedelta(days=n) for n in (30, 7, 0)]
    due = ServiceAgreement.objects.decision_due(day).filter(notice_date__in=before)
    passed = ServiceAgreement.objects.in_state(day, AgreementState.RENEWING, AgreementState.EXPIRING).filter(
        notice_date=day - datetime.timedelta(days=1)
    )
    admins: list[int] | None = None
    notices = []
    for agreement in (due | passed).select_related("engagement"):
        engagement = agreement.engagement
        if engagement.manager_id:
            recipients: tuple[int, ...] = (engagement.manager_id,)
        else:
            admins = admin_ids() if admins is None else admins
            recipients = tuple(admins)
        offset = reminder_offset(agreement.notice_date, day)
        if offset == "overdue":
            message = (
                gettext_noop(
                    "The notice deadline %(notice_by)s of agreement %(number)s (%(engagement)s) has passed: it renews "
                    "automatically on %(next)s."
                )
                if agreement.auto_renewal
                else gettext_noop(
                    "The notice deadline %(notice_by)s of agreement %(number)s (%(engagement)s) has passed: it ends "
                    "on %(end)s without renewal."
                )
            )
        else:
            message = gettext_noop(
                "Decide on agreement %(number)s (%(engagement)s): renew, or give notice by %(notice_by)s "
                "(%(days)s days left)."
            )
        notices.append(
            Notice(
                kind="agreement_decision",
                recipient_ids=recipients,
                subject=agreement,
                message=message,
                params={
                    "number": agreement.number,
                    "engagement": str(engagement),
                    "notice_by": str(agreement.notice_date),
                    "days": str((agreement.notice_date - day).days),
                    "end": str(agreement.end_date),
                    "next": str(agreement.end_date + datetime.timedelta(days=1)),
                },
                occasion=f"agreement_decision:{agreement.pk}:{agreement.notice_date}:{offset}",
                url=_url(engagement.pk),
            )
        )
    return notices


def deliverable_reminders(day: datetime.date) -> list[Notice]:
    """Open deliverables at 30, 7 and 0 days before their due date, and once late the day after: to the
    vendor's users and the responsible manager."""
    dates = reminder_days(day)
    open_due = Deliverable.objects.filter(due_date__in=dates[:3], delivered_on__isnull=True).exclude(
        acceptance="accepted"
    )
    late = Deliverable.objects.late(day).filter(due_date=dates[3])
    rows = list((open_due | late).select_related("engagement"))
    users = vendor_user_ids([d.engagement.vendor_id for d in rows if d.engagement.vendor_id])
    notices = []
    for deliverable in rows:
        engagement = deliverable.engagement
        recipients = [
            *users.get(engagement.vendor_id or 0, []),
            *([engagement.manager_id] if engagement.manager_id else []),
        ]
        offset = reminder_offset(deliverable.due_date, day)
        notices.append(
            Notice(
                kind="deliverable_due",
                recipient_ids=tuple(recipients),
                subject=deliverable,
                message=(
                    gettext_noop("Deliverable “%(title)s” of %(engagement)s was due on %(due)s and is late.")
                    if offset == "overdue"
                    else gettext_noop("Deliverable “%(title)s” of %(engagement)s is due on %(due)s.")
                ),
                params={"title": deliverable.title, "engagement": str(engagement), "due": str(deliverable.due_date)},
                occasion=f"deliverable_due:{deliverable.pk}:{deliverable.due_date}:{offset}",
                url=_url(engagement.pk),
            )
        )
    return notices


def notify_breach(measurement: Measurement) -> None:
    """An SLA breach, at once: to the responsible manager and the vendor's users."""
    notify_breaches([measurement])


def notify_breaches(measurements: list[Measurement]) -> None:
    """`notify_breach` for many measurements: who is told is looked up once per engagement, not per row."""
    people: dict[int, tuple[int, ...]] = {}
    for measurement in measurements:
        if not measurement.breached:
            continue
        engagement = measurement.metric.engagement
        if engagement.pk not in people:
            people[engagement.pk] = engagement_people(engagement, vendor=True)
        _notify_breach(measurement, people[engagement.pk])


def _notify_breach(measurement: Measurement, recipients: tuple[int, ...]) -> None:
    engagement = measurement.metric.engagement
    notify(
        Notice(
            kind="sla_breach",
            recipient_ids=recipients,
            subject=measurement,
            message=gettext_noop(
                "SLA breach on %(engagement)s: %(metric)s was %(value)s in the period from %(period)s."
            ),
            params={
                "engagement": str(engagement),
                "metric": measurement.metric.name,
                "value": str(measurement.value),
                "period": str(measurement.period_start),
            },
            occasion=f"sla_breach:{measurement.pk}",
            url=_url(engagement.pk),
        )
    )
