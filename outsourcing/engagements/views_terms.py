"""Forms of an engagement's agreement and per-form terms; each hands its data to one action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.api import get_visible
from outsourcing.core.forms import get_changeable, handle_form

from . import forms
from .actions import (
    do_add_version,
    do_attach_signed_agreement,
    do_correct_measurement,
    do_decide_deliverable,
    do_give_notice,
    do_import_measurements,
    do_record_benefit_period,
    do_record_measurement,
    do_save_agreement,
    do_save_benefit_terms,
    do_save_deliverable,
    do_save_metric,
)
from .imports import read_rows
from .models import BenefitTerms, Deliverable, Engagement, Measurement, ServiceAgreement, SlaMetric


def _form_page(
    request: HttpRequest,
    engagement: Engagement,
    form: Any,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    tab: str,
    multipart: bool = False,
) -> HttpResponse:
    """An engagement's sub-form: back to the engagement's tab when saved."""
    return handle_form(
        request,
        form,
        save,
        template="engagements/form.html",
        context={"title": title, "engagement": engagement, "multipart": multipart, "tab": tab},
        success=done,
        redirect_to=reverse("engagements:detail", args=[engagement.pk]) + f"#{tab}",
    )


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_changeable(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    agreement = ServiceAgreement.objects.filter(engagement=engagement).first()
    initial = (
        {}
        if agreement
        else {
            "provider_party": engagement.provider_name,
            "start_date": engagement.start_date,
            "end_date": engagement.end_date,
        }
    )
    form = forms.AgreementForm(request.POST or None, record=agreement, initial=initial)
    return _form_page(
        request,
        engagement,
        form,
        _("Service agreement"),
        lambda data: do_save_agreement(engagement, acting_user=request.user, changes=data),
        _("Agreement saved."),
        "agreement",
    )


def _agreement(request: HttpRequest, engagement: Engagement) -> ServiceAgreement:
    return get_visible(ServiceAgreement.objects, request.user, engagement=engagement)


@login_required
def agreement_upload(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_changeable(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    agreement = _agreement(request, engagement)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        engagement,
        form,
        _("Attach the signed agreement"),
        lambda data: do_attach_signed_agreement(
            agreement, upload=data["file"], kind=data["kind"], acting_user=request.user
        ),
        _("Document attached."),
        "agreement",
        multipart=True,
    )


@login_required
def agreement_notice(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_changeable(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    agreement = _agreement(request, engagement)
    form = forms.NoticeForm(request.POST or None, initial={"given_on": timezone.localdate()})
    return _form_page(
        request,
        engagement,
        form,
        _("Give notice of non-renewal"),
        lambda data: do_give_notice(agreement, acting_user=request.user, **data),
        _("Notice recorded."),
        "agreement",
    )


@login_required
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_changeable(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    agreement = _agreement(request, engagement)
    form = forms.VersionForm(request.POST or None)
    return _form_page(
        request,
        engagement,
        form,
        _("New agreement version"),
        lambda data: do_add_version(agreement, acting_user=request.user, **data),
        _("Version recorded."),
        "agreement",
    )


@login_required
def deliverable_edit(request: HttpRequest, pk: int, deliverable_pk: int | None = None) -> HttpResponse:
    engagement = get_changeable(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    deliverable = (
        get_visible(Deliverable.objects, request.user, pk=deliverable_pk, engagement=engagement)
        if deliverable_pk
        else None
    )
    form = forms.DeliverableForm(request.POST or None, record=deliverable)
    return _form_page(
        request,
        engagement,
        form,
        _("Edit deliverable") if deliverable else _("New deliverable"),
        lambda data: do_save_deliverable(deliverable, engagement=engagement, acting_user=request.user, changes=data),
        _("Deliverable saved."),
        "deliverables",
    )


@login_required
def deliverable_decide(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    engagement = get_changeable(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    deliverable: Deliverable = get_visible(Deliverable.objects, request.user, pk=deliverable_pk, engagement=engagement)
    form = forms.DecisionForm(request.POST or None)
    return _form_page(
        request,
        engagement,
        form,
        _("Acceptance of %(title)s") % {"title": deliverable.title},
        lambda data: do_decide_deliverable(deliverable, acting_user=request.user, **data),
        _("Decision recorded."),
        "deliverables",
    )


@login_required
def metric_edit(request: HttpRequest, pk: int, metric_pk: int | None = None) -> HttpResponse:
    engagement = get_changeable(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    metric = get_visible(SlaMetric.objects, request.user, pk=metric_pk, engagement=engagement) if metric_pk else None
    form = forms.MetricForm(request.POST or None, record=metric)

    def save(data: dict[str, Any]) -> Any:
        bands = data.pop("bands")
        return do_save_metric(metric, engagement=engagement, acting_user=request.user, changes=data, bands=bands)

    return _form_page(
        request,
        engagement,
        form,
        _("Edit SLA metric") if metric else _("New SLA metric"),
        save,
        _("Metric saved."),
        "sla",
    )


@login_required
def measurement_create(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_changeable(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    form = forms.MeasurementForm(request.POST or None, engagement=engagement, initial=request.GET.dict())

    def save(data: dict[str, Any]) -> Any:
        metric_id, period_start = data.pop("metric").pk, data.pop("period")
        return do_record_measurement(
            engagement, metric_id=metric_id, period_start=period_start, acting_user=request.user, **data
        )

    return _form_page(request, engagement, form, _("Record a measurement"), save, _("Measurement recorded."), "sla")


@login_required
def measurement_correct(request: HttpRequest, pk: int, measurement_pk: int) -> HttpResponse:
    engagement = get_changeable(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    measurement = get_object_or_404(
        Measurement.objects.select_related("metric"), pk=measurement_pk, metric__engagement=engagement
    )
    form = forms.CorrectionForm(request.POST or None, initial={"value": measurement.value})

    def save(data: dict[str, Any]) -> Any:
        return do_correct_measurement(measurement, acting_user=request.user, **data)

    title = _("Correct %(metric)s for %(period)s") % {
        "metric": measurement.metric.name,
        "period": measurement.period_start.strftime("%Y-%m"),
    }
    return _form_page(request, engagement, form, title, save, _("Measurement corrected."), "sla")


@login_required
def measurement_import(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_changeable(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    form = forms.ImportForm(request.POST or None, request.FILES or None)

    def save(data: dict[str, Any]) -> Any:
        return do_import_measurements(engagement, rows=read_rows(data["file"]), acting_user=request.user)

    return _form_page(
        request,
        engagement,
        form,
        _("Import measurements"),
        save,
        _("Measurements imported."),
        "sla",
        multipart=True,
    )


@login_required
def terms_edit(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_changeable(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    terms = BenefitTerms.objects.filter(engagement=engagement).first()
    form = forms.TermsForm(request.POST or None, record=terms)

    def save(data: dict[str, Any]) -> Any:
        tiers = data.pop("tiers")
        return do_save_benefit_terms(engagement, acting_user=request.user, changes=data, tiers=tiers)

    return _form_page(request, engagement, form, _("Gain-sharing terms"), save, _("Terms saved."), "benefit")


@login_required
def benefit_period_create(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_changeable(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    form = forms.BenefitPeriodForm(request.POST or None)
    return _form_page(
        request,
        engagement,
        form,
        _("Record a measured result"),
        lambda data: do_record_benefit_period(engagement, acting_user=request.user, **data),
        _("Result recorded."),
        "benefit",
    )
