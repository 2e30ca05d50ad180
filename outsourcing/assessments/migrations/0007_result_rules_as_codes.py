"""Frozen results stored their rules as sentences in the language of whoever completed the assessment; they are
turned into codes with parameters (`assessments.explanations`), read back from the sentence in English or
Chinese. A sentence that matches no rule is kept as it is (and shown as it is). The Chinese title and question
are added beside the English ones from the template, where the item still exists."""

from django.db import migrations


def forwards(apps, schema_editor):
    from outsourcing.assessments.explanations import from_sentence

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
        Assessment.objects.filter(pk=assessment.pk).update(result=result)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_bilingual_template")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
