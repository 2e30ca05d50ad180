"""Choosing a vendor: candidate vendors side by side on every registered criterion, weighted and ranked.

Weights are typed in (normalised to sum 1), derived by AHP (refused when CR > 0.10), or equal by default.
Missing data is not zero (SPEC "Missing data is not zero"): a criterion without data for a vendor is left out,
the weighted total is Σ wᵢsᵢ / Σ wᵢ over the criteria that have data, and `coverage` is that Σ wᵢ over the sum
of all weights. A vendor with coverage below one half has "insufficient data": no recommendation, ranked after
every vendor with one. Vendors whose status is blocked or suspended, or with a registered vendor blocker, are
flagged: they may be compared but not chosen.
"""

from __future__ import annotations

import datetime
import html
import io
import math
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core import numbers, registry
from outsourcing.core.access import sees_all_vendors
from outsourcing.core.exports import safe_cell, safe_text
from outsourcing.vendors.models import Vendor, new_work_blockers_of

from .ahp import CONSISTENCY_LIMIT, AhpResult, derive_weights

PREFERRED_ORDER = ["assessment_score", "qualification_fit", "team_stability", "past_performance"]
MIN_COVERAGE = 0.5  # below this share of the weight known, a total says too little to recommend anyone


def criterion_codes() -> list[str]:
    codes = list(registry.vendor_criteria)
    return sorted(codes, key=lambda c: (PREFERRED_ORDER.index(c) if c in PREFERRED_ORDER else 99, c))


@dataclass
class Row:
    vendor: Vendor
    scores: dict[str, registry.CriterionScore]
    contributions: dict[str, float]  # each criterion's part of the total (0 where there is no data)
    total: float | None  # None: no criterion has data
    coverage: float  # the share of the weight that has data, 0 … 1
    flags: list[str] = field(default_factory=list)
    rank: int = 0

    @property
    def insufficient_data(self) -> bool:
        return self.coverage < MIN_COVERAGE

    @property
    def recommended(self) -> bool:
        """May this vendor be recommended: enough data and nothing that forbids choosing it."""
        return not self.insufficient_data and not self.flags


def weighted_total(
    weights: dict[str, float], scores: dict[str, float | None]
) -> tuple[float | None, float, dict[str, float]]:
    """(total, coverage, contributions) of one candidate: Σ wᵢsᵢ / Σ wᵢ over the criteria with data."""
    all_weight = sum(weights.values())
    known = {c: s for c, s in scores.items() if s is not None and weights.get(c, 0.0) > 0}
    known_weight = sum(weights[c] for c in known)
    coverage = known_weight / all_weight if all_weight > 0 else 0.0
    if known_weight <= 0:
        return None, coverage, {c: 0.0 for c in scores}
    contributions = {c: (weights[c] * known[c] / known_weight if c in known else 0.0) for c in scores}
    return sum(contributions.values()), coverage, contributions


@dataclass
class Comparison:
    engagement: Any
    as_of: datetime.date
    criteria: list[tuple[str, str]]
    weights: dict[str, float]
    weight_source: str
    rows: list[Row]
    ahp: AhpResult | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "engagement_id": self.engagement.pk,
            "as_of": self.as_of.isoformat(),
            "criteria": [{"code": c, "label": label, "weight": self.weights[c]} for c, label in self.criteria],
            "weight_source": self.weight_source,
            "consistency_ratio": self.ahp.consistency_ratio if self.ahp else None,
            "rows": [
                {
                    "rank": r.rank,
                    "vendor_id": r.vendor.pk,
                    "vendor": r.vendor.name,
                    "status": r.vendor.status,
                    "flags": r.flags,
                    "total": r.total,
                    "coverage": r.coverage,
                    "insufficient_data": r.insufficient_data,
                    "recommended": r.recommended,
                    "criteria": {
                        c: {
                            "score": r.scores[c].score,
                            "detail": r.scores[c].detail,
                            "contribution": r.contributions[c],
                        }
                        for c, _label in self.criteria
                    },
                }
                for r in self.rows
            ],
        }


