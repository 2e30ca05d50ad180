"""The demo data set gives believable rosters, teams and one pending key-person replacement."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from outsourcing.core.access import SYSTEM
from outsourcing.engagements.models import Engagement
from outsourcing.teams.models import Replacement, TeamAssignment, TeamMember

pytestmark = pytest.mark.django_db


def test_demo_builds_rosters_teams_and_a_pending_replacement():
    call_command("demo")
    assert TeamMember.objects.filter(vendor__registration_number="91110108MA01HX0002").count() >= 10
    pending = Replacement.objects.get(status="pending")
    assert pending.key_person and pending.engagement.code == "OM-2026-001"
    assert TeamAssignment.objects.filter(engagement__code="CO-2026-003", side="owner").exists()
    assert TeamAssignment.objects.filter(engagement__code="DEV-2026-002").count() == 5
    # the replay of issue 9 in the demo: an active engagement with an ineligible, unwaived key person
    dev = Engagement.objects.filter(code="DEV-2026-002")
    codes = [b.code for b in dev.open_issues(timezone.localdate(), SYSTEM).get(dev.get().pk, [])]
    assert "team_not_eligible" in codes
    assert TeamAssignment.objects.filter(engagement__code="OM-2026-001", acknowledged=False).count() == 1


def test_demo_has_a_team_whose_attrition_forecast_calls_for_attention():
    from django.utils import timezone

    from outsourcing.engagements.models import Engagement
    from outsourcing.teams.forecast import forecast_teams

    call_command("demo")
    forecasts = forecast_teams(list(Engagement.objects.values_list("pk", flat=True)), timezone.localdate())
    attention = [f for f in forecasts.values() if f.calls_for_attention]
    assert attention, "the demo should show a team the owner must watch"
    assert any(not f.pooled for f in attention)  # judged on the vendor's own, high, turnover


def test_demo_has_one_person_sold_by_two_vendors():
    from django.utils import timezone

    from outsourcing.teams.double_booking import double_booked

    call_command("demo")
    people = list(double_booked(timezone.localdate()))
    assert len(people) == 2 and len({p.vendor_id for p in people}) == 2
    assert len({p.full_name for p in people}) == 1
    # an open issue of the engagement the person is on, for the owner's staff only
    from outsourcing.accounts.models import User

    ops = Engagement.objects.filter(code="OM-2026-001")
    owner = [b.code for b in ops.open_issues(timezone.localdate(), SYSTEM)[ops.get().pk]]
    assert "double_booked" in owner
    vendor_user = User.objects.filter(vendor=ops.get().vendor).first()
    assert vendor_user is not None
    theirs = [b.code for b in ops.open_issues(timezone.localdate(), vendor_user).get(ops.get().pk, [])]
    assert "double_booked" not in theirs


def test_demo_has_a_team_that_may_fall_below_the_size_it_needs():
    from outsourcing.teams.forecast import forecast_teams

    call_command("demo")
    dev = Engagement.objects.get(code="DEV-2026-002")
    forecast = forecast_teams([dev.pk], timezone.localdate())[dev.pk]
    assert forecast.required_size == 5 and forecast.short_of_required
