from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("processing", "0003_material_ledger_from_issues")]

    operations = [
        migrations.DeleteModel(name="MaterialIssue"),
        migrations.DeleteModel(name="MaterialReconciliation"),
    ]
