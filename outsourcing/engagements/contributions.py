"""What the engagements app gives the rest of the system through core.registry: its own activation checks
(`no_signed_agreement` and the per-form `no_sla_metrics`, `no_benefit_terms`, `no_deliverables`), the vendor
criterion "past performance" and the dashboard cards."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from outsourcing.core import registry
from outsourcing.core.access import sees_all_vendors
from outsourcing.core.phrases import Phrase
from outsourcing.core.registry import Blocker, CriterionScore, DashboardCard, unworded

from .choices import EngagementForm
from .models import BenefitTerms, Deliverable, Engagement, Measurement, ServiceAgreement, SlaMetric
from .queries import engagements_with_issue

# code → (label, place in the lists as SPEC "Activation gate" orders the codes)
ISSUE_KINDS = {
    "no_signed_agreement": (gettext_lazy("No signed agreement"), 10),
    "no_sla_metrics": (gettext_lazy("No SLA metrics"), 80),
    "no_benefit_terms": (gettext_lazy("No gain-sharing terms"), 81),
    "no_deliverables": (gettext_lazy("No deliverables"), 82),
}


def no_signed_agreement(
    engagements: Sequence[Any], as_of: datetime.date, *, detail: bool = True
) -> dict[int, list[Blocker]]:
    """No agreement covering `as_of` with a signed copy on file (one query)."""
    signed = set(
        ServiceAgreement.objects.filter(engagement_id__in=registry.ids_of(engagements))
        .signed_covering(as_of)
        .values_list("engagement_id", flat=True)
    )
    if not detail:
        return {e.pk: [unworded("no_signed_agreement")] for e in engagements if e.pk not in signed}
    message = _(
        "No service agreement covering %(date)s with a signed copy is on file: record the agreement and attach "
        "the signed copy."
    ) % {"date": as_of.isoformat()}
    to_vendor = _("No service agreement covering %(date)s with a signed copy is on file yet: the owner records it.") % {
        "date": as_of.isoformat()
    }
    return {e.pk: [Blocker("no_signed_agreement", message, to_vendor)] for e in engagements if e.pk not in signed}


# form → (the records it needs, the blocker code and what the manager should do)
_FORM_RECORDS: dict[str, tuple[Any, str, Any]] = {
    EngagementForm.SERVICE: (
        SlaMetric,
        "no_sla_metrics",
        gettext_lazy("A service engagement needs its SLA metrics: define at least one metric with its target."),
    ),
    EngagementForm.BENEFIT_BASED: (
        BenefitTerms,
        "no_benefit_terms",
        gettext_lazy("A benefit-based relationship needs its gain-sharing terms: record the baseline and shares."),
    ),
    EngagementForm.CONTRACTING_OUT: (
        Deliverable,
        "no_deliverables",
        gettext_lazy("Contracting out needs the deliverables the vendor owes: record at least one deliverable."),
    ),
}


def form_records(engagements: Sequence[Any], as_of: datetime.date, *, detail: bool = True) -> dict[int, list[Blocker]]:
    """Per form: a service without SLA metrics, a benefit-based one without terms, contracting out without
    deliverables (one query per form present in the list)."""
    result: dict[int, list[Blocker]] = {}
    for form, (model, code, message) in _FORM_RECORDS.items():
        ids = [e.pk for e in engagements if e.form == form]
        if not ids:
            continue
        having = set(
            model.objects.filter(engagement_id__in=registry.ids_of(engagements), engagement__form=form).values_list(
                "engagement_id", flat=True
            )
        )
        blocker = Blocker(code, str(message)) if detail else unworded(code)
        result.update({pk: [blocker] for pk in ids if pk not in having})
    return result


def past_performance(vendor_ids: Sequence[int], engagement: Any, as_of: datetime.date) -> dict[int, CriterionScore]:
    """Weighted SLA attainment over the 12 months before `as_of`, across all the vendor's engagements.

    One grouped query for all vendors: sum(attainment × weight) ÷ sum(weight), attainment capped at 100.
    """
    since = as_of - datetime.timedelta(days=365)
    weighted = ExpressionWrapper(
        F("attainment") * F("metric__weight"), output_field=DecimalField(max_digits=20, decimal_places=6)
    )
    rows = (
        Measurement.objects.filter(
            metric__engagement__vendor_id__in=list(vendor_ids),
            period_start__gt=since,
            period_start__lte=as_of,
        )
        .values("metric__engagement__vendor_id")
        .annotate(
            weighted=Sum(weighted),
            weights=Sum("metric__weight"),
            n=Count("pk"),
            breaches=Count("pk", filter=Q(breached=True)),
        )
    )
    result = {
        vid: CriterionScore(None, Phrase(gettext_noop("No SLA measurements in the last 12 months.")))
        for vid in vendor_ids
    }
    for row in rows:
        if not row["weights"]:
            continue
        score = min(float(row["weighted"]) / float(row["weights"]), 100.0)
        result[row["metric__engagement__vendor_id"]] = CriterionScore(
            score,
            Phrase(
                gettext_noop(
                    "Weighted SLA attainment %(score)s%% over %(n)s measurements, %(b)s breaches (12 months)."
                ),
                score=f"{score:.1f}",
                n=row["n"],
                b=row["breaches"],
            ),
        )
    return result


def dashboard_cards(user: Any) -> list[DashboardCard]:
    """Each card counts engagements and links to the engagement list filtered by the same rule
    (`queries.engagements_with_issue`), so the card's count is the list's count."""
    from .reports import last_full_month

    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    engagements = Engagement.objects.visible_to(user)
    url = reverse("engagements:list")

    def count(issue: str) -> int:
        return engagements_with_issue(engagements, issue, today, user).count()

    owner = sees_all_vendors(user)
    cards = [
        DashboardCard(
            _("Agreement decisions due") if owner else _("Agreements awaiting the owner's renewal decision"),
            count("notice"),
            url + "?issue=notice",
            "amber",
            _("Renew, or give notice before the notice deadline.")
            if owner
            else _("The owner decides whether to renew before the notice deadline; you will be told."),
        ),
        DashboardCard(
            _("Engagements with late deliverables"),
            count("late"),
            url + "?issue=late",
            "red",
            "" if owner else _("Deliver them, or agree a new date with the owner."),
        ),
        DashboardCard(
            _("Engagements with SLA breaches last month"),
            count("breach"),
            url + "?issue=breach",
            "red",
            _("Measurements below target in %(month)s.") % {"month": last_full_month(today).strftime("%Y-%m")},
        ),
    ]
    if owner:
        cards.append(
            DashboardCard(
                _("Engagements blocked from activation"),
                count("blocked"),
                url + "?issue=blocked",
                "amber",
                _("In vendor selection with an open blocker."),
            )
        )
        issues = engagements.open_issue_codes(today, user)
        cards.append(
            DashboardCard(
                _("Active engagements with open issues"),
                len(issues),
                url + "?issue=open",
                "red" if issues else "green",
                _("Running engagements where a condition of the activation gate no longer holds."),
            )
        )
        by_kind: dict[str, int] = {}
        for codes in issues.values():
            for code in codes:
                by_kind[code] = by_kind.get(code, 0) + 1
        for code in sorted(by_kind, key=lambda c: (-by_kind[c], c)):
            label = registry.issue_kinds.get(code, code)
            cards.append(
                DashboardCard(
                    _("Open issue: %(kind)s") % {"kind": label},
                    by_kind[code],
                    f"{url}?issue={code}",
                    "red",
                    _("Active engagements with this open issue."),
                )
            )
    return cards
