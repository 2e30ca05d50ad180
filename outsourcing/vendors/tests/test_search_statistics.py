"""PostgreSQL keeps statistics on the expressions a vendor search compares (migration 0005), so the planner
knows how many vendors a search matches instead of guessing a handful."""

import pytest
from django.db import connection

from outsourcing.vendors.models import Vendor

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's extended statistics")
def test_the_search_expressions_have_statistics_the_planner_uses(vendor_a):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_statisticsobjdef(oid) FROM pg_statistic_ext WHERE stxname = 'vendor_search_expressions'"
        )
        [(definition,)] = cursor.fetchall()
    for column in ("name", "english_name", "registration_number"):
        assert f"upper({column}::text)" in definition.lower()
    # The searches compare exactly these expressions (Django's icontains / istartswith on PostgreSQL).
    sql = str(Vendor.objects.filter(name__icontains="x", registration_number__istartswith="y").query).lower()
    assert 'upper("vendors_vendor"."name"::text)' in sql
    assert 'upper("vendors_vendor"."registration_number"::text)' in sql
