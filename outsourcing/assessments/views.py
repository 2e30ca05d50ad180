"""Pages of the assessment flow: list, create, the questionnaire (answer, evidence, score, return),
findings, the result and the transitions. Each POST calls one action; refusals come back as messages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outsourcing.core import numbers
from outsourcing.core.access import ensure_owner_writer, is_owner_writer, sees_all_vendors
from outsourcing.core.api import get_visible
from outsourcing.core.audit import entries_for
from outsourcing.core.bilingual import reader_reads_chinese
from outsourcing.core.forms import handle_action, handle_form
from outsourcing.core.listing import Column, ListPage, record_id, render_list
from outsourcing.documents.models import Document

from . import actions, scoring
from .choices import AssessmentStatus, ItemSource
from .explanations import worded
from .flow import allowed_actions, may_act
from .forms import AssessmentCreateForm, CompleteForm, FindingForm
from .models import Answer, Assessment, Finding, TemplateItem

S = AssessmentStatus
COLUMNS = [
    Column("title", gettext_lazy("Assessment")),
    Column("vendor", gettext_lazy("Vendor")),
    Column("engagement", gettext_lazy("Engagement"), sortable=False),
    Column("status", gettext_lazy("Status")),
    Column("score", gettext_lazy("Score"), numeric=True),
    Column("recommendation", gettext_lazy("Recommendation")),
    Column("created", gettext_lazy("Created")),
]
SORTS = {
    "title": "title",
    "-title": "-title",
    "vendor": "vendor__name",
    "-vendor": "-vendor__name",
    "status": "status",
    "-status": "-status",
    "score": "score",
    "-score": "-score",
    "recommendation": "recommendation",
    "-recommendation": "-recommendation",
    "created": "created_at",
    "-created": "-created_at",
}
# Pseudo-statuses the dashboard cards link to.
STATUS_GROUPS = {
    "awaiting_review": [S.SUBMITTED, S.IN_REVIEW],
    "to_answer": [S.SENT, S.RETURNED],
}


def _filtered(request: HttpRequest) -> tuple[Any, dict[str, str]]:
    params = {k: request.GET.get(k, "").strip()[:200] for k in ("q", "status", "vendor", "engagement")}
    qs = Assessment.objects.visible_to(request.user).select_related("vendor", "engagement", "template")
    # Links from a vendor's or an engagement's page narrow the list to it.
    for key in ("vendor", "engagement"):
        pk = record_id(params[key])
        if pk is not None:
            qs = qs.filter(**{f"{key}_id": pk})
        else:
            params[key] = ""
    status = params["status"]
    if status in STATUS_GROUPS:
        qs = qs.filter(status__in=STATUS_GROUPS[status])
    elif status in S.values:
        qs = qs.filter(status=status)
    else:
        params["status"] = ""
    if params["q"]:
        q = params["q"]
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(vendor__name__icontains=q)
            | Q(vendor__english_name__icontains=q)
            | Q(engagement__code__icontains=q)
        )
    return qs, params


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    queryset, params = _filtered(request)
    listing = ListPage(request, queryset, columns=COLUMNS, sorts=SORTS, default_sort="-created")
    statuses = [
        *S.choices,
        ("awaiting_review", _("Awaiting review")),
        ("to_answer", _("Awaiting the vendor")),
    ]
    context = {
        "title": _("Assessments"),
        "listing": listing,
        "params": params,
        "statuses": statuses,
        "can_create": is_owner_writer(request.user),
        "is_owner": sees_all_vendors(request.user),
    }
    return render_list(request, "assessments/list.html", "assessments/_results.html", context)


@login_required
def assessment_create(request: HttpRequest) -> HttpResponse:
    ensure_owner_writer(request.user)
    initial: dict[str, Any] = {k: request.GET[k] for k in ("vendor", "engagement") if record_id(request.GET.get(k))}
    if "vendor" in initial:  # "Repeat" from an earlier assessment: start from its answers by default
        initial["start_from_last"] = True
    return handle_form(
        request,
        AssessmentCreateForm(request.POST or None, user=request.user, initial=initial),
        lambda data: actions.do_create_assessment(acting_user=request.user, **data),
        template="assessments/form.html",
        context={"title": _("New assessment")},
        success=_("Assessment created as a draft; send it to the vendor when ready."),
        redirect_to=lambda assessment: reverse("assessments:detail", args=[assessment.pk]),
    )


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_visible(
        Assessment.objects.select_related("vendor", "engagement", "template", "reviewer", "based_on"),
        request.user,
        pk=pk,
    )
    return render(request, "assessments/detail.html", _detail_context(request, assessment))


def _detail_context(
    request: HttpRequest,
    assessment: Assessment,
    posted: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """The questionnaire page; after a refused save (no script), the user's own input and the errors next
    to each item."""
    posted, errors = posted or {}, errors or {}
    items, answers, evidence = scoring.load(assessment)
    result = worded(scoring.result_of(assessment))
    lines = {line["item_id"]: line for section in result["sections"] for line in section["items"]}
    writer = is_owner_writer(request.user)
    vendor_side = may_act(request.user, assessment, "answer")
    allowed = allowed_actions(assessment, request.user)
    answering = "answer" in allowed
    reviewing = "score" in allowed
    sections: list[dict[str, Any]] = []
    for item in items:
        if not sections or sections[-1]["section"].pk != item.section_id:
            sections.append({"section": item.section, "rows": []})
        answer = answers.get(item.pk)
        if answer is not None:
            answer.item = item  # already loaded: reading the vendor's rating costs no query
        line = lines.get(item.pk, {})
        editable = (
            answering
            and item.source == ItemSource.VENDOR
            and (assessment.status == S.SENT or bool(answer and answer.returned))
        )
        scorable = (
            reviewing
            and line.get("status") != "hidden"
            and (item.source == ItemSource.VENDOR or "criterion_score" not in line)  # no system data: by hand
        )
        score = posted.get(f"score-{item.pk}")
        if score is None and answer is not None:
            score = answer.score if answer.score is not None else answer.own_rating  # start from the vendor's rating
        sections[-1]["rows"].append(
            {
                "item": item,
                "answer": answer,
                "evidence": evidence.get(answer.pk, []) if answer else [],
                "line": line,
                "editable": editable,
                "scorable": scorable,
                "value": posted.get(f"value-{item.pk}", answer.value if answer else ""),
                "response": posted.get(f"response-{item.pk}", answer.response if answer else ""),
                "score": "" if score is None else f"{Decimal(score):f}".rstrip("0").rstrip(".") or "0",
                "note": posted.get(f"note-{item.pk}", answer.review_note if answer else ""),
                "reason": posted.get(f"reason-{item.pk}", ""),
                "errors": [*errors.get(f"value-{item.pk}", []), *errors.get(f"file-{item.pk}", [])],
                "review_errors": [*errors.get(f"score-{item.pk}", []), *errors.get(f"reason-{item.pk}", [])],
            }
        )
    findings = list(assessment.findings.select_related("item", "evidence"))
    return {
        "title": str(assessment),
        "assessment": assessment,
        "sections": sections,
        "result": result,
        "show_review": scoring.may_see_review(request.user, assessment),
        "chart": section_chart(result),
        "findings": findings,
        # Until completion the answers' history holds the reviewer's working scores: the vendor sees less.
        "history": (
            entries_for(assessment, *answers.values(), *findings)
            if scoring.may_see_review(request.user, assessment)
            else entries_for(assessment, *findings)
        )[:200],
        "writer": writer,
        "vendor_side": vendor_side,
        "answering": answering,
        "reviewing": reviewing,
        "page_errors": [m for key, ms in errors.items() if not key.split("-")[-1].isdigit() for m in ms],
        "can_send": "send" in allowed,
        "can_submit": "submit" in allowed,
        "can_start_review": "start_review" in allowed,
        "can_complete": "complete" in allowed,
        "can_record_finding": "record_finding" in allowed,
        "can_comment": "comment" in allowed,
        "complete_form": CompleteForm(),
    }


def _posted_items(data: Any, prefix: str) -> set[int]:
    """The item ids the page posted fields for (`<prefix>-<item id>`)."""
    ids = set()
    for key in data:
        head, _sep, tail = key.partition("-")
        if head == prefix and (pk := record_id(tail)) is not None:
            ids.add(pk)
    return ids


@login_required
def save_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire is one form: the vendor's answers (and evidence files) or the reviewer's scores and
    returns, saved all at once. With htmx (the save button, and autosave every few seconds while typing) the
    answer is a status line and the errors next to each item, and the user stays where they are; without a
    script the page is shown again with the errors, or reloaded after saving."""
    assessment = get_visible(
        Assessment.objects.select_related("vendor", "engagement", "template", "reviewer", "based_on"),
        request.user,
        pk=pk,
    )
    if request.method != "POST":
        return redirect("assessments:detail", pk=pk)
    data, htmx = request.POST, bool(getattr(request, "htmx", False))
    mode = data.get("mode") or ""
    saved: list[Any] = []
    # The error slots the answer clears or fills: those of the items this page posted.
    posted_ids = {pk_ for name in ("value", "response", "score", "reason") for pk_ in _posted_items(data, name)}
    try:
        if mode == "answers":
            files = {pk_: f for pk_ in _posted_items(request.FILES, "file") if (f := request.FILES.get(f"file-{pk_}"))}
            answers = {
                item: {"value": data.get(f"value-{item}", ""), "response": data.get(f"response-{item}", "")}
                for item in _posted_items(data, "value") | _posted_items(data, "response")
            }
            saved = actions.do_save_answers(assessment, acting_user=request.user, answers=answers, files=files)
        elif mode == "review":
            scores = {
                item: {"score": data.get(f"score-{item}", ""), "note": data.get(f"note-{item}", "")}
                for item in _posted_items(data, "score")
            }
            returns = {item: data.get(f"reason-{item}", "") for item in _posted_items(data, "reason")}
            saved = actions.do_save_review(assessment, acting_user=request.user, scores=scores, returns=returns)
        else:
            raise Http404
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"answers": exc.messages}
        if htmx:
            return render(
                request, "assessments/_saved.html", _saved_context(assessment, errors, None, posted_ids, mode=mode)
            )
        messages.error(request, _("Nothing was saved: correct the items marked below."))
        return render(
            request,
            "assessments/detail.html",
            _detail_context(request, assessment, dict(data.items()), errors),
            status=422,
        )
    if data.get("then") == "submit":
        try:
            actions.do_submit_assessment(assessment, acting_user=request.user)
        except ValidationError as exc:
            if htmx:
                errors = {"answers": exc.messages}
                return render(
                    request, "assessments/_saved.html", _saved_context(assessment, errors, [], posted_ids, mode=mode)
                )
            messages.error(request, " ".join(exc.messages))
            return redirect("assessments:detail", pk=pk)
        messages.success(request, _("Assessment is now: %(status)s.") % {"status": assessment.get_status_display()})
        response: HttpResponse = redirect("assessments:detail", pk=pk)
        if htmx:  # the questionnaire is closed now: show the page as it stands
            response = HttpResponse(status=204, headers={"HX-Redirect": response["Location"]})
        return response
    if htmx:
        uploaded = {a.item_id for a in saved} & _posted_items(request.FILES, "file")
        return render(
            request, "assessments/_saved.html", _saved_context(assessment, {}, saved, posted_ids, uploaded, mode=mode)
        )
    messages.success(request, _("Saved at %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")})
    return redirect("assessments:detail", pk=pk)


