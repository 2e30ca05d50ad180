"""Figures of a processing order, computed with aggregate queries (no loop of queries per row)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce

from outsourcing.core.money import cents

from .models import MaterialIssue, MaterialReconciliation, OrderLine, ProcessingOrder

ZERO = Decimal("0")


def _sum(field: str) -> Coalesce:
    return Coalesce(Sum(field), Value(ZERO), output_field=DecimalField(max_digits=18, decimal_places=3))


@dataclass(frozen=True)
class LineFigures:
    line: OrderLine
    received: Decimal
    accepted: Decimal
    rejected: Decimal
    rework: Decimal

    @property
    def outstanding(self) -> Decimal:
        return max(self.line.quantity - self.accepted, ZERO)

    @property
    def amount(self) -> Decimal:
        """What the processor earns for this line: accepted quantity × agreed unit price, to the cent."""
        return cents(self.accepted * self.line.unit_price)


@dataclass(frozen=True)
class MaterialFigures:
    material_id: int
    material: str
    issued: Decimal
    consumed: Decimal | None
    returned: Decimal | None
    scrapped: Decimal | None
    held: Decimal | None

    @property
    def reported(self) -> bool:
        return self.consumed is not None

    @property
    def difference(self) -> Decimal | None:
        """issued − (consumed + returned + scrapped + held); None until the processor has reported."""
        if self.consumed is None:
            return None
        return self.issued - (self.consumed + (self.returned or ZERO) + (self.scrapped or ZERO) + (self.held or ZERO))


def line_figures(order: ProcessingOrder) -> list[LineFigures]:
    lines = (
        OrderLine.objects.filter(order=order)
        .select_related("item")
        .annotate(
            received_sum=_sum("receipts__quantity"),
            accepted_sum=_sum("receipts__accepted"),
            rejected_sum=_sum("receipts__rejected"),
            rework_sum=_sum("receipts__rework"),
        )
        .order_by("pk")
    )
    return [
        LineFigures(line, line.received_sum, line.accepted_sum, line.rejected_sum, line.rework_sum)  # type: ignore[attr-defined]
        for line in lines
    ]


def material_figures(order: ProcessingOrder) -> list[MaterialFigures]:
    issued = (
        MaterialIssue.objects.filter(order=order)
        .values("material_id", "material__code", "material__name")
        .annotate(total=_sum("quantity"))
        .order_by("material__code")
    )
    reports = {r.material_id: r for r in MaterialReconciliation.objects.filter(order=order)}
    result = []
    for row in issued:
        report = reports.get(row["material_id"])
        result.append(
            MaterialFigures(
                material_id=row["material_id"],
                material=f"{row['material__code']} {row['material__name']}",
                issued=row["total"],
                consumed=report.consumed if report else None,
                returned=report.returned if report else None,
                scrapped=report.scrapped if report else None,
                held=report.held if report else None,
            )
        )
    return result


def settlement_amount(order: ProcessingOrder) -> Decimal:
    return sum((figures.amount for figures in line_figures(order)), ZERO)
