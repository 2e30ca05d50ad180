"""Demo reporting schedules, implementation reports (on time, late, missing, returned) and appraisals."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from outsourcing.core.access import SYSTEM

from . import actions
from .services import _schedule_periods

CONTENT: dict[str, Any] = {
    "project_management": "项目周例会与月度指导委员会按计划召开；项目经理掌控人员调配，公司 PMO 每月审查进度与风险。"
    "Weekly project meetings and the monthly steering committee were held; the PMO reviewed schedule and risks.",
    "appraisal_execution": "本月按 KPI 对团队进行考核，考核结果与绩效奖金挂钩。Team appraised against monthly KPIs; "
    "results feed the bonus pool.",
    "resources": "计划 12 人，实际 12 人，无超负荷加班。12 FTE planned, 12 used; no overtime overuse.",
    "service_level": "SLA 全部达标。All SLAs met.",
}


def build(ctx: dict[str, Any]) -> None:
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    for key, late_every, skip_last in (("ops", 4, True), ("dev", 0, False)):
        engagement = ctx["engagements"][key]
        schedule = actions.do_set_schedule(
            engagement, acting_user=SYSTEM, frequency="monthly", first_period_start=start, due_days=10
        )
        schedule.engagement = engagement
        periods = _schedule_periods(schedule, today)
        for index, period in enumerate(periods):
            if skip_last and index == len(periods) - 1:
                continue  # one missing report shows on the dashboard
            late = bool(late_every) and index % late_every == 1
            received = datetime.datetime.combine(
                period.due + datetime.timedelta(days=3 if late else -2), datetime.time(10), tzinfo=datetime.UTC
            )
            report = actions.do_submit_report(
                engagement,
                acting_user=SYSTEM,
                period_start=period.start,
                received_at=min(received, timezone.now()),
                **CONTENT,
            )
            if index == len(periods) - 2 and key == "ops":
                actions.do_review_report(
                    report,
                    acting_user=SYSTEM,
                    accept=False,
                    comments="请补充资源使用与计划的对比。Please add resources used against plan.",
                )
            elif index < len(periods) - 2:
                actions.do_review_report(report, acting_user=SYSTEM, accept=True)
    for vendor_key, scores in (("a", ["88", "91", "86"]), ("b", ["72", "78", "81"]), ("c", ["58", "52", "45"])):
        vendor = ctx["vendors"][vendor_key]
        for quarter, inspection in enumerate(scores):
            period_start = start.replace(month=1 + 3 * quarter)
            period_end = period_start.replace(month=period_start.month + 2, day=28)
            if period_end > today:
                break
            actions.do_appraise(
                vendor,
                acting_user=SYSTEM,
                period_start=period_start,
                period_end=period_end,
                inspection=Decimal(inspection),
                comments="",
            )
