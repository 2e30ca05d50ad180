"""Querysets of engagement records: visibility through a relation (see core.access), the activation gate and
the engagements' open issues."""

from __future__ import annotations

import datetime

from outsourcing.core import registry
from outsourcing.core.access import VendorScopedQuerySet
from outsourcing.core.registry import Blocker


class ThroughEngagement(VendorScopedQuerySet):
    vendor_lookup = "engagement__vendor"


class ThroughAgreement(VendorScopedQuerySet):
    vendor_lookup = "agreement__engagement__vendor"


class ThroughMetric(VendorScopedQuerySet):
    vendor_lookup = "metric__engagement__vendor"


class ThroughTerms(VendorScopedQuerySet):
    vendor_lookup = "terms__engagement__vendor"


class EngagementQuerySet(VendorScopedQuerySet):
    """The activation gate and the health of engagements, set-based (SPEC "Activation gate").

    Every registered activation check and engagement issue answers for the whole list at once, so these
    methods cost a fixed number of queries whatever the number of engagements; the answer for one engagement
    is the same method on a queryset of one (`Engagement.objects.filter(pk=...)`).
    """

    def activation_blockers(self, day: datetime.date) -> dict[int, list[Blocker]]:
        """{pk: what keeps the engagement from becoming active on `day`} for every engagement (maybe empty)."""
        return registry.activation_blockers_of(list(self.order_by()), day)

    def open_issues(self, day: datetime.date) -> dict[int, list[Blocker]]:
        """{pk: open issues} of the ACTIVE engagements that have any on `day`: every activation blocker that
        holds on `day` and every registered engagement issue (e.g. `qualification_expires_in_term`)."""
        from .choices import EngagementStatus

        active = list(self.filter(status=EngagementStatus.ACTIVE).order_by())
        blockers = registry.activation_blockers_of(active, day)
        issues = registry.engagement_issues_of(active, day)
        merged = {pk: [*blockers.get(pk, []), *issues.get(pk, [])] for pk in blockers.keys() | issues.keys()}
        return {pk: found for pk, found in merged.items() if found}

    def blocked_from_activation(self, day: datetime.date) -> VendorScopedQuerySet:
        """Engagements in vendor selection that something keeps from becoming active on `day`."""
        from .choices import EngagementStatus

        waiting = self.filter(status=EngagementStatus.SELECTION)
        return self.filter(pk__in=[pk for pk, found in waiting.activation_blockers(day).items() if found])

    def with_open_issues(self, day: datetime.date, code: str | None = None) -> VendorScopedQuerySet:
        """Active engagements with an open issue on `day` (of the kind `code`, when given)."""
        issues = self.open_issues(day)
        return self.filter(
            pk__in=[pk for pk, found in issues.items() if code is None or any(b.code == code for b in found)]
        )