def _typed_weights(codes: list[str], weights: dict[str, float]) -> dict[str, float]:
    unknown = sorted(set(weights) - set(codes))
    if unknown:
        raise ValidationError({"weights": _("Unknown criteria: %(codes)s.") % {"codes": ", ".join(unknown)}})
    # JSON's NaN and Infinity (and 1e308 + 1e308) are floats too: a weight must be an ordinary number, or the
    # totals it makes are "nan" ranked as scores.
    if not all(math.isfinite(w) for w in weights.values()) or not math.isfinite(sum(weights.values())):
        raise ValidationError({"weights": _("Every weight must be an ordinary number (not NaN or infinity).")})
    if any(w < 0 for w in weights.values()):
        raise ValidationError({"weights": _("Weights cannot be negative.")})
    total = sum(weights.values())
    if total <= 0:
        raise ValidationError({"weights": _("Give at least one criterion a weight above zero.")})
    return {c: weights.get(c, 0.0) / total for c in codes}


def ahp_weights(codes: list[str], names: list[str], matrix: list[list[float]]) -> tuple[dict[str, float], AhpResult]:
    unknown = sorted(set(names) - set(codes))
    if unknown:
        raise ValidationError({"criteria": _("Unknown criteria: %(codes)s.") % {"codes": ", ".join(unknown)}})
    result = derive_weights(names, matrix)
    if not result.consistent:
        raise ValidationError(
            {
                "matrix": _(
                    "The judgements are inconsistent: consistency ratio %(cr).3f > %(limit).2f. Some "
                    "comparisons contradict each other (if A beats B and B beats C, A should beat C by "
                    "more); revise them."
                )
                % {"cr": result.consistency_ratio, "limit": CONSISTENCY_LIMIT}
            }
        )
    return {c: result.weights.get(c, 0.0) for c in codes}, result


def compare(
    user: Any,
    engagement: Any,
    vendor_ids: list[int],
    *,
    weights: dict[str, float] | None = None,
    ahp: tuple[list[str], list[list[float]]] | None = None,
    as_of: datetime.date | None = None,
) -> Comparison:
    if not sees_all_vendors(user):
        raise Http404  # a vendor never sees how it compares with its competitors
    as_of = as_of or timezone.localdate()
    ids = list(dict.fromkeys(int(v) for v in vendor_ids))
    if not ids:
        raise ValidationError({"vendor_ids": _("Choose at least one candidate vendor.")})
    vendors = {v.pk: v for v in Vendor.objects.visible_to(user).filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in vendors]
    if missing:
        raise ValidationError({"vendor_ids": _("No such vendor: %(ids)s.") % {"ids": ", ".join(missing)}})
    codes = criterion_codes()
    ahp_result = None
    if ahp is not None:
        final_weights, ahp_result = ahp_weights(codes, list(ahp[0]), ahp[1])
        source = "ahp"
    elif weights:
        final_weights, source = _typed_weights(codes, weights), "typed"
    else:
        final_weights, source = {c: 1 / len(codes) for c in codes} if codes else {}, "equal"
    figures = {c: registry.vendor_criteria[c].compute(ids, engagement, as_of) for c in codes}
    blockers = new_work_blockers_of([vendors[i] for i in ids], as_of, engagement)
    rows: list[Row] = []
    for vendor_id in ids:
        vendor = vendors[vendor_id]
        scores = {c: figures[c].get(vendor_id) or registry.CriterionScore(None, _("no data")) for c in codes}
        total, coverage, contributions = weighted_total(final_weights, {c: scores[c].score for c in codes})
        # The vendors app registers a blocker for suspended and blocked vendors: one rule, one message.
        flags = [str(b.message) for b in blockers.get(vendor_id, [])]
        rows.append(Row(vendor, scores, contributions, total, coverage, flags))
    rows.sort(key=lambda r: (r.insufficient_data, r.total is None, -(r.total or 0.0), r.vendor.name))
    for index, row in enumerate(rows, start=1):
        row.rank = index
    criteria = [(c, str(registry.vendor_criteria[c].label)) for c in codes]
    return Comparison(engagement, as_of, criteria, final_weights, source, rows, ahp_result)


def _fmt(value: float | None) -> str:
    return _("no data") if value is None else numbers.display(value)


def coverage_text(row: Row) -> str:
    """The coverage beside a total, e.g. "coverage 40 % · insufficient data"."""
    text = _("coverage %(percent)s") % {"percent": numbers.display_percent(row.coverage)}
    if row.insufficient_data:
        text += " · " + _("insufficient data")
    return text


def total_text(row: Row) -> str:
    """A total as people read it: one decimal and its coverage, or "no data"."""
    if row.total is None:
        return _("no data")
    return f"{numbers.display(row.total)} ({coverage_text(row)})"


