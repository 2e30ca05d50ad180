"""Demo agreements, SLA measurements, deliverables and gain-sharing periods for the demo engagements."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from outsourcing.core.access import SYSTEM

from .actions import (
    do_add_version,
    do_attach_signed_agreement,
    do_decide_deliverable,
    do_give_notice,
    do_record_benefit_period,
    do_record_measurement,
    do_save_agreement,
    do_save_benefit_terms,
    do_save_deliverable,
    do_save_metric,
)
from .choices import Acceptance

# A minimal, valid PDF standing in for the scanned, signed agreement.
SIGNED_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

AGREEMENTS = {
    "ops": ("HT-2026-0101", Decimal("3600000.00"), Decimal("100000.00"), 90, True),
    "dev": ("HT-2026-0102", Decimal("1850000.00"), None, 60, False),
    "cosource": ("HT-2026-0103", Decimal("2400000.00"), Decimal("80000.00"), 90, False),
    "benefit": ("HT-2026-0104", Decimal("0.00"), None, 180, True),
    "insourcing": ("NB-2026-0105", Decimal("960000.00"), Decimal("40000.00"), 30, True),
}

# Days from today to each agreement's end, so that the demo shows the deadline states (SPEC "Agreement
# deadlines"): ops renews automatically (its notice deadline passed), dev's decision is due (notice deadline in
# 30 days: today brings its first reminder), co-sourcing expires without renewal, the gain-sharing pilot ends
# on notice, insourcing is active.
END_IN_DAYS = {"ops": 60, "dev": 90, "cosource": 60, "benefit": 400, "insourcing": 400}

# Six months of measurements for the O&M service: availability (%), P1 response (hours), tickets closed (%).
OPS_EARLIER = ("99.93", "3.2", "96.0")
OPS_MEASUREMENTS = [
    ("99.95", "2.5", "97.1"),
    ("99.92", "3.0", "96.4"),
    ("99.71", "4.5", "95.0"),
    ("99.90", "3.8", "93.9"),
    ("99.35", "6.2", "96.8"),
    ("99.96", "3.1", "97.5"),
]


def _months_back(today: datetime.date, n: int) -> datetime.date:
    year, month = today.year, today.month - n
    while month < 1:
        month += 12
        year -= 1
    return datetime.date(year, month, 1)


def build_terms(ctx: dict[str, Any], today: datetime.date) -> None:
    engagements = ctx["engagements"]
    for key, (number, value, fee, notice, renews) in AGREEMENTS.items():
        engagement = engagements[key]
        start = _months_back(today, 12)
        agreement = do_save_agreement(
            engagement,
            acting_user=SYSTEM,
            changes={
                "number": number,
                "owner_party": "某市大数据管理局 Municipal Big Data Bureau",
                "provider_party": engagement.provider_name,
                "start_date": start,
                "end_date": today + datetime.timedelta(days=END_IN_DAYS[key]),
                "value": value,
                "monthly_fee": fee,
                "notice_period_days": notice,
                "auto_renewal": renews,
            },
        )
        if key == "benefit":  # the owner gave notice: the shared-savings pilot ends with its term
            do_give_notice(
                agreement,
                given_on=today - datetime.timedelta(days=10),
                reason="试点不再延续 The pilot is not continued after its term.",
                acting_user=SYSTEM,
            )
        if key != "cosource":
            upload = SimpleUploadedFile(f"{number}-signed.pdf", SIGNED_PDF, content_type="application/pdf")
            do_attach_signed_agreement(agreement, upload=upload, acting_user=SYSTEM)
        if key == "ops":
            do_add_version(
                agreement,
                acting_user=SYSTEM,
                effective_from=start,
                effective_to=_months_back(today, 6) - datetime.timedelta(days=1),
                changes="初始版本 Original terms",
                signed_on=start - datetime.timedelta(days=10),
                signed_by="王磊 / 陈静",
            )
            do_add_version(
                agreement,
                acting_user=SYSTEM,
                effective_from=_months_back(today, 6),
                changes=("增加夜间值守；P1 响应目标由 6 小时改为 4 小时. Night shift added; P1 response 6 h → 4 h."),
                signed_on=_months_back(today, 6) - datetime.timedelta(days=5),
                signed_by="王磊 / 陈静",
            )
    _ops(engagements["ops"], today)
    _dev(engagements["dev"], today)
    _benefit(engagements["benefit"], today)


def _ops(engagement: Any, today: datetime.date) -> None:
    metrics = [
        do_save_metric(
            None,
            engagement=engagement,
            acting_user=SYSTEM,
            changes={
                "name": "系统可用率 Availability",
                "unit": "%",
                "target": Decimal("99.9"),
                "weight": Decimal(3),
            },
            bands=[
                (Decimal("0.1"), Decimal(5)),
                (Decimal("0.5"), Decimal(10)),
                (Decimal("1.0"), Decimal(25)),
            ],
        ),
        do_save_metric(
            None,
            engagement=engagement,
            acting_user=SYSTEM,
            changes={
                "name": "P1 故障响应 P1 response",
                "unit": "h",
                "target": Decimal(4),
                "higher_is_better": False,
                "weight": Decimal(2),
            },
            bands=[(Decimal(1), Decimal(5)), (Decimal(2), Decimal(10))],
        ),
        do_save_metric(
            None,
            engagement=engagement,
            acting_user=SYSTEM,
            changes={"name": "工单按时关闭率 Tickets closed on time", "unit": "%", "target": Decimal(95)},
            bands=[(Decimal(2), Decimal(3))],
        ),
    ]
    # The agreement's first half year ran smoothly; the last six months tell the story (and one gap).
    history = [OPS_EARLIER] * 6 + OPS_MEASUREMENTS
    for months_back, values in zip(range(12, 0, -1), history, strict=True):
        period = _months_back(today, months_back)
        for metric, value in zip(metrics, values, strict=True):
            if months_back == 3 and metric is metrics[2]:
                continue  # the ticket tool's export of that month was lost: a gap (no data), never "met"
            do_record_measurement(
                engagement, metric_id=metric.pk, period_start=period, value=Decimal(value), acting_user=SYSTEM
            )


def _dev(engagement: Any, today: datetime.date) -> None:
    items = [
        ("需求规格说明书 Requirements specification", -150, -152, Acceptance.ACCEPTED, ""),
        ("概要设计 High-level design", -100, -95, Acceptance.ACCEPTED, ""),
        (
            "审批流程模块 Approval workflow module",
            -40,
            -38,
            Acceptance.REJECTED,
            "性能测试未通过：并发 200 时响应超过 3 秒。",
        ),
        ("电子证照接口 e-Licence interface", -10, None, None, ""),
        ("用户验收测试 User acceptance test", 45, None, None, ""),
    ]
    for title, due, delivered, decision, reason in items:
        deliverable = do_save_deliverable(
            None,
            engagement=engagement,
            acting_user=SYSTEM,
            changes={
                "title": title,
                "due_date": today + datetime.timedelta(days=due),
                "delivered_on": today + datetime.timedelta(days=delivered) if delivered is not None else None,
            },
        )
        if decision:
            do_decide_deliverable(deliverable, decision=decision, reason=reason, acting_user=SYSTEM)


def _benefit(engagement: Any, today: datetime.date) -> None:
    do_save_benefit_terms(
        engagement,
        acting_user=SYSTEM,
        changes={
            "measure": "园区电费 Campus electricity cost",
            "unit": "CNY",
            "baseline": Decimal("420000.00"),
            "direction": "decrease",
            "share_percent": Decimal(30),
            "cap": Decimal("40000.00"),
        },
        tiers=[(Decimal("50000"), Decimal(40)), (Decimal("100000"), Decimal(50))],
    )
    for months_back, measured in zip(
        range(6, 0, -1), ("405000", "388500", "361200", "330000", "298750", "430100"), strict=True
    ):
        do_record_benefit_period(
            engagement,
            period_start=_months_back(today, months_back),
            measured=Decimal(measured),
            acting_user=SYSTEM,
        )
