"""Figures of processing orders: what each line received and passed, what each material needs, holds and
consumed, and the settlement's calculation. Each answer is a fixed number of aggregate queries (no query per
row); the arithmetic is Decimal, quantities to 0.001 and money half-up to the cent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .choices import OrderStatus
from .models import BomLine, ConsumptionReport, Item, MaterialMovement, OrderLine, ProcessingOrder

ZERO = Decimal("0")
CENT = Decimal("0.01")
MILLI = Decimal("0.001")


def to_cents(value: Decimal) -> Decimal:
    """Money to the cent, half-up (0.005 → 0.01)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_quantity(value: Decimal) -> Decimal:
    """A material quantity to the 0.001 of its unit, half-up: the precision the ledger holds."""
    return value.quantize(MILLI, rounding=ROUND_HALF_UP)


def qty(value: Decimal) -> str:
    """A quantity as people write it: 105, 2.5 — not 105.000."""
    return f"{value.normalize():f}"


def _sum(expr: str, condition: Q | None = None) -> Coalesce:
    return Coalesce(
        Sum(expr, filter=condition), Value(ZERO), output_field=DecimalField(max_digits=18, decimal_places=3)
    )


@dataclass(frozen=True)
class LineFigures:
    line: OrderLine
    received: Decimal  # new goods, each unit once
    accepted: Decimal
    rejected: Decimal
    rework: Decimal
    reworked_back: Decimal  # reworked goods received again

    @property
    def pending_rework(self) -> Decimal:
        """Goods at the processor for rework, not yet back."""
        return max(self.rework - self.reworked_back, ZERO)

    @property
    def outstanding(self) -> Decimal:
        return max(self.line.quantity - self.accepted, ZERO)

    @property
    def rejection_rate(self) -> Decimal | None:
        inspected = self.received + self.reworked_back
        return (self.rejected + self.rework) / inspected if inspected else None

    @property
    def amount(self) -> Decimal:
        """What the processor earns for this line: accepted quantity × agreed unit price, to the cent."""
        return to_cents(self.accepted * self.line.unit_price)


def line_figures(order: ProcessingOrder) -> list[LineFigures]:
    new, back = Q(receipts__reworked=False), Q(receipts__reworked=True)
    lines = (
        OrderLine.objects.filter(order=order)
        .select_related("item", "bom")
        .annotate(
            received_sum=_sum("receipts__quantity", new),
            back_sum=_sum("receipts__quantity", back),
            accepted_sum=_sum("receipts__accepted"),
            rejected_sum=_sum("receipts__rejected"),
            rework_sum=_sum("receipts__rework"),
        )
        .order_by("pk")
    )
    return [
        LineFigures(
            line,
            line.received_sum,  # type: ignore[attr-defined]
            line.accepted_sum,  # type: ignore[attr-defined]
            line.rejected_sum,  # type: ignore[attr-defined]
            line.rework_sum,  # type: ignore[attr-defined]
            line.back_sum,  # type: ignore[attr-defined]
        )
        for line in lines
    ]


def bom_rows(lines: Iterable[Any]) -> dict[int, list[BomLine]]:
    """{bom id: its lines with their materials} for the given order lines — one query."""
    bom_ids = {line.bom_id for line in lines if line.bom_id}
    rows: dict[int, list[BomLine]] = defaultdict(list)
    for bom_line in BomLine.objects.filter(bom_id__in=bom_ids).select_related("material").order_by("pk"):
        rows[bom_line.bom_id].append(bom_line)
    return rows


def expected_consumption(line: OrderLine, quantity: Decimal) -> list[tuple[Item, Decimal]]:
    """What `quantity` units received on `line` are expected to have consumed of each material of the line's
    bill of materials: quantity × BOM quantity × (1 + loss rate), to the 0.001."""
    return [
        (bom_line.material, to_quantity(quantity * bom_line.factor))
        for bom_line in bom_rows([line]).get(line.bom_id or 0, [])
    ]


