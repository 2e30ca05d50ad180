"""Demo people, teams and one pending key-person replacement for the demo vendors and engagements."""

from __future__ import annotations

import datetime
import io
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from outsourcing.core.access import SYSTEM
from outsourcing.documents.actions import do_attach_document

from .actions import do_add_to_team, do_create_member, do_grant_waiver, do_propose_replacement, do_update_member
from .choices import EmploymentType, TeamSide
from .identity import valid_resident_id
from .models import TeamMember

D = datetime.date

# (name, title, employment type, hire, probation end, left, prior experience months, contract on file)
PEOPLE: dict[str, list[tuple[str, str, str, D, D | None, D | None, int, bool]]] = {
    "a": [
        (
            "王磊 Wang Lei",
            "项目经理 Project manager",
            "regular",
            D(2016, 3, 1),
            D(2016, 8, 31),
            None,
            48,
            True,
        ),
        (
            "陈晓燕 Chen Xiaoyan",
            "运维工程师 O&M engineer",
            "regular",
            D(2019, 7, 15),
            D(2020, 1, 14),
            None,
            12,
            True,
        ),
        ("刘洋 Liu Yang", "数据库管理员 DBA", "regular", D(2021, 2, 1), D(2021, 7, 31), None, 30, True),
        (
            "赵敏 Zhao Min",
            "网络工程师 Network engineer",
            "regular",
            D(2022, 9, 1),
            D(2023, 2, 28),
            None,
            6,
            True,
        ),
        ("孙浩 Sun Hao", "运维工程师 O&M engineer", "dispatched", D(2023, 4, 10), None, None, 18, True),
        (
            "周杰 Zhou Jie",
            "安全工程师 Security engineer",
            "regular",
            D(2015, 5, 4),
            D(2015, 11, 3),
            None,
            60,
            True,
        ),
        ("David Miller", "Solution architect", "regular", D(2018, 1, 8), D(2018, 7, 7), None, 96, True),
        (
            "黄丽 Huang Li",
            "服务台 Service desk",
            "regular",
            D(2020, 6, 1),
            D(2020, 11, 30),
            D(2024, 3, 1),
            0,
            True,
        ),
        ("吴刚 Wu Gang", "运维工程师 O&M engineer", "contractor", D(2024, 8, 1), None, None, 36, False),
        ("郑爽 Zheng Shuang", "实习生 Intern", "intern", D(2025, 7, 1), None, None, 0, False),
    ],
    "b": [
        ("李娜 Li Na", "技术负责人 Tech lead", "regular", D(2017, 4, 1), D(2017, 9, 30), None, 36, True),
        (
            "杨帆 Yang Fan",
            "后端开发 Backend developer",
            "regular",
            D(2020, 10, 12),
            D(2021, 4, 11),
            None,
            24,
            True,
        ),
        ("Emily Chen", "Front-end developer", "regular", D(2022, 3, 1), D(2022, 8, 31), None, 30, True),
        ("马超 Ma Chao", "测试工程师 QA engineer", "regular", D(2024, 11, 1), D(2025, 4, 30), None, 10, True),
        (
            "林峰 Lin Feng",
            "后端开发 Backend developer",
            "regular",
            D(2019, 5, 6),
            D(2019, 11, 5),
            D(2023, 9, 1),
            12,
            True,
        ),
        ("James Walker", "Business analyst", "part_time", D(2023, 1, 9), D(2023, 4, 8), None, 60, True),
    ],
    "c": [
        ("张伟 Zhang Wei", "运维经理 O&M manager", "regular", D(2014, 8, 1), D(2015, 1, 31), None, 72, True),
        (
            "何静 He Jing",
            "机房值班 Data-centre operator",
            "regular",
            D(2021, 12, 1),
            D(2022, 5, 31),
            None,
            0,
            True,
        ),
        ("Kevin Brown", "Storage engineer", "regular", D(2023, 6, 19), D(2023, 12, 18), None, 40, True),
        ("罗斌 Luo Bin", "机房值班 Data-centre operator", "dispatched", D(2024, 2, 1), None, None, 24, False),
    ],
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "丽",
    "华",
]


