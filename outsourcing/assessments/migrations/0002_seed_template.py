"""Seed the management-system examination template that follows the seed text (editable afterwards)."""

from decimal import Decimal

from django.db import migrations

NAME = "管理体系审查 Management-system examination"

# (section code, title, description, [(code, text, guidance, weight, scale, evidence, source, criterion, condition)])
SECTIONS = [
    (
        "project_management",
        "项目管理制度 Project management system",
        "Whether the vendor's project management system is standardized, complete and feasible, and gives the "
        "project leader control of the project's resources.",
        [
            ("pm_standardized", "The project management system is standardized: written, approved and versioned.",
             "Provide the current procedures manual with its approval record and version history.", "2", "0_4", True, "vendor", "", None),
            ("pm_complete", "The system is complete: it covers planning, scope, schedule, quality, risk, change and resources.",
             "Map each area to the clause of the manual that covers it.", "2", "0_4", True, "vendor", "", None),
            ("pm_feasible", "The system is feasible: its procedures fit the company's size and are practicable.",
             "Show a recent project run under the procedures (plans, minutes, change records).", "1.5", "0_4", False, "vendor", "", None),
            ("pm_leader_control", "The project leader controls the project's resources: people, budget and equipment.",
             "Quote the delegation of authority to project leaders.", "2", "0_4", True, "vendor", "", None),
            ("pm_coordination", "The project leader can coordinate the company's other resources when the project needs them.",
             "Describe the escalation path and an example of resources borrowed from another department.", "1.5", "0_4", False, "vendor", "", None),
        ],
    ),
    (
        "performance_appraisal",
        "绩效考核制度 Performance appraisal system",
        "Whether appraisal is complete and feasible, linked to project quality, long- and short-term, tied to "
        "team and individual interests, and actually implemented.",
        [
            ("ap_complete_feasible", "The performance appraisal system is complete and feasible.",
             "Provide the appraisal policy and its forms.", "2", "0_4", True, "vendor", "", None),
            ("ap_quality_link", "Appraisal is linked directly to project quality.",
             "Show the quality indicators (defects, acceptance results, SLA attainment) used in appraisals.", "2", "0_4", False, "vendor", "", None),
            ("ap_long_short", "Appraisal covers both long-term and short-term performance.",
             "Name the periods (monthly, quarterly, yearly) and what each looks at.", "1.5", "0_4", False, "vendor", "", None),
            ("ap_interests", "Appraisal results are tied to team and individual interests (pay, bonus, promotion).",
             "Show how results feed pay and promotion decisions.", "1.5", "0_4", False, "vendor", "", None),
            ("ap_implemented", "The appraisal system is actually implemented, not only written.",
             "Answer yes only if appraisals were carried out in the last two periods.", "2", "yes_no", False, "vendor", "", None),
            ("ap_records", "Appraisal records of the last two periods are on file.",
             "Upload anonymised appraisal records of a project team.", "1", "0_4", True, "vendor", "", ("ap_implemented", "yes")),
        ],
    ),
    (
        "implementation",
        "实施情况说明 Description of implementation",
        "Periodic written reports on how project management and performance appraisal are carried out.",
        [
            ("im_reports", "The company periodically issues written reports on project management and appraisal execution.",
             "Name the report, its frequency and its readers.", "2", "yes_no", False, "vendor", "", None),
            ("im_overall_control", "The reports show the project is under the company's overall control.",
             "Upload the last two reports.", "1.5", "0_4", True, "vendor", "", ("im_reports", "yes")),
            ("im_resources", "The reports show project resources are not overused.",
             "Point to the resource-utilisation figures in the reports.", "1", "0_4", False, "vendor", "", ("im_reports", "yes")),
            ("im_service_level", "The reports show the team's service level is maintained.",
             "Point to the service-level figures in the reports.", "1.5", "0_4", False, "vendor", "", ("im_reports", "yes")),
        ],
    ),
    (
        "team_stability",
        "项目组成员稳定性 Team stability",
        "Filled from the system's own roster data: company-wide stability and the team's eligibility.",
        [
            ("ts_figure", "Team and company stability (turnover, tenure, eligible participants).",
             "Computed from the vendor's roster; see the Teams area.", "3", "0_4", False, "criterion", "team_stability", None),
        ],
    ),
    (
        "qualifications",
        "公司资质 Company qualifications",
        "Filled from the system's own data: verified qualifications against the engagement's requirements.",
        [
            ("q_fit", "Verified qualifications meet what the engagement requires.",
             "Computed from verified, valid certificates; see the Qualifications area.", "3", "0_4", False, "criterion", "qualification_fit", None),
        ],
    ),
]


def seed(apps, schema_editor):
    Template = apps.get_model("assessments", "AssessmentTemplate")
    Section = apps.get_model("assessments", "TemplateSection")
    Item = apps.get_model("assessments", "TemplateItem")
    Settings = apps.get_model("assessments", "AssessmentSettings")
    Settings.objects.get_or_create(pk=1)
    template, created = Template.objects.get_or_create(
        name=NAME,
        defaults={
            "description": "The owner's examination of a vendor's management system, team stability and "
            "qualifications before it is chosen and while it works (from the seed's due-diligence rules)."
        },
    )
    if not created:
        return
    for s_order, (code, title, description, items) in enumerate(SECTIONS, start=1):
        section = Section.objects.create(
            template=template, code=code, title=title, description=description, order=s_order * 10
        )
        by_code = {}
        for i_order, (i_code, text, guidance, weight, scale, evidence, source, criterion, condition) in enumerate(
            items, start=1
        ):
            item = Item.objects.create(
                section=section,
                code=i_code,
                text=text,
                guidance=guidance,
                weight=Decimal(weight),
                scale=scale,
                evidence_required=evidence,
                source=source,
                criterion_code=criterion,
                condition_item=by_code[condition[0]] if condition else None,
                condition_value=condition[1] if condition else "",
                order=i_order * 10,
            )
            by_code[i_code] = item


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
