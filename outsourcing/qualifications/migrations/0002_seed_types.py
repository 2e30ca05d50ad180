"""Seed the qualification catalogue with the types the specification names (codes are stable)."""

from django.db import migrations

TYPES = [
    (
        "system_integration",
        "System integration capability 信息系统集成能力",
        "capability",
        1,
        5,
        "Capability grade for information-system integration and services; level 1 to 5, 5 is the highest.",
    ),
    (
        "security_service",
        "Information security service 信息安全服务资质",
        "capability",
        1,
        3,
        "Information security service qualification (e.g. CCRC); level 1 to 3, 3 is the highest.",
    ),
    (
        "cmmi",
        "CMMI maturity level CMMI成熟度等级",
        "maturity",
        2,
        5,
        "CMMI appraisal of software development maturity; maturity level 2 to 5, 5 is the highest.",
    ),
    ("iso9001", "ISO 9001 quality management 质量管理体系", "management_system", None, None,
     "ISO 9001 quality management system certification."),
    ("iso27001", "ISO/IEC 27001 information security management 信息安全管理体系", "management_system", None,
     None, "ISO/IEC 27001 information security management system certification."),
    ("iso20000", "ISO/IEC 20000-1 IT service management IT服务管理体系", "management_system", None, None,
     "ISO/IEC 20000-1 IT service management system certification."),
    ("iso14001", "ISO 14001 environmental management 环境管理体系", "management_system", None, None,
     "ISO 14001 environmental management system certification."),
]


def seed(apps, schema_editor):
    QualificationType = apps.get_model("qualifications", "QualificationType")
    for code, name, category, low, high, description in TYPES:
        QualificationType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "has_levels": low is not None,
                "min_level": low,
                "max_level": high,
                "description": description,
            },
        )


def unseed(apps, schema_editor):
    QualificationType = apps.get_model("qualifications", "QualificationType")
    QualificationType.objects.filter(
        code__in=[t[0] for t in TYPES], qualifications__isnull=True, requirements__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("qualifications", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
