"""Demo engagements, one per outsourcing form, for the demo vendors (see vendors/demo.py)."""

from __future__ import annotations

import datetime
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

# The team sizes the engagements need (the attrition forecast compares the expected headcount with them).
REQUIRED_TEAM_SIZES = {"ops": 4, "dev": 5}

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
                required_team_size=REQUIRED_TEAM_SIZES.get(key),
            )
            if form == EngagementForm.INSOURCING:
                engagement.internal_unit = "共享服务中心 Shared Service Centre"
            engagement.department = DEPARTMENTS[key]
            engagement.manager = ctx["users"].get("manager")
            engagement.full_clean()
            engagement.save()
            ctx["engagements"][key] = engagement
    build_terms(ctx, today)
    _deadline_examples(ctx, today)


def _deadline_examples(ctx: dict[str, Any], today: datetime.date) -> None:
    """Three smaller engagements whose agreements show the remaining deadline states: one that expired, one
    terminated early and one that has not started yet."""
    from decimal import Decimal

    from .actions import do_save_agreement

    day = datetime.timedelta(days=1)
    examples = [
        ("OM-2024-010", "旧版门户运维 Legacy portal O&M", EngagementStatus.CLOSED, -730, -30, None),
        ("DEV-2025-011", "Mobile app pilot", EngagementStatus.TERMINATED, -300, 65, -20),
        ("OM-2027-012", "灾备中心运维 Disaster-recovery site O&M", EngagementStatus.DRAFT, 45, 410, None),
    ]
    with acting_as(SYSTEM):
        for n, (code, title, status, start, end, terminated) in enumerate(examples):
            engagement = Engagement(
                code=code,
                title=title,
                form=EngagementForm.SERVICE,
                vendor=ctx["vendors"]["a" if n != 1 else "b"],
                status=status,
                start_date=today + start * day,
                end_date=today + end * day,
                department="信息中心 IT Centre",
                manager=ctx["users"].get("manager"),
            )
            engagement.full_clean()
            engagement.save()
            do_save_agreement(
                engagement,
                acting_user=SYSTEM,
                changes={
                    "number": code.replace("OM", "HT").replace("DEV", "HT"),
                    "owner_party": "某市大数据管理局 Municipal Big Data Bureau",
                    "provider_party": engagement.provider_name,
                    "start_date": today + start * day,
                    "end_date": today + end * day,
                    "value": Decimal("480000.00"),
                    "notice_period_days": 30,
                    "terminated_on": today + terminated * day if terminated is not None else None,
                },
            )
