"""The processing API: items and bills of materials, orders, materials, the processor's dispatches and
consumption, receipts with inspection, the processor's stock and the settlement."""

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from outsourcing.core.access import ensure_owner_writer
from outsourcing.core.api import Day, Pagination, RecordId, get_visible
from outsourcing.vendors.models import Vendor

from . import actions
from .choices import DefectReason, ItemCategory, MovementKind, OrderStatus
from .models import BillOfMaterials, Dispatch, Item, MaterialMovement, OrderLine, ProcessingOrder, Receipt
from .services import line_figures, material_figures, processor_stock, settlement

router = Router(tags=["processing"])

Quantity = Field(gt=0, max_digits=14, decimal_places=3)
ZeroOrMore = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=3)


class ItemIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    unit: str = Field("pcs", min_length=1, max_length=16)
    category: ItemCategory
    unit_cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=4)


class ItemOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    category: ItemCategory
    unit_cost: Decimal | None


class BomLineIn(Schema):
    material_id: RecordId
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=6, description="per unit of the item")
    loss_percent: Decimal = Field(Decimal("0"), ge=0, lt=100, max_digits=5, decimal_places=2)


class BomIn(Schema):
    note: str = Field("", max_length=500)
    lines: list[BomLineIn] = Field(min_length=1, max_length=100)


class BomLineOut(Schema):
    material_id: int
    material_code: str
    quantity: Decimal
    loss_percent: Decimal


class BomOut(Schema):
    id: int
    item_id: int
    version: int
    created_on: datetime.date
    note: str
    lines: list[BomLineOut]


def _bom(bom: BillOfMaterials) -> dict[str, Any]:
    return {
        "id": bom.pk,
        "item_id": bom.item_id,
        "version": bom.version,
        "created_on": bom.created_on,
        "note": bom.note,
        "lines": [
            {
                "material_id": line.material_id,
                "material_code": line.material.code,
                "quantity": line.quantity,
                "loss_percent": line.loss_percent,
            }
            for line in bom.lines.all()
        ],
    }


class LineIn(Schema):
    item_id: RecordId
    quantity: Decimal = Quantity
    unit_price: Decimal = Field(ge=0, max_digits=14, decimal_places=2)


class OrderIn(Schema):
    number: str = Field(min_length=1, max_length=32)
    vendor_id: RecordId
    order_date: Day | None = None
    due_date: Day
    currency: str = Field("CNY", min_length=3, max_length=3)
    notes: str = Field("", max_length=2000)
    lines: list[LineIn] = Field(min_length=1, max_length=200)


class LineOut(Schema):
    id: int
    item_id: int
    item_code: str
    bom_id: int | None
    bom_version: int | None
    quantity: Decimal
    unit_price: Decimal
    received: Decimal
    accepted: Decimal
    rejected: Decimal
    rework: Decimal
    pending_rework: Decimal
    outstanding: Decimal
    amount: Decimal


class MaterialOut(Schema):
    material_id: int
    material_code: str
    unit: str
    required: Decimal
    suggested_issue: Decimal
    issued: Decimal
    expected_consumption: Decimal
    returned: Decimal
    scrapped: Decimal
    held: Decimal
    actual_consumption: Decimal | None


class OrderOut(Schema):
    id: int
    number: str
    vendor_id: int
    status: OrderStatus
    order_date: datetime.date
    due_date: datetime.date
    currency: str
    notes: str
    confirmed_at: datetime.datetime | None
    gross_amount: Decimal | None
    deduction_amount: Decimal | None
    settled_amount: Decimal | None
    settled_on: datetime.date | None


class OrderDetailOut(OrderOut):
    lines: list[LineOut]
    materials: list[MaterialOut]


def _material(m: Any) -> dict[str, Any]:
    return {
        "material_id": m.material.pk,
        "material_code": m.material.code,
        "unit": m.material.unit,
        "required": m.required,
        "suggested_issue": m.suggested_issue,
        "issued": m.issued,
        "expected_consumption": m.consumed,
        "returned": m.returned,
        "scrapped": m.scrapped,
        "held": m.held,
        "actual_consumption": m.actual,
    }


def _detail(order: ProcessingOrder) -> dict[str, Any]:
    order.refresh_from_db()
    figures = line_figures(order)
    lines = [
        {
            "id": f.line.pk,
            "item_id": f.line.item_id,
            "item_code": f.line.item.code,
            "bom_id": f.line.bom_id,
            "bom_version": f.line.bom.version if f.line.bom else None,
            "quantity": f.line.quantity,
            "unit_price": f.line.unit_price,
            "received": f.received,
            "accepted": f.accepted,
            "rejected": f.rejected,
            "rework": f.rework,
            "pending_rework": f.pending_rework,
            "outstanding": f.outstanding,
            "amount": f.amount,
        }
        for f in figures
    ]
    data = OrderOut.from_orm(order).dict()
    return {**data, "lines": lines, "materials": [_material(m) for m in material_figures(order, figures)]}


