"""Visibility of the engagement records that reach their vendor through a relation (see core.access)."""

from __future__ import annotations

from outsourcing.core.access import VendorScopedQuerySet


class ThroughEngagement(VendorScopedQuerySet):
    vendor_lookup = "engagement__vendor"


class ThroughAgreement(VendorScopedQuerySet):
    vendor_lookup = "agreement__engagement__vendor"


class ThroughMetric(VendorScopedQuerySet):
    vendor_lookup = "metric__engagement__vendor"


class ThroughTerms(VendorScopedQuerySet):
    vendor_lookup = "terms__engagement__vendor"
