"""Outsourced production processing: orders to processors from bills of materials, materials issued and
accounted for at the processor, dispatches and receipts with incoming inspection, the processor's actual
consumption and the settlement with its deductions. Only for the owner's direct production."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outsourcing.core.access import VendorOwned, VendorScopedQuerySet

from .choices import (
    INCOMING,
    ISSUABLE,
    OPEN_STATUSES,
    ORDERABLE,
    STATUS_TONE,
    DefectReason,
    ItemCategory,
    MovementKind,
    OrderStatus,
)

ZERO = Decimal("0")
BALANCE_PARTS = frozenset({"issued", "consumed", "overrun", "saving", "returned", "scrapped", "held"})


def _milli(value: Any) -> Decimal:
    return Decimal(value).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


SUM_FIELD = DecimalField(max_digits=20, decimal_places=6)


def quantity_field(label: Any, **options: Any) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=14, decimal_places=3, validators=[MinValueValidator(Decimal("0"))], **options
    )


def money_field(label: Any, **options: Any) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))], **options
    )


def positive(name: str, field: str = "quantity") -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gt": 0}), name=name)


class OrderScopedQuerySet(VendorScopedQuerySet):
    vendor_lookup = "order__vendor"


class LineScopedQuerySet(VendorScopedQuerySet):
    vendor_lookup = "line__order__vendor"


class Item(models.Model):
    """A part, product or material in the owner's item master; its category says whether it is made (and may
    be ordered from a processor) or supplied (and may be issued to one)."""

    code = models.CharField(_("item code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=16, default="pcs")
    category = models.CharField(_("category"), max_length=16, choices=ItemCategory.choices)
    unit_cost = models.DecimalField(
        _("unit cost"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "What one unit of this material costs the owner: consumption beyond the agreed loss is charged at it."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [models.CheckConstraint(condition=Q(unit_cost__gte=0), name="item_unit_cost_not_negative")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def orderable(self) -> bool:
        return self.category in ORDERABLE

    @property
    def issuable(self) -> bool:
        return self.category in ISSUABLE


class BillOfMaterials(models.Model):
    """One version of what one unit of a finished or semi-finished item needs of the owner's materials.
    Versions are never changed once made: a change is a new version, and an order keeps the version it was
    placed with."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="boms")
    version = models.PositiveIntegerField(_("version"))
    created_on = models.DateField(_("created on"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["item", "-version"]
        verbose_name = _("bill of materials")
        verbose_name_plural = _("bills of materials")
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="one_bom_per_item_version")]

    def __str__(self) -> str:
        return f"{self.item.code} BOM v{self.version}"

    def clean(self) -> None:
        super().clean()
        if self.item_id and not self.item.orderable:
            raise ValidationError(
                {
                    "item": _(
                        "Only finished and semi-finished items have a bill of materials (%(item)s is %(category)s)."
                    )
                    % {"item": self.item.code, "category": self.item.get_category_display()}
                }
            )


