"""The worked example, step by step: 400 impellers, each needing one casting blank and 0.5 kg of bar stock,
both with 2 % standard loss.

- suggested issue: 400 × 1 × 1.02 = 408 blanks, 400 × 0.5 × 1.02 = 204 kg; the user issues 408 blanks and only
  100 kg;
- a partial receipt of 150 is expected to consume 150 × 1.02 = 153 blanks and 150 × 0.5 × 1.02 = 76.5 kg:
  the processor holds 255 blanks and 23.5 kg;
- a receipt of 250 would need 255 blanks and 127.5 kg: refused, short by 104 kg; nothing changes;
- 110 kg more are issued (210 in all); the 250 come in: the processor holds 0 blanks and 6 kg;
- the processor reports 408 blanks and 209.35 kg actually used: 5.35 kg beyond the expected 204 kg; it
  returns the last 0.65 kg;
- settlement: 400 × 23.80 = 9,520.00, less 5.35 kg × 12.30 = 65.805 → 65.81 (half-up), pays 9,454.19.
"""

import datetime
from decimal import Decimal as D

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from outsourcing.processing import actions
from outsourcing.processing.models import MaterialMovement, Receipt, SettlementLine
from outsourcing.processing.services import material_figures, processor_stock, settlement

pytestmark = pytest.mark.django_db


def stock(vendor):
    """{material code: held} for the vendor, from the set-based stock query the page, API and export use."""
    return {
        r["material_code"]: r["held"] for r in processor_stock(MaterialMovement.objects.filter(order__vendor=vendor))
    }


@pytest.fixture
def impellers(manager, vendor_a, impeller):
    order = actions.do_create_order(
        acting_user=manager,
        vendor=vendor_a,
        number="PO-400",
        order_date=datetime.date(2026, 11, 2),
        due_date=datetime.date(2026, 12, 31),
        lines=[{"item": impeller, "quantity": D("400"), "unit_price": D("23.80")}],
    )
    actions.do_issue_order(order, acting_user=manager)
    return order


def test_the_whole_worked_example(impellers, manager, vendor_a, vendor_a_user, casting, bar, api):
    order, line = impellers, impellers.lines.get()
    suggested = {m.material.code: m.suggested_issue for m in material_figures(order)}
    assert suggested == {"M-200": D("408"), "M-310": D("204")}
    assert api(manager).get(f"/processing/orders/{order.pk}").json()["materials"][1]["suggested_issue"] == "204.000"

    actions.do_confirm_order(order, acting_user=vendor_a_user)
    actions.do_issue_materials(
        order,
        acting_user=manager,
        rows=[{"material": casting, "quantity": D("408")}, {"material": bar, "quantity": D("100")}],
    )
    assert stock(vendor_a) == {"M-200": D("408"), "M-310": D("100")}
    assert {m.material.code: m.suggested_issue for m in material_figures(order)} == {"M-200": 0, "M-310": D("104")}

    actions.do_receive(line, acting_user=manager, quantity=D("150"), accepted=D("150"))
    consumed = {m.material.code: m.consumed for m in material_figures(order)}
    assert consumed == {"M-200": D("153"), "M-310": D("76.5")}
    assert stock(vendor_a) == {"M-200": D("255"), "M-310": D("23.5")}

    with pytest.raises(ValidationError) as caught:
        actions.do_receive(line, acting_user=manager, quantity=D("250"), accepted=D("250"))
    assert caught.value.message_dict["quantity"] == [
        "M-310 Stainless bar 不锈钢棒料: 127.5 kg needed for 250 received, the processor holds 23.5 for this order "
        "— short by 104 kg."
    ]  # the blanks (255 needed, 255 held) are not mentioned
    assert Receipt.objects.count() == 1
    assert stock(vendor_a) == {"M-200": D("255"), "M-310": D("23.5")}

    actions.do_issue_material(order, acting_user=manager, material=bar, quantity=D("110"))
    actions.do_receive(line, acting_user=manager, quantity=D("250"), accepted=D("250"))
    order.refresh_from_db()
    assert order.status == "received"
    assert stock(vendor_a) == {"M-200": D("0"), "M-310": D("6")}

    preview = settlement(order)
    assert any("not reported its actual consumption" in p for p in preview.problems)
    actions.do_report_consumption(order, acting_user=vendor_a_user, material=casting, actual=D("408"))
    actions.do_report_consumption(order, acting_user=vendor_a_user, material=bar, actual=D("209.35"))
    assert stock(vendor_a) == {"M-200": D("0"), "M-310": D("0.65")}  # what is physically left
    assert any("leave 0.65 at the processor" in p for p in settlement(order).problems)
    actions.do_return_material(order, acting_user=manager, material=bar, quantity=D("0.65"))
    assert stock(vendor_a) == {"M-200": D("0"), "M-310": D("0")}

    calc = settlement(order)
    assert calc.problems == []
    rows = {s.figures.material.code: s for s in calc.materials}
    blanks, bars = rows["M-200"], rows["M-310"]
    assert (blanks.figures.standard, blanks.figures.allowance, blanks.figures.consumed) == (D("400"), D("8"), D("408"))
    assert (blanks.overrun, blanks.deduction) == (0, D("0.00"))
    assert (bars.figures.standard, bars.figures.allowance, bars.figures.consumed) == (D("200"), D("4"), D("204"))
    assert (bars.figures.actual, bars.overrun, bars.unit_cost) == (D("209.35"), D("5.35"), D("12.30"))
    assert bars.deduction == D("65.81")  # 65.805 rounds half-up
    assert (calc.gross, calc.deductions, calc.net) == (D("9520.00"), D("65.81"), D("9454.19"))

    with pytest.raises(ValidationError) as caught:  # it asks for confirmation
        actions.do_settle(order, acting_user=manager)
    assert "confirm" in caught.value.message_dict
    actions.do_settle(order, acting_user=manager, confirm=True)
    order.refresh_from_db()
    assert (order.status, order.gross_amount, order.deduction_amount, order.settled_amount) == (
        "settled",
        D("9520.00"),
        D("65.81"),
        D("9454.19"),
    )
    kept = SettlementLine.objects.get(order=order, material=bar)
    assert (kept.expected, kept.actual, kept.overrun, kept.deduction) == (D("204"), D("209.35"), D("5.35"), D("65.81"))
    entry = LogEntry.objects.get_for_object(order).filter(actor=manager).first()
    assert entry is not None and "settled_amount" in entry.changes_dict
    assert stock(vendor_a) == {}  # a settled order holds nothing at the processor


