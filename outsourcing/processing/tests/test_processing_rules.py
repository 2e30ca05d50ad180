"""Processing orders: finished and semi-finished items only, from a bill of materials; partial receipts with
inspection; materials issued only as materials; cancelling and settling guarded."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from outsourcing.processing import actions
from outsourcing.processing.models import Item, ProcessingOrder
from outsourcing.processing.services import line_figures

pytestmark = pytest.mark.django_db


def _order(manager, vendor, *items):
    return actions.do_create_order(
        acting_user=manager,
        vendor=vendor,
        number="PO-X",
        due_date=datetime.date(2027, 1, 1),
        lines=[{"item": item, "quantity": Decimal("5"), "unit_price": Decimal("1")} for item in items],
    )


def test_it_refuses_an_order_for_anything_but_finished_or_semi_finished_items(manager, vendor_a, housing, stationery):
    with pytest.raises(ValidationError) as caught:
        _order(manager, vendor_a, housing, stationery)
    message = caught.value.message_dict["lines[1].item"][0]
    assert "O-1 is not a finished or semi-finished item" in message
    assert not ProcessingOrder.objects.exists()  # the good line did not survive either


def test_it_refuses_to_order_a_raw_material(manager, vendor_a, casting):
    with pytest.raises(ValidationError) as caught:
        _order(manager, vendor_a, casting)
    assert "M-200 is not a finished or semi-finished item" in caught.value.message_dict["lines[0].item"][0]


def test_it_refuses_to_order_an_item_without_a_bill_of_materials(manager, vendor_a):
    bare = Item.objects.create(code="P-900", name="Bracket", category="semi_finished")
    with pytest.raises(ValidationError) as caught:
        _order(manager, vendor_a, bare)
    assert "P-900 has no bill of materials" in caught.value.message_dict["lines[0].item"][0]


def test_a_blocked_processor_gets_no_new_order(manager, vendor_a, housing):
    vendor_a.status = "blocked"
    vendor_a.save()
    with pytest.raises(ValidationError) as caught:
        _order(manager, vendor_a, housing)
    assert "vendor_id" in caught.value.message_dict


def test_only_materials_are_issued(issued_order, manager, housing, stationery):
    for item in (housing, stationery):
        with pytest.raises(ValidationError) as caught:
            actions.do_issue_material(issued_order, acting_user=manager, material=item, quantity=Decimal("1"))
        assert "only raw materials and semi-finished parts are issued" in caught.value.message_dict["material"][0]


def test_a_material_off_the_bill_of_materials_is_not_issued(issued_order, manager, bar):
    with pytest.raises(ValidationError) as caught:
        actions.do_issue_material(issued_order, acting_user=manager, material=bar, quantity=Decimal("1"))
    assert "M-310 is not on this order's bills of materials" in caught.value.message_dict["material"][0]


def test_partial_receipts_add_up_and_complete_the_order(issued_order, manager):
    line = issued_order.lines.get()
    actions.do_receive(
        line,
        acting_user=manager,
        quantity=Decimal("60"),
        accepted=Decimal("55"),
        rejected=Decimal("3"),
        rework=Decimal("2"),
        defect_reason="surface",
    )
    figures = line_figures(issued_order)[0]
    assert (figures.received, figures.accepted, figures.rejected, figures.rework) == (60, 55, 3, 2)
    assert figures.outstanding == Decimal("45")
    assert figures.pending_rework == Decimal("2")
    issued_order.refresh_from_db()
    assert issued_order.status == "issued"
    # the two reworked come back without using material again; 40 new ones (42 expected with the loss)
    actions.do_receive(line, acting_user=manager, quantity=Decimal("2"), accepted=Decimal("2"), reworked=True)
    assert line_figures(issued_order)[0].pending_rework == 0
    actions.do_receive(line, acting_user=manager, quantity=Decimal("40"), accepted=Decimal("40"))
    assert issued_order.movements.filter(kind="consumption").count() == 2
    issued_order.refresh_from_db()
    assert issued_order.status == "issued"  # 97 accepted: 3 rejected are to be replaced
    with pytest.raises(ValidationError) as caught:  # 60 + 40 = 100 received used 105 of 105 castings
        actions.do_receive(line, acting_user=manager, quantity=Decimal("3"), accepted=Decimal("3"))
    assert "short by 3.15 pcs" in caught.value.message_dict["quantity"][0]


def test_reworked_goods_cannot_exceed_what_was_sent_back(issued_order, manager):
    line = issued_order.lines.get()
    with pytest.raises(ValidationError) as caught:
        actions.do_receive(line, acting_user=manager, quantity=Decimal("1"), accepted=Decimal("1"), reworked=True)
    assert "Only 0 were sent back for rework" in caught.value.message_dict["quantity"][0]


def test_inspection_quantities_must_add_up_to_the_receipt(issued_order, manager):
    line = issued_order.lines.get()
    with pytest.raises(ValidationError) as caught:
        actions.do_receive(
            line,
            acting_user=manager,
            quantity=Decimal("10"),
            accepted=Decimal("8"),
            rejected=Decimal("1"),
            defect_reason="dimension",
        )
    assert "accepted" in caught.value.message_dict
    assert not line.receipts.exists()


def test_a_rejection_needs_a_defect_reason(issued_order, manager):
    line = issued_order.lines.get()
    with pytest.raises(ValidationError) as caught:
        actions.do_receive(
            line, acting_user=manager, quantity=Decimal("10"), accepted=Decimal("9"), rework=Decimal("1")
        )
    assert "defect_reason" in caught.value.message_dict


def test_it_refuses_to_accept_more_than_ordered(issued_order, manager):
    line = issued_order.lines.get()
    actions.do_receive(line, acting_user=manager, quantity=Decimal("99"), accepted=Decimal("99"))
    with pytest.raises(ValidationError) as caught:
        actions.do_receive(line, acting_user=manager, quantity=Decimal("2"), accepted=Decimal("2"))
    assert "Only 1 more" in caught.value.message_dict["accepted"][0]
    actions.do_receive(line, acting_user=manager, quantity=Decimal("1"), accepted=Decimal("1"))


def test_amounts_round_half_up_to_the_cent(manager, vendor_a, housing, casting):
    order = actions.do_create_order(
        acting_user=manager,
        vendor=vendor_a,
        number="PO-R",
        due_date=datetime.date(2027, 1, 1),
        lines=[{"item": housing, "quantity": Decimal("3"), "unit_price": Decimal("0.01")}],
    )
    actions.do_issue_order(order, acting_user=manager)
    actions.do_issue_material(order, acting_user=manager, material=casting, quantity=Decimal("1"))
    actions.do_receive(order.lines.get(), acting_user=manager, quantity=Decimal("0.5"), accepted=Decimal("0.5"))
    assert line_figures(order)[0].amount == Decimal("0.01")  # 0.005 rounds half up


def test_a_vendor_user_cannot_receive_issue_or_settle(issued_order, vendor_a_user, casting):
    with pytest.raises(PermissionDenied):
        actions.do_receive(
            issued_order.lines.get(), acting_user=vendor_a_user, quantity=Decimal("1"), accepted=Decimal("1")
        )
    with pytest.raises(PermissionDenied):
        actions.do_issue_material(issued_order, acting_user=vendor_a_user, material=casting, quantity=Decimal("1"))
    with pytest.raises(PermissionDenied):
        actions.do_settle(issued_order, acting_user=vendor_a_user, confirm=True)


def test_an_order_with_material_at_the_processor_is_not_cancelled(issued_order, manager, casting):
    with pytest.raises(ValidationError) as caught:
        actions.do_cancel_order(issued_order, acting_user=manager)
    assert "M-200 105" in caught.value.message_dict["status"][0]
    actions.do_return_material(issued_order, acting_user=manager, material=casting, quantity=Decimal("105"))
    actions.do_cancel_order(issued_order, acting_user=manager)
    issued_order.refresh_from_db()
    assert issued_order.status == "cancelled"


def test_a_bill_of_materials_is_versioned_and_an_order_keeps_its_version(manager, vendor_a, housing, casting, bar):
    order = _order(manager, vendor_a, housing)
    v2 = actions.do_create_bom(
        housing, acting_user=manager, lines=[{"material": bar, "quantity": Decimal("2"), "loss_percent": Decimal("1")}]
    )
    assert v2.version == 2
    line = order.lines.get()
    assert line.bom.version == 1
    assert [bl.material for bl in line.bom.lines.all()] == [casting]
    later = actions.do_create_order(
        acting_user=manager,
        vendor=vendor_a,
        number="PO-Y",
        due_date=datetime.date(2027, 1, 1),
        lines=[{"item": housing, "quantity": Decimal("5"), "unit_price": Decimal("1")}],
    )
    assert later.lines.get().bom == v2


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ({"quantity": Decimal("0")}, "lines[0].quantity", "more than zero"),
        ({"loss_percent": Decimal("100")}, "lines[0].loss_percent", ""),
        ({"material": "housing"}, "lines[0].material", "only raw materials and semi-finished parts go on"),
    ],
)
def test_a_bill_of_materials_refuses_bad_lines_by_the_line(manager, housing, casting, line, field, message):
    data = {"material": casting, "quantity": Decimal("1"), "loss_percent": Decimal("2"), **line}
    if data["material"] == "housing":
        data["material"] = housing
    with pytest.raises(ValidationError) as caught:
        actions.do_create_bom(housing, acting_user=manager, lines=[data])
    assert message in " ".join(caught.value.message_dict[field])
    assert housing.boms.count() == 1


def test_the_auditor_creates_no_bill_of_materials(auditor, housing, casting):
    with pytest.raises(PermissionDenied):
        actions.do_create_bom(housing, acting_user=auditor, lines=[{"material": casting, "quantity": Decimal("1")}])
