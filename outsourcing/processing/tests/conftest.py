import datetime
from decimal import Decimal

import pytest

from outsourcing.core.access import SYSTEM
from outsourcing.processing import actions
from outsourcing.processing.models import Item


@pytest.fixture
def casting(db):
    return Item.objects.create(
        code="M-200",
        name="Iron casting blank 铸铁毛坯",
        unit="pcs",
        category="raw_material",
        unit_cost=Decimal("42.50"),
    )


@pytest.fixture
def bar(db):
    return Item.objects.create(
        code="M-310", name="Stainless bar 不锈钢棒料", unit="kg", category="raw_material", unit_cost=Decimal("12.30")
    )


@pytest.fixture
def housing(db, casting):
    """A finished item whose bill of materials needs one casting blank per unit, 5 % loss."""
    item = Item.objects.create(code="P-100", name="Pump housing 泵壳", unit="pcs", category="finished")
    actions.do_create_bom(
        item, acting_user=SYSTEM, lines=[{"material": casting, "quantity": Decimal("1"), "loss_percent": Decimal("5")}]
    )
    return item


@pytest.fixture
def impeller(db, casting, bar):
    """The worked example's item: per unit one casting blank and 0.5 kg of bar stock, each with 2 % loss."""
    item = Item.objects.create(code="P-210", name="Impeller 叶轮", unit="pcs", category="finished")
    actions.do_create_bom(
        item,
        acting_user=SYSTEM,
        lines=[
            {"material": casting, "quantity": Decimal("1"), "loss_percent": Decimal("2")},
            {"material": bar, "quantity": Decimal("0.5"), "loss_percent": Decimal("2")},
        ],
    )
    return item


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
