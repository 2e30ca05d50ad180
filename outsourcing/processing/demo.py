"""Demo processing: an item master and orders with the manufacturing partner (vendor h)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from outsourcing.core.access import SYSTEM

from . import actions

ITEMS = [
    ("P-100", "泵壳 Pump housing", "pcs", "direct"),
    ("P-210", "叶轮 Impeller", "pcs", "direct"),
    ("M-200", "铸铁毛坯 Iron casting blank", "pcs", "material"),
    ("M-310", "不锈钢棒料 Stainless bar stock", "kg", "material"),
    ("O-001", "打印纸 Printer paper", "box", "indirect"),
]


def build(ctx: dict[str, Any]) -> None:
    items = {
        code: actions.do_create_item(acting_user=SYSTEM, code=code, name=name, unit=unit, category=category)
        for code, name, unit, category in ITEMS
    }
    today = timezone.localdate()  # the owner's day, not the server's
    processor = ctx["vendors"]["h"]
    done = actions.do_create_order(
        acting_user=SYSTEM,
        vendor=processor,
        number="PO-2026-0101",
        order_date=today - datetime.timedelta(days=60),
        due_date=today - datetime.timedelta(days=20),
        lines=[{"item": items["P-100"], "quantity": Decimal("200"), "unit_price": Decimal("86.50")}],
    )
    actions.do_issue_order(done, acting_user=SYSTEM)
    actions.do_issue_material(done, acting_user=SYSTEM, material=items["M-200"], quantity=Decimal("210"))
    line = done.lines.get()
    actions.do_receive(
        line,
        acting_user=SYSTEM,
        quantity=Decimal("120"),
        accepted=Decimal("116"),
        rejected=Decimal("2"),
        rework=Decimal("2"),
    )
    actions.do_receive(line, acting_user=SYSTEM, quantity=Decimal("84"), accepted=Decimal("84"))
    actions.do_report_reconciliation(
        done,
        acting_user=SYSTEM,
        material=items["M-200"],
        consumed=Decimal("204"),
        returned=Decimal("4"),
        scrapped=Decimal("2"),
        held=Decimal("0"),
    )
    late = actions.do_create_order(
        acting_user=SYSTEM,
        vendor=processor,
        number="PO-2026-0102",
        order_date=today - datetime.timedelta(days=30),
        due_date=today - datetime.timedelta(days=2),
        lines=[
            {"item": items["P-210"], "quantity": Decimal("500"), "unit_price": Decimal("23.80")},
            {"item": items["P-100"], "quantity": Decimal("50"), "unit_price": Decimal("86.50")},
        ],
    )
    actions.do_issue_order(late, acting_user=SYSTEM)
    actions.do_issue_material(late, acting_user=SYSTEM, material=items["M-310"], quantity=Decimal("380.5"))
    actions.do_receive(
        late.lines.order_by("pk")[0], acting_user=SYSTEM, quantity=Decimal("300"), accepted=Decimal("300")
    )
    actions.do_create_order(
        acting_user=SYSTEM,
        vendor=ctx["vendors"]["a"],
        number="PO-2026-0103",
        due_date=today + datetime.timedelta(days=45),
        lines=[{"item": items["P-210"], "quantity": Decimal("80"), "unit_price": Decimal("25.00")}],
    )
