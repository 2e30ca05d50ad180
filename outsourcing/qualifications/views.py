"""Pages of certificates: the list across vendors, a vendor's certificates, one certificate, its actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outsourcing.accounts.views import apply_form_errors
from outsourcing.core.access import can_change, is_owner_writer, sees_all_vendors
from outsourcing.core.api import get_visible
from outsourcing.core.audit import entries_for
from outsourcing.core.exports import export_response
from outsourcing.core.listing import Column, ListPage, record_id
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
        context["vendors"] = (
            Vendor.objects.visible_to(request.user).filter(qualifications__isnull=False).distinct().order_by("name")
        )
    elif request.user.vendor_id:  # type: ignore[union-attr]
        context["own_vendor_id"] = request.user.vendor_id  # type: ignore[union-attr]
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "qualifications/_results.html", context)
    return render(request, "qualifications/list.html", context)


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
            q.valid_from.isoformat(),
            q.valid_until.isoformat(),
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
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "qualifications/_results.html", context)
    return render(request, "qualifications/vendor.html", context)


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


def _form_page(request: HttpRequest, form: Any, title: str, **extra: Any) -> HttpResponse:
    return render(request, "qualifications/form.html", {"title": title, "form": form, "multipart": True, **extra})


@login_required
def qualification_create(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_visible(Vendor.objects.all(), request.user, pk=pk)
    if not can_change(request.user, Qualification(vendor=vendor)):
        raise PermissionDenied
    form = QualificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            qualification = do_create_qualification(
                vendor=vendor,
                acting_user=request.user,
                fields=form.changes(),
                evidence=form.cleaned_data.get("evidence"),
            )
        except ValidationError as exc:
            apply_form_errors(form, _evidence_named(exc))
        else:
            messages.success(request, _("Certificate recorded; it counts once the owner has verified it."))
            return redirect("qualifications:detail", pk=qualification.pk)
    return _form_page(request, form, _("New qualification of %(vendor)s") % {"vendor": vendor.name}, vendor=vendor)


def _evidence_named(exc: ValidationError) -> ValidationError:
    """The documents app names the upload `file`; this form calls it `evidence`."""
    if hasattr(exc, "error_dict") and "file" in exc.error_dict:
        errors = dict(exc.error_dict)
        errors["evidence"] = errors.pop("file")
        return ValidationError(errors)
    return exc


@login_required
def qualification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    qualification = _one(request, pk)
    if not can_change(request.user, qualification):
        raise PermissionDenied
    form = QualificationForm(request.POST or None, instance=qualification)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_qualification(
                Qualification.objects.get(pk=qualification.pk),
                acting_user=request.user,
                changes=form.changes(),
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Certificate saved."))
            return redirect("qualifications:detail", pk=pk)
    warning = (
        _("Changing the facts of a verified certificate sends it back to the owner for verification.")
        if qualification.verification_status == VerificationStatus.VERIFIED and not is_owner_writer(request.user)
        else ""
    )
    return _form_page(request, form, _("Edit %(q)s") % {"q": qualification}, warning=warning)


@login_required
def qualification_renew(request: HttpRequest, pk: int) -> HttpResponse:
    old = _one(request, pk)
    if not can_change(request.user, old):
        raise PermissionDenied
    initial = {"level": old.level, "issuer": old.issuer, "scope": old.scope, "valid_from": old.valid_until}
    form = QualificationForm(request.POST or None, request.FILES or None, renewal=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = do_renew_qualification(
                old,
                acting_user=request.user,
                fields=form.changes(),
                evidence=form.cleaned_data.get("evidence"),
            )
        except ValidationError as exc:
            apply_form_errors(form, _evidence_named(exc))
        else:
            messages.success(request, _("Renewal recorded; it supersedes the previous certificate."))
            return redirect("qualifications:detail", pk=new.pk)
    return _form_page(request, form, _("Renew %(q)s") % {"q": old})


@login_required
def qualification_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Verify one certificate: how it was checked and a reference, on the evidence on file."""
    qualification = _one(request, pk)
    if not is_owner_writer(request.user):
        raise PermissionDenied
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_verify_qualification(qualification, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Certificate verified."))
            return redirect("qualifications:detail", pk=pk)
    return render(
        request,
        "qualifications/verify.html",
        {"title": _("Verify %(q)s") % {"q": qualification}, "form": form, "chosen": [qualification]},
    )


@login_required
def qualification_verify_selected(request: HttpRequest) -> HttpResponse:
    """Verify the certificates chosen on the list with one method and reference: all of them or none."""
    if not is_owner_writer(request.user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    ids = [pk for pk in map(record_id, source.getlist("ids")) if pk is not None][:200]
    chosen = list(
        Qualification.objects.visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("vendor", "type")
        .order_by("vendor__name", "type__code", "pk")
    )
    form = VerifyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            done = do_verify_qualifications(chosen, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("%(n)s certificates verified.") % {"n": len(done)})
            return redirect("qualifications:list")
    return render(
        request,
        "qualifications/verify.html",
        {"title": _("Verify the selected certificates"), "form": form, "chosen": chosen, "bulk": True},
    )


@login_required
def qualification_reject(request: HttpRequest, pk: int) -> HttpResponse:
    qualification = _one(request, pk)
    if not is_owner_writer(request.user):
        raise PermissionDenied
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_reject_qualification(qualification, acting_user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Certificate rejected; the vendor sees why."))
            return redirect("qualifications:detail", pk=pk)
    return render(
        request,
        "qualifications/form.html",
        {"title": _("Reject %(q)s") % {"q": qualification}, "form": form, "danger": True},
    )


@login_required
def qualification_upload(request: HttpRequest, pk: int) -> HttpResponse:
    qualification = _one(request, pk)
    if not can_change(request.user, qualification):
        raise PermissionDenied
    if request.method == "POST":
        try:
            do_attach_evidence(qualification, acting_user=request.user, upload=request.FILES.get("file"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Evidence file added."))
    return redirect("qualifications:detail", pk=pk)


@login_required
def qualification_delete(request: HttpRequest, pk: int) -> HttpResponse:
    qualification = _one(request, pk)
    if request.method != "POST":
        return redirect("qualifications:detail", pk=pk)
    vendor_id = qualification.vendor_id
    do_delete_qualification(qualification, acting_user=request.user)
    messages.success(request, _("Certificate removed."))
    return redirect("qualifications:vendor", pk=vendor_id)
