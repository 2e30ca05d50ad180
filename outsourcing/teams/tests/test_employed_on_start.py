"""Who may take a place on a team: a person employed by the vendor on the place's start date (SPEC
"Headcount"), the same rule for the page and the API. The page used to refuse a person with a future
leaving date that the API accepted, and the API put on a team (201) a person who had left 40 days before."""

import datetime

import pytest
from django.urls import reverse

from outsourcing.teams.models import TeamAssignment, TeamMember

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
D = datetime.timedelta


@pytest.fixture
def people(engagement_a, person):
    vendor = engagement_a.vendor
    return {
        "leaving_later": person(vendor, full_name="Leaving Later", left_date=TODAY + D(days=60)),
        "left": person(vendor, full_name="Already Left", left_date=TODAY - D(days=40)),
        "joining": person(vendor, full_name="Joining Soon", hire_date=TODAY + D(days=10)),
        "staying": person(vendor, full_name="Staying"),
    }


@pytest.mark.parametrize(
    ("who", "start", "accepted"),
    [
        ("leaving_later", TODAY, True),
        ("leaving_later", TODAY + D(days=59), True),  # the last day employed
        ("leaving_later", TODAY + D(days=60), False),  # left_date: the first day no longer employed
        ("left", TODAY, False),
        ("left", TODAY - D(days=41), True),  # a place that started while the person was still employed
        ("joining", TODAY + D(days=9), False),
        ("joining", TODAY + D(days=10), True),
        ("staying", TODAY, True),
    ],
)
def test_the_api_and_the_page_agree_on_who_may_take_a_place(
    api, web, manager, engagement_a, people, who, start, accepted
):
    member = people[who]
    assert member.employed_on(start) is accepted
    assert TeamMember.objects.filter(pk=member.pk).employed_on(start).exists() is accepted
    response = api(manager).post(
        f"/engagements/{engagement_a.pk}/team", {"member_id": member.pk, "role": "Engineer", "start_date": str(start)}
    )
    if accepted:
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 422, response.content
        (detail,) = response.json()["detail"]
        assert detail["field"] == "member_id" and "not employed" in detail["msg"]
    TeamAssignment.objects.all().delete()
    page = web(manager).post(
        reverse("teams:team-add", kwargs={"pk": engagement_a.pk}),
        {"member": member.pk, "role": "Engineer", "start_date": str(start)},
    )
    if accepted:
        assert page.status_code == 302, page.content.decode()[:2000]
        assert TeamAssignment.objects.filter(member=member).exists()
    else:
        assert page.status_code == 422
        assert not TeamAssignment.objects.exists()
        form = page.context["assignment_form"]
        assert form.errors.get("member"), form.errors  # shown next to the person's field


def test_the_form_offers_everyone_not_gone_by_today(manager, engagement_a, people):
    from outsourcing.teams.forms import AssignmentForm

    offered = set(AssignmentForm(engagement=engagement_a, co_sourcing=False).fields["member"].queryset)
    assert offered == {people["leaving_later"], people["joining"], people["staying"]}


def test_a_person_who_left_never_silently_drops_out_of_the_eligibility_list(api, manager, engagement_a, people):
    """The one who left cannot be put on the team, so every member on the team is in the list."""
    client = api(manager)
    for who in ("left", "staying"):
        client.post(
            f"/engagements/{engagement_a.pk}/team",
            {"member_id": people[who].pk, "role": "Engineer", "start_date": str(TODAY)},
        )
    listed = client.get(f"/engagements/{engagement_a.pk}/eligibility", as_of=str(TODAY)).json()["members"]
    on_team = TeamAssignment.objects.on_team(TODAY).values_list("member_id", flat=True)
    assert sorted(m["member_id"] for m in listed) == sorted(on_team) == [people["staying"].pk]


@pytest.mark.parametrize(
    ("start", "end", "day", "on"),
    [
        (TODAY, None, TODAY - D(days=1), False),
        (TODAY, None, TODAY, True),
        (TODAY, TODAY + D(days=5), TODAY + D(days=5), True),  # end is the last day on the team
        (TODAY, TODAY + D(days=5), TODAY + D(days=6), False),
    ],
)
def test_on_the_team_on_a_day_at_its_edges(manager, engagement_a, people, start, end, day, on):
    place = TeamAssignment.objects.create(
        engagement=engagement_a,
        member=people["staying"],
        role="Engineer",
        start_date=start,
        end_date=end,
        leave_reason="other" if end else "",
    )
    assert place.on_team(day) is on
    assert TeamAssignment.objects.filter(pk=place.pk).on_team(day).exists() is on
