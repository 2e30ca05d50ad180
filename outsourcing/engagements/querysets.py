"""Querysets of engagement records: visibility through a relation (see core.access), the one home of the
agreement deadline states (SPEC "Agreement deadlines"), the activation gate and the engagements' open issues."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, CharField, F, Q, Value, When

from outsourcing.core import registry
from outsourcing.core.access import VendorScopedQuerySet
from outsourcing.core.registry import Blocker

from .choices import AgreementState


class ThroughEngagement(VendorScopedQuerySet):
    vendor_lookup = "engagement__vendor"


class ThroughAgreement(VendorScopedQuerySet):
    vendor_lookup = "agreement__engagement__vendor"


class ThroughMetric(VendorScopedQuerySet):
    vendor_lookup = "metric__engagement__vendor"


class ThroughTerms(VendorScopedQuerySet):
    vendor_lookup = "terms__engagement__vendor"


def notice_in_time(day: datetime.date) -> Q:
    """Notice of non-renewal was given by `day`, and no later than the notice deadline of the current term."""
    return Q(notice_given_on__isnull=False, notice_given_on__lte=day) & Q(notice_given_on__lte=F("notice_date"))


def agreement_state_conditions(day: datetime.date) -> list[tuple[AgreementState, Q]]:
    """SPEC's states in SPEC's order: the first condition that holds on `day` is the state.

    `notice_date` is the notice deadline (E − N) and `decision_from` the first day of the decision window
    (notice deadline − L), both stored by ServiceAgreement.clean() so the conditions stay plain indexable
    comparisons. ServiceAgreement.state() is the same rule for one object in memory; a test proves they agree.
    """
    will_renew = Q(auto_renewal=True, terminated_on__isnull=True) & ~notice_in_time(day)
    return [
        (AgreementState.TERMINATED, Q(terminated_on__isnull=False, terminated_on__lte=day)),
        (AgreementState.UPCOMING, Q(start_date__gt=day)),
        # Past its end an auto-renewing term that the scheduler has not yet renewed is still renewing.
        (AgreementState.EXPIRED, Q(end_date__lt=day) & ~will_renew),
        # A termination date after `day` is scheduled: the agreement is ending until then.
        (AgreementState.ENDING, notice_in_time(day) | Q(terminated_on__isnull=False)),
        (AgreementState.DECISION_DUE, Q(decision_from__lte=day, notice_date__gte=day)),
        (AgreementState.RENEWING, Q(notice_date__lt=day, auto_renewal=True)),
        (AgreementState.EXPIRING, Q(notice_date__lt=day, auto_renewal=False)),
        (AgreementState.ACTIVE, Q()),
    ]


class AgreementQuerySet(ThroughEngagement):
    """Service agreements, with their deadline state on a day answered in the database for a whole portfolio."""

    def with_state(self, day: datetime.date) -> AgreementQuerySet:
        """Annotate `deadline_state` on `day`."""
        conditions = agreement_state_conditions(day)[:-1]  # the last, "active", is the default
        whens = [When(condition, then=Value(state.value)) for state, condition in conditions]
        return self.annotate(
            deadline_state=Case(*whens, default=Value(AgreementState.ACTIVE.value), output_field=CharField())
        )

    def in_state(self, day: datetime.date, *states: str) -> AgreementQuerySet:
        """The agreements whose state on `day` is one of `states` (a plain filter: each state's condition and
        the negation of every earlier one)."""
        wanted = Q(pk__in=[])
        earlier = Q()
        for state, condition in agreement_state_conditions(day):
            if state in states:
                wanted |= earlier & condition
            earlier &= ~condition
        return self.filter(wanted)

    def decision_due(self, day: datetime.date) -> AgreementQuerySet:
        """The owner must decide now: renew, or give notice by the notice deadline."""
        return self.in_state(day, AgreementState.DECISION_DUE)

    def renewal_due(self, day: datetime.date) -> AgreementQuerySet:
        """Auto-renewing terms that ended before `day` and whose next term has not been created yet."""
        return self.in_state(day, AgreementState.RENEWING).filter(end_date__lt=day)


class EngagementQuerySet(VendorScopedQuerySet):
    """The activation gate and the health of engagements, set-based (SPEC "Activation gate").

    Every registered activation check and engagement issue answers for the whole list at once, so these
    methods cost a fixed number of queries whatever the number of engagements; the answer for one engagement
    is the same method on a queryset of one (`Engagement.objects.filter(pk=...)`).
    """

    def activation_blockers(self, day: datetime.date) -> dict[int, list[Blocker]]:
        """{pk: what keeps the engagement from becoming active on `day`} for every engagement (maybe empty)."""
        return registry.activation_blockers_of(list(self.order_by()), day)

    def open_issues(self, day: datetime.date, viewer: Any) -> dict[int, list[Blocker]]:
        """{pk: open issues} of the ACTIVE engagements that have any on `day`: every activation blocker that
        holds on `day` and every registered engagement issue (e.g. `qualification_expires_in_term`) that
        `viewer` may see (`double_booked` is for the owner's staff only)."""
        return self._open_issues(day, viewer, detail=True)

    def open_issue_codes(self, day: datetime.date, viewer: Any) -> dict[int, set[str]]:
        """{pk: the kinds of its open issues} of the same engagements as `open_issues`, decided by the same
        checks without wording them: what counts and filters by kind need (the dashboard, `?issue=`)."""
        return {pk: {b.code for b in found} for pk, found in self._open_issues(day, viewer, detail=False).items()}

    def _open_issues(self, day: datetime.date, viewer: Any, *, detail: bool) -> dict[int, list[Blocker]]:
        from .choices import EngagementStatus

        active = self._selection(EngagementStatus.ACTIVE)
        blockers = registry.activation_blockers_of(active, day, detail=detail)
        issues = registry.engagement_issues_of(active, day, viewer, detail=detail)
        merged = {pk: [*blockers.get(pk, []), *issues.get(pk, [])] for pk in blockers.keys() | issues.keys()}
        return {pk: found for pk, found in merged.items() if found}

    def _selection(self, status: str) -> registry.Selection:
        """The engagements in `status`, with the fields the registered checks read, for the checks to ask."""
        query = self.filter(status=status).order_by()
        fields = registry.engagement_fields_read()
        return registry.Selection(query if fields is None else query.only(*fields))

    def blocked_from_activation(self, day: datetime.date) -> VendorScopedQuerySet:
        """Engagements in vendor selection that something keeps from becoming active on `day`."""
        from .choices import EngagementStatus

        waiting = self._selection(EngagementStatus.SELECTION)
        blocked = registry.activation_blockers_of(waiting, day, detail=False)
        return self.filter(pk__in=[pk for pk, found in blocked.items() if found])

    def with_open_issues(self, day: datetime.date, viewer: Any, code: str | None = None) -> VendorScopedQuerySet:
        """Active engagements with an open issue on `day` that `viewer` may see (of the kind `code`, when given)."""
        issues = self.open_issue_codes(day, viewer)
        return self.filter(pk__in=[pk for pk, codes in issues.items() if code is None or code in codes])
