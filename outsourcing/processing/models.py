"""Outsourced production processing: orders to processors, materials issued, receipts, inspection,
material reconciliation and settlement. Only for the owner's direct production."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outsourcing.core.access import VendorOwned, VendorScopedQuerySet

from .choices import STATUS_TONE, ItemCategory, OrderStatus


def quantity_field(label: Any, **options: Any) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=14, decimal_places=3, validators=[MinValueValidator(Decimal("0"))], **options
    )


def money_field(label: Any, **options: Any) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))], **options
    )


class OrderScopedQuerySet(VendorScopedQuerySet):
    vendor_lookup = "order__vendor"


class ReceiptQuerySet(VendorScopedQuerySet):
    vendor_lookup = "line__order__vendor"


class Item(models.Model):
    """A part, product or material in the owner's item master; its category says whether it belongs to
    direct production (and so may be processed outside)."""

    code = models.CharField(_("item code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=16, default="pcs")
    category = models.CharField(_("category"), max_length=16, choices=ItemCategory.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


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
    settled_amount = money_field(_("settled amount"), null=True, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)

    objects = VendorScopedQuerySet.as_manager()

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
    """One direct-production item to be processed: quantity, agreed unit price, due date."""

    order = models.ForeignKey(ProcessingOrder, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    quantity = quantity_field(_("quantity"))
    unit_price = money_field(_("unit price"))

    objects = OrderScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("order line")

    def __str__(self) -> str:
        return f"{self.order} · {self.item}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.order.vendor_id

    def clean(self) -> None:
        super().clean()
        if self.item_id and self.item.category != ItemCategory.DIRECT:
            raise ValidationError(
                {
                    "item": _(
                        "%(item)s is not a direct-production item (%(category)s): only direct production "
                        "may be entrusted to a processor."
                    )
                    % {"item": self.item.code, "category": self.item.get_category_display()}
                }
            )
        if self.quantity is not None and self.quantity <= 0:
            raise ValidationError({"quantity": _("The quantity must be more than zero.")})


class MaterialIssue(VendorOwned, models.Model):
    """Material the owner hands to the processor for an order."""

    order = models.ForeignKey(ProcessingOrder, on_delete=models.CASCADE, related_name="issues")
    material = models.ForeignKey(Item, verbose_name=_("material"), on_delete=models.PROTECT, related_name="+")
    quantity = quantity_field(_("quantity"))
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)

    objects = OrderScopedQuerySet.as_manager()

    class Meta:
        ordering = ["issued_on", "pk"]
        verbose_name = _("material issue")

    def __str__(self) -> str:
        return f"{self.order} · {self.material_id} × {self.quantity}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.order.vendor_id

    def clean(self) -> None:
        super().clean()
        if self.material_id and self.material.category not in (ItemCategory.MATERIAL, ItemCategory.DIRECT):
            raise ValidationError({"material": _("Only production materials are issued to a processor.")})
        if self.quantity is not None and self.quantity <= 0:
            raise ValidationError({"quantity": _("The quantity must be more than zero.")})


class Receipt(VendorOwned, models.Model):
    """Processed goods received back for one order line (partial receipts allowed), with the incoming
    inspection's verdict: accepted + rejected + rework = received."""

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="receipts")
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    quantity = quantity_field(_("received quantity"))
    accepted = quantity_field(_("accepted"))
    rejected = quantity_field(_("rejected"), default=Decimal("0"))
    rework = quantity_field(_("rework"), default=Decimal("0"))
    inspection_notes = models.CharField(_("inspection notes"), max_length=500, blank=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("receipt")

    def __str__(self) -> str:
        return f"{self.line} · {self.received_on} × {self.quantity}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.line.order.vendor_id

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


class MaterialReconciliation(VendorOwned, models.Model):
    """The processor's account of one issued material: issued = consumed + returned + scrapped + held."""

    vendor_maintained = True  # the processor reports it; the owner checks it

    order = models.ForeignKey(ProcessingOrder, on_delete=models.CASCADE, related_name="reconciliations")
    material = models.ForeignKey(Item, verbose_name=_("material"), on_delete=models.PROTECT, related_name="+")
    consumed = quantity_field(_("consumed"), default=Decimal("0"))
    returned = quantity_field(_("returned"), default=Decimal("0"))
    scrapped = quantity_field(_("scrapped"), default=Decimal("0"))
    held = quantity_field(_("still held"), default=Decimal("0"))
    reported_on = models.DateField(_("reported on"), default=timezone.localdate)

    objects = OrderScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("material reconciliation")
        constraints = [models.UniqueConstraint(fields=["order", "material"], name="one_reconciliation_per_material")]

    def __str__(self) -> str:
        return f"{self.order} · {self.material_id}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.order.vendor_id

    @property
    def accounted(self) -> Decimal:
        return self.consumed + self.returned + self.scrapped + self.held
