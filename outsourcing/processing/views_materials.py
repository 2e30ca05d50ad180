"""The item master with its bills of materials, and the processors' stock of the owner's materials (page and
export)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from outsourcing.core.access import is_owner_writer, sees_all_vendors
from outsourcing.core.exports import export_response
from outsourcing.core.forms import handle_form
from outsourcing.core.listing import record_id
from outsourcing.core.pickers import chosen_in, picker_html
from outsourcing.vendors.models import Vendor

from . import actions
from .forms import BomLineFormSet, BomNoteForm, ItemForm
from .models import BillOfMaterials, Item, MaterialMovement, ProcessingOrder
from .services import processor_stock, to_quantity
from .views import _show_row_errors


def _owner_staff(request: HttpRequest) -> None:
    if not sees_all_vendors(request.user):
        raise PermissionDenied


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    _owner_staff(request)
    if request.method == "POST" and not is_owner_writer(request.user):
        raise PermissionDenied

    def page() -> dict[str, Any]:
        versions = dict(
            BillOfMaterials.objects.order_by("item_id", "-version").distinct().values_list("item_id", "version")
        )
        return {
            "title": _("Item master"),
            "items": [(item, versions.get(item.pk)) for item in Item.objects.all()],
            "writer": is_owner_writer(request.user),
        }

    return handle_form(
        request,
        ItemForm(request.POST or None),
        lambda data: actions.do_create_item(acting_user=request.user, **data),
        template="processing/items.html",
        context=page,
        success=_("Item added."),
        redirect_to="processing:items",
    )


@login_required
def item_bom(request: HttpRequest, pk: int) -> HttpResponse:
    """An item's bill of materials, every version, and a new version (which does not touch placed orders)."""
    _owner_staff(request)
    item = get_object_or_404(Item, pk=pk)
    writer = is_owner_writer(request.user)
    boms = list(BillOfMaterials.objects.filter(item=item).prefetch_related("lines__material").order_by("-version"))
    latest = boms[0] if boms else None
    initial = [
        {"material": line.material_id, "quantity": line.quantity, "loss_percent": line.loss_percent}
        for line in (latest.lines.all() if latest else [])
    ]
    rows = BomLineFormSet(request.POST or None, prefix="lines", initial=initial)
    note_form = BomNoteForm(request.POST or None)
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        if rows.is_valid() and note_form.is_valid():
            lines = [
                {"material": r["material"], "quantity": r["quantity"], "loss_percent": r.get("loss_percent") or 0}
                for r in rows.cleaned_data
                if r.get("material")
            ]
            try:
                bom = actions.do_create_bom(
                    item, acting_user=request.user, lines=lines, note=note_form.cleaned_data["note"]
                )
            except ValidationError as exc:
                _show_row_errors(note_form, rows, exc)
            else:
                messages.success(request, _("Version %(version)s saved.") % {"version": bom.version})
                return redirect("processing:bom", pk=item.pk)
    return render(
        request,
        "processing/bom.html",
        {
            "title": _("Bill of materials of %(item)s") % {"item": item},
            "item": item,
            "boms": boms,
            "rows": rows,
            "note_form": note_form,
            "writer": writer and item.orderable,
        },
    )


def _stock_movements(request: HttpRequest) -> tuple[Any, Vendor | None]:
    movements = MaterialMovement.objects.visible_to(request.user)
    vendor = None
    picked = chosen_in(request.GET, "vendor", Vendor.objects.visible_to(request.user))
    vendor_id = record_id(picked[0] if picked else None)
    if vendor_id:
        vendor = Vendor.objects.visible_to(request.user).filter(pk=vendor_id).first()
        if vendor is None:
            raise Http404
        movements = movements.filter(order__vendor=vendor)
    return movements, vendor


@login_required
def stock(request: HttpRequest) -> HttpResponse:
    """The owner's materials held at each processor across its open orders, and per order."""
    movements, vendor = _stock_movements(request)
    return render(
        request,
        "processing/stock.html",
        {
            "title": _("Materials at processors"),
            "rows": processor_stock(movements),
            "by_order": processor_stock(movements, by_order=True),
            "vendor": vendor,
            "vendor_picker": picker_html(
                "vendor",
                Vendor.objects.visible_to(request.user)
                .filter(pk__in=ProcessingOrder.objects.values("vendor_id"))
                .order_by("name", "pk"),
                "vendor",
                chosen=[vendor.pk] if vendor else [],
                text=request.GET.get("vendor__find", ""),
                label=_("Processor"),
                everything=True,
            ),
        },
    )


@login_required
def stock_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    movements, _vendor = _stock_movements(request)
    headers = [
        _("Processor"),
        _("Material code"),
        _("Material"),
        _("Unit"),
        _("Issued"),
        _("Expected consumption"),
        _("Returned"),
        _("Scrapped"),
        _("Held at processor"),
    ]
    return export_response(
        fmt,
        filename="processor-stock",
        headers=[str(h) for h in headers],
        rows=processor_stock(movements),
        row=lambda r: [
            r["vendor"],
            r["material_code"],
            r["material"],
            r["unit"],
            *(to_quantity(r[part]) for part in ("issued", "consumed", "returned", "scrapped", "held")),
        ],
    )