def _order(request: HttpRequest, order_id: int) -> ProcessingOrder:
    return get_visible(ProcessingOrder.objects, request.user, pk=order_id)


def _item(item_id: int, field: str) -> Item:
    try:
        return Item.objects.get(pk=item_id)
    except Item.DoesNotExist as exc:
        raise ValidationError({field: "Unknown item."}) from exc


# Items and bills of materials -----------------------------------------------------------------------------------


@router.get("/processing/items", response=list[ItemOut])
@paginate(Pagination)
def list_items(request: HttpRequest) -> Any:
    return Item.objects.order_by("code")


@router.post("/processing/items", response={201: ItemOut})
def create_item(request: HttpRequest, payload: ItemIn) -> Any:
    return Status(201, actions.do_create_item(acting_user=request.user, **payload.dict()))


@router.get("/processing/items/{item_id}/boms", response=list[BomOut])
def list_boms(request: HttpRequest, item_id: RecordId) -> Any:
    """Every version of the item's bill of materials, the newest first."""
    boms = BillOfMaterials.objects.filter(item_id=item_id).prefetch_related("lines__material").order_by("-version")
    return [_bom(bom) for bom in boms]


@router.post("/processing/items/{item_id}/boms", response={201: BomOut})
def create_bom(request: HttpRequest, item_id: RecordId, payload: BomIn) -> Any:
    """A new version of the item's bill of materials: per unit of the item, which materials and how much,
    with the standard loss in percent."""
    ensure_owner_writer(request.user)
    item = get_object_or_404(Item, pk=item_id)
    lines = [
        {
            "material": _item(line.material_id, f"lines[{i}].material_id"),
            "quantity": line.quantity,
            "loss_percent": line.loss_percent,
        }
        for i, line in enumerate(payload.lines)
    ]
    bom = actions.do_create_bom(item, acting_user=request.user, lines=lines, note=payload.note)
    return Status(201, _bom(bom))


# Orders -----------------------------------------------------------------------------------------------------------


class OrderFilter(Schema):
    status: OrderStatus | None = None
    vendor_id: RecordId | None = None


@router.get("/processing/orders", response=list[OrderOut])
@paginate(Pagination)
def list_orders(request: HttpRequest, filters: Query[OrderFilter]) -> Any:
    orders = ProcessingOrder.objects.visible_to(request.user)
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.vendor_id:
        orders = orders.filter(vendor_id=filters.vendor_id)
    return orders.order_by("-order_date", "-pk")


@router.post("/processing/orders", response={201: OrderDetailOut})
def create_order(request: HttpRequest, payload: OrderIn) -> Any:
    ensure_owner_writer(request.user)  # 403 before judging the body
    vendor = Vendor.objects.visible_to(request.user).filter(pk=payload.vendor_id).first()
    if vendor is None:
        raise ValidationError({"vendor_id": "Unknown vendor."})
    lines = [
        {
            "item": _item(line.item_id, f"lines[{i}].item_id"),
            "quantity": line.quantity,
            "unit_price": line.unit_price,
        }
        for i, line in enumerate(payload.lines)
    ]
    data = payload.dict(exclude={"lines", "vendor_id"})
    order = actions.do_create_order(acting_user=request.user, vendor=vendor, lines=lines, **data)
    return Status(201, _detail(order))


@router.get("/processing/orders/{order_id}", response=OrderDetailOut)
def get_order(request: HttpRequest, order_id: RecordId) -> Any:
    """The order with its lines and, per material, what it needs (`required`, `suggested_issue`), what was
    issued, expected to be consumed, returned, scrapped, what the processor holds and what it reports."""
    return _detail(_order(request, order_id))


@router.post("/processing/orders/{order_id}/issue", response=OrderDetailOut)
def issue_order(request: HttpRequest, order_id: RecordId) -> Any:
    return _detail(actions.do_issue_order(_order(request, order_id), acting_user=request.user))


@router.post("/processing/orders/{order_id}/confirm", response=OrderDetailOut)
def confirm_order(request: HttpRequest, order_id: RecordId) -> Any:
    """The processor confirms the order."""
    return _detail(actions.do_confirm_order(_order(request, order_id), acting_user=request.user))


@router.post("/processing/orders/{order_id}/cancel", response=OrderDetailOut)
def cancel(request: HttpRequest, order_id: RecordId) -> Any:
    return _detail(actions.do_cancel_order(_order(request, order_id), acting_user=request.user))


