"""Every change to processing goes through these functions (UI, API and demo alike): one transaction each,
`full_clean()`, audited through `acting_as`. The processor's stock can never go below zero: every movement
that takes material away is checked against what the order holds, under a lock on the order."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.access import ensure_can_change, ensure_owner_writer
from outsourcing.core.audit import acting_as
from outsourcing.vendors.choices import VendorStatus

from .choices import IN_PROGRESS, OPEN_STATUSES, MovementKind, OrderStatus
from .models import (
    BillOfMaterials,
    BomLine,
    ConsumptionReport,
    Dispatch,
    Item,
    MaterialMovement,
    OrderLine,
    ProcessingOrder,
    Receipt,
    SettlementLine,
)
from .services import ZERO, expected_consumption, line_figures, material_figures, qty, settlement

__all__ = ["qty"]


def _save(obj: Any, acting_user: Any) -> Any:
    obj.full_clean()
    with acting_as(acting_user):
        obj.save()
    return obj


def _collect(errors: dict[str, list[str]], prefix: str, exc: ValidationError) -> None:
    for name, messages in exc.message_dict.items():
        errors.setdefault(f"{prefix}.{name}", []).extend(messages)


def _locked(order: ProcessingOrder) -> ProcessingOrder:
    """The order, locked for the rest of the transaction, so that two movements cannot both spend the same
    material. The caller's instance is refreshed and returned, so that it never holds a stale status."""
    list(ProcessingOrder.objects.select_for_update().filter(pk=order.pk).values_list("pk"))
    order.refresh_from_db()
    return order


def _ensure_status(order: ProcessingOrder, *allowed: str) -> None:
    if order.status not in allowed:
        raise ValidationError(
            {"status": _("Not possible while the order is %(status)s.") % {"status": order.get_status_display()}}
        )


def ensure_processor_side(user: Any, order: ProcessingOrder) -> None:
    """The processor's own users act for it (the owner's writers may record on its behalf); the auditor and
    other vendors' users may not."""
    ensure_can_change(user, ConsumptionReport(order=order))


def _held(order: ProcessingOrder) -> dict[int, Decimal]:
    return {row["material"]: row["held"] for row in MaterialMovement.objects.filter(order=order).balances("material")}


# Items and bills of materials -------------------------------------------------------------------------------


@transaction.atomic
def do_create_item(
    *, acting_user: Any, code: str, name: str, unit: str, category: str, unit_cost: Decimal | None = None
) -> Item:
    ensure_owner_writer(acting_user)
    return _save(Item(code=code, name=name, unit=unit, category=category, unit_cost=unit_cost), acting_user)


@transaction.atomic
def do_set_unit_cost(item: Item, *, acting_user: Any, unit_cost: Decimal | None) -> Item:
    ensure_owner_writer(acting_user)
    item.unit_cost = unit_cost
    return _save(item, acting_user)


@transaction.atomic
def do_create_bom(item: Item, *, acting_user: Any, lines: list[dict[str, Any]], note: str = "") -> BillOfMaterials:
    """A new version of the item's bill of materials (the previous ones stay as they were, for the orders
    placed with them). Errors are named by the line: `lines[1].material`."""
    ensure_owner_writer(acting_user)
    if not lines:
        raise ValidationError({"lines": _("A bill of materials needs at least one material.")})
    Item.objects.select_for_update().filter(pk=item.pk).first()  # one new version at a time
    latest = BillOfMaterials.objects.filter(item=item).aggregate(v=Max("version"))["v"] or 0
    bom = _save(BillOfMaterials(item=item, version=latest + 1, note=note), acting_user)
    errors: dict[str, list[str]] = {}
    seen: set[int] = set()
    for index, data in enumerate(lines):
        line = BomLine(bom=bom, **data)
        if line.material_id in seen:
            errors.setdefault(f"lines[{index}].material", []).append(_("This material is already on the list."))
            continue
        seen.add(line.material_id)
        try:
            _save(line, acting_user)
        except ValidationError as exc:
            _collect(errors, f"lines[{index}]", exc)
    if errors:
        raise ValidationError(errors)  # rolls the whole version back
    return bom


def current_bom(item: Item) -> BillOfMaterials | None:
    return BillOfMaterials.objects.filter(item=item).order_by("-version").first()


