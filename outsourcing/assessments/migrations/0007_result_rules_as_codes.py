"""Frozen results stored their rules as sentences in the language of whoever completed the assessment; they are
turned into codes with parameters (`assessments.explanations`), read back from the sentence in English or
Chinese. A sentence that matches no rule is kept as it is (and shown as it is). The Chinese title and question
are added beside the English ones from the template, where the item still exists."""

from django.db import migrations

# The criteria's explanations (core.phrases) an item filled from the system's data may hold.
CRITERION_DETAILS = [
    "No SLA measurements in the last 12 months.",
    "Weighted SLA attainment %(score)s%% over %(n)s measurements, %(b)s breaches (12 months).",
    "No people on the roster: no data.",
    "One-year retention %(retention)s, turnover %(turnover)s over %(start)s–%(end)s.",
    "mean of %(n)s appraisals over 12 months",
    "no appraisal in the last 12 months",
    "No completed assessment within the re-examination cycle.",
    "%(met)s of %(total)s required qualifications met; missing: %(codes)s",
    "%(met)s of %(total)s required qualifications met",
    "No qualifications on file",
    "%(counting)s of %(total)s current qualifications count",
]


def forwards(apps, schema_editor):
    from outsourcing.assessments.explanations import from_sentence
    from outsourcing.core.phrases import read_back

    Assessment = apps.get_model("assessments", "Assessment")
    Item = apps.get_model("assessments", "TemplateItem")
    Section = apps.get_model("assessments", "TemplateSection")
    for assessment in Assessment.objects.exclude(result=None).iterator():
        result = assessment.result
        if not isinstance(result, dict):
            continue
        if isinstance(result.get("recommendation_rule"), str):
            result["recommendation_rule"] = from_sentence(result["recommendation_rule"])
        item_ids = [line.get("item_id") for s in result.get("sections", []) for line in s.get("items", [])]
        chinese = dict(Item.objects.filter(pk__in=[i for i in item_ids if i]).values_list("pk", "text_zh_hans"))
        titles = dict(
            Section.objects.filter(template_id=assessment.template_id).values_list("code", "title_zh_hans")
        )
        for section in result.get("sections", []):
            section.setdefault("title_zh_hans", titles.get(section.get("code"), ""))
            for line in section.get("items", []):
                if isinstance(line.get("rule"), str):
                    line["rule"] = from_sentence(line["rule"])
                line.setdefault("text_zh_hans", chinese.get(line.get("item_id"), ""))
                if line.get("criterion_detail"):
                    line["criterion_detail"] = read_back(line["criterion_detail"], CRITERION_DETAILS)
        Assessment.objects.filter(pk=assessment.pk).update(result=result)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_bilingual_template")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
