"""The one row of assessment settings (the admin's thresholds) exists from the start: reading a page never
writes to the database."""

from django.db import migrations


def create_settings(apps, schema_editor):  # type: ignore[no-untyped-def]
    AssessmentSettings = apps.get_model("assessments", "AssessmentSettings")
    AssessmentSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_reexamination_cycle")]

    operations = [migrations.RunPython(create_settings, migrations.RunPython.noop)]