# Materials --------------------------------------------------------------------------------------------------------


class MaterialIssueIn(Schema):
    material_id: RecordId
    quantity: Decimal = Quantity
    issued_on: Day | None = None
    note: str = Field("", max_length=500)


@router.post("/processing/orders/{order_id}/materials", response={201: OrderDetailOut})
def issue_material(request: HttpRequest, order_id: RecordId, payload: MaterialIssueIn) -> Any:
    order = _order(request, order_id)
    ensure_owner_writer(request.user)
    actions.do_issue_material(
        order,
        acting_user=request.user,
        material=_item(payload.material_id, "material_id"),
        quantity=payload.quantity,
        issued_on=payload.issued_on,
        note=payload.note,
    )
    return Status(201, _detail(order))


class MaterialReturnIn(Schema):
    material_id: RecordId
    quantity: Decimal = Quantity
    kind: MovementKind = Field(MovementKind.RETURN, description="`return` or `scrap`")
    moved_on: Day | None = None
    note: str = Field("", max_length=500)


@router.post("/processing/orders/{order_id}/material-returns", response={201: OrderDetailOut})
def return_material(request: HttpRequest, order_id: RecordId, payload: MaterialReturnIn) -> Any:
    """Material comes back from the processor, or is scrapped there; never more than it holds."""
    order = _order(request, order_id)
    ensure_owner_writer(request.user)
    actions.do_return_material(
        order,
        acting_user=request.user,
        material=_item(payload.material_id, "material_id"),
        quantity=payload.quantity,
        kind=payload.kind,
        moved_on=payload.moved_on,
        note=payload.note,
    )
    return Status(201, _detail(order))


class MovementOut(Schema):
    id: int
    material_id: int
    kind: MovementKind
    quantity: Decimal
    moved_on: datetime.date
    receipt_id: int | None
    note: str


@router.get("/processing/orders/{order_id}/movements", response=list[MovementOut])
@paginate(Pagination)
def list_movements(request: HttpRequest, order_id: RecordId) -> Any:
    """The order's material ledger at the processor."""
    return MaterialMovement.objects.filter(order=_order(request, order_id)).order_by("moved_on", "pk")


class ConsumptionIn(Schema):
    material_id: RecordId
    actual: Decimal = Field(ge=0, max_digits=14, decimal_places=3)
    note: str = Field("", max_length=500)


@router.put("/processing/orders/{order_id}/consumption", response=OrderDetailOut)
def report_consumption(request: HttpRequest, order_id: RecordId, payload: ConsumptionIn) -> Any:
    """The processor reports what it actually consumed of an issued material."""
    order = _order(request, order_id)
    actions.ensure_processor_side(request.user, order)
    actions.do_report_consumption(
        order,
        acting_user=request.user,
        material=_item(payload.material_id, "material_id"),
        actual=payload.actual,
        note=payload.note,
    )
    return _detail(order)


# Dispatches, receipts and inspection --------------------------------------------------------------------------


class DispatchIn(Schema):
    line_id: RecordId
    quantity: Decimal = Quantity
    dispatched_on: Day | None = None
    reworked: bool = False
    note: str = Field("", max_length=500)


class DispatchOut(Schema):
    id: int
    line_id: int
    quantity: Decimal
    dispatched_on: datetime.date
    reworked: bool
    note: str


@router.get("/processing/orders/{order_id}/dispatches", response=list[DispatchOut])
@paginate(Pagination)
def list_dispatches(request: HttpRequest, order_id: RecordId) -> Any:
    return Dispatch.objects.filter(line__order=_order(request, order_id)).order_by("dispatched_on", "pk")


@router.post("/processing/orders/{order_id}/dispatches", response={201: DispatchOut})
def report_dispatch(request: HttpRequest, order_id: RecordId, payload: DispatchIn) -> Any:
    """The processor reports goods sent to the owner."""
    order = _order(request, order_id)
    actions.ensure_processor_side(request.user, order)
    line = order.lines.filter(pk=payload.line_id).first()
    if line is None:
        raise ValidationError({"line_id": "Not a line of this order."})
    data = payload.dict(exclude={"line_id"})
    return Status(201, actions.do_report_dispatch(line, acting_user=request.user, **data))


class ReceiptIn(Schema):
    dispatch_id: RecordId | None = None
    reworked: bool = False
    quantity: Decimal = Quantity
    accepted: Decimal = Field(ge=0, max_digits=14, decimal_places=3)
    rejected: Decimal = ZeroOrMore
    rework: Decimal = ZeroOrMore
    defect_reason: DefectReason | None = None
    received_on: Day | None = None
    inspection_notes: str = Field("", max_length=500)


