from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outsourcing.core import registry
from outsourcing.core.access import can_change, ensure_can_change, ensure_owner_writer, is_owner_writer
from outsourcing.core.api import get_visible
from outsourcing.core.audit import entries_for
from outsourcing.core.exports import export_response
from outsourcing.core.forms import get_changeable, handle_form
from outsourcing.core.listing import Column, ListPage, render_list
from outsourcing.documents.models import Document

from .actions import do_create_vendor, do_delete_contact, do_delete_vendor, do_save_contact, do_update_vendor
from .choices import VendorStatus
from .forms import ContactForm, VendorForm
from .models import Vendor, VendorContact, examinations
from .queries import SORTS, filter_vendors

COLUMNS = [
    Column("name", gettext_lazy("Legal name")),
    Column("registration_number", gettext_lazy("Registration number")),
    Column("country", gettext_lazy("Country")),
    Column("status", gettext_lazy("Status")),
    Column("created", gettext_lazy("Created")),
]


def _filtered(request: HttpRequest):  # type: ignore[no-untyped-def]
    params = {k: request.GET.get(k, "").strip()[:200] for k in ("q", "status", "country")}
    if params["status"] not in VendorStatus.values:
        params["status"] = ""
    return filter_vendors(Vendor.objects.visible_to(request.user), **params), params


@login_required
def vendor_list(request: HttpRequest) -> HttpResponse:
    queryset, params = _filtered(request)
    listing = ListPage(request, queryset, columns=COLUMNS, sorts=SORTS, default_sort="name")
    context = {
        "title": _("Vendors"),
        "listing": listing,
        "params": params,
        "statuses": VendorStatus.choices,
        "can_create": is_owner_writer(request.user),
    }
    return render_list(request, "vendors/list.html", "vendors/_results.html", context)


@login_required
def vendor_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    queryset, _params = _filtered(request)
    sort = request.GET.get("sort", "name")
    queryset = queryset.order_by(SORTS.get(sort, "name"), "pk")
    headers = [
        _("Legal name"),
        _("English name"),
        _("Registration number"),
        _("Country"),
        _("Status"),
        _("Address"),
        _("Website"),
        _("Created"),
    ]
    # Plain values, not Vendor objects: building 10,000 model instances was most of the export's time.
    labels = {value: str(label) for value, label in VendorStatus.choices}
    owners_zone = timezone.get_current_timezone()  # asked once, not for each of 10,000 rows
    columns = ("name", "english_name", "registration_number", "country", "status", "address", "website")
    return export_response(
        fmt,
        filename="vendors",
        headers=[str(h) for h in headers],
        rows=queryset.values_list(*columns, "created_at").iterator(chunk_size=2000),
        row=lambda v: [
            *v[:4],
            labels.get(v[4], v[4]),
            v[5],
            v[6],
            timezone.localdate(v[7], owners_zone),  # the owner's day, as on the page
        ],
    )


@login_required
def vendor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_visible(Vendor.objects, request.user, pk=pk)
    contacts = list(vendor.contacts.all())
    today = timezone.localdate()
    # The vendor at a glance: every figure other apps register (stability, qualifications, SLA, ...).
    figures = []
    for criterion in registry.vendor_criteria.values():
        figure = criterion.compute([vendor.pk], None, today).get(vendor.pk)
        if figure is not None:
            tone = (
                "grey"
                if figure.score is None
                else "green"
                if figure.score >= 75
                else "amber"
                if figure.score >= 50
                else "red"
            )
            figures.append({"label": criterion.label, "score": figure.score, "detail": figure.detail, "tone": tone})
    blockers = Vendor.objects.filter(pk=vendor.pk).new_work_blockers(today).get(vendor.pk, [])
    context = {
        "figures": figures,
        "blockers": blockers,
        "examination": examinations([vendor])[vendor.pk],
        "title": vendor.name,
        "vendor": vendor,
        "contacts": contacts,
        "documents": Document.objects.visible_to(request.user).filter(vendor=vendor)[:100],
        "history": entries_for(vendor, *contacts)[:200],
        "can_edit": can_change(request.user, vendor),
        "can_delete": is_owner_writer(request.user),
    }
    return render(request, "vendors/detail.html", context)


@login_required
def vendor_create(request: HttpRequest) -> HttpResponse:
    ensure_owner_writer(request.user)
    return handle_form(
        request,
        VendorForm(request.POST or None),
        lambda data: do_create_vendor(acting_user=request.user, **data),
        template="vendors/form.html",
        context={"title": _("New vendor")},
        success=lambda vendor: _("Vendor %(name)s created.") % {"name": vendor.name},
        redirect_to=lambda vendor: reverse("vendors:detail", args=[vendor.pk]),
    )


@login_required
def vendor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_changeable(Vendor.objects, request.user, pk=pk)
    return handle_form(
        request,
        VendorForm(request.POST or None, record=vendor, can_set_status=is_owner_writer(request.user)),
        lambda data: do_update_vendor(vendor, acting_user=request.user, changes=data),
        template="vendors/form.html",
        context={"title": _("Edit %(name)s") % {"name": vendor.name}},
        success=_("Vendor saved."),
        redirect_to=reverse("vendors:detail", args=[pk]),
    )


@login_required
def vendor_delete(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_visible(Vendor.objects, request.user, pk=pk)
    if request.method != "POST":
        return redirect("vendors:detail", pk=pk)
    try:
        do_delete_vendor(vendor, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("vendors:detail", pk=pk)
    messages.success(request, _("Vendor deleted."))
    return redirect("vendors:list")


@login_required
def contact_edit(request: HttpRequest, pk: int, contact_pk: int | None = None) -> HttpResponse:
    vendor = get_visible(Vendor.objects, request.user, pk=pk)
    contact = get_visible(VendorContact.objects, request.user, pk=contact_pk, vendor=vendor) if contact_pk else None
    ensure_can_change(request.user, contact or VendorContact(vendor=vendor))
    if request.method == "POST" and request.POST.get("delete") and contact:
        do_delete_contact(contact, acting_user=request.user)
        messages.success(request, _("Contact removed."))
        return redirect("vendors:detail", pk=pk)
    return handle_form(
        request,
        ContactForm(request.POST or None, record=contact),
        lambda data: do_save_contact(contact, vendor=vendor, acting_user=request.user, changes=data),
        template="vendors/contact_form.html",
        context={"title": _("Edit contact") if contact else _("New contact"), "vendor": vendor, "contact": contact},
        success=_("Contact saved."),
        redirect_to=reverse("vendors:detail", args=[pk]),
    )
