"""Demo engagements, one per outsourcing form, for the demo vendors (see vendors/demo.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from outsourcing.core.access import SYSTEM
from outsourcing.core.audit import acting_as

from .choices import EngagementForm, EngagementStatus
from .models import Engagement
from .terms_demo import build_terms

ENGAGEMENTS = [
    (
        "ops",
        "OM-2026-001",
        "政务云平台运维服务 Government cloud O&M",
        EngagementForm.SERVICE,
        "a",
        EngagementStatus.ACTIVE,
        True,
        24,
        36,
    ),
    (
        "dev",
        "DEV-2026-002",
        "Permit system development",
        EngagementForm.CONTRACTING_OUT,
        "b",
        EngagementStatus.ACTIVE,
        False,
        12,
        24,
    ),
    (
        "cosource",
        "CO-2026-003",
        "数据中心联合运维 Joint data-centre operations",
        EngagementForm.CO_SOURCING,
        "c",
        EngagementStatus.SELECTION,
        True,
        24,
        36,
    ),
    (
        "benefit",
        "BEN-2026-004",
        "Energy-saving retrofit (shared savings)",
        EngagementForm.BENEFIT_BASED,
        "d",
        EngagementStatus.DRAFT,
        False,
        12,
        24,
    ),
    (
        "insourcing",
        "IN-2026-005",
        "Shared service centre help desk",
        EngagementForm.INSOURCING,
        None,
        EngagementStatus.ACTIVE,
        True,
        12,
        24,
    ),
]

DEPARTMENTS = {
    "ops": "信息中心 IT Centre",
    "dev": "审批处 Permits Office",
    "cosource": "信息中心 IT Centre",
    "benefit": "后勤保障部 Facilities",
    "insourcing": "办公室 General Office",
}


def build(ctx: dict[str, Any]) -> None:
    today = timezone.localdate()  # the owner's day, not the server's
    ctx.setdefault("engagements", {})
    with acting_as(SYSTEM):
        for key, code, title, form, vendor_key, status, om, tenure, experience in ENGAGEMENTS:
            engagement = Engagement(
                code=code,
                title=title,
                form=form,
                vendor=ctx["vendors"][vendor_key] if vendor_key else None,
                status=status,
                is_operations_maintenance=om,
                start_date=today.replace(month=1, day=1),
                end_date=today.replace(year=today.year + 2, month=12, day=31),
                min_tenure_months=tenure,
                min_experience_months=experience,
            )
            if form == EngagementForm.INSOURCING:
                engagement.internal_unit = "共享服务中心 Shared Service Centre"
            engagement.department = DEPARTMENTS[key]
            engagement.manager = ctx["users"].get("manager")
            engagement.full_clean()
            engagement.save()
            ctx["engagements"][key] = engagement
    build_terms(ctx, today)