def _saved_context(
    assessment: Assessment,
    errors: dict[str, list[str]],
    saved: list[Any] | None,
    shown: set[int],
    uploaded: set[int] | None = None,
    *,
    mode: str,
) -> dict[str, Any]:
    """What the htmx answer to a save replaces: the status line, every item's error slot (cleared when the
    item is fine), and the evidence list of the items that got a file (with an emptied file input)."""
    evidence_rows = []
    if uploaded:
        _items, answers, evidence = scoring.load(assessment)
        evidence_rows = [
            {"item_pk": pk, "evidence": evidence.get(answers[pk].pk, [])} for pk in sorted(uploaded) if pk in answers
        ]
    return {
        "assessment": assessment,
        "ok": saved is not None,
        "mode": mode,
        "saved_at": timezone.localtime(),
        "count": len(saved or []),
        "slots": [
            {
                "pk": pk,
                "errors": [*errors.get(f"value-{pk}", []), *errors.get(f"file-{pk}", [])],
                "review_errors": [*errors.get(f"score-{pk}", []), *errors.get(f"reason-{pk}", [])],
            }
            for pk in sorted(shown)
        ],
        "general_errors": [m for key, ms in errors.items() if not key.split("-")[-1].isdigit() for m in ms],
        "evidence_rows": evidence_rows,
    }