# Orders -------------------------------------------------------------------------------------------------------


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
    """Create an order with its lines, each keeping its item's current bill of materials. An item that is not
    finished or semi-finished, or has no bill of materials, refuses the whole order, naming the line."""
    ensure_owner_writer(acting_user)
    if vendor.status in (VendorStatus.BLOCKED, VendorStatus.SUSPENDED):
        raise ValidationError({"vendor_id": _("A suspended or blocked vendor cannot receive new orders.")})
    if not lines:
        raise ValidationError({"lines": _("An order needs at least one line.")})
    order = ProcessingOrder(
        vendor=vendor,
        number=number,
        due_date=due_date,
        order_date=order_date or timezone.localdate(),
        currency=currency,
        notes=notes,
    )
    _save(order, acting_user)
    errors: dict[str, list[str]] = {}
    for index, data in enumerate(lines):
        line = OrderLine(order=order, **data)
        if line.bom_id is None and line.item_id and line.item.orderable:
            line.bom = current_bom(line.item)
            if line.bom is None:
                errors.setdefault(f"lines[{index}].item", []).append(
                    _("%(item)s has no bill of materials: define which materials it needs before ordering it.")
                    % {"item": line.item.code}
                )
                continue
        try:
            _save(line, acting_user)
        except ValidationError as exc:
            _collect(errors, f"lines[{index}]", exc)
    if errors:
        raise ValidationError(errors)  # rolls the whole order back
    return order


@transaction.atomic
def do_issue_order(order: ProcessingOrder, *, acting_user: Any) -> ProcessingOrder:
    """Send the order to the processor."""
    ensure_owner_writer(acting_user)
    order = _locked(order)
    _ensure_status(order, OrderStatus.DRAFT)
    order.status = OrderStatus.ISSUED
    return _save(order, acting_user)


@transaction.atomic
def do_confirm_order(order: ProcessingOrder, *, acting_user: Any) -> ProcessingOrder:
    """The processor accepts the order as issued."""
    ensure_processor_side(acting_user, order)
    order = _locked(order)
    _ensure_status(order, OrderStatus.ISSUED)
    order.status = OrderStatus.CONFIRMED
    order.confirmed_at = timezone.now()
    return _save(order, acting_user)


@transaction.atomic
def do_cancel_order(order: ProcessingOrder, *, acting_user: Any) -> ProcessingOrder:
    ensure_owner_writer(acting_user)
    order = _locked(order)
    _ensure_status(order, OrderStatus.DRAFT, *IN_PROGRESS)
    if Receipt.objects.filter(line__order=order).exists():
        raise ValidationError({"status": _("Goods were already received; settle the order instead.")})
    held = [f"{m.material.code} {qty(m.held)}" for m in material_figures(order) if m.held > 0]
    if held:
        raise ValidationError(
            {
                "status": _("Materials are still at the processor (%(held)s): record their return first.")
                % {"held": ", ".join(held)}
            }
        )
    order.status = OrderStatus.CANCELLED
    return _save(order, acting_user)


# Materials ----------------------------------------------------------------------------------------------------


def _bom_materials(order: ProcessingOrder) -> set[int]:
    return set(BomLine.objects.filter(bom__order_lines__order=order).values_list("material_id", flat=True))


@transaction.atomic
def do_issue_material(
    order: ProcessingOrder,
    *,
    acting_user: Any,
    material: Item,
    quantity: Decimal,
    issued_on: datetime.date | None = None,
    note: str = "",
) -> MaterialMovement:
    """Hand a material on the order's bills of materials to the processor."""
    ensure_owner_writer(acting_user)
    order = _locked(order)
    _ensure_status(order, *IN_PROGRESS)
    issue = MaterialMovement(
        order=order,
        material=material,
        kind=MovementKind.ISSUE,
        quantity=quantity,
        moved_on=issued_on or timezone.localdate(),
        note=note,
    )
    issue.full_clean()
    if material.pk not in _bom_materials(order):
        raise ValidationError(
            {"material": _("%(item)s is not on this order's bills of materials.") % {"item": material.code}}
        )
    return _save(issue, acting_user)


@transaction.atomic
def do_issue_materials(
    order: ProcessingOrder, *, acting_user: Any, rows: list[dict[str, Any]], issued_on: datetime.date | None = None
) -> list[MaterialMovement]:
    """Issue several materials at once (the suggested issue, as the user adjusted it); rows with no quantity are
    skipped; errors are named by the row (`lines[0].quantity`) and nothing is issued."""
    ensure_owner_writer(acting_user)
    errors: dict[str, list[str]] = {}
    issued = []
    for index, row in enumerate(rows):
        if not row.get("quantity"):
            continue
        try:
            with transaction.atomic():
                issued.append(
                    do_issue_material(
                        order,
                        acting_user=acting_user,
                        material=row["material"],
                        quantity=row["quantity"],
                        issued_on=issued_on,
                    )
                )
        except ValidationError as exc:
            _collect(errors, f"lines[{index}]", exc)
    if errors:
        raise ValidationError(errors)
    if not issued:
        raise ValidationError({"lines": _("Enter the quantity of at least one material.")})
    return issued


