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
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from outsourcing.core import numbers, registry
from outsourcing.core.access import sees_all_vendors
from outsourcing.core.exports import XlsxWriter, safe_text
from outsourcing.core.pdf import document_fonts
from outsourcing.vendors.models import Vendor, new_work_blockers_of

from .ahp import CONSISTENCY_LIMIT, AhpResult, derive_weights

PREFERRED_ORDER = ["assessment_score", "qualification_fit", "team_stability", "past_performance"]
WEIGHT_SOURCES = {
    "equal": gettext_lazy("the same for every criterion"),
    "typed": gettext_lazy("typed in"),
    "ahp": gettext_lazy("derived by pairwise comparison (AHP)"),
}
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
    """The comparison as a sheet: numbers as numbers (the XLSX writer rounds them), "no data" where a figure is
    missing (not zero: SPEC "Missing data is not zero")."""
    headers = [_("Rank"), _("Vendor"), _("Status")]
    for _code, label in table.criteria:
        headers += [label, _("%(label)s × weight") % {"label": label}]
    headers += [_("Weighted total"), _("Coverage (%)"), _("Recommendation"), _("Flags")]
    rows = []
    for r in table.rows:
        line: list[Any] = [r.rank, r.vendor.name, r.vendor.get_status_display()]
        for code, _label in table.criteria:
            score = r.scores[code].score
            line += [_("no data") if score is None else score, None if score is None else r.contributions[code]]
        line += [
            _("no data") if r.total is None else r.total,
            r.coverage * 100,
            recommendation_text(r),
            "; ".join(r.flags),
        ]
        rows.append(line)
    return [str(h) for h in headers], rows


def weights_text(table: Comparison) -> str:
    """How the weights came about, in words: "Derived by pairwise comparison (AHP); consistency ratio 0.04"."""
    text = str(WEIGHT_SOURCES.get(table.weight_source, table.weight_source))
    if table.ahp is not None:
        return _("%(method)s; consistency ratio %(cr)s") % {
            "method": text,
            "cr": numbers.display(table.ahp.consistency_ratio, 3),
        }
    return text


def to_xlsx(table: Comparison) -> bytes:
    writer = XlsxWriter()
    headers, rows = table_rows(table)
    preamble: list[list[Any]] = [
        [_("Engagement"), str(table.engagement)],
        [_("As of"), table.as_of],
        [_("Weights"), weights_text(table)],
    ]
    preamble += [[label, table.weights[c] * 100, _("per cent of the total")] for c, label in table.criteria]
    writer.sheet(
        _("Comparison"),
        headers,
        rows,
        preamble=[[str(v) if isinstance(v, str) else v for v in line] for line in preamble],
    )
    detail_headers = [_("Vendor"), _("Criterion"), _("Score"), _("Weight (%)"), _("How it came about")]
    detail_rows = [
        [
            r.vendor.name,
            label,
            _("no data") if r.scores[code].score is None else r.scores[code].score,
            table.weights[code] * 100,
            r.scores[code].detail,
        ]
        for r in table.rows
        for code, label in table.criteria
    ]
    writer.sheet(_("Breakdown"), [str(h) for h in detail_headers], detail_rows)
    return writer.save()


def _escape(text: Any) -> str:
    # reportlab's Paragraph reads a small markup language: "<" or "&" in a name would break it. Text copied out
    # of the PDF into a spreadsheet is kept from being a formula like every other export's (safe_text).
    return html.escape(safe_text(text), quote=False)


def _pdf_score(figure: registry.CriterionScore, contribution: float) -> str:
    if figure.score is None:
        return f"<i>{_escape(_fmt(None))}</i><br/><font size=7 color=#555555>{_escape(figure.detail)}</font>"
    return (
        f"{_escape(_fmt(figure.score))} <font color=#555555>(+{_escape(numbers.display(contribution))})</font><br/>"
        f"<font size=7 color=#555555>{_escape(figure.detail)}</font>"
    )


def _nbsp(text: str) -> str:
    return text.replace(" %", "\u00a0%")  # "75 %" never breaks before its sign