def section_chart(result: dict[str, Any]) -> dict[str, Any]:
    """Coordinates of the horizontal bar chart of section scores (server-rendered SVG, no script)."""
    rows = []
    for index, section in enumerate(result["sections"]):
        score = section["score"]
        y = 28 + index * 26
        width = 0.0 if score is None else 360 * score / 100
        rows.append(
            {
                "label": section.get("title_zh_hans") or section["title"]
                if reader_reads_chinese()
                else section["title"],
                "y": y,
                "text_y": y + 12,
                "width": f"{width:.1f}",
                "value": numbers.display(score),
                "value_x": f"{224 + width:.1f}" if score is not None and width < 320 else "584",
            }
        )
    axis_y = 28 + len(rows) * 26 + 12
    ticks = [{"x": f"{220 + 3.6 * t:.0f}", "label": str(t)} for t in (0, 20, 40, 60, 80, 100)]
    return {"rows": rows, "ticks": ticks, "axis_y": axis_y, "label_y": axis_y + 16, "height": axis_y + 22}


TRANSITIONS = {
    "send": actions.do_send_assessment,
    "submit": actions.do_submit_assessment,
    "start-review": actions.do_start_review,
}


@login_required
def assessment_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    assessment = get_visible(Assessment.objects.all(), request.user, pk=pk)
    if name != "complete" and name not in TRANSITIONS:
        raise Http404

    def transition() -> Any:
        if name == "complete":
            form = CompleteForm(request.POST)
            conclusion = form.cleaned_data["conclusion"] if form.is_valid() else ""
            return actions.do_complete_assessment(assessment, acting_user=request.user, conclusion=conclusion)
        return TRANSITIONS[name](assessment, acting_user=request.user)

    return handle_action(
        request,
        transition,
        success=lambda _result: _("Assessment is now: %(status)s.") % {"status": assessment.get_status_display()},
        redirect_to=reverse("assessments:detail", args=[pk]),
    )


