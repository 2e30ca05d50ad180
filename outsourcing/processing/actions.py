"""Every change to processing orders goes through these functions (UI, API and demo alike)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.access import ensure_can_change, ensure_owner_writer
from outsourcing.core.audit import acting_as
from outsourcing.vendors.models import Vendor

from .choices import OrderStatus
from .models import Item, MaterialIssue, MaterialReconciliation, OrderLine, ProcessingOrder, Receipt
from .services import line_figures, material_figures, settlement_amount


def qty(value: Decimal) -> str:
    """A quantity as people write it: 105, 2.5 — not 105.000."""
    return f"{value.normalize():f}"


def _save(obj: Any, acting_user: Any) -> Any:
    obj.full_clean()
    with acting_as(acting_user):
        obj.save()
    return obj


@transaction.atomic
def do_create_item(*, acting_user: Any, code: str, name: str, unit: str, category: str) -> Item:
    ensure_owner_writer(acting_user)
    return _save(Item(code=code, name=name, unit=unit, category=category), acting_user)


@transaction.atomic
def do_create_order(
    *,
    acting_user: Any,
    vendor: Any,
    number: str,
    due_date: Any,
    lines: list[dict[str, Any]],
    order_date: Any = None,
    currency: str = "CNY",
    notes: str = "",
) -> ProcessingOrder:
    """Create an order with its lines; a non-direct-production item on any line refuses the whole order."""
    ensure_owner_writer(acting_user)
    order_day = order_date or timezone.localdate()
    blockers = Vendor.objects.filter(pk=vendor.pk).new_work_blockers(order_day).get(vendor.pk)
    if blockers:  # the one rule of "may this vendor get new work?": status, standing and every other blocker
        raise ValidationError(
            {
                "vendor_id": [
                    _("This processor cannot receive new orders: %(reason)s") % {"reason": b.message} for b in blockers
                ]
            }
        )
    if not lines:
        raise ValidationError({"lines": _("An order needs at least one line.")})
    order = ProcessingOrder(
        vendor=vendor,
        number=number,
        due_date=due_date,
        order_date=order_day,
        currency=currency,
        notes=notes,
    )
    _save(order, acting_user)
    errors: dict[str, list[str]] = {}
    for index, data in enumerate(lines):
        line = OrderLine(order=order, **data)
        try:
            _save(line, acting_user)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(f"lines[{index}].{field}", []).extend(messages)
    if errors:
        raise ValidationError(errors)  # rolls the whole order back
    return order


def _ensure_status(order: ProcessingOrder, *allowed: str) -> None:
    if order.status not in allowed:
        raise ValidationError(
            {"status": _("Not possible while the order is %(status)s.") % {"status": order.get_status_display()}}
        )


@transaction.atomic
def do_issue_order(order: ProcessingOrder, *, acting_user: Any) -> ProcessingOrder:
    ensure_owner_writer(acting_user)
    _ensure_status(order, OrderStatus.DRAFT)
    order.status = OrderStatus.ISSUED
    return _save(order, acting_user)


@transaction.atomic
def do_issue_material(
    order: ProcessingOrder, *, acting_user: Any, material: Item, quantity: Decimal, issued_on: Any = None
) -> MaterialIssue:
    ensure_owner_writer(acting_user)
    _ensure_status(order, OrderStatus.ISSUED)
    issue = MaterialIssue(
        order=order, material=material, quantity=quantity, issued_on=issued_on or timezone.localdate()
    )
    return _save(issue, acting_user)


@transaction.atomic
def do_receive(
    line: OrderLine,
    *,
    acting_user: Any,
    quantity: Decimal,
    accepted: Decimal,
    rejected: Decimal = Decimal("0"),
    rework: Decimal = Decimal("0"),
    received_on: Any = None,
    inspection_notes: str = "",
) -> Receipt:
    """Record a (partial) receipt and its incoming inspection; the order is fully received when every line's
    accepted quantity reaches the ordered quantity."""
    ensure_owner_writer(acting_user)
    order = ProcessingOrder.objects.select_for_update().get(pk=line.order_id)
    _ensure_status(order, OrderStatus.ISSUED)
    receipt = Receipt(
        line=line,
        quantity=quantity,
        accepted=accepted,
        rejected=rejected,
        rework=rework,
        received_on=received_on or timezone.localdate(),
        inspection_notes=inspection_notes,
    )
    receipt.full_clean()
    current = next(f for f in line_figures(order) if f.line.pk == line.pk)
    if current.accepted + accepted > line.quantity:
        raise ValidationError(
            {
                "accepted": _("Only %(left)s more can be accepted on this line (ordered %(ordered)s).")
                % {"left": qty(current.outstanding), "ordered": qty(line.quantity)}
            }
        )
    _save(receipt, acting_user)
    if all(f.outstanding == 0 for f in line_figures(order)):
        order.status = OrderStatus.RECEIVED
        _save(order, acting_user)
    return receipt


@transaction.atomic
def do_report_reconciliation(
    order: ProcessingOrder, *, acting_user: Any, material: Item, **figures: Decimal
) -> MaterialReconciliation:
    """The processor accounts for an issued material (or the owner records its account)."""
    report = MaterialReconciliation.objects.filter(order=order, material=material).first()
    report = report or MaterialReconciliation(order=order, material=material)
    ensure_can_change(acting_user, report)
    if not MaterialIssue.objects.filter(order=order, material=material).exists():
        raise ValidationError({"material": _("This material was not issued for this order.")})
    for field in ("consumed", "returned", "scrapped", "held"):
        if field in figures:
            setattr(report, field, figures[field])
    report.reported_on = timezone.localdate()
    return _save(report, acting_user)


@transaction.atomic
def do_settle(order: ProcessingOrder, *, acting_user: Any) -> ProcessingOrder:
    """Settle a fully received order whose issued materials all reconcile exactly."""
    ensure_owner_writer(acting_user)
    _ensure_status(order, OrderStatus.RECEIVED)
    problems = [
        _("%(material)s: not yet accounted for by the processor.") % {"material": m.material}
        if not m.reported
        else _("%(material)s: issued %(issued)s but %(accounted)s accounted for.")
        % {"material": m.material, "issued": qty(m.issued), "accounted": qty(m.issued - (m.difference or 0))}
        for m in material_figures(order)
        if m.difference != 0
    ]
    if problems:
        raise ValidationError({"reconciliation": problems})
    order.settled_amount = settlement_amount(order)
    order.settled_on = timezone.localdate()
    order.status = OrderStatus.SETTLED
    return _save(order, acting_user)


@transaction.atomic
def do_cancel_order(order: ProcessingOrder, *, acting_user: Any) -> ProcessingOrder:
    ensure_owner_writer(acting_user)
    _ensure_status(order, OrderStatus.DRAFT, OrderStatus.ISSUED)
    if Receipt.objects.filter(line__order=order).exists():
        raise ValidationError({"status": _("Goods were already received; settle the order instead.")})
    order.status = OrderStatus.CANCELLED
    return _save(order, acting_user)
