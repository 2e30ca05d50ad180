"""Pages where admins edit assessment templates (sections, items) and the recommendation thresholds."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from outsourcing.core.access import is_admin, sees_all_vendors
from outsourcing.core.audit import entries_for
from outsourcing.core.forms import handle_action, handle_form

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


def _form_page(
    request: HttpRequest,
    form: Any,
    action: Any,
    title: str,
    template: AssessmentTemplate | None,
    done: str,
    redirect_to: Any,
    **extra: Any,
) -> HttpResponse:
    return handle_form(
        request,
        form,
        action,
        template="assessments/admin_form.html",
        context={"title": title, "template": template, **extra},
        success=done,
        redirect_to=redirect_to,
    )


@login_required
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _admin_only(request)
    template = get_object_or_404(AssessmentTemplate, pk=pk) if pk else None
    return _form_page(
        request,
        TemplateForm(request.POST or None, record=template),
        lambda data: actions.do_save_template(template, acting_user=request.user, changes=data),
        _("Edit template") if template else _("New template"),
        template,
        _("Template saved."),
        lambda saved: reverse("assessments:template-detail", args=[saved.pk]),
    )


@login_required
def section_edit(request: HttpRequest, template_pk: int, pk: int | None = None) -> HttpResponse:
    _admin_only(request)
    template = get_object_or_404(AssessmentTemplate, pk=template_pk)
    section = get_object_or_404(TemplateSection, pk=pk, template=template) if pk else None
    return _form_page(
        request,
        SectionForm(request.POST or None, record=section),
        lambda data: actions.do_save_section(section, template=template, acting_user=request.user, changes=data),
        _("Edit section") if section else _("New section"),
        template,
        _("Section saved."),
        reverse("assessments:template-detail", args=[template.pk]),
    )


@login_required
def item_edit(request: HttpRequest, section_pk: int, pk: int | None = None) -> HttpResponse:
    _admin_only(request)
    section = get_object_or_404(TemplateSection.objects.select_related("template"), pk=section_pk)
    item = get_object_or_404(TemplateItem, pk=pk, section=section) if pk else None
    if request.method == "POST" and request.POST.get("delete") and item:
        return handle_action(
            request,
            lambda: actions.do_delete_item(item, acting_user=request.user),
            success=_("Item deleted."),
            redirect_to=reverse("assessments:template-detail", args=[section.template_id]),
        )
    return _form_page(
        request,
        ItemForm(request.POST or None, record=item, template=section.template),
        lambda data: actions.do_save_item(item, section=section, acting_user=request.user, changes=data),
        _("Edit item") if item else _("New item in %(section)s") % {"section": section.shown_title},
        section.template,
        _("Item saved."),
        reverse("assessments:template-detail", args=[section.template_id]),
        deletable=item is not None,
    )


@login_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    return _form_page(
        request,
        SettingsForm(request.POST or None, record=AssessmentSettings.current()),
        lambda data: actions.do_save_settings(acting_user=request.user, changes=data),
        _("Recommendation thresholds"),
        None,
        _("Thresholds saved; they apply to assessments completed from now on."),
        "assessments:templates",
    )
