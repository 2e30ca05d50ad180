"""PostgreSQL: statistics on the expressions a vendor search compares (`UPPER(name::text) LIKE UPPER(…)`, Django's
case-insensitive "contains" and "starts with"), so that the planner knows how many vendors a search matches.

Without them it guesses 57 of 10,000 for a search that matches 1,259 (docs/benchmarks.md), scans and sorts the
whole table for a picker's first 20 matches (9 ms), where walking the name index stops at the 20th (1 ms).
SQLite keeps no such statistics: nothing to do there.
"""

from django.db import migrations

STATISTICS = "vendor_search_expressions"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} ON (UPPER(name::text)), (UPPER(english_name::text)), "
        "(UPPER(registration_number::text)) FROM vendors_vendor"
    )
    schema_editor.execute("ANALYZE vendors_vendor")  # autovacuum would, later


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [("vendors", "0004_flat_page_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