def recommendation_text(row: Row) -> str:
    if row.insufficient_data:
        return _("insufficient data")
    if row.flags:
        return _("may not be chosen")
    return _("may be chosen")


def table_rows(table: Comparison) -> tuple[list[str], list[list[Any]]]:
    headers = [_("Rank"), _("Vendor"), _("Status")]
    for _code, label in table.criteria:
        headers += [label, _("%(label)s × weight") % {"label": label}]
    headers += [_("Weighted total"), _("Coverage"), _("Recommendation"), _("Flags")]
    rows = []
    for r in table.rows:
        line: list[Any] = [r.rank, r.vendor.name, r.vendor.get_status_display()]
        for code, _label in table.criteria:
            score = r.scores[code].score
            line += [_("no data") if score is None else score, round(r.contributions[code], 4)]
        line += [
            _("no data") if r.total is None else round(r.total, 4),
            round(r.coverage, 4),
            recommendation_text(r),
            "; ".join(r.flags),
        ]
        rows.append(line)
    return [str(h) for h in headers], rows


def to_xlsx(table: Comparison) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Comparison"))[:31]

    # Every cell goes through safe_cell: vendor names (which vendor users edit) and the engagement title are
    # user text, and "=HYPERLINK(...)" must arrive as text, never as a live formula.
    def append(target: Any, values: list[Any]) -> None:
        target.append([safe_cell(v) for v in values])

    append(sheet, [str(_("Engagement")), str(table.engagement)])
    append(sheet, [str(_("As of")), table.as_of.isoformat()])
    append(
        sheet,
        [str(_("Weights")), table.weight_source] + [f"{label}: {table.weights[c]:.4f}" for c, label in table.criteria],
    )
    sheet.append([])
    headers, rows = table_rows(table)
    append(sheet, headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        append(sheet, row)
    detail = workbook.create_sheet(str(_("Breakdown"))[:31])
    append(
        detail,
        [
            str(_("Vendor")),
            str(_("Criterion")),
            str(_("Score")),
            str(_("Weight")),
            str(_("How it came about")),
        ],
    )
    for r in table.rows:
        for code, label in table.criteria:
            score = r.scores[code].score
            append(
                detail,
                [
                    r.vendor.name,
                    label,
                    _("no data") if score is None else score,
                    table.weights[code],
                    r.scores[code].detail,
                ],
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _escape(text: str) -> str:
    # reportlab's Paragraph reads a small markup language: "<" or "&" in a name would break it. Text copied out
    # of the PDF into a spreadsheet is kept from being a formula like every other export's (safe_text).
    return html.escape(safe_text(text), quote=False)


def _pdf_cell(figure: registry.CriterionScore, contribution: float) -> str:
    if figure.score is None:
        return f"{_escape(_fmt(None))}<br/>{_escape(figure.detail)}"
    return f"{_fmt(figure.score)} (+{numbers.display(contribution)})<br/>{_escape(figure.detail)}"


def to_pdf(table: Comparison) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"  # reportlab's built-in CID font: Chinese names render without shipping a font file
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = font  # type: ignore[attr-defined]
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=str(_("Vendor comparison")))
    story: list[Any] = [
        Paragraph(_escape(str(_("Vendor comparison")) + " · " + str(table.engagement)), styles["Title"]),
        Paragraph(
            str(_("As of %(date)s; weights: %(source)s"))
            % {"date": table.as_of.isoformat(), "source": table.weight_source}
            + " — "
            + _escape(", ".join(f"{label} {table.weights[c]:.3f}" for c, label in table.criteria)),
            styles["BodyText"],
        ),
        Spacer(1, 8),
    ]
    headers = (
        [str(_("Rank")), str(_("Vendor"))]
        + [label for _c, label in table.criteria]
        + [str(_("Total")), str(_("Coverage")), str(_("Flags"))]
    )
    data: list[list[Any]] = [[Paragraph(_escape(h), cell) for h in headers]]
    for r in table.rows:
        data.append(
            [str(r.rank), Paragraph(_escape(r.vendor.name), cell)]
            + [Paragraph(_pdf_cell(r.scores[c], r.contributions[c]), cell) for c, _label in table.criteria]
            + [
                _fmt(r.total),
                Paragraph(_escape(coverage_text(r)), cell),
                Paragraph(_escape("; ".join(r.flags)), cell),
            ]
        )
    grid = Table(data, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(grid)
    doc.build(story)
    return buffer.getvalue()
