import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from outsourcing.core.access import ensure_can_change, ensure_owner_writer
from outsourcing.core.api import Day, Pagination, RecordId, get_visible
from outsourcing.vendors.models import Vendor

from . import actions
from .choices import ItemCategory, OrderStatus
from .models import Item, MaterialReconciliation, OrderLine, ProcessingOrder
from .services import line_figures, material_figures

router = Router(tags=["processing"])

Qty = Field(ge=0, max_digits=14, decimal_places=3)


class ItemIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    unit: str = Field("pcs", min_length=1, max_length=16)
    category: ItemCategory


class ItemOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    category: str


class LineIn(Schema):
    item_id: RecordId
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=3)
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
    quantity: Decimal
    unit_price: Decimal
    received: Decimal
    accepted: Decimal
    rejected: Decimal
    rework: Decimal
    outstanding: Decimal
    amount: Decimal


class MaterialOut(Schema):
    material_id: int
    material: str
    issued: Decimal
    consumed: Decimal | None
    returned: Decimal | None
    scrapped: Decimal | None
    held: Decimal | None
    difference: Decimal | None


class OrderOut(Schema):
    id: int
    number: str
    vendor_id: int
    status: str
    order_date: datetime.date
    due_date: datetime.date
    currency: str
    notes: str
    settled_amount: Decimal | None
    settled_on: datetime.date | None


class OrderDetailOut(OrderOut):
    lines: list[LineOut]
    materials: list[MaterialOut]


def _detail(order: ProcessingOrder) -> dict[str, Any]:
    lines = [
        {
            "id": f.line.pk,
            "item_id": f.line.item_id,
            "item_code": f.line.item.code,
            "quantity": f.line.quantity,
            "unit_price": f.line.unit_price,
            "received": f.received,
            "accepted": f.accepted,
            "rejected": f.rejected,
            "rework": f.rework,
            "outstanding": f.outstanding,
            "amount": f.amount,
        }
        for f in line_figures(order)
    ]
    materials = [{**m.__dict__, "difference": m.difference} for m in material_figures(order)]
    data = OrderOut.from_orm(order).dict()
    return {**data, "lines": lines, "materials": materials}


class OrderFilter(Schema):
    status: OrderStatus | None = None
    vendor_id: RecordId | None = None


@router.get("/processing/items", response=list[ItemOut])
@paginate(Pagination)
def list_items(request: HttpRequest) -> Any:
    return Item.objects.order_by("code")


@router.post("/processing/items", response={201: ItemOut})
def create_item(request: HttpRequest, payload: ItemIn) -> Any:
    return Status(201, actions.do_create_item(acting_user=request.user, **payload.dict()))


@router.get("/processing/orders", response=list[OrderOut])
@paginate(Pagination)
def list_orders(request: HttpRequest, filters: Query[OrderFilter]) -> Any:
    orders = ProcessingOrder.objects.visible_to(request.user)
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.vendor_id:
        orders = orders.filter(vendor_id=filters.vendor_id)
    return orders.order_by("-order_date", "-pk")


def _item(item_id: int, field: str) -> Item:
    from django.core.exceptions import ValidationError

    try:
        return Item.objects.get(pk=item_id)
    except Item.DoesNotExist as exc:
        raise ValidationError({field: "Unknown item."}) from exc


@router.post("/processing/orders", response={201: OrderDetailOut})
def create_order(request: HttpRequest, payload: OrderIn) -> Any:
    from django.core.exceptions import ValidationError

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
def get_order(request: HttpRequest, order_id: int) -> Any:
    return _detail(get_visible(ProcessingOrder.objects, request.user, pk=order_id))


@router.post("/processing/orders/{order_id}/issue", response=OrderDetailOut)
def issue_order(request: HttpRequest, order_id: int) -> Any:
    order = get_visible(ProcessingOrder.objects, request.user, pk=order_id)
    return _detail(actions.do_issue_order(order, acting_user=request.user))


class MaterialIssueIn(Schema):
    material_id: RecordId
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=3)
    issued_on: Day | None = None


@router.post("/processing/orders/{order_id}/materials", response={201: OrderDetailOut})
def issue_material(request: HttpRequest, order_id: int, payload: MaterialIssueIn) -> Any:
    order = get_visible(ProcessingOrder.objects, request.user, pk=order_id)
    ensure_owner_writer(request.user)
    material = _item(payload.material_id, "material_id")
    actions.do_issue_material(
        order,
        acting_user=request.user,
        material=material,
        quantity=payload.quantity,
        issued_on=payload.issued_on,
    )
    return Status(201, _detail(order))


class ReceiptIn(Schema):
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=3)
    accepted: Decimal = Qty
    rejected: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=3)
    rework: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=3)
    received_on: Day | None = None
    inspection_notes: str = Field("", max_length=500)


@router.post("/processing/lines/{line_id}/receipts", response={201: OrderDetailOut})
def receive(request: HttpRequest, line_id: int, payload: ReceiptIn) -> Any:
    line: OrderLine = get_visible(OrderLine.objects.select_related("order"), request.user, pk=line_id)
    actions.do_receive(line, acting_user=request.user, **payload.dict())
    return Status(201, _detail(ProcessingOrder.objects.get(pk=line.order_id)))


class ReconciliationIn(Schema):
    material_id: RecordId
    consumed: Decimal = Qty
    returned: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=3)
    scrapped: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=3)
    held: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=3)


@router.put("/processing/orders/{order_id}/reconciliation", response=OrderDetailOut)
def reconcile(request: HttpRequest, order_id: int, payload: ReconciliationIn) -> Any:
    order = get_visible(ProcessingOrder.objects, request.user, pk=order_id)
    ensure_can_change(request.user, MaterialReconciliation(order=order))
    figures = payload.dict(exclude={"material_id"})
    actions.do_report_reconciliation(
        order, acting_user=request.user, material=_item(payload.material_id, "material_id"), **figures
    )
    return _detail(order)


@router.post("/processing/orders/{order_id}/settle", response=OrderDetailOut)
def settle(request: HttpRequest, order_id: int) -> Any:
    order = get_visible(ProcessingOrder.objects, request.user, pk=order_id)
    return _detail(actions.do_settle(order, acting_user=request.user))


@router.post("/processing/orders/{order_id}/cancel", response=OrderDetailOut)
def cancel(request: HttpRequest, order_id: int) -> Any:
    order = get_visible(ProcessingOrder.objects, request.user, pk=order_id)
    return _detail(actions.do_cancel_order(order, acting_user=request.user))