def contract_pdf(name: str) -> SimpleUploadedFile:
    """A small, valid one-page PDF standing in for a scanned employment contract."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("Employment contract")
    pdf.drawString(72, 760, "Employment contract (demo copy)")
    pdf.drawString(72, 740, name.encode("ascii", "ignore").decode().strip() or "Employee")
    pdf.showPage()
    pdf.save()
    return SimpleUploadedFile("employment-contract.pdf", buffer.getvalue(), content_type="application/pdf")


def _history(vendor: Any, key: str, rng: random.Random, count: int) -> None:
    """Former and current staff beyond the named people, so the stability figures have a history."""
    for i in range(count):
        hire = D(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3800))
        left = None
        # Vendor B loses people fast, at any tenure: its attrition forecast calls for attention.
        if rng.random() < (0.8 if key == "b" else 0.25):
            left = hire + datetime.timedelta(days=30 + rng.randrange(1900 if key == "b" else 1500))
            if left > D.today():
                left = None
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        do_create_member(
            vendor=vendor,
            acting_user=SYSTEM,
            full_name=name,
            employee_number=f"{key.upper()}-H{i:03d}",
            employment_type=EmploymentType.REGULAR,
            title="工程师 Engineer",
            hire_date=hire,
            probation_end_date=hire + datetime.timedelta(days=180),
            left_date=left,
            prior_experience_months=rng.randrange(0, 60),
        )


def build(ctx: dict[str, Any]) -> None:
    rng = random.Random(2026)  # noqa: S311 - reproducible demo data
    members: dict[str, list[TeamMember]] = {}
    for key, people in PEOPLE.items():
        vendor = ctx["vendors"][key]
        members[key] = []
        for number, (name, title, kind, hire, probation, left, prior, contract) in enumerate(people, start=1):
            member = do_create_member(
                vendor=vendor,
                acting_user=SYSTEM,
                full_name=name,
                employee_number=f"{key.upper()}-{number:04d}",
                employment_type=kind,
                title=title,
                hire_date=hire,
                probation_end_date=probation,
                left_date=left,
                prior_experience_months=prior,
            )
            if contract:
                do_attach_document(member, upload=contract_pdf(name), kind="employment_contract", acting_user=SYSTEM)
            members[key].append(member)
        _history(vendor, key, rng, {"a": 40, "b": 60, "c": 20}[key])
    engagements = ctx["engagements"]
    ops, dev, cosource = engagements["ops"], engagements["dev"], engagements["cosource"]
    start = ops.start_date
    a, b, c = members["a"], members["b"], members["c"]
    manager = ctx["users"].get("manager", SYSTEM)
    vendor_a_user = ctx["users"].get("vendor_a", SYSTEM)

    def seat(engagement: Any, member: TeamMember, role: str, key_person: bool = False) -> Any:
        return do_add_to_team(
            engagement, acting_user=manager, member=member, role=role, key_person=key_person, start_date=start
        )

    # One engineer is on Huaxin's roster and, with the same identity card, on Yunling's: sold to us twice.
    borrowed = valid_resident_id("11010819920415361")
    do_update_member(a[1], acting_user=SYSTEM, changes={"identity_number": borrowed})
    do_create_member(
        vendor=ctx["vendors"]["b"],
        acting_user=SYSTEM,
        full_name=a[1].full_name,
        employee_number="B-X001",
        employment_type=EmploymentType.REGULAR,
        title="外包工程师 Contract engineer",
        hire_date=D.today() - datetime.timedelta(days=200),
        probation_end_date=D.today() - datetime.timedelta(days=20),
        identity_number=borrowed,
    )
    lead = seat(ops, a[0], "项目经理 Project manager", key_person=True)
    seat(ops, a[1], "运维工程师 O&M engineer")
    seat(ops, a[2], "数据库管理员 DBA", key_person=True)
    seat(ops, a[3], "网络工程师 Network engineer")
    seat(ops, a[4], "运维工程师 O&M engineer")
    do_grant_waiver(
        ops,
        member=a[4],
        acting_user=manager,
        justification="孙浩熟悉现网监控平台，合同转正前临时豁免。Knows the live monitoring platform; "
        "waived until his regular contract starts.",
        valid_from=start,
        valid_until=start.replace(month=12, day=31),
    )
    # The vendor proposes replacing the key project manager: it awaits the owner's decision.
    do_propose_replacement(
        ops,
        outgoing=lead,
        successor=a[5],
        reason="王磊调任集团总部；由周杰接任项目经理。Wang Lei moves to group headquarters; Zhou Jie takes over.",
        effective_date=D.today() + datetime.timedelta(days=14),
        acting_user=vendor_a_user,
    )
    # The vendor put a contractor on the team itself: flagged until the owner reviews it, and not eligible.
    do_add_to_team(ops, acting_user=vendor_a_user, member=a[8], role="运维工程师 O&M engineer", start_date=D.today())
    seat(dev, b[0], "技术负责人 Tech lead", key_person=True)
    seat(dev, b[1], "后端开发 Backend developer")
    seat(dev, b[2], "Front-end developer")
    seat(dev, b[3], "测试工程师 QA engineer")
    seat(cosource, c[0], "运维经理 O&M manager", key_person=True)
    seat(cosource, c[1], "机房值班 Data-centre operator")
    seat(cosource, c[3], "机房值班 Data-centre operator")
    do_add_to_team(
        cosource,
        acting_user=manager,
        side=TeamSide.OWNER,
        owner_name="周婷 Zhou Ting（信息中心）",
        role="业主方值班长 Owner's shift lead",
        start_date=start,
    )
    if manager is not SYSTEM:
        do_add_to_team(
            cosource,
            acting_user=manager,
            side=TeamSide.OWNER,
            owner_user=manager,
            role="协调人 Coordinator",
            start_date=start,
        )