@transaction.atomic
def do_return_material(
    order: ProcessingOrder,
    *,
    acting_user: Any,
    material: Item,
    quantity: Decimal,
    kind: str = MovementKind.RETURN,
    moved_on: datetime.date | None = None,
    note: str = "",
) -> MaterialMovement:
    """Material comes back from the processor (a return) or is written off there (a scrapping); never more
    than the order holds there."""
    ensure_owner_writer(acting_user)
    if kind not in (MovementKind.RETURN, MovementKind.SCRAP):
        raise ValidationError({"kind": _("Either returned or scrapped.")})
    order = _locked(order)
    _ensure_status(order, *OPEN_STATUSES)
    movement = MaterialMovement(
        order=order,
        material=material,
        kind=kind,
        quantity=quantity,
        moved_on=moved_on or timezone.localdate(),
        note=note,
    )
    movement.full_clean()
    held = _held(order).get(material.pk, ZERO)
    if quantity > held:
        raise ValidationError(
            {
                "quantity": _("The processor holds only %(held)s %(unit)s of %(item)s for this order.")
                % {"held": qty(held), "unit": material.unit, "item": material.code}
            }
        )
    return _save(movement, acting_user)


# Dispatches, receipts and inspection ------------------------------------------------------------------------


def _in_transit(line: OrderLine, reworked: bool) -> Decimal:
    """Dispatched and not yet received, of new or of reworked goods."""
    dispatched = sum((d.quantity for d in Dispatch.objects.filter(line=line, reworked=reworked)), ZERO)
    received = sum(
        (r.quantity for r in Receipt.objects.filter(line=line, reworked=reworked, dispatch__isnull=False)), ZERO
    )
    return max(dispatched - received, ZERO)


def _figures(line: OrderLine) -> Any:
    return next(f for f in line_figures(line.order) if f.line.pk == line.pk)


@transaction.atomic
def do_report_dispatch(
    line: OrderLine,
    *,
    acting_user: Any,
    quantity: Decimal,
    dispatched_on: datetime.date | None = None,
    reworked: bool = False,
    note: str = "",
) -> Dispatch:
    """The processor reports goods sent to the owner: new goods up to what is still outstanding, reworked
    goods up to what it holds for rework."""
    dispatch = Dispatch(
        line=line, quantity=quantity, dispatched_on=dispatched_on or timezone.localdate(), reworked=reworked, note=note
    )
    ensure_can_change(acting_user, dispatch)
    order = _locked(line.order)
    _ensure_status(order, OrderStatus.CONFIRMED)
    dispatch.full_clean()
    figures = _figures(line)
    room = (figures.pending_rework if reworked else figures.outstanding) - _in_transit(line, reworked)
    if quantity > room:
        message = (
            _("Only %(left)s are at the processor for rework and not yet sent.")
            if reworked
            else _("Only %(left)s are outstanding and not yet sent.")
        )
        raise ValidationError({"quantity": message % {"left": qty(max(room, ZERO))}})
    return _save(dispatch, acting_user)


@transaction.atomic
def do_receive(
    line: OrderLine,
    *,
    acting_user: Any,
    quantity: Decimal,
    accepted: Decimal,
    rejected: Decimal = ZERO,
    rework: Decimal = ZERO,
    defect_reason: str = "",
    received_on: datetime.date | None = None,
    inspection_notes: str = "",
    dispatch: Dispatch | None = None,
    reworked: bool = False,
) -> Receipt:
    """Record a (partial) receipt and its incoming inspection, and book the materials the goods are expected to
    have consumed (received × BOM × (1 + loss)). A receipt the materials held at the processor cannot support is
    refused, naming each short material. The order is fully received when every line's accepted quantity
    reaches the ordered quantity."""
    ensure_owner_writer(acting_user)
    order = _locked(line.order)
    _ensure_status(order, *IN_PROGRESS)
    if dispatch is not None:
        reworked = dispatch.reworked
    receipt = Receipt(
        line=line,
        dispatch=dispatch,
        reworked=reworked,
        quantity=quantity,
        accepted=accepted,
        rejected=rejected,
        rework=rework,
        defect_reason=defect_reason,
        received_on=received_on or timezone.localdate(),
        inspection_notes=inspection_notes,
    )
    receipt.full_clean()
    current = _figures(line)
    if current.accepted + accepted > line.quantity:
        raise ValidationError(
            {
                "accepted": _("Only %(left)s more can be accepted on this line (ordered %(ordered)s).")
                % {"left": qty(current.outstanding), "ordered": qty(line.quantity)}
            }
        )
    if dispatch is not None:
        received = sum((r.quantity for r in dispatch.receipts.all()), ZERO)
        if quantity > dispatch.quantity - received:
            raise ValidationError(
                {
                    "quantity": _("Only %(left)s of this dispatch are still to be received.")
                    % {"left": qty(dispatch.quantity - received)}
                }
            )
    if reworked:
        if quantity > current.pending_rework:
            raise ValidationError(
                {"quantity": _("Only %(left)s were sent back for rework.") % {"left": qty(current.pending_rework)}}
            )
        needs: list[tuple[Item, Decimal]] = []
    else:
        needs = expected_consumption(line, quantity)
        held = _held(order)
        shortfalls = [
            _(
                "%(item)s: %(need)s %(unit)s needed for %(quantity)s received, the processor holds %(held)s for this "
                "order — short by %(short)s %(unit)s."
            )
            % {
                "item": f"{material.code} {material.name}",
                "need": qty(need),
                "unit": material.unit,
                "quantity": qty(quantity),
                "held": qty(held.get(material.pk, ZERO)),
                "short": qty(need - held.get(material.pk, ZERO)),
            }
            for material, need in needs
            if need > held.get(material.pk, ZERO)
        ]
        if shortfalls:
            raise ValidationError({"quantity": shortfalls})
    _save(receipt, acting_user)
    for material, need in needs:
        if need > 0:
            _save(
                MaterialMovement(
                    order=order,
                    material=material,
                    kind=MovementKind.CONSUMPTION,
                    quantity=need,
                    moved_on=receipt.received_on,
                    receipt=receipt,
                ),
                acting_user,
            )
    if all(f.outstanding == 0 for f in line_figures(order)):
        order.status = OrderStatus.RECEIVED
        _save(order, acting_user)
    return receipt


