"""The demo's inbox and re-examinations: one vendor's examination is due in a week; today's pass adds the
agreement decision reminder and expiring certificates to the notices the other apps' demo actions already sent
(SLA breaches, a key-person replacement, reviews)."""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from outsourcing.assessments.models import Assessment

from .daily import run_daily_pass
from .models import Notification


def build(ctx: dict[str, Any]) -> None:
    vendors = ctx["vendors"]
    vendors["a"].risk_tier = "high"
    vendors["b"].risk_tier = "critical"
    for vendor in (vendors["a"], vendors["b"]):
        vendor.save(update_fields=["risk_tier"])
    # Vendor B was last examined almost 12 months ago: as a critical vendor it is due again in 7 days (the
    # dashboard counts it, the admins get the 7-day reminder; on the day, the pass sends the re-examination).
    Assessment.objects.filter(vendor=vendors["b"], status="completed").update(
        completed_at=timezone.now() - relativedelta(months=12) + relativedelta(days=7)
    )
    run_daily_pass(timezone.localdate())
    ctx["stdout"].write(f"  {Notification.objects.unread().count()} unread notifications in the demo inboxes")
