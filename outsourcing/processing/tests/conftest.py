import datetime
from decimal import Decimal

import pytest

from outsourcing.processing import actions
from outsourcing.processing.models import Item


@pytest.fixture
def housing(db):
    return Item.objects.create(code="P-100", name="Pump housing 泵壳", unit="pcs", category="direct")


@pytest.fixture
def casting(db):
    return Item.objects.create(code="M-200", name="Iron casting blank 铸铁毛坯", unit="pcs", category="material")


@pytest.fixture
def stationery(db):
    return Item.objects.create(code="O-1", name="Printer paper", unit="box", category="indirect")


@pytest.fixture
def order(manager, vendor_a, housing):
    return actions.do_create_order(
        acting_user=manager,
        vendor=vendor_a,
        number="PO-0001",
        due_date=datetime.date(2026, 12, 31),
        order_date=datetime.date(2026, 11, 1),
        lines=[{"item": housing, "quantity": Decimal("100"), "unit_price": Decimal("12.35")}],
    )


@pytest.fixture
def issued_order(order, manager, casting):
    actions.do_issue_order(order, acting_user=manager)
    actions.do_issue_material(order, acting_user=manager, material=casting, quantity=Decimal("105"))
    return order