def to_pdf(table: Comparison) -> bytes:
    """The comparison as a landscape A4 a manager can send on: the engagement, the date, how the weights came
    about, one row per vendor with each criterion's score, its part of the total and where it came from."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    title = str(_("Vendor comparison"))
    engagement = str(table.engagement)
    as_of = formats.date_format(table.as_of, "DATE_FORMAT", use_l10n=True)
    generated = formats.date_format(timezone.localtime(), "DATETIME_FORMAT", use_l10n=True)
    meta = [
        _("Figures as of %(date)s") % {"date": as_of},
        _("Weights: %(method)s") % {"method": weights_text(table)},
    ]
    weights = _("Criterion weights: %(weights)s") % {
        "weights": pgettext("list separator", ", ").join(
            f"{label} {numbers.display_percent(table.weights[c])}" for c, label in table.criteria
        )
    }
    headers = (
        [str(_("Rank")), str(_("Vendor"))]
        + [f"{label} ({_nbsp(numbers.display_percent(table.weights[c]))})" for c, label in table.criteria]
        + [str(_("Weighted total")), str(_("Coverage")), str(_("Recommendation"))]
    )
    body: list[list[str]] = []
    for r in table.rows:
        vendor = f"<b>{_escape(r.vendor.name)}</b><br/><font size=7>{_escape(r.vendor.get_status_display())}</font>"
        for flag in r.flags:
            vendor += f"<br/><font size=7 color=#b42318>{_escape(flag)}</font>"
        body.append(
            [_escape(r.rank), vendor]
            + [_pdf_score(r.scores[c], r.contributions[c]) for c, _label in table.criteria]
            + [
                f"<b>{_escape(_fmt(r.total))}</b>",
                _escape(_nbsp(numbers.display_percent(r.coverage))),
                _escape(recommendation_text(r)),
            ]
        )
    note = str(
        _(
            "A criterion without data is left out: the total is weighted over the criteria with data, and the "
            "coverage says how much of the weight that is."
        )
    )
    stamp = _("Generated %(moment)s") % {"moment": generated}
    footer = f"{title} · {engagement} · {stamp}"
    everything = "".join(
        [title, engagement, weights, note, footer, *meta, *headers, *(c for line in body for c in line)]
    )
    buffer = io.BytesIO()
    with document_fonts(everything + "0123456789") as fonts:
        base = ParagraphStyle("base", fontName=fonts.regular, fontSize=9, leading=12)
        cell = ParagraphStyle("cell", parent=base, fontSize=8, leading=10)
        head = ParagraphStyle("head", parent=cell, fontName=fonts.bold)
        number = ParagraphStyle("number", parent=cell, alignment=TA_RIGHT)
        heading = ParagraphStyle("heading", parent=base, fontName=fonts.bold, fontSize=16, leading=20)
        subheading = ParagraphStyle("subheading", parent=base, fontName=fonts.bold, fontSize=12, leading=16)
        page_width, page_height = landscape(A4)
        margin = 14 * mm
        usable = page_width - 2 * margin
        fixed = [34.0, 120.0, 58.0, 52.0, 88.0]
        criterion_width = (usable - sum(fixed)) / max(1, len(table.criteria))
        widths = fixed[:2] + [criterion_width] * len(table.criteria) + fixed[2:]
        numeric = {0, 2 + len(table.criteria), 3 + len(table.criteria)}  # rank, total, coverage
        data: list[list[Any]] = [[Paragraph(_escape(h), head) for h in headers]]
        for line in body:
            data.append([Paragraph(text, number if i in numeric else cell) for i, text in enumerate(line)])
        grid = Table(data, colWidths=widths, repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), fonts.regular),  # the table's own default is Helvetica
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c3cad3")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f8fafc")]),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )

        def decorate(canvas: Any, doc: Any) -> None:
            canvas.saveState()
            canvas.setFont(fonts.regular, 7)
            canvas.setFillColor(colors.HexColor("#555555"))
            canvas.drawString(margin, 8 * mm, footer)
            canvas.drawRightString(page_width - margin, 8 * mm, str(doc.page))
            canvas.restoreState()

        doc = SimpleDocTemplate(
            buffer,
            pagesize=(page_width, page_height),
            leftMargin=margin,
            rightMargin=margin,
            topMargin=margin,
            bottomMargin=16 * mm,
            title=f"{title} – {engagement}",
            author="Outsourcing Manager",
            initialFontName=fonts.regular,  # else every page names Helvetica, unused and not embedded
        )
        story: list[Any] = [
            Paragraph(_escape(title), heading),
            Paragraph(_escape(engagement), subheading),
            Spacer(1, 4),
            Paragraph(_escape(" · ".join(meta)), base),
            Paragraph(_escape(weights), base),
            Spacer(1, 8),
            grid,
            Spacer(1, 6),
            Paragraph(_escape(note), ParagraphStyle("note", parent=cell, textColor=colors.HexColor("#555555"))),
        ]
        doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
