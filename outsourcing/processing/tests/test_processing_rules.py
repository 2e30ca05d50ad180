"""Processing orders: direct production only, partial receipts with inspection, material reconciliation
(issued = consumed + returned + scrapped + held) and settlement in Decimal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from outsourcing.processing import actions
from outsourcing.processing.models import ProcessingOrder
from outsourcing.processing.services import line_figures, material_figures

pytestmark = pytest.mark.django_db


def test_it_refuses_an_order_for_anything_but_direct_production(manager, vendor_a, housing, stationery):
    lines = [
        {"item": housing, "quantity": Decimal("5"), "unit_price": Decimal("1")},
        {"item": stationery, "quantity": Decimal("5"), "unit_price": Decimal("1")},
    ]
    with pytest.raises(ValidationError) as caught:
        actions.do_create_order(
            acting_user=manager,
            vendor=vendor_a,
            number="PO-X",
            due_date=datetime.date(2027, 1, 1),
            lines=lines,
        )
    message = caught.value.message_dict["lines[1].item"][0]
    assert "O-1 is not a direct-production item" in message
    assert not ProcessingOrder.objects.exists()  # the good line did not survive either


def test_a_blocked_processor_gets_no_new_order(manager, vendor_a, housing):
    vendor_a.status = "blocked"
    vendor_a.save()
    with pytest.raises(ValidationError) as caught:
        actions.do_create_order(
            acting_user=manager,
            vendor=vendor_a,
            number="PO-B",
            due_date=datetime.date(2027, 1, 1),
            lines=[{"item": housing, "quantity": Decimal("1"), "unit_price": Decimal("1")}],
        )
    assert "vendor_id" in caught.value.message_dict


@pytest.mark.parametrize(("total", "standing", "refused"), [("45", "probation", True), ("75", "good", False)])
def test_a_processor_blocked_only_by_its_standing_gets_no_new_order(
    api, manager, vendor_a, housing, total, standing, refused
):
    """Status approved, but a long-term appraisal on probation: "may this vendor get new work?" is asked of
    `Vendor.objects.open_for_new_work`, the same rule as engagements and comparisons (it used to be accepted)."""
    from outsourcing.performance.models import Appraisal

    vendor_a.status = "approved"
    vendor_a.save()
    today = datetime.date.today()
    Appraisal.objects.create(
        vendor=vendor_a,
        period_start=today - datetime.timedelta(days=90),
        period_end=today - datetime.timedelta(days=1),
        total=Decimal(total),
        standing=standing,
    )
    response = api(manager).post(
        "/processing/orders",
        {
            "vendor_id": vendor_a.pk,
            "number": "PO-S",
            "due_date": "2027-01-01",
            "lines": [{"item_id": housing.pk, "quantity": "1", "unit_price": "1"}],
        },
    )
    if refused:
        assert response.status_code == 422, response.content
        (detail,) = response.json()["detail"]
        assert detail["field"] == "vendor_id" and "probation" in detail["msg"].lower()
        assert not ProcessingOrder.objects.exists()
    else:
        assert response.status_code == 201, response.content


def test_partial_receipts_add_up_and_complete_the_order(issued_order, manager):
    line = issued_order.lines.get()
    actions.do_receive(
        line,
        acting_user=manager,
        quantity=Decimal("60"),
        accepted=Decimal("55"),
        rejected=Decimal("3"),
        rework=Decimal("2"),
    )
    figures = line_figures(issued_order)[0]
    assert (figures.received, figures.accepted, figures.rejected, figures.rework) == (60, 55, 3, 2)
    assert figures.outstanding == Decimal("45")
    issued_order.refresh_from_db()
    assert issued_order.status == "issued"
    actions.do_receive(line, acting_user=manager, quantity=Decimal("45"), accepted=Decimal("45"))
    issued_order.refresh_from_db()
    assert issued_order.status == "received"
    assert line_figures(issued_order)[0].amount == Decimal("1235.00")


def test_inspection_quantities_must_add_up_to_the_receipt(issued_order, manager):
    line = issued_order.lines.get()
    with pytest.raises(ValidationError) as caught:
        actions.do_receive(
            line, acting_user=manager, quantity=Decimal("10"), accepted=Decimal("8"), rejected=Decimal("1")
        )
    assert "accepted" in caught.value.message_dict
    assert not line.receipts.exists()


def test_it_refuses_to_accept_more_than_ordered(issued_order, manager):
    line = issued_order.lines.get()
    actions.do_receive(line, acting_user=manager, quantity=Decimal("99"), accepted=Decimal("99"))
    with pytest.raises(ValidationError) as caught:
        actions.do_receive(line, acting_user=manager, quantity=Decimal("2"), accepted=Decimal("2"))
    assert "Only 1 more" in caught.value.message_dict["accepted"][0]
    actions.do_receive(line, acting_user=manager, quantity=Decimal("1"), accepted=Decimal("1"))


def test_reconciliation_balances_exactly_or_settlement_is_refused(issued_order, manager, vendor_a_user, casting):
    line = issued_order.lines.get()
    actions.do_receive(line, acting_user=manager, quantity=Decimal("100"), accepted=Decimal("100"))
    issued_order.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        actions.do_settle(issued_order, acting_user=manager)
    assert "not yet accounted for" in caught.value.message_dict["reconciliation"][0]
    # 105 issued; the processor accounts for 100 + 2 + 1 + 1 = 104: one missing.
    actions.do_report_reconciliation(
        issued_order,
        acting_user=vendor_a_user,
        material=casting,
        consumed=Decimal("100"),
        returned=Decimal("2"),
        scrapped=Decimal("1"),
        held=Decimal("1"),
    )
    assert material_figures(issued_order)[0].difference == Decimal("1")
    with pytest.raises(ValidationError) as caught:
        actions.do_settle(issued_order, acting_user=manager)
    assert "issued 105 but 104 accounted for" in caught.value.message_dict["reconciliation"][0]
    actions.do_report_reconciliation(issued_order, acting_user=vendor_a_user, material=casting, held=Decimal("2"))
    assert material_figures(issued_order)[0].difference == Decimal("0")
    actions.do_settle(issued_order, acting_user=manager)
    issued_order.refresh_from_db()
    assert issued_order.status == "settled"
    assert issued_order.settled_amount == Decimal("1235.00")


def test_amounts_round_half_up_to_the_cent(manager, vendor_a, housing):
    order = actions.do_create_order(
        acting_user=manager,
        vendor=vendor_a,
        number="PO-R",
        due_date=datetime.date(2027, 1, 1),
        lines=[{"item": housing, "quantity": Decimal("3"), "unit_price": Decimal("0.01")}],
    )
    actions.do_issue_order(order, acting_user=manager)
    actions.do_receive(order.lines.get(), acting_user=manager, quantity=Decimal("0.5"), accepted=Decimal("0.5"))
    assert line_figures(order)[0].amount == Decimal("0.01")  # 0.005 rounds half up


def test_vendor_b_cannot_report_for_vendor_a(issued_order, vendor_b_user, casting):
    with pytest.raises(PermissionDenied):
        actions.do_report_reconciliation(
            issued_order, acting_user=vendor_b_user, material=casting, consumed=Decimal("1")
        )


def test_a_vendor_user_cannot_receive_or_settle(issued_order, vendor_a_user):
    with pytest.raises(PermissionDenied):
        actions.do_receive(
            issued_order.lines.get(), acting_user=vendor_a_user, quantity=Decimal("1"), accepted=Decimal("1")
        )
    with pytest.raises(PermissionDenied):
        actions.do_settle(issued_order, acting_user=vendor_a_user)


def test_materials_can_only_be_reconciled_if_issued(order, manager, vendor_a_user, casting):
    actions.do_issue_order(order, acting_user=manager)
    with pytest.raises(ValidationError) as caught:
        actions.do_report_reconciliation(order, acting_user=vendor_a_user, material=casting, consumed=Decimal("1"))
    assert "material" in caught.value.message_dict
