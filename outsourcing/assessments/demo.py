"""Demo assessments: completed examinations of vendors a and b, one in review for c (with findings), and a
repeat questionnaire sent to vendor a, so that every persona has something to look at."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from outsourcing.core.access import SYSTEM

from . import actions
from .models import AssessmentTemplate, TemplateItem

RESPONSES = {
    "pm_standardized": "《项目管理制度汇编》V3.2，2025 年 6 月经总经理办公会批准发布。",
    "pm_complete": "覆盖计划、范围、进度、质量、风险、变更与资源管理七个领域，见附件对照表。",
    "pm_feasible": "Applied on 14 projects last year; templates are sized for teams of 5–40.",
    "pm_leader_control": "项目经理对项目人员、预算及设备拥有调配权，见《授权管理办法》第 4 条。",
    "pm_coordination": "Escalation to the delivery director within a working day; shared DBA pool.",
    "ap_complete_feasible": "《绩效考核管理办法》含月度、季度、年度考核表单。",
    "ap_quality_link": "考核指标含缺陷密度、验收一次通过率、SLA 达成率。",
    "ap_long_short": "Monthly KPIs for the short term; a yearly review with 3-year goals for the long term.",
    "ap_interests": "季度奖金与考核结果挂钩，连续两年优秀者优先晋升。",
    "ap_implemented": "2025 年四个季度均已完成考核并归档。",
    "ap_records": "附件为某运维项目组 2025 年第三、四季度考核记录（已脱敏）。",
    "im_reports": "每月向客户和公司管理层提交项目实施报告。",
    "im_overall_control": "报告含公司级质量检查结论与管理层签批。",
    "im_resources": "Utilisation is reported per person; no one above 100 % for more than two weeks.",
    "im_service_level": "SLA 达成率连续 12 个月高于 99.5 %。",
}


def _pdf(title: str) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light", 14)
    page.drawString(72, 760, title)
    page.setFont("STSong-Light", 10)
    page.drawString(72, 740, "Demo evidence file · 演示证明材料")
    page.save()
    return buffer.getvalue()


def _run(
    template: AssessmentTemplate,
    vendor: Any,
    engagement: Any,
    *,
    owner: Any,
    vendor_user: Any,
    answers: dict[str, str],
    scores: dict[str, int],
    title: str,
    findings: Sequence[tuple[str, str, str | None]] = (),
    complete: bool = True,
    conclusion: str = "",
) -> Any:
    items = {i.code: i for i in TemplateItem.objects.filter(section__template=template)}
    assessment = actions.do_create_assessment(
        acting_user=owner, vendor=vendor, template=template, engagement=engagement, title=title
    )
    actions.do_send_assessment(assessment, acting_user=owner)
    for code, value in answers.items():
        actions.do_answer_item(
            assessment, items[code], acting_user=vendor_user, value=value, response=RESPONSES.get(code, "")
        )
        if items[code].evidence_required:
            upload = SimpleUploadedFile(f"{code}.pdf", _pdf(f"{vendor.name} · {code}"), "application/pdf")
            actions.do_attach_evidence(assessment, items[code], acting_user=vendor_user, upload=upload)
    actions.do_submit_assessment(assessment, acting_user=vendor_user)
    actions.do_start_review(assessment, acting_user=owner)
    for code, score in scores.items():
        actions.do_score_item(assessment, items[code], acting_user=owner, score=score, note="")
    for severity, text, item_code in findings:
        actions.do_record_finding(
            assessment,
            acting_user=owner,
            severity=severity,
            description=text,
            item=items[item_code] if item_code else None,
        )
    if complete:
        actions.do_complete_assessment(assessment, acting_user=owner, conclusion=conclusion)
    return assessment


def build(ctx: dict[str, Any]) -> None:
    template = AssessmentTemplate.objects.filter(is_active=True).order_by("pk").first()
    if template is None:
        return
    users, vendors, engagements = ctx["users"], ctx["vendors"], ctx.get("engagements", {})
    manager = users.get("manager") or SYSTEM
    all_yes = {
        "pm_standardized": "4",
        "pm_complete": "4",
        "pm_feasible": "3",
        "pm_leader_control": "4",
        "pm_coordination": "3",
        "ap_complete_feasible": "4",
        "ap_quality_link": "4",
        "ap_long_short": "3",
        "ap_interests": "3",
        "ap_implemented": "yes",
        "ap_records": "4",
        "im_reports": "yes",
        "im_overall_control": "4",
        "im_resources": "3",
        "im_service_level": "4",
    }
    strong = {k: (1 if v == "yes" else int(v)) for k, v in all_yes.items()}
    _run(
        template,
        vendors["a"],
        engagements.get("ops"),
        owner=manager,
        vendor_user=users.get("vendor_a") or SYSTEM,
        answers=all_yes,
        scores=strong,
        title="2026 年度管理体系审查 · 华信软件",
        findings=[
            (
                "observation",
                "Coordination with the shared DBA pool is informal; write it down.",
                "pm_coordination",
            )
        ],
        conclusion="管理体系健全且有效执行，建议批准。",
    )
    b_answers = {**all_yes, "im_reports": "no", "pm_coordination": "2", "ap_long_short": "2"}
    del b_answers["im_overall_control"], b_answers["im_resources"], b_answers["im_service_level"]
    b_scores = {k: (1 if v == "yes" else 0 if v == "no" else int(v)) for k, v in b_answers.items()}
    _run(
        template,
        vendors["b"],
        engagements.get("dev"),
        owner=manager,
        vendor_user=users.get("vendor_b") or SYSTEM,
        answers=b_answers,
        scores=b_scores,
        title="2026 年度管理体系审查 · 云岭信息",
        findings=[
            ("major", "未定期出具书面实施报告，公司层面对项目的整体把控无法证实。", "im_reports"),
            ("minor", "Appraisal covers quarters only; no long-term view of performance.", "ap_long_short"),
        ],
        conclusion="Approve on condition that monthly implementation reports start within 60 days.",
    )
    c_answers = {**all_yes, "ap_implemented": "no"}
    del c_answers["ap_records"]
    _run(
        template,
        vendors["c"],
        engagements.get("cosource"),
        owner=manager,
        vendor_user=SYSTEM,
        answers=c_answers,
        scores={"pm_standardized": 3, "pm_complete": 3, "pm_feasible": 2},
        title="联合运维候选厂商审查 · 东方运维",
        findings=[
            ("major", "绩效考核制度仅有文本，未见实际执行记录。", "ap_implemented"),
            ("minor", "Project leader authority over budget is capped at CNY 50,000.", "pm_leader_control"),
        ],
        complete=False,
    )
    repeat = actions.do_create_assessment(
        acting_user=manager,
        vendor=vendors["a"],
        template=template,
        engagement=engagements.get("ops"),
        title="2027 年度复审 · 华信软件",
        start_from_last=True,
    )
    actions.do_send_assessment(repeat, acting_user=manager)
