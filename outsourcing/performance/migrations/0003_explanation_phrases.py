"""Appraisal explanations stored their details as sentences in the appraiser's language; they are kept as msgid
and parameters now (core.phrases), worded for each reader. Sentences of the known kinds are read back (English
or Chinese); any other stays as it was and is shown as it is."""

from django.db import migrations

MSGIDS = [
    "no report was due in the period",
    "%(on_time)s of %(due)s reports due in the period came on time",
    "no data",
    "entered by the appraiser",
    "no inspection score entered",
    "incoming inspection: %(failed)s of %(inspected)s received were rejected or sent to rework",
    "No SLA measurements in the last 12 months.",
    "Weighted SLA attainment %(score)s%% over %(n)s measurements, %(b)s breaches (12 months).",
    "No people on the roster: no data.",
    "One-year retention %(retention)s, turnover %(turnover)s over %(start)s–%(end)s.",
]


def forwards(apps, schema_editor):
    from outsourcing.core.phrases import read_back

    Appraisal = apps.get_model("performance", "Appraisal")
    for appraisal in Appraisal.objects.exclude(explanation=[]).iterator():
        lines = appraisal.explanation if isinstance(appraisal.explanation, list) else []
        changed = False
        for line in lines:
            if isinstance(line, dict) and isinstance(line.get("detail"), str):
                kept = read_back(line["detail"], MSGIDS)
                if kept != line["detail"]:
                    line["detail"], changed = kept, True
        if changed:
            Appraisal.objects.filter(pk=appraisal.pk).update(explanation=lines)


class Migration(migrations.Migration):
    dependencies = [("performance", "0002_version")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