def _item_of(assessment: Assessment, item_pk: int) -> TemplateItem:
    try:
        return TemplateItem.objects.get(pk=item_pk, section__template_id=assessment.template_id)
    except TemplateItem.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def item_action(request: HttpRequest, pk: int, item_pk: int, name: str) -> HttpResponse:
    """Answer (with optional evidence), score or return one item."""
    assessment = get_visible(Assessment.objects.all(), request.user, pk=pk)
    item = _item_of(assessment, item_pk)
    anchor = f"#item-{item.pk}"
    if request.method != "POST":
        return redirect(reverse("assessments:detail", args=[pk]) + anchor)
    data = request.POST
    try:
        if name == "answer":
            upload = request.FILES.get("file")
            if data.get("value") or not upload:
                actions.do_answer_item(
                    assessment,
                    item,
                    acting_user=request.user,
                    value=data.get("value", ""),
                    response=data.get("response", ""),
                )
            if upload:
                actions.do_attach_evidence(assessment, item, acting_user=request.user, upload=upload)
            messages.success(request, _("Answer to %(code)s saved.") % {"code": item.code})
        elif name == "score":
            actions.do_score_item(
                assessment,
                item,
                acting_user=request.user,
                score=data.get("score", ""),
                note=data.get("note", ""),
            )
            messages.success(request, _("Score of %(code)s saved.") % {"code": item.code})
        elif name == "return":
            actions.do_return_item(assessment, item, acting_user=request.user, reason=data.get("reason", ""))
            messages.success(request, _("%(code)s returned to the vendor for correction.") % {"code": item.code})
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("assessments:detail", args=[pk]) + anchor)


@login_required
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_visible(Assessment.objects.select_related("vendor"), request.user, pk=pk)
    ensure_owner_writer(request.user)
    items = TemplateItem.objects.filter(section__template_id=assessment.template_id).order_by("section__order", "order")
    documents = Document.objects.visible_to(request.user).filter(
        content_type=ContentType.objects.get_for_model(Answer),
        object_id__in=Answer.objects.filter(assessment=assessment).values("pk"),
    )
    return handle_form(
        request,
        FindingForm(request.POST or None, items=items, documents=documents, initial={"item": request.GET.get("item")}),
        lambda data: actions.do_record_finding(assessment, acting_user=request.user, **data),
        template="assessments/finding_form.html",
        context={"title": _("New finding"), "assessment": assessment},
        success=_("Finding recorded."),
        redirect_to=reverse("assessments:detail", args=[pk]) + "#findings",
    )


@login_required
def finding_comment(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_visible(Finding.objects.select_related("assessment"), request.user, pk=pk)
    return handle_action(
        request,
        lambda: actions.do_comment_finding(finding, acting_user=request.user, comment=request.POST.get("comment", "")),
        success=_("Comment saved."),
        redirect_to=reverse("assessments:detail", args=[finding.assessment_id]) + "#findings",
    )
