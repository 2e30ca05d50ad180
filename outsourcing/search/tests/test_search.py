"""The global search: each kind found by what people type, only among records the user may see."""

from __future__ import annotations

import datetime

import pytest

from outsourcing.engagements.models import Engagement
from outsourcing.qualifications.models import Qualification, QualificationType
from outsourcing.teams.models import TeamMember

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def records(vendor_a, vendor_b):  # type: ignore[no-untyped-def]
    people = {
        "a1": TeamMember.objects.create(
            vendor=vendor_a,
            full_name="王磊 Wang Lei",
            employee_number="HX-0042",
            employment_type="regular",
            hire_date=D(2020, 1, 1),
            title="DBA",
        ),
        "a2": TeamMember.objects.create(
            vendor=vendor_a,
            full_name="王磊 Wang Lei",
            employee_number="HX-0777",
            employment_type="regular",
            hire_date=D(2021, 1, 1),
            title="Tester",
        ),
        "b1": TeamMember.objects.create(
            vendor=vendor_b,
            full_name="王磊 Wang Lei",
            employee_number="YL-0042",
            employment_type="regular",
            hire_date=D(2022, 1, 1),
        ),
    }
    engagement = Engagement.objects.create(
        code="OM-2026-9", title="Cloud operations", form="service", vendor=vendor_a, start_date=D(2026, 1, 1)
    )
    certificate = Qualification.objects.create(
        vendor=vendor_a,
        type=QualificationType.objects.get(code="iso9001"),
        number="00124Q35621R3M",
        issuer="CQC",
        valid_from=D(2025, 1, 1),
        valid_until=D(2027, 12, 31),
    )
    return {**people, "engagement": engagement, "certificate": certificate}


def _titles(body, kind):  # type: ignore[no-untyped-def]
    return [(h["title"], h["subtitle"]) for g in body["groups"] if g["kind"] == kind for h in g["items"]]


def test_a_person_is_found_by_employee_number(api, manager, records):
    body = api(manager).get("/search", q="HX-004").json()
    assert _titles(body, "person") == [("王磊 Wang Lei", "HX-0042 · 华信软件 Vendor A · DBA")]


def test_people_of_the_same_name_are_told_apart(api, manager, records):
    subtitles = [s for _t, s in _titles(api(manager).get("/search", q="王磊").json(), "person")]
    assert len(subtitles) == 3 and len(set(subtitles)) == 3  # number, company and title differ


def test_each_kind_is_found(api, manager, records, vendor_a):
    assert _titles(api(manager).get("/search", q="cloud oper").json(), "engagement")[0][0] == "Cloud operations"
    assert _titles(api(manager).get("/search", q="OM-2026").json(), "engagement")
    assert _titles(api(manager).get("/search", q="35621").json(), "certificate")[0][0] == "00124Q35621R3M"
    assert _titles(api(manager).get("/search", q=vendor_a.registration_number).json(), "vendor")[0][0] == vendor_a.name


def test_a_vendor_user_finds_only_its_own(api, vendor_b_user, records):
    body = api(vendor_b_user).get("/search", q="Wang Lei").json()
    assert [s for _t, s in _titles(body, "person")] == ["YL-0042 · Yunling Vendor B"]
    assert _titles(api(vendor_b_user).get("/search", q="OM-2026").json(), "engagement") == []
    assert _titles(api(vendor_b_user).get("/search", q="35621").json(), "certificate") == []


def test_counts_beyond_the_limit(api, manager, records):
    group = next(g for g in api(manager).get("/search", q="Wang", limit=1).json()["groups"] if g["kind"] == "person")
    assert group["count"] == 3 and len(group["items"]) == 1


@pytest.mark.parametrize("params", [{"q": ""}, {"q": "x" * 101}, {"q": "a", "kind": "planet"}, {"q": "a", "limit": 0}])
def test_bad_queries_are_named(api, manager, params):
    response = api(manager).get("/search", **params)
    assert response.status_code == 422


def test_the_page_and_the_suggestions(web, manager, records):
    page = web(manager).get("/search/", {"q": "HX-0042"}).content.decode()
    assert "王磊 Wang Lei" in page and "/teams/members/" in page
    suggestions = web(manager).get("/search/suggest", {"q": "Wang"}).content.decode()
    assert suggestions.count('role="option"') == 3 and "All results" in suggestions
    assert "Nothing found" in web(manager).get("/search/suggest", {"q": "zzzz"}).content.decode()


def test_query_count_is_flat(web, manager, records, django_assert_max_num_queries):
    client = web(manager)
    client.get("/search/suggest", {"q": "a"})
    with django_assert_max_num_queries(8):  # session, user, then one query per kind (counts only when cut)
        client.get("/search/suggest", {"q": "a"})
