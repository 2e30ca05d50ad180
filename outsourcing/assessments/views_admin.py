"""Pages where admins edit assessment templates (sections, items) and the recommendation thresholds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from outsourcing.core.access import is_admin, sees_all_vendors
from outsourcing.core.audit import entries_for
from outsourcing.core.forms import apply_form_errors

from . import actions
from .forms import ItemForm, SectionForm, SettingsForm, TemplateForm
from .models import AssessmentSettings, AssessmentTemplate, TemplateItem, TemplateSection


def _owner_only(request: HttpRequest) -> None:
    if not sees_all_vendors(request.user):
        raise Http404


def _admin_only(request: HttpRequest) -> None:
    _owner_only(request)
    if not is_admin(request.user):
        raise PermissionDenied


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    _owner_only(request)
    templates = AssessmentTemplate.objects.annotate(
        section_count=Count("sections", distinct=True),
        item_count=Count("sections__items", distinct=True),
        assessment_count=Count("assessments", distinct=True),
    ).order_by("name")
    context = {
        "title": _("Assessment templates"),
        "templates": templates,
        "can_edit": is_admin(request.user),
        "settings": AssessmentSettings.current(),
    }
    return render(request, "assessments/template_list.html", context)


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _owner_only(request)
    template = get_object_or_404(AssessmentTemplate, pk=pk)
    sections = list(template.sections.prefetch_related("items__condition_item").order_by("order", "pk"))
    items = [i for s in sections for i in s.items.all()]
    context = {
        "title": template.name,
        "template": template,
        "sections": sections,
        "can_edit": is_admin(request.user),
        "history": entries_for(template, *sections, *items)[:200],
    }
    return render(request, "assessments/template_detail.html", context)


def _form_page(request: HttpRequest, form: object, title: str, template: AssessmentTemplate | None) -> HttpResponse:
    return render(request, "assessments/admin_form.html", {"title": title, "form": form, "template": template})


@login_required
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _admin_only(request)
    template = get_object_or_404(AssessmentTemplate, pk=pk) if pk else None
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_template(
                AssessmentTemplate.objects.get(pk=pk) if pk else None,
                acting_user=request.user,
                changes=form.cleaned_data,
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Template saved."))
            return redirect("assessments:template-detail", pk=saved.pk)
    return _form_page(request, form, _("Edit template") if template else _("New template"), template)


@login_required
def section_edit(request: HttpRequest, template_pk: int, pk: int | None = None) -> HttpResponse:
    _admin_only(request)
    template = get_object_or_404(AssessmentTemplate, pk=template_pk)
    section = get_object_or_404(TemplateSection, pk=pk, template=template) if pk else None
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_section(
                TemplateSection.objects.get(pk=pk) if pk else None,
                template=template,
                acting_user=request.user,
                changes=form.cleaned_data,
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Section saved."))
            return redirect("assessments:template-detail", pk=template.pk)
    return _form_page(request, form, _("Edit section") if section else _("New section"), template)


@login_required
def item_edit(request: HttpRequest, section_pk: int, pk: int | None = None) -> HttpResponse:
    _admin_only(request)
    section = get_object_or_404(TemplateSection.objects.select_related("template"), pk=section_pk)
    item = get_object_or_404(TemplateItem, pk=pk, section=section) if pk else None
    form = ItemForm(request.POST or None, instance=item, template=section.template)
    if request.method == "POST" and request.POST.get("delete") and item:
        try:
            actions.do_delete_item(item, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Item deleted."))
        return redirect("assessments:template-detail", pk=section.template_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_item(
                TemplateItem.objects.get(pk=pk) if pk else None,
                section=section,
                acting_user=request.user,
                changes=form.cleaned_data,
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Item saved."))
            return redirect("assessments:template-detail", pk=section.template_id)
    title = _("Edit item") if item else _("New item in %(section)s") % {"section": section.title}
    return render(
        request,
        "assessments/admin_form.html",
        {"title": title, "form": form, "template": section.template, "deletable": item is not None},
    )


@login_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    current = AssessmentSettings.current()
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_settings(acting_user=request.user, changes=form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Thresholds saved; they apply to assessments completed from now on."))
            return redirect("assessments:templates")
    return _form_page(request, form, _("Recommendation thresholds"), None)
