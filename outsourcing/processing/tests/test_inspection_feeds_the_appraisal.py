"""The rejection rate of the incoming inspection feeds the vendor's appraisal (the performance app reads
`Receipt.objects.inspection_totals`)."""

import datetime
from decimal import Decimal as D

import pytest

from outsourcing.performance import actions as performance
from outsourcing.processing import actions
from outsourcing.processing.models import Receipt

pytestmark = pytest.mark.django_db


def test_the_rejection_rate_becomes_the_appraisal_inspection_score(issued_order, manager, vendor_a, vendor_b):
    line = issued_order.lines.get()
    day = datetime.date(2026, 11, 10)
    actions.do_receive(
        line,
        acting_user=manager,
        quantity=D("60"),
        accepted=D("57"),
        rejected=D("2"),
        rework=D("1"),
        defect_reason="dimension",
        received_on=day,
    )
    actions.do_receive(
        line,
        acting_user=manager,
        quantity=D("20"),
        accepted=D("19"),
        rework=D("1"),
        defect_reason="surface",
        received_on=day,
    )
    actions.do_receive(
        line, acting_user=manager, quantity=D("5"), accepted=D("5"), received_on=datetime.date(2026, 12, 2)
    )
    totals = Receipt.objects.inspection_totals(
        [vendor_a.pk, vendor_b.pk], datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)
    )
    assert totals == {vendor_a.pk: (D("80"), D("4"))}  # December's receipt and vendor B are not counted
    appraisal = performance.do_appraise(
        vendor_a, acting_user=manager, period_start=datetime.date(2026, 11, 1), period_end=datetime.date(2026, 11, 30)
    )
    assert appraisal.inspection == D("95.00")  # 100 × (1 − 4 ÷ 80)
    assert "4 of 80 received were rejected or sent to rework" in str(appraisal.explained())


def test_a_score_entered_by_the_appraiser_wins(issued_order, manager, vendor_a):
    actions.do_receive(
        issued_order.lines.get(),
        acting_user=manager,
        quantity=D("10"),
        accepted=D("5"),
        rejected=D("5"),
        defect_reason="function",
        received_on=datetime.date(2026, 11, 10),
    )
    appraisal = performance.do_appraise(
        vendor_a,
        acting_user=manager,
        period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2026, 11, 30),
        inspection=D("80"),
    )
    assert appraisal.inspection == D("80")