# The processor's consumption and the settlement ---------------------------------------------------------------


@transaction.atomic
def do_report_consumption(
    order: ProcessingOrder, *, acting_user: Any, material: Item, actual: Decimal, note: str = ""
) -> ConsumptionReport:
    """The processor reports how much of an issued material it actually consumed on the fully received order
    (or the owner records its report): never more than it was given and kept. The difference from the expected
    consumption is booked, so that what the processor holds is what is physically left."""
    report = ConsumptionReport.objects.filter(order=order, material=material).first()
    report = report or ConsumptionReport(order=order, material=material)
    ensure_processor_side(acting_user, order)
    order = _locked(order)
    _ensure_status(order, OrderStatus.RECEIVED)
    figures = next((m for m in material_figures(order) if m.material.pk == material.pk and m.issued), None)
    if figures is None:
        raise ValidationError({"material": _("This material was not issued for this order.")})
    available = figures.issued - figures.returned - figures.scrapped
    if actual > available:
        raise ValidationError(
            {
                "actual": _(
                    "%(actual)s is more than the processor was given and kept: issued %(issued)s − returned "
                    "%(returned)s − scrapped %(scrapped)s = %(available)s."
                )
                % {
                    "actual": qty(actual),
                    "issued": qty(figures.issued),
                    "returned": qty(figures.returned),
                    "scrapped": qty(figures.scrapped),
                    "available": qty(available),
                }
            }
        )
    report.actual = actual
    report.note = note
    report.reported_on = timezone.localdate()
    _save(report, acting_user)
    variances = MaterialMovement.objects.filter(
        order=order, material=material, kind__in=(MovementKind.OVERRUN, MovementKind.SAVING)
    )
    with acting_as(acting_user):
        for old in variances:
            old.delete()
    difference = actual - figures.consumed
    if difference:
        _save(
            MaterialMovement(
                order=order,
                material=material,
                kind=MovementKind.OVERRUN if difference > 0 else MovementKind.SAVING,
                quantity=abs(difference),
                moved_on=report.reported_on,
                note=_("Actual consumption reported: %(actual)s") % {"actual": qty(actual)},
            ),
            acting_user,
        )
    return report


@transaction.atomic
def do_settle(order: ProcessingOrder, *, acting_user: Any, confirm: bool = False) -> ProcessingOrder:
    """Settle a fully received order: the value of accepted goods less, per material, the consumption beyond
    the agreed loss at the material's unit cost. Asks for confirmation; the calculation is kept line by line."""
    ensure_owner_writer(acting_user)
    order = _locked(order)
    calculation = settlement(order)
    if calculation.problems:
        raise ValidationError({"settlement": calculation.problems})
    if not confirm:
        raise ValidationError({"confirm": _("Check the calculation and confirm the settlement.")})
    for s in calculation.materials:
        if not s.figures.issued:
            continue
        _save(
            SettlementLine(
                order=order,
                material=s.figures.material,
                standard=s.figures.standard,
                expected=s.figures.consumed,
                actual=s.figures.actual or ZERO,
                overrun=s.overrun,
                unit_cost=s.unit_cost,
                deduction=s.deduction,
            ),
            acting_user,
        )
    order.gross_amount = calculation.gross
    order.deduction_amount = calculation.deductions
    order.settled_amount = calculation.net
    order.settled_on = timezone.localdate()
    order.status = OrderStatus.SETTLED
    return _save(order, acting_user)
