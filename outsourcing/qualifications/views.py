"""Pages of certificates: the list across vendors, a vendor's certificates, one certificate, its actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outsourcing.core.access import (
    can_change,
    ensure_can_change,
    ensure_owner_writer,
    is_owner_writer,
    sees_all_vendors,
)
from outsourcing.core.api import get_visible
from outsourcing.core.audit import entries_for
from outsourcing.core.exports import export_response
from outsourcing.core.forms import handle_action, handle_form
from outsourcing.core.listing import Column, ListPage, record_id, render_list, selected_ids
from outsourcing.core.pickers import chosen_in, picker_html
from outsourcing.documents.models import Document
from outsourcing.vendors.models import Vendor

from .actions import (
    do_attach_evidence,
    do_create_qualification,
    do_delete_qualification,
    do_reject_qualification,
    do_renew_qualification,
    do_update_qualification,
    do_verify_qualification,
    do_verify_qualifications,
)
from .choices import DerivedStatus, VerificationStatus
from .forms import EvidenceForm, QualificationForm, RejectForm, VerifyForm
from .models import Qualification, QualificationType
from .queries import SORTS, filter_qualifications, qualification_list

COLUMNS = [
    Column("vendor", gettext_lazy("Vendor")),
    Column("type", gettext_lazy("Type")),
    Column("level", gettext_lazy("Level"), numeric=True),
    Column("number", gettext_lazy("Certificate number")),
    Column("valid_until", gettext_lazy("Validity")),
    Column("status", gettext_lazy("Status")),
]
FILTERS = ("q", "type", "status", "vendor", "current")


def _params(request: HttpRequest) -> dict[str, str]:
    params = {k: request.GET.get(k, "").strip()[:200] for k in FILTERS}
    if params["status"] not in DerivedStatus.values:
        params["status"] = ""
    if sees_all_vendors(request.user):
        picked = chosen_in(request.GET, "vendor", Vendor.objects.visible_to(request.user))
        params["vendor"] = picked[0] if picked else ""
    if record_id(params["vendor"]) is None:
        params["vendor"] = ""
    return params


def _filtered(request: HttpRequest, **fixed: Any) -> tuple[Any, dict[str, str]]:
    params = _params(request)
    queryset = filter_qualifications(
        qualification_list(request.user),
        q=params["q"],
        type_code=params["type"],
        status=params["status"],
        vendor_id=fixed.get("vendor_id") or params["vendor"] or None,
        current=params["current"] == "1",
    )
    return queryset, params


def _list_context(request: HttpRequest, queryset: Any, params: dict[str, str]) -> dict[str, Any]:
    listing = ListPage(request, queryset, columns=COLUMNS, sorts=SORTS, default_sort="vendor")
    return {
        "listing": listing,
        "params": params,
        "statuses": DerivedStatus.choices,
        "types": QualificationType.objects.order_by("category", "code"),
        "today": timezone.localdate(),
    }


@login_required
def qualification_list_view(request: HttpRequest) -> HttpResponse:
    """Every certificate the user may see, across vendors, with its status derived today."""
    queryset, params = _filtered(request)
    context = _list_context(request, queryset, params)
    context["title"] = _("Qualifications")
    context["can_verify"] = is_owner_writer(request.user)
    if sees_all_vendors(request.user):
        context["vendor_picker"] = picker_html(
            "vendor",
            Vendor.objects.visible_to(request.user).order_by("name", "pk"),
            "vendor",
            chosen=[params["vendor"]],
            text=request.GET.get("vendor__find", ""),
            label=_("Vendor"),
            everything=True,
        )
    elif request.user.vendor_id:  # type: ignore[union-attr]
        context["own_vendor_id"] = request.user.vendor_id  # type: ignore[union-attr]
    return render_list(request, "qualifications/list.html", "qualifications/_results.html", context)


@login_required
def qualification_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    queryset, _params = _filtered(request)
    queryset = queryset.order_by(SORTS.get(request.GET.get("sort", ""), "vendor__name"), "pk")
    headers = [
        _("Vendor"),
        _("Type code"),
        _("Type"),
        _("Level"),
        _("Certificate number"),
        _("Issuer"),
        _("Scope"),
        _("Valid from"),
        _("Valid until"),
        _("Verification"),
        _("Status today"),
        _("Counts today"),
        _("Renewed by"),
    ]
    today = timezone.localdate()
    return export_response(
        fmt,
        filename="qualifications",
        headers=[str(h) for h in headers],
        rows=queryset.iterator(chunk_size=2000),
        row=lambda q: [
            q.vendor.name,
            q.type.code,
            q.type.name,
            q.level,
            q.number,
            q.issuer,
            q.scope,
            q.valid_from,
            q.valid_until,
            q.get_verification_status_display(),
            str(DerivedStatus(q.derived_status).label),
            _("yes") if q.counts_on(today) else _("no"),
            getattr(getattr(q, "superseded_by", None), "number", ""),
        ],
    )


@login_required
def vendor_qualifications(request: HttpRequest, pk: int) -> HttpResponse:
    """One vendor's certificates, renewals shown with the certificate they replace."""
    vendor = get_visible(Vendor.objects.all(), request.user, pk=pk)
    queryset, params = _filtered(request, vendor_id=vendor.pk)
    context = _list_context(request, queryset, params)
    context.update(
        {
            "title": _("Qualifications of %(vendor)s") % {"vendor": vendor.name},
            "vendor": vendor,
            "can_add": can_change(request.user, Qualification(vendor=vendor)),
        }
    )
    return render_list(request, "qualifications/vendor.html", "qualifications/_results.html", context)