def test_the_processor_cannot_report_more_than_it_was_given(impellers, manager, vendor_a_user, casting, bar):
    actions.do_issue_material(impellers, acting_user=manager, material=casting, quantity=D("408"))
    actions.do_issue_material(impellers, acting_user=manager, material=bar, quantity=D("204"))
    actions.do_receive(impellers.lines.get(), acting_user=manager, quantity=D("400"), accepted=D("400"))
    with pytest.raises(ValidationError) as caught:
        actions.do_report_consumption(impellers, acting_user=vendor_a_user, material=bar, actual=D("204.001"))
    assert "issued 204 − returned 0 − scrapped 0 = 204" in caught.value.message_dict["actual"][0]


def test_a_saving_is_not_credited_and_what_is_left_must_come_back(impellers, manager, vendor_a_user, casting, bar):
    actions.do_issue_material(impellers, acting_user=manager, material=casting, quantity=D("408"))
    actions.do_issue_material(impellers, acting_user=manager, material=bar, quantity=D("204"))
    actions.do_receive(impellers.lines.get(), acting_user=manager, quantity=D("400"), accepted=D("400"))
    actions.do_report_consumption(impellers, acting_user=vendor_a_user, material=casting, actual=D("405"))
    actions.do_report_consumption(impellers, acting_user=vendor_a_user, material=bar, actual=D("204"))
    assert stock(impellers.vendor)["M-200"] == D("3")  # 3 blanks saved are physically there
    with pytest.raises(ValidationError):
        actions.do_return_material(impellers, acting_user=manager, material=casting, quantity=D("3.001"))
    actions.do_return_material(impellers, acting_user=manager, material=casting, quantity=D("2"))
    actions.do_return_material(impellers, acting_user=manager, material=casting, quantity=D("1"), kind="scrap")
    calc = settlement(impellers)
    assert calc.problems == [] and calc.deductions == 0 and calc.net == D("9520.00")


def test_returns_and_scrapping_never_take_the_stock_below_zero(impellers, manager, casting):
    actions.do_issue_material(impellers, acting_user=manager, material=casting, quantity=D("10"))
    with pytest.raises(ValidationError) as caught:
        actions.do_return_material(impellers, acting_user=manager, material=casting, quantity=D("10.001"), kind="scrap")
    assert "holds only 10 pcs of M-200" in caught.value.message_dict["quantity"][0]
    actions.do_return_material(impellers, acting_user=manager, material=casting, quantity=D("10"))
    assert stock(impellers.vendor) == {"M-200": D("0")}