@dataclass
class MaterialFigures:
    material: Item
    required: Decimal = ZERO  # ordered × BOM × (1 + loss)
    standard: Decimal = ZERO  # received × BOM, without loss
    issued: Decimal = ZERO
    consumed: Decimal = ZERO  # expected consumption of the goods received, loss included
    returned: Decimal = ZERO
    scrapped: Decimal = ZERO
    held: Decimal = ZERO
    actual: Decimal | None = None  # reported by the processor

    @property
    def suggested_issue(self) -> Decimal:
        """What is still to be issued for the whole order: required − (issued − returned − scrapped)."""
        return max(self.required - (self.issued - self.returned - self.scrapped), ZERO)

    @property
    def allowance(self) -> Decimal:
        return self.consumed - self.standard

    @property
    def variance(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.consumed


def material_figures(order: ProcessingOrder, lines: list[LineFigures] | None = None) -> list[MaterialFigures]:
    """Every material of the order (on its bills of materials or issued), in four queries."""
    lines = line_figures(order) if lines is None else lines
    figures: dict[int, MaterialFigures] = {}
    boms = bom_rows([f.line for f in lines])
    for f in lines:
        for bom_line in boms.get(f.line.bom_id or 0, []):
            m = figures.setdefault(bom_line.material_id, MaterialFigures(bom_line.material))
            m.required += to_quantity(f.line.quantity * bom_line.factor)
            m.standard += f.received * bom_line.quantity
    balances = MaterialMovement.objects.filter(order=order).balances("material")
    missing = {row["material"] for row in balances} - set(figures)
    extra = {item.pk: item for item in Item.objects.filter(pk__in=missing)} if missing else {}
    for row in balances:
        m = figures.setdefault(row["material"], MaterialFigures(extra.get(row["material"]) or Item()))
        m.issued, m.consumed, m.returned = row["issued"], row["consumed"], row["returned"]
        m.scrapped, m.held = row["scrapped"], row["held"]
    for report in ConsumptionReport.objects.filter(order=order):
        if report.material_id in figures:
            figures[report.material_id].actual = report.actual
    for m in figures.values():
        m.standard = to_quantity(m.standard)
    return sorted(figures.values(), key=lambda m: m.material.code)


@dataclass
class SettlementMaterial:
    """One material's line of the settlement calculation."""

    figures: MaterialFigures
    unit_cost: Decimal | None

    @property
    def overrun(self) -> Decimal:
        """Actual consumption beyond the expected consumption (which already holds the agreed loss)."""
        variance = self.figures.variance
        return max(variance, ZERO) if variance is not None else ZERO

    @property
    def deduction(self) -> Decimal:
        """overrun × unit cost, half-up to the cent."""
        return to_cents(self.overrun * (self.unit_cost or ZERO))


@dataclass
class Settlement:
    lines: list[LineFigures]
    materials: list[SettlementMaterial]
    problems: list[str] = field(default_factory=list)

    @property
    def gross(self) -> Decimal:
        return sum((f.amount for f in self.lines), ZERO)

    @property
    def deductions(self) -> Decimal:
        return sum((m.deduction for m in self.materials), ZERO)

    @property
    def net(self) -> Decimal:
        return self.gross - self.deductions


def settlement(order: ProcessingOrder) -> Settlement:
    """The settlement's calculation, line by line, and what (if anything) stops it."""
    lines = line_figures(order)
    materials = [SettlementMaterial(m, m.material.unit_cost) for m in material_figures(order, lines)]
    result = Settlement(lines, materials)
    if order.status != OrderStatus.RECEIVED:
        result.problems.append(
            _("Only a fully received order is settled; this one is %(status)s.")
            % {"status": order.get_status_display()}
        )
    for s in materials:
        m, name = s.figures, str(s.figures.material)
        if not m.issued:
            continue
        if m.actual is None:
            result.problems.append(
                _("%(material)s: the processor has not reported its actual consumption.") % {"material": name}
            )
            continue
        if m.held:
            result.problems.append(
                _(
                    "%(material)s: issued %(issued)s, returned %(returned)s, scrapped %(scrapped)s and consumed "
                    "%(actual)s leave %(left)s at the processor: record its return or scrapping first."
                )
                % {
                    "material": name,
                    "issued": qty(m.issued),
                    "returned": qty(m.returned),
                    "scrapped": qty(m.scrapped),
                    "actual": qty(m.actual),
                    "left": qty(m.held),
                }
            )
        if s.overrun and s.unit_cost is None:
            result.problems.append(
                _("%(material)s: consumption beyond the agreed loss cannot be charged without a unit cost.")
                % {"material": name}
            )
    if result.net < 0:
        result.problems.append(_("The deductions exceed the value of the accepted goods."))
    return result


STOCK_KEYS = (
    "order__vendor",
    "order__vendor__name",
    "material",
    "material__code",
    "material__name",
    "material__unit",
)


def processor_stock(movements: Any, *, by_order: bool = False) -> list[dict[str, Any]]:
    """The owner's materials held at processors on open orders, one row per processor and material (and per
    order with `by_order`): issued − expected consumption − returned − scrapped, with each part. `movements`
    is already limited to what the caller may see. One query."""
    keys = STOCK_KEYS + (("order", "order__number") if by_order else ())
    rows = movements.at_processor().balances(*keys)
    return [
        {
            "vendor_id": row["order__vendor"],
            "vendor": row["order__vendor__name"],
            "material_id": row["material"],
            "material_code": row["material__code"],
            "material": row["material__name"],
            "unit": row["material__unit"],
            **({"order_id": row["order"], "order_number": row["order__number"]} if by_order else {}),
            "issued": row["issued"],
            # expected consumption, corrected to the actual once the processor has reported it
            "consumed": row["consumed"] + row["overrun"] - row["saving"],
            "returned": row["returned"],
            "scrapped": row["scrapped"],
            "held": row["held"],
        }
        for row in rows
    ]