def _one(request: HttpRequest, pk: int) -> Qualification:
    return get_visible(
        Qualification.objects.select_related("vendor", "type", "verified_by", "supersedes"),
        request.user,
        pk=pk,
    )


@login_required
def qualification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    qualification = _one(request, pk)
    renewal = Qualification.objects.visible_to(request.user).filter(supersedes=qualification).first()
    documents = list(Document.for_object(qualification).visible_to(request.user))  # type: ignore[attr-defined]
    editable = can_change(request.user, qualification)
    context = {
        "title": str(qualification),
        "q": qualification,
        "renewal": renewal,
        "documents": documents,
        "history": entries_for(qualification, *documents)[:200],
        "can_edit": editable,
        "can_delete": editable
        and (is_owner_writer(request.user) or qualification.verification_status != VerificationStatus.VERIFIED),
        "can_verify": is_owner_writer(request.user),
        "evidence_form": EvidenceForm(),
        "reject_form": RejectForm(),
        "today": timezone.localdate(),
    }
    return render(request, "qualifications/detail.html", context)


def _form_page(request: HttpRequest, form: Any, action: Any, title: str, done: str, **extra: Any) -> HttpResponse:
    """A certificate's form; when saved, the certificate's page."""
    return handle_form(
        request,
        form,
        action,
        template="qualifications/form.html",
        context={"title": title, "multipart": True, **extra},
        renamed={"file": "evidence"},  # the documents app names the upload `file`; this form calls it `evidence`
        success=done,
        redirect_to=lambda qualification: reverse("qualifications:detail", args=[qualification.pk]),
    )


@login_required
def qualification_create(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_visible(Vendor.objects.all(), request.user, pk=pk)
    ensure_can_change(request.user, Qualification(vendor=vendor))
    form = QualificationForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form,
        lambda data: do_create_qualification(
            vendor=vendor, acting_user=request.user, evidence=data.pop("evidence"), fields=data
        ),
        _("New qualification of %(vendor)s") % {"vendor": vendor.name},
        _("Certificate recorded; it counts once the owner has verified it."),
        vendor=vendor,
    )


