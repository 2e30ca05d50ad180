from django.db import migrations

def forward(apps, schema_editor):
    """Items keep their meaning under the new categories; issued materials and the processors' accounts move
    to the material ledger and the consumption reports."""
    Item = apps.get_model("processing", "Item")
    Item.objects.filter(category="direct").update(category="finished")
    Item.objects.filter(category="material").update(category="raw_material")
    Movement = apps.get_model("processing", "MaterialMovement")
    Report = apps.get_model("processing", "ConsumptionReport")
    for issue in apps.get_model("processing", "MaterialIssue").objects.all():
        Movement.objects.create(
            order_id=issue.order_id, material_id=issue.material_id, kind="issue", quantity=issue.quantity,
            moved_on=issue.issued_on,
        )
    for account in apps.get_model("processing", "MaterialReconciliation").objects.all():
        Report.objects.create(
            order_id=account.order_id, material_id=account.material_id, actual=account.consumed,
            reported_on=account.reported_on,
        )
        for kind, quantity in (("return", account.returned), ("scrap", account.scrapped)):
            if quantity > 0:
                Movement.objects.create(
                    order_id=account.order_id, material_id=account.material_id, kind=kind, quantity=quantity,
                    moved_on=account.reported_on,
                )


def backward(apps, schema_editor):
    Item = apps.get_model("processing", "Item")
    Item.objects.filter(category__in=["finished", "semi_finished"]).update(category="direct")
    Item.objects.filter(category="raw_material").update(category="material")
    Issue = apps.get_model("processing", "MaterialIssue")
    for movement in apps.get_model("processing", "MaterialMovement").objects.filter(kind="issue"):
        Issue.objects.create(
            order_id=movement.order_id, material_id=movement.material_id, quantity=movement.quantity,
            issued_on=movement.moved_on,
        )



class Migration(migrations.Migration):
    dependencies = [("processing", "0002_bills_of_materials_and_stock")]

    operations = [migrations.RunPython(forward, backward)]
