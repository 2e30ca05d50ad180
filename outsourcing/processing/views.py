from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outsourcing.core.access import can_change, is_owner_writer
from outsourcing.core.api import get_visible
from outsourcing.core.audit import entries_for
from outsourcing.core.forms import apply_form_errors, handle_form
from outsourcing.core.listing import Column, ListPage

from . import actions
from .choices import OrderStatus
from .forms import ItemForm, LineFormSet, MaterialIssueForm, OrderForm, ReceiptForm, ReconciliationForm
from .models import Item, MaterialReconciliation, ProcessingOrder
from .services import line_figures, material_figures

COLUMNS = [
    Column("number", gettext_lazy("Order number")),
    Column("vendor", gettext_lazy("Processor")),
    Column("status", gettext_lazy("Status")),
    Column("order_date", gettext_lazy("Order date")),
    Column("due_date", gettext_lazy("Due date")),
]
SORTS = {
    key: value
    for column, field in [
        ("number", "number"),
        ("vendor", "vendor__name"),
        ("status", "status"),
        ("order_date", "order_date"),
        ("due_date", "due_date"),
    ]
    for key, value in ((column, field), (f"-{column}", f"-{field}"))
}


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    orders = ProcessingOrder.objects.visible_to(request.user).select_related("vendor")
    status = request.GET.get("status", "")
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        orders = orders.filter(number__icontains=q) | orders.filter(vendor__name__icontains=q)
    if request.GET.get("overdue"):
        orders = orders.filter(status=OrderStatus.ISSUED, due_date__lt=timezone.localdate())
    listing = ListPage(request, orders, columns=COLUMNS, sorts=SORTS, default_sort="-order_date")
    return render(
        request,
        "processing/list.html",
        {
            "title": _("Processing orders"),
            "listing": listing,
            "statuses": OrderStatus.choices,
            "params": {"status": status, "q": q},
            "today": timezone.localdate(),
            "can_create": is_owner_writer(request.user),
        },
    )


@login_required
def order_create(request: HttpRequest) -> HttpResponse:
    if not is_owner_writer(request.user):
        raise PermissionDenied
    form = OrderForm(request.POST or None, user=request.user, initial={"order_date": timezone.localdate()})
    lines = LineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        rows = [
            {"item": row["item"], "quantity": row["quantity"], "unit_price": row["unit_price"]}
            for row in lines.cleaned_data
            if row.get("item")
        ]
        try:
            order = actions.do_create_order(acting_user=request.user, lines=rows, **form.cleaned_data)
        except ValidationError as exc:
            _show_line_errors(form, lines, exc)
        else:
            messages.success(request, _("Order %(number)s created.") % {"number": order.number})
            return redirect("processing:detail", pk=order.pk)
    return render(
        request,
        "processing/order_form.html",
        {"title": _("New processing order"), "form": form, "lines": lines},
    )


def _show_line_errors(form: Any, lines: Any, exc: ValidationError) -> None:
    """Errors of line N ("lines[N].field") go next to that line's field; the rest next to the order's."""
    other: dict[str, list[str]] = {}
    for key, errors in exc.message_dict.items():
        if key.startswith("lines["):
            index = int(key[6 : key.index("]")])
            field = key.split(".", 1)[1]
            target = lines.forms[index] if index < len(lines.forms) else None
            for error in errors:
                if target is not None:
                    target.add_error(field if field in target.fields else None, error)
                else:
                    form.add_error(None, error)
        else:
            other[key] = errors
    if other:
        apply_form_errors(form, ValidationError(other))


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_visible(ProcessingOrder.objects.select_related("vendor"), request.user, pk=pk)
    writer = is_owner_writer(request.user)
    can_reconcile = can_change(request.user, MaterialReconciliation(order=order))
    action = request.POST.get("action", "") if request.method == "POST" else ""
    receipt_form = ReceiptForm(
        request.POST if action == "receive" else None,
        order=order,
        initial={"received_on": timezone.localdate()},
    )
    material_form = MaterialIssueForm(
        request.POST if action == "material" else None, initial={"issued_on": timezone.localdate()}
    )
    reconciliation_form = ReconciliationForm(request.POST if action == "reconcile" else None, order=order)
    if action:
        if action == "reconcile":
            if not can_reconcile:
                raise PermissionDenied
        elif not writer:
            raise PermissionDenied
        done = _run_action(request, order, action, receipt_form, material_form, reconciliation_form)
        if done:
            return redirect("processing:detail", pk=order.pk)
    lines = line_figures(order)
    context = {
        "title": order.number,
        "order": order,
        "lines": lines,
        "materials": material_figures(order),
        "total": sum((f.amount for f in lines), 0),
        "receipt_form": receipt_form,
        "material_form": material_form,
        "reconciliation_form": reconciliation_form,
        "writer": writer,
        "can_reconcile": can_reconcile and order.status in (OrderStatus.ISSUED, OrderStatus.RECEIVED),
        "history": entries_for(order, *[f.line for f in lines])[:200],
        "today": timezone.localdate(),
    }
    return render(request, "processing/detail.html", context)


def _run_action(
    request: HttpRequest,
    order: ProcessingOrder,
    action: str,
    receipt_form: Any,
    material_form: Any,
    reconciliation_form: Any,
) -> bool:
    forms_by_action = {"receive": receipt_form, "material": material_form, "reconcile": reconciliation_form}
    form = forms_by_action.get(action)
    if form is not None and not form.is_valid():
        return False
    data: dict[str, Any] = dict(form.cleaned_data) if form is not None else {}
    try:
        with transaction.atomic():
            if action == "issue":
                actions.do_issue_order(order, acting_user=request.user)
            elif action == "cancel":
                actions.do_cancel_order(order, acting_user=request.user)
            elif action == "settle":
                actions.do_settle(order, acting_user=request.user)
            elif action == "receive":
                actions.do_receive(data.pop("line"), acting_user=request.user, **data)
            elif action == "material":
                actions.do_issue_material(order, acting_user=request.user, **data)
            elif action == "reconcile":
                actions.do_report_reconciliation(order, acting_user=request.user, material=data.pop("material"), **data)
            else:
                return False
    except ValidationError as exc:
        order.refresh_from_db()
        if form is not None:
            apply_form_errors(form, exc)
        else:
            for message in exc.messages:
                messages.error(request, message)
        return False
    messages.success(request, _("Saved."))
    return True


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    if not is_owner_writer(request.user) and getattr(request.user, "role", "") != "auditor":
        raise PermissionDenied
    if request.method == "POST" and not is_owner_writer(request.user):
        raise PermissionDenied
    return handle_form(
        request,
        ItemForm(request.POST or None),
        lambda data: actions.do_create_item(acting_user=request.user, **data),
        template="processing/items.html",
        context=lambda: {
            "title": _("Item master"),
            "items": Item.objects.all(),
            "writer": is_owner_writer(request.user),
        },
        success=_("Item added."),
        redirect_to="processing:items",
    )