@login_required
def qualification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    qualification = _one(request, pk)
    ensure_can_change(request.user, qualification)
    warning = (
        _("Changing the facts of a verified certificate sends it back to the owner for verification.")
        if qualification.verification_status == VerificationStatus.VERIFIED and not is_owner_writer(request.user)
        else ""
    )
    return _form_page(
        request,
        QualificationForm(request.POST or None, record=qualification),
        lambda data: do_update_qualification(qualification, acting_user=request.user, changes=data),
        _("Edit %(q)s") % {"q": qualification},
        _("Certificate saved."),
        warning=warning,
    )


@login_required
def qualification_renew(request: HttpRequest, pk: int) -> HttpResponse:
    old = _one(request, pk)
    ensure_can_change(request.user, old)
    initial = {"level": old.level, "issuer": old.issuer, "scope": old.scope, "valid_from": old.valid_until}
    return _form_page(
        request,
        QualificationForm(request.POST or None, request.FILES or None, renewal=True, initial=initial),
        lambda data: do_renew_qualification(old, acting_user=request.user, evidence=data.pop("evidence"), fields=data),
        _("Renew %(q)s") % {"q": old},
        _("Renewal recorded; it supersedes the previous certificate."),
    )


@login_required
def qualification_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Verify one certificate: how it was checked and a reference, on the evidence on file."""
    qualification = _one(request, pk)
    ensure_owner_writer(request.user)
    return handle_form(
        request,
        VerifyForm(request.POST or None),
        lambda data: do_verify_qualification(qualification, acting_user=request.user, **data),
        template="qualifications/verify.html",
        context={"title": _("Verify %(q)s") % {"q": qualification}, "chosen": [qualification]},
        success=_("Certificate verified."),
        redirect_to=reverse("qualifications:detail", args=[pk]),
    )


@login_required
def qualification_verify_selected(request: HttpRequest) -> HttpResponse:
    """Verify the certificates chosen on the list with one method and reference: all of them or none."""
    ensure_owner_writer(request.user)
    source = request.POST if request.method == "POST" else request.GET
    ids = selected_ids(source)
    chosen = list(
        Qualification.objects.visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("vendor", "type")
        .order_by("vendor__name", "type__code", "pk")
    )
    return handle_form(
        request,
        VerifyForm(request.POST if request.method == "POST" else None),
        lambda data: do_verify_qualifications(chosen, acting_user=request.user, **data),
        template="qualifications/verify.html",
        context={"title": _("Verify the selected certificates"), "chosen": chosen, "bulk": True},
        success=lambda done: _("%(n)s certificates verified.") % {"n": len(done)},
        redirect_to="qualifications:list",
    )


@login_required
def qualification_reject(request: HttpRequest, pk: int) -> HttpResponse:
    qualification = _one(request, pk)
    ensure_owner_writer(request.user)
    return handle_form(
        request,
        RejectForm(request.POST or None),
        lambda data: do_reject_qualification(qualification, acting_user=request.user, **data),
        template="qualifications/form.html",
        context={"title": _("Reject %(q)s") % {"q": qualification}, "danger": True},
        success=_("Certificate rejected; the vendor sees why."),
        redirect_to=reverse("qualifications:detail", args=[pk]),
    )


@login_required
def qualification_upload(request: HttpRequest, pk: int) -> HttpResponse:
    qualification = _one(request, pk)
    ensure_can_change(request.user, qualification)
    return handle_action(
        request,
        lambda: do_attach_evidence(qualification, acting_user=request.user, upload=request.FILES.get("file")),
        success=_("Evidence file added."),
        redirect_to=reverse("qualifications:detail", args=[pk]),
    )


@login_required
def qualification_delete(request: HttpRequest, pk: int) -> HttpResponse:
    qualification = _one(request, pk)
    if request.method != "POST":
        return redirect("qualifications:detail", pk=pk)
    vendor_id = qualification.vendor_id
    do_delete_qualification(qualification, acting_user=request.user)
    messages.success(request, _("Certificate removed."))
    return redirect("qualifications:vendor", pk=vendor_id)
