"""Demo processing: an item master with bills of materials, and orders with the manufacturing partner
(vendor h) — one settled with a deduction, two open ones across which the processor holds the owner's
materials — and one with Vendor A."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from typing import Any

from outsourcing.core.access import SYSTEM

from . import actions

ITEMS = [
    ("P-100", "泵壳 Pump housing", "pcs", "finished", None),
    ("P-210", "叶轮 Impeller", "pcs", "finished", None),
    ("M-200", "铸铁毛坯 Iron casting blank", "pcs", "raw_material", D("42.50")),
    ("M-310", "不锈钢棒料 Stainless bar stock", "kg", "raw_material", D("12.30")),
    ("M-420", "轴套 Bearing bushing", "pcs", "semi_finished", D("6.80")),
    ("O-001", "打印纸 Printer paper", "box", "indirect", None),
]
BOMS = {
    "P-100": [("M-200", D("1"), D("2")), ("M-310", D("0.8"), D("3"))],
    "P-210": [("M-310", D("0.5"), D("2")), ("M-420", D("1"), D("1"))],
}


def build(ctx: dict[str, Any]) -> None:
    items = {
        code: actions.do_create_item(
            acting_user=SYSTEM, code=code, name=name, unit=unit, category=category, unit_cost=cost
        )
        for code, name, unit, category, cost in ITEMS
    }
    for code, lines in BOMS.items():
        actions.do_create_bom(
            items[code],
            acting_user=SYSTEM,
            lines=[{"material": items[m], "quantity": q, "loss_percent": loss} for m, q, loss in lines],
            note="首版 First release",
        )
    today = datetime.date.today()

    def day(offset: int) -> datetime.date:
        return today + datetime.timedelta(days=offset)

    def order(vendor: Any, number: str, start: int, due: int, lines: list[tuple[str, str, str]]) -> Any:
        placed = actions.do_create_order(
            acting_user=SYSTEM,
            vendor=vendor,
            number=number,
            order_date=day(start),
            due_date=day(due),
            lines=[{"item": items[c], "quantity": D(q), "unit_price": D(p)} for c, q, p in lines],
        )
        actions.do_issue_order(placed, acting_user=SYSTEM)
        actions.do_confirm_order(placed, acting_user=SYSTEM)
        return placed

    def issue(placed: Any, when: int, **quantities: str) -> None:
        for code, quantity in quantities.items():
            actions.do_issue_material(
                placed,
                acting_user=SYSTEM,
                material=items[code.replace("_", "-")],
                quantity=D(quantity),
                issued_on=day(when),
            )

    processor = ctx["vendors"]["h"]
    # Settled: 202 new housings came back (2 rejected, 2 reworked and accepted); the casting blanks ran 0.96
    # over the agreed 2 % loss and are deducted at 42.50.
    done = order(processor, "PO-2026-0101", -60, -20, [("P-100", "200", "86.50")])
    issue(done, -58, M_200="210", M_310="170")
    line = done.lines.get()
    actions.do_receive(
        line,
        acting_user=SYSTEM,
        quantity=D("120"),
        accepted=D("116"),
        rejected=D("2"),
        rework=D("2"),
        defect_reason="surface",
        inspection_notes="砂眼 Sand holes on two flanges",
        received_on=day(-35),
    )
    actions.do_receive(line, acting_user=SYSTEM, quantity=D("2"), accepted=D("2"), reworked=True, received_on=day(-28))
    actions.do_receive(line, acting_user=SYSTEM, quantity=D("82"), accepted=D("82"), received_on=day(-22))
    actions.do_report_consumption(done, acting_user=SYSTEM, material=items["M-200"], actual=D("207"))
    actions.do_report_consumption(done, acting_user=SYSTEM, material=items["M-310"], actual=D("166"))
    actions.do_return_material(done, acting_user=SYSTEM, material=items["M-200"], quantity=D("3"), moved_on=day(-21))
    actions.do_return_material(done, acting_user=SYSTEM, material=items["M-310"], quantity=D("4"), moved_on=day(-21))
    actions.do_settle(done, acting_user=SYSTEM, confirm=True)

    # Open, partly received and overdue: the processor still holds bar stock and bushings for it.
    late = order(processor, "PO-2026-0102", -30, -2, [("P-210", "500", "23.80"), ("P-100", "50", "86.50")])
    issue(late, -29, M_310="300", M_420="505", M_200="51")
    impellers = late.lines.order_by("pk")[0]
    sent = actions.do_report_dispatch(impellers, acting_user=SYSTEM, quantity=D("300"), dispatched_on=day(-6))
    actions.do_receive(
        impellers,
        acting_user=SYSTEM,
        dispatch=sent,
        quantity=D("300"),
        accepted=D("294"),
        rejected=D("6"),
        defect_reason="dimension",
        inspection_notes="叶片厚度超差 Blade thickness out of tolerance",
        received_on=day(-5),
    )
    # Open, materials out, nothing back yet: the second order across which the processor holds stock.
    fresh = order(processor, "PO-2026-0104", -7, 30, [("P-100", "120", "86.50")])
    issue(fresh, -6, M_200="123", M_310="99")

    # Vendor A's first order: issued and confirmed, materials out.
    first = order(ctx["vendors"]["a"], "PO-2026-0103", -3, 45, [("P-210", "80", "25.00")])
    issue(first, -2, M_310="41", M_420="81")
