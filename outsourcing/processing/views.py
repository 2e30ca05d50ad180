"""Processing order pages: the list, a new order, and the order's page where the owner issues materials and
receives goods and the processor confirms, dispatches and reports its consumption; the settlement page."""

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

from outsourcing.accounts.views import apply_form_errors
from outsourcing.core.access import can_change, is_owner_writer
from outsourcing.core.api import get_visible
from outsourcing.core.audit import entries_for
from outsourcing.core.listing import Column, ListPage

from . import actions
from .choices import IN_PROGRESS, OPEN_STATUSES, OrderStatus
from .forms import (
    ConsumptionForm,
    DispatchForm,
    IssueDateForm,
    IssueFormSet,
    LineFormSet,
    MaterialReturnForm,
    OrderForm,
    ReceiptForm,
    SettleForm,
)
from .models import ConsumptionReport, Dispatch, ProcessingOrder, Receipt
from .services import line_figures, material_figures, settlement

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
        orders = orders.filter(status__in=IN_PROGRESS, due_date__lt=timezone.localdate())
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
            _show_row_errors(form, lines, exc)
        else:
            messages.success(request, _("Order %(number)s created.") % {"number": order.number})
            return redirect("processing:detail", pk=order.pk)
    return render(
        request,
        "processing/order_form.html",
        {"title": _("New processing order"), "form": form, "lines": lines},
    )


def _show_row_errors(form: Any, rows: Any, exc: ValidationError) -> None:
    """Errors of row N ("lines[N].field") go next to that row's field; the rest next to the form's."""
    other: dict[str, list[str]] = {}
    for key, errors in exc.message_dict.items():
        if key.startswith("lines["):
            index = int(key[6 : key.index("]")])
            field = key.split(".", 1)[1]
            target = rows.forms[index] if index < len(rows.forms) else None
            for error in errors:
                if target is not None:
                    target.add_error(field if field in target.fields else None, error)
                else:
                    form.add_error(None, error)
        else:
            other[key] = errors
    if other:
        apply_form_errors(form, ValidationError(other))


OWNER_ACTIONS = {"issue", "cancel", "issue_materials", "return", "receive"}
PROCESSOR_ACTIONS = {"confirm", "dispatch", "consumption"}


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_visible(ProcessingOrder.objects.select_related("vendor"), request.user, pk=pk)
    writer = is_owner_writer(request.user)
    processor = can_change(request.user, ConsumptionReport(order=order))
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and not ((action in OWNER_ACTIONS and writer) or (action in PROCESSOR_ACTIONS and processor)):
        raise PermissionDenied
    today = timezone.localdate()
    lines = line_figures(order)
    materials = material_figures(order, lines)

    def bound(name: str) -> Any:
        return request.POST if action == name else None

    forms: dict[str, Any] = {
        "receive": ReceiptForm(bound("receive"), order=order, prefix="receive", initial={"received_on": today}),
        "return": MaterialReturnForm(bound("return"), order=order, prefix="return", initial={"moved_on": today}),
        "dispatch": DispatchForm(bound("dispatch"), order=order, prefix="dispatch", initial={"dispatched_on": today}),
        "consumption": ConsumptionForm(bound("consumption"), order=order, prefix="consumption"),
    }
    issue_rows = IssueFormSet(
        bound("issue_materials"),
        prefix="issue",
        initial=[{"material": m.material.pk, "quantity": m.suggested_issue} for m in materials if m.required],
    )
    issue_date = IssueDateForm(bound("issue_materials"), prefix="issue-date", initial={"issued_on": today})
    if action and _run(request, order, action, forms, issue_rows, issue_date):
        return redirect("processing:detail", pk=order.pk)
    if action:
        order.refresh_from_db()
    issue_labels = {m.material.pk: m for m in materials}
    receipts = (
        Receipt.objects.filter(line__order=order).select_related("line__item", "dispatch").order_by("received_on", "pk")
    )
    dispatches = Dispatch.objects.filter(line__order=order).select_related("line__item").order_by("dispatched_on", "pk")
    in_progress = order.status in IN_PROGRESS
    context = {
        "title": order.number,
        "order": order,
        "lines": lines,
        "materials": materials,
        "receipts": receipts,
        "dispatches": dispatches,
        "total": sum((f.amount for f in lines), 0),
        "forms": forms,
        "issue_rows": [(row, issue_labels.get(row.initial.get("material") or 0)) for row in issue_rows.forms],
        "issue_formset": issue_rows,
        "issue_date": issue_date,
        "writer": writer,
        "processor_side": processor and not writer,
        "can_issue": writer and in_progress and bool(materials),
        "can_receive": writer and in_progress,
        "can_return": writer and order.status in OPEN_STATUSES and any(m.held > 0 for m in materials),
        # The processor's own forms; the owner's staff may act for it through the API.
        "can_confirm": processor and not writer and order.status == OrderStatus.ISSUED,
        "can_dispatch": processor and not writer and order.status == OrderStatus.CONFIRMED,
        "can_report": processor and not writer and order.status == OrderStatus.RECEIVED,
        "history": entries_for(order, *[f.line for f in lines])[:200],
        "today": today,
    }
    return render(request, "processing/detail.html", context)


