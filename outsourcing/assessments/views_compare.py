"""Choosing a vendor: the comparison page and its XLSX / PDF exports (owner staff only)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from outsourcing.core import charts, registry
from outsourcing.core.access import sees_all_vendors
from outsourcing.core.api import get_visible
from outsourcing.core.listing import record_id
from outsourcing.core.pickers import chosen_in, picker_html
from outsourcing.engagements.models import Engagement
from outsourcing.vendors.models import Vendor

from . import comparison
from .models import Assessment


def _number(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value


def _parse(request: HttpRequest, codes: list[str]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Weights from the form: typed per criterion, or an AHP upper triangle m_i_j (i < j)."""
    errors: dict[str, list[str]] = {}
    mode = request.GET.get("mode", "typed")
    out: dict[str, Any] = {"mode": mode, "weights": None, "ahp": None}
    if mode == "ahp":
        n = len(codes)
        matrix = [[1.0] * n for _i in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                raw = request.GET.get(f"m_{i}_{j}", "1").strip() or "1"
                if "/" in raw:
                    num, _sep, den = raw.partition("/")
                    a, b = _number(num), _number(den)
                    value = a / b if a is not None and b else None
                else:
                    value = _number(raw)
                if value is None or value <= 0:
                    errors.setdefault("matrix", []).append(
                        _("%(a)s : %(b)s must be a positive number such as 3 or 1/3.")
                        % {
                            "a": registry.vendor_criteria[codes[i]].label,
                            "b": registry.vendor_criteria[codes[j]].label,
                        }
                    )
                    value = 1.0
                matrix[i][j], matrix[j][i] = value, 1 / value
        out["ahp"] = (codes, matrix)
    else:
        weights = {}
        for code in codes:
            raw = request.GET.get(f"w_{code}", "").strip()
            if raw:
                value = _number(raw)
                if value is None or value < 0:
                    errors.setdefault("weights", []).append(
                        _("The weight of %(code)s must be a number ≥ 0.") % {"code": code}
                    )
                else:
                    weights[code] = value
        out["weights"] = weights or None
    return out, errors


PALETTE = ["#2f6fad", "#3f9b6e", "#d99000", "#8a5cc2", "#c0504d", "#4bacc6", "#7f7f7f", "#9bbb59"]


def comparison_chart(table: comparison.Comparison) -> SafeString:
    """A stacked bar per vendor: each criterion's weighted contribution (server-rendered SVG)."""
    series = [charts.Series(label, PALETTE[i % len(PALETTE)]) for i, (_code, label) in enumerate(table.criteria)]
    bars = [
        charts.StackedBar(
            row.vendor.name,
            [row.contributions[code] for code, _label in table.criteria],
            comparison.total_text(row),
        )
        for row in table.rows
    ]
    return charts.stacked_bar_chart(
        bars,
        series,
        title=_("Weighted total per vendor, by criterion (points of 100)"),
        x_label=_("weighted score (points of 100)"),
    )


def _build(request: HttpRequest) -> dict[str, Any]:
    if not sees_all_vendors(request.user):
        raise Http404
    engagements = Engagement.objects.visible_to(request.user).exclude(vendor__isnull=True, form="insourcing")
    engagement = None
    picked = chosen_in(request.GET, "engagement", engagements)
    engagement_pk = record_id(picked[0] if picked else None)
    if engagement_pk is not None:
        engagement = get_visible(Engagement.objects.all(), request.user, pk=engagement_pk)
    codes = comparison.criterion_codes()
    parsed, errors = _parse(request, codes)
    vendors = Vendor.objects.visible_to(request.user).order_by("name", "pk")
    chosen = [pk for pk in map(record_id, chosen_in(request.GET, "vendors", vendors)) if pk is not None]
    if engagement is not None and not chosen:
        # A sensible default: the engagement's vendor and every vendor assessed for this engagement.
        assessed = Assessment.objects.filter(engagement=engagement).values_list("vendor_id", flat=True)
        chosen = sorted({*assessed, *([engagement.vendor_id] if engagement.vendor_id else [])})
    table = None
    if engagement is not None and chosen and not errors:
        try:
            table = comparison.compare(request.user, engagement, chosen, weights=parsed["weights"], ahp=parsed["ahp"])
        except ValidationError as exc:
            errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    n = len(codes)
    cells = [
        {
            "i": i,
            "j": j,
            "a": registry.vendor_criteria[codes[i]].label,
            "b": registry.vendor_criteria[codes[j]].label,
            "value": request.GET.get(f"m_{i}_{j}", "1"),
        }
        for i in range(n)
        for j in range(i + 1, n)
    ]
    return {
        "title": _("Choose a vendor"),
        "engagement_picker": picker_html(
            "engagement",
            engagements.order_by("title", "pk"),
            "engagement",
            chosen=[engagement.pk] if engagement else [],
            text=request.GET.get("engagement__find", ""),
            attrs={"required": True},
        ),
        "engagement": engagement,
        "vendor_picker": picker_html(
            "vendors",
            vendors,
            "vendor",
            chosen=chosen,
            text=request.GET.get("vendors__find", ""),
            multiple=True,
        ),
        "chosen": chosen,
        "criteria": [
            {"code": c, "label": registry.vendor_criteria[c].label, "typed": request.GET.get(f"w_{c}", "")}
            for c in codes
        ],
        "cells": cells,
        "mode": parsed["mode"],
        "errors": errors,
        "table": table,
        "chart": comparison_chart(table) if table is not None else None,
        "query": request.GET.urlencode(),
    }


@login_required
def compare_page(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/compare.html", _build(request))


@login_required
def compare_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in {"xlsx", "pdf"}:
        raise Http404
    context = _build(request)
    table = context["table"]
    if table is None:
        raise Http404
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(
            comparison.to_xlsx(table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(comparison.to_pdf(table), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="vendor-comparison-{stamp}.{fmt}"'
    return response