class BomLine(models.Model):
    """How much of one material a unit of the item needs, and the standard loss agreed on top of it."""

    bom = models.ForeignKey(BillOfMaterials, on_delete=models.CASCADE, related_name="lines")
    material = models.ForeignKey(Item, verbose_name=_("material"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(
        _("quantity per unit"), max_digits=14, decimal_places=6, validators=[MinValueValidator(Decimal("0"))]
    )
    loss_percent = models.DecimalField(
        _("standard loss (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("99.99"))],
        help_text=_("Material lost in processing that the owner accepts, as a percentage of the standard quantity."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("bill of materials line")
        constraints = [
            models.UniqueConstraint(fields=["bom", "material"], name="one_bom_line_per_material"),
            positive("bom_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(loss_percent__gte=0, loss_percent__lt=100), name="bom_line_loss_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bom} · {self.material_id} × {self.quantity}"

    @property
    def factor(self) -> Decimal:
        """Material per unit including the standard loss: quantity × (1 + loss rate)."""
        return self.quantity * (1 + self.loss_percent / 100)

    def clean(self) -> None:
        super().clean()
        if self.material_id and not self.material.issuable:
            raise ValidationError(
                {
                    "material": _(
                        "%(item)s is %(category)s: only raw materials and semi-finished parts go on a bill of "
                        "materials."
                    )
                    % {"item": self.material.code, "category": self.material.get_category_display()}
                }
            )
        if self.material_id and self.bom_id and self.material_id == self.bom.item_id:
            raise ValidationError({"material": _("An item cannot be a material of itself.")})
        if self.quantity is not None and self.quantity <= 0:
            raise ValidationError({"quantity": _("The quantity must be more than zero.")})


class ProcessingOrderQuerySet(VendorScopedQuerySet):
    def open(self) -> ProcessingOrderQuerySet:
        """Orders whose materials are still on account at the processor."""
        return self.filter(status__in=OPEN_STATUSES)


class ProcessingOrder(VendorOwned, models.Model):
    """An order entrusting part of the owner's direct production to a processor."""

    number = models.CharField(_("order number"), max_length=32, unique=True)
    vendor = models.ForeignKey(
        "vendors.Vendor",
        verbose_name=_("processor"),
        on_delete=models.PROTECT,
        related_name="processing_orders",
    )
    status = models.CharField(_("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    order_date = models.DateField(_("order date"), default=timezone.localdate)
    due_date = models.DateField(_("due date"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    gross_amount = money_field(_("value of accepted goods"), null=True, blank=True)
    deduction_amount = money_field(_("deductions"), null=True, blank=True)
    settled_amount = money_field(_("settled amount"), null=True, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)

    objects = ProcessingOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-order_date", "-number"]
        verbose_name = _("processing order")
        verbose_name_plural = _("processing orders")

    def __str__(self) -> str:
        return self.number

    @property
    def status_tone(self) -> str:
        return STATUS_TONE[OrderStatus(self.status)]

    def clean(self) -> None:
        super().clean()
        if self.due_date and self.order_date and self.due_date < self.order_date:
            raise ValidationError({"due_date": _("The due date is before the order date.")})


class OrderLine(VendorOwned, models.Model):
    """One finished or semi-finished item to be processed: quantity, agreed unit price, and the version of its
    bill of materials the order was placed with."""

    order = models.ForeignKey(ProcessingOrder, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    bom = models.ForeignKey(
        BillOfMaterials,
        verbose_name=_("bill of materials"),
        on_delete=models.PROTECT,
        related_name="order_lines",
        null=True,  # only lines placed before bills of materials existed have none
        blank=True,
    )
    quantity = quantity_field(_("quantity"))
    unit_price = money_field(_("unit price"))

    objects = OrderScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("order line")
        constraints = [positive("order_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.order} · {self.item}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.order.vendor_id

    def clean(self) -> None:
        super().clean()
        if self.item_id and not self.item.orderable:
            raise ValidationError(
                {
                    "item": _(
                        "%(item)s is not a finished or semi-finished item (%(category)s): only direct production "
                        "may be entrusted to a processor."
                    )
                    % {"item": self.item.code, "category": self.item.get_category_display()}
                }
            )
        if self.bom is not None and self.item_id and self.bom.item_id != self.item_id:
            raise ValidationError({"bom": _("This bill of materials is for another item.")})
        if self.quantity is not None and self.quantity <= 0:
            raise ValidationError({"quantity": _("The quantity must be more than zero.")})


class MaterialMovementQuerySet(VendorScopedQuerySet):
    vendor_lookup = "order__vendor"

    def balances(self, *keys: str) -> list[dict[str, Any]]:
        """What is held at the processor, grouped by `keys` (e.g. "order__vendor", "material"): issued −
        expected consumption (± the reported variance) − returned − scrapped, with each part, to the 0.001.
        One aggregate query."""

        def part(*kinds: str) -> Coalesce:
            return Coalesce(Sum("quantity", filter=Q(kind__in=kinds)), Value(ZERO), output_field=SUM_FIELD)

        signed = Case(When(kind__in=INCOMING, then=F("quantity")), default=-F("quantity"), output_field=SUM_FIELD)
        rows = (
            self.values(*keys)
            .annotate(
                issued=part(MovementKind.ISSUE),
                consumed=part(MovementKind.CONSUMPTION),
                overrun=part(MovementKind.OVERRUN),
                saving=part(MovementKind.SAVING),
                returned=part(MovementKind.RETURN),
                scrapped=part(MovementKind.SCRAP),
                held=Coalesce(Sum(signed), Value(ZERO), output_field=SUM_FIELD),
            )
            .order_by(*keys)
        )
        # SQLite sums decimals as floats: bring every figure back to the ledger's 0.001.
        return [{k: _milli(v) if k in BALANCE_PARTS else v for k, v in row.items()} for row in rows]

    def at_processor(self) -> MaterialMovementQuerySet:
        """Movements of open orders: what the processors hold now."""
        return self.filter(order__status__in=OPEN_STATUSES)


class MaterialMovement(VendorOwned, models.Model):
    """One movement of the owner's material on an order's account at the processor: an issue, the expected
    consumption of a receipt (received × BOM × (1 + loss), fixed when the goods come back), the variance of the
    processor's reported actual consumption, a return to the owner or a scrapping. What the processor holds is
    their signed sum, and no movement may take it below zero."""

    order = models.ForeignKey(ProcessingOrder, on_delete=models.PROTECT, related_name="movements")
    material = models.ForeignKey(Item, verbose_name=_("material"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=MovementKind.choices)
    quantity = quantity_field(_("quantity"))
    moved_on = models.DateField(_("date"), default=timezone.localdate)
    receipt = models.ForeignKey("Receipt", on_delete=models.PROTECT, null=True, blank=True, related_name="consumptions")
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = MaterialMovementQuerySet.as_manager()

    class Meta:
        ordering = ["moved_on", "pk"]
        verbose_name = _("material movement")
        constraints = [
            positive("material_movement_quantity_positive"),
            models.CheckConstraint(
                condition=Q(kind=MovementKind.CONSUMPTION, receipt__isnull=False)
                | (~Q(kind=MovementKind.CONSUMPTION) & Q(receipt__isnull=True)),
                name="consumption_belongs_to_a_receipt",
            ),
        ]

    name_in_reader_language = True  # its name holds the movement kind's label (core.audit_trail)

    def __str__(self) -> str:
        return f"{self.order} · {self.get_kind_display()} {self.material_id} × {self.quantity}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.order.vendor_id

    def clean(self) -> None:
        super().clean()
        if self.material_id and not self.material.issuable:
            raise ValidationError(
                {
                    "material": _(
                        "%(item)s is %(category)s: only raw materials and semi-finished parts are issued to a "
                        "processor."
                    )
                    % {"item": self.material.code, "category": self.material.get_category_display()}
                }
            )
        if self.quantity is not None and self.quantity <= 0:
            raise ValidationError({"quantity": _("The quantity must be more than zero.")})


class Dispatch(VendorOwned, models.Model):
    """Goods the processor reports as sent to the owner for one order line; the owner receives against it."""

    vendor_maintained = True

    line = models.ForeignKey(
        OrderLine, verbose_name=_("order line"), on_delete=models.PROTECT, related_name="dispatches"
    )
    quantity = quantity_field(_("quantity"))
    dispatched_on = models.DateField(_("dispatched on"), default=timezone.localdate)
    reworked = models.BooleanField(
        _("reworked goods"), default=False, help_text=_("Goods sent back to the processor for rework, now returning.")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = LineScopedQuerySet.as_manager()

    class Meta:
        ordering = ["dispatched_on", "pk"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        constraints = [positive("dispatch_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.line} · {self.dispatched_on} × {self.quantity}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.line.order.vendor_id

    def clean(self) -> None:
        super().clean()
        if self.quantity is not None and self.quantity <= 0:
            raise ValidationError({"quantity": _("The quantity must be more than zero.")})


class ReceiptQuerySet(LineScopedQuerySet):
    def inspection_totals(self, vendor_ids: Any, start: Any, end: Any) -> dict[int, tuple[Decimal, Decimal]]:
        """{vendor: (inspected, rejected or sent to rework)} over receipts received from `start` to `end` —
        one query. The performance appraisal reads its inspection figure from here."""
        rows = (
            self.filter(line__order__vendor_id__in=vendor_ids, received_on__gte=start, received_on__lte=end)
            .values("line__order__vendor_id")
            .annotate(inspected=Sum("quantity"), failed=Sum(F("rejected") + F("rework")))
            .order_by()
        )
        return {row["line__order__vendor_id"]: (row["inspected"], row["failed"]) for row in rows}


class Receipt(VendorOwned, models.Model):
    """Processed goods received back for one order line (partial receipts allowed), with the incoming
    inspection's verdict: accepted + rejected + rework = received. Rejected goods go back to the processor as a
    return (to be replaced), rework goods to be reworked and received again as reworked goods."""

    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="receipts")
    dispatch = models.ForeignKey(
        Dispatch, verbose_name=_("dispatch"), on_delete=models.PROTECT, null=True, blank=True, related_name="receipts"
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    reworked = models.BooleanField(
        _("reworked goods"),
        default=False,
        help_text=_("Goods coming back from rework: their materials were counted when they first came in."),
    )
    quantity = quantity_field(_("received quantity"))
    accepted = quantity_field(_("accepted"))
    rejected = quantity_field(_("rejected (returned)"), default=Decimal("0"))
    rework = quantity_field(_("to rework"), default=Decimal("0"))
    defect_reason = models.CharField(_("defect reason"), max_length=16, choices=DefectReason.choices, blank=True)
    inspection_notes = models.CharField(_("inspection notes"), max_length=500, blank=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("receipt")
        constraints = [
            positive("receipt_quantity_positive"),
            models.CheckConstraint(
                condition=Q(quantity=F("accepted") + F("rejected") + F("rework")), name="inspection_adds_up"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} · {self.received_on} × {self.quantity}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.line.order.vendor_id

    @property
    def failed(self) -> Decimal:
        return (self.rejected or ZERO) + (self.rework or ZERO)

    def clean(self) -> None:
        super().clean()
        if None in (self.quantity, self.accepted, self.rejected, self.rework):
            return
        if self.quantity <= 0:
            raise ValidationError({"quantity": _("The quantity must be more than zero.")})
        if self.accepted + self.rejected + self.rework != self.quantity:
            raise ValidationError(
                {"accepted": _("Accepted, rejected and rework quantities must add up to the quantity received.")}
            )
        if self.failed > 0 and not self.defect_reason:
            raise ValidationError({"defect_reason": _("Say why goods were rejected or sent to rework.")})
        if self.dispatch is not None and self.line_id and self.dispatch.line_id != self.line_id:
            raise ValidationError({"dispatch": _("This dispatch is for another order line.")})
        if self.dispatch is not None and self.dispatch.reworked != self.reworked:
            raise ValidationError({"reworked": _("Reworked goods are received against a dispatch of reworked goods.")})


class ConsumptionReport(VendorOwned, models.Model):
    """The processor's account of how much of one issued material it actually consumed on an order; compared
    with the expected consumption at settlement."""

    vendor_maintained = True  # the processor reports it; the owner checks it

    order = models.ForeignKey(ProcessingOrder, on_delete=models.CASCADE, related_name="consumption_reports")
    material = models.ForeignKey(Item, verbose_name=_("material"), on_delete=models.PROTECT, related_name="+")
    actual = quantity_field(_("actual consumption"))
    reported_on = models.DateField(_("reported on"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = OrderScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("consumption report")
        constraints = [
            models.UniqueConstraint(fields=["order", "material"], name="one_consumption_report_per_material"),
            models.CheckConstraint(condition=Q(actual__gte=0), name="consumption_report_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.material_id} {self.actual}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.order.vendor_id


class SettlementLine(VendorOwned, models.Model):
    """One material's line of a settlement, as it was calculated and confirmed: expected against actual
    consumption, the overrun beyond the agreed loss and its deduction at the material's unit cost."""

    order = models.ForeignKey(ProcessingOrder, on_delete=models.PROTECT, related_name="settlement_lines")
    material = models.ForeignKey(Item, verbose_name=_("material"), on_delete=models.PROTECT, related_name="+")
    standard = quantity_field(_("standard consumption"))
    expected = quantity_field(_("expected consumption"))
    actual = quantity_field(_("actual consumption"))
    overrun = quantity_field(_("overrun"))
    unit_cost = models.DecimalField(_("unit cost"), max_digits=14, decimal_places=4, null=True, blank=True)
    deduction = money_field(_("deduction"))

    objects = OrderScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("settlement line")
        constraints = [models.UniqueConstraint(fields=["order", "material"], name="one_settlement_line_per_material")]

    def __str__(self) -> str:
        return f"{self.order} · {self.material_id} −{self.deduction}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.order.vendor_id