class ReceiptOut(Schema):
    id: int
    line_id: int
    dispatch_id: int | None
    reworked: bool
    received_on: datetime.date
    quantity: Decimal
    accepted: Decimal
    rejected: Decimal
    rework: Decimal
    defect_reason: DefectReason | Literal[""]
    inspection_notes: str


@router.get("/processing/orders/{order_id}/receipts", response=list[ReceiptOut])
@paginate(Pagination)
def list_receipts(request: HttpRequest, order_id: RecordId) -> Any:
    """Every receipt of the order with its inspection."""
    return Receipt.objects.filter(line__order=_order(request, order_id)).order_by("received_on", "pk")


@router.post("/processing/lines/{line_id}/receipts", response={201: OrderDetailOut})
def receive(request: HttpRequest, line_id: RecordId, payload: ReceiptIn) -> Any:
    """Receive goods (against a dispatch, or not) with their incoming inspection."""
    line: OrderLine = get_visible(OrderLine.objects.select_related("order"), request.user, pk=line_id)
    ensure_owner_writer(request.user)
    data = payload.dict(exclude={"dispatch_id"})
    data["defect_reason"] = data["defect_reason"] or ""
    dispatch = None
    if payload.dispatch_id is not None:
        dispatch = Dispatch.objects.filter(pk=payload.dispatch_id, line=line).first()
        if dispatch is None:
            raise ValidationError({"dispatch_id": "Not a dispatch of this order line."})
    actions.do_receive(line, acting_user=request.user, dispatch=dispatch, **data)
    return Status(201, _detail(line.order))


# Settlement ------------------------------------------------------------------------------------------------------


class SettlementMaterialOut(Schema):
    material_id: int
    material_code: str
    unit: str
    standard: Decimal
    allowance: Decimal
    expected: Decimal
    actual: Decimal | None
    overrun: Decimal
    unit_cost: Decimal | None
    deduction: Decimal


class SettlementOut(Schema):
    order_id: int
    gross: Decimal
    deductions: Decimal
    net: Decimal
    materials: list[SettlementMaterialOut]
    problems: list[str]


@router.get("/processing/orders/{order_id}/settlement", response=SettlementOut)
def get_settlement(request: HttpRequest, order_id: RecordId) -> Any:
    """The settlement's calculation, material by material, and whatever still stops it."""
    order = _order(request, order_id)
    calc = settlement(order)
    return {
        "order_id": order.pk,
        "gross": calc.gross,
        "deductions": calc.deductions,
        "net": calc.net,
        "problems": calc.problems,
        "materials": [
            {
                "material_id": s.figures.material.pk,
                "material_code": s.figures.material.code,
                "unit": s.figures.material.unit,
                "standard": s.figures.standard,
                "allowance": s.figures.allowance,
                "expected": s.figures.consumed,
                "actual": s.figures.actual,
                "overrun": s.overrun,
                "unit_cost": s.unit_cost,
                "deduction": s.deduction,
            }
            for s in calc.materials
        ],
    }


class SettleIn(Schema):
    confirm: bool = Field(False, description="true after checking the calculation")


@router.post("/processing/orders/{order_id}/settle", response=OrderDetailOut)
def settle(request: HttpRequest, order_id: RecordId, payload: SettleIn) -> Any:
    order = _order(request, order_id)
    return _detail(actions.do_settle(order, acting_user=request.user, confirm=payload.confirm))


# The processor's stock --------------------------------------------------------------------------------------------


class StockOut(Schema):
    vendor_id: int
    vendor: str
    material_id: int
    material_code: str
    material: str
    unit: str
    issued: Decimal
    consumed: Decimal
    returned: Decimal
    scrapped: Decimal
    held: Decimal


class StockFilter(Schema):
    vendor_id: RecordId | None = None


@router.get("/processing/stock", response=list[StockOut])
@paginate(Pagination)
def list_stock(request: HttpRequest, filters: Query[StockFilter]) -> Any:
    """The owner's materials held at each processor across its open orders: issued − expected consumption −
    returned − scrapped (`consumed` is the expected consumption)."""
    movements = MaterialMovement.objects.visible_to(request.user)
    if filters.vendor_id:
        movements = movements.filter(order__vendor_id=filters.vendor_id)
    return processor_stock(movements)


@router.get("/processing/vendors/{vendor_id}/stock", response=list[StockOut])
def vendor_stock(request: HttpRequest, vendor_id: RecordId) -> Any:
    """One processor's stock of the owner's materials across its open orders."""
    vendor = get_visible(Vendor.objects, request.user, pk=vendor_id)
    return processor_stock(MaterialMovement.objects.filter(order__vendor=vendor))