def _run(
    request: HttpRequest, order: ProcessingOrder, action: str, forms: dict[str, Any], rows: Any, date: Any
) -> bool:
    form = forms.get(action)
    if form is not None and not form.is_valid():
        return False
    if action == "issue_materials" and not (rows.is_valid() and date.is_valid()):
        return False
    data: dict[str, Any] = dict(form.cleaned_data) if form is not None else {}
    user = request.user
    try:
        with transaction.atomic():
            if action == "issue":
                actions.do_issue_order(order, acting_user=user)
            elif action == "confirm":
                actions.do_confirm_order(order, acting_user=user)
            elif action == "cancel":
                actions.do_cancel_order(order, acting_user=user)
            elif action == "issue_materials":
                actions.do_issue_materials(
                    order, acting_user=user, rows=rows.cleaned_data, issued_on=date.cleaned_data["issued_on"]
                )
            elif action == "return":
                actions.do_return_material(order, acting_user=user, **data)
            elif action == "dispatch":
                actions.do_report_dispatch(data.pop("line"), acting_user=user, **data)
            elif action == "receive":
                line = data.pop("line")
                actions.do_receive(line, acting_user=user, **data)
            elif action == "consumption":
                actions.do_report_consumption(order, acting_user=user, **data)
            else:
                return False
    except ValidationError as exc:
        if action == "issue_materials":
            _show_row_errors(date, rows, exc)
        elif form is not None:
            apply_form_errors(form, exc)
        else:
            for message in exc.messages:
                messages.error(request, message)
        return False
    messages.success(request, _("Saved."))
    return True


@login_required
def order_settle(request: HttpRequest, pk: int) -> HttpResponse:
    """The settlement's calculation, line by line, and the confirmation that settles the order."""
    order = get_visible(ProcessingOrder.objects.select_related("vendor"), request.user, pk=pk)
    writer = is_owner_writer(request.user)
    form = SettleForm(request.POST or None)
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.do_settle(order, acting_user=request.user, confirm=form.cleaned_data["confirm"])
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Order %(number)s settled.") % {"number": order.number})
                return redirect("processing:detail", pk=order.pk)
    order.refresh_from_db()
    settled = order.status == OrderStatus.SETTLED
    context = {
        "title": _("Settlement of %(number)s") % {"number": order.number},
        "order": order,
        "calc": None if settled else settlement(order),
        "settled_lines": order.settlement_lines.select_related("material") if settled else None,
        "lines": line_figures(order),
        "form": form,
        "writer": writer and not settled,
    }
    return render(request, "processing/settle.html", context)
