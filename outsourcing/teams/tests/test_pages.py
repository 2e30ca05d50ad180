"""The teams pages: who sees what, what they show, and how many queries they cost."""

import datetime

import pytest
from django.urls import reverse

from outsourcing.teams.actions import do_add_to_team, do_grant_waiver, do_propose_replacement
from outsourcing.teams.models import TeamMember

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_roster_lists_filters_and_sorts(web, vendor_a_user, person):
    person(vendor_a_user.vendor, full_name="王芳 Wang Fang", employee_number="A1", contract=False)
    person(
        vendor_a_user.vendor,
        full_name="Tom Baker",
        employee_number="A2",
        employment_type="intern",
        contract=False,
    )
    url = reverse("teams:roster", kwargs={"pk": vendor_a_user.vendor_id})
    client = web(vendor_a_user)
    page = client.get(url).content.decode()
    assert "王芳 Wang Fang" in page and "Tom Baker" in page
    filtered = client.get(url, {"employment_type": "intern"}).content.decode()
    assert "Tom Baker" in filtered and "王芳" not in filtered
    ordered = client.get(url, {"sort": "-name"}).content.decode()
    assert ordered.index("王芳") < ordered.index("Tom Baker")


def test_roster_page_query_count_is_flat(web, manager, vendor_a, person, django_assert_max_num_queries):
    for i in range(40):
        person(vendor_a, full_name=f"P{i:02d}", contract=False)
    client = web(manager)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("teams:roster", kwargs={"pk": vendor_a.pk}), {"per_page": 25})
    assert response.status_code == 200


def test_roster_exports_csv_and_xlsx_in_the_import_layout(web, manager, vendor_a, person):
    person(vendor_a, full_name="李雷 Li Lei", employee_number="X-7", contract=False)
    client = web(manager)
    csv_body = b"".join(client.get(reverse("teams:roster-export", args=[vendor_a.pk, "csv"])).streaming_content)
    text = csv_body.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("employee_number,full_name,employment_type")
    assert "X-7,李雷 Li Lei,regular" in text
    xlsx = client.get(reverse("teams:roster-export", args=[vendor_a.pk, "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_typed_xlsx_roster_imports_back_unchanged(
    web, manager, vendor_a, person, django_capture_on_commit_callbacks
):
    """The export writes dates as dates and empty cells empty; the import reads that file as it is."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    from outsourcing.teams.imports import do_start_roster_import

    person(vendor_a, full_name="李雷 Li Lei", employee_number="X-7", contract=False)
    content = web(manager).get(reverse("teams:roster-export", args=[vendor_a.pk, "xlsx"])).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, sheet[2], strict=False))
    assert row["hire_date"].is_date and row["left_date"].value is None
    upload = SimpleUploadedFile("roster.xlsx", content)
    with django_capture_on_commit_callbacks(execute=True):
        job = do_start_roster_import(vendor_a, upload=upload, acting_user=manager)
    job.refresh_from_db()
    assert (job.status, job.error_count, job.unchanged_count, job.created_count) == ("done", 0, 1, 0), job.errors


def test_vendor_b_gets_404_on_everything_of_a(web, vendor_b_user, vendor_a, engagement_a, person):
    member = person(vendor_a)
    client = web(vendor_b_user)
    for url in [
        reverse("teams:roster", kwargs={"pk": vendor_a.pk}),
        reverse("teams:roster-export", args=[vendor_a.pk, "csv"]),
        reverse("teams:stability", kwargs={"pk": vendor_a.pk}),
        reverse("teams:member", kwargs={"pk": member.pk}),
        reverse("teams:member-edit", kwargs={"pk": member.pk}),
        reverse("teams:import", kwargs={"pk": vendor_a.pk}),
        reverse("teams:engagement-team", kwargs={"pk": engagement_a.pk}),
    ]:
        assert client.get(url).status_code == 404, url


def test_the_vendor_user_sees_only_its_own_roster_and_teams(web, vendor_a_user, engagement_a, engagement_b):
    page = web(vendor_a_user).get(reverse("teams:list")).content.decode()
    assert reverse("teams:roster", kwargs={"pk": vendor_a_user.vendor_id}) in page
    assert reverse("teams:roster", kwargs={"pk": engagement_b.vendor_id}) not in page
    assert reverse("teams:engagement-team", kwargs={"pk": engagement_a.pk}) in page
    assert reverse("teams:engagement-team", kwargs={"pk": engagement_b.pk}) not in page


def test_overview_query_count_is_flat(web, manager, vendor_a, django_assert_max_num_queries):
    from outsourcing.engagements.models import Engagement

    for i in range(12):
        Engagement.objects.create(code=f"E{i}", title="x", form="service", vendor=vendor_a, start_date=D(2024, 1, 1))
    client = web(manager)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("teams:list")).status_code == 200


def test_auditor_reads_pages_but_may_not_edit(web, auditor, vendor_a, person):
    member = person(vendor_a)
    client = web(auditor)
    assert client.get(reverse("teams:member", kwargs={"pk": member.pk})).status_code == 200
    assert client.get(reverse("teams:member-edit", kwargs={"pk": member.pk})).status_code == 403
    assert (
        client.post(reverse("teams:member-create", kwargs={"pk": vendor_a.pk}), {"full_name": "x"}).status_code == 403
    )
    assert TeamMember.objects.count() == 1


def test_vendor_user_adds_a_member_through_the_form(web, vendor_a_user):
    client = web(vendor_a_user)
    url = reverse("teams:member-create", kwargs={"pk": vendor_a_user.vendor_id})
    bad = client.post(
        url,
        {
            "full_name": "陈晨",
            "employment_type": "regular",
            "hire_date": "2024-05-01",
            "left_date": "2024-05-01",
            "prior_experience_months": 0,
        },
    )
    assert bad.status_code == 200 and "The left date must be after the hire date." in bad.content.decode()
    assert not TeamMember.objects.exists()
    ok = client.post(
        url,
        {
            "full_name": "陈晨",
            "employment_type": "regular",
            "hire_date": "2024-05-01",
            "prior_experience_months": 0,
        },
    )
    assert ok.status_code == 302
    assert TeamMember.objects.get().full_name == "陈晨"


def test_the_team_page_shows_verdicts_reasons_and_pending_replacements(web, manager, engagement_a, person):
    ok = person(engagement_a.vendor, full_name="Fully Eligible")
    intern = person(engagement_a.vendor, full_name="An Intern", employment_type="intern")
    successor = person(engagement_a.vendor, full_name="Successor Person")
    lead = do_add_to_team(
        engagement_a, acting_user=manager, member=ok, role="Lead", key_person=True, start_date=D(2024, 1, 1)
    )
    do_add_to_team(engagement_a, acting_user=manager, member=intern, role="Support", start_date=D(2024, 1, 1))
    do_grant_waiver(
        engagement_a,
        member=intern,
        acting_user=manager,
        justification="Short handover period only.",
        valid_from=D(2024, 1, 1),
        valid_until=D(2099, 1, 1),
    )
    do_propose_replacement(
        engagement_a,
        outgoing=lead,
        successor=successor,
        reason="Promotion",
        effective_date=D(2030, 1, 1),
        acting_user=manager,
    )
    page = web(manager).get(reverse("teams:engagement-team", kwargs={"pk": engagement_a.pk})).content.decode()
    assert "eligible with waiver" in page and "Not a regular employee" in page
    assert "Successor Person" in page and "Approve" in page


def test_team_page_query_count_is_flat(web, manager, engagement_a, person, django_assert_max_num_queries):
    for i in range(15):
        m = person(engagement_a.vendor, full_name=f"M{i}")
        do_add_to_team(engagement_a, acting_user=manager, member=m, role="Dev", start_date=D(2024, 1, 1))
    client = web(manager)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("teams:engagement-team", kwargs={"pk": engagement_a.pk}))
    assert response.status_code == 200


def test_the_stability_page_draws_both_charts(web, manager, vendor_a, person):
    person(vendor_a, hire_date=D(2020, 1, 1), left_date=D(2023, 5, 1), contract=False)
    person(vendor_a, hire_date=D(2021, 1, 1), contract=False)
    page = (
        web(manager)
        .get(
            reverse("teams:stability", kwargs={"pk": vendor_a.pk}),
            {"start": "2023-01-01", "end": "2023-12-31"},
        )
        .content.decode()
    )
    assert page.count("<svg") == 2 and "Retention curve" in page and "days since hire" in page


def test_the_stability_page_of_an_empty_roster_says_no_data(web, manager, vendor_a):
    page = web(manager).get(reverse("teams:stability", kwargs={"pk": vendor_a.pk})).content.decode()
    assert "no data" in page


def test_overview_lists_pending_engagements(web, manager, engagement_a, person):
    m = person(engagement_a.vendor)
    s = person(engagement_a.vendor, full_name="S")
    lead = do_add_to_team(
        engagement_a, acting_user=manager, member=m, role="Lead", key_person=True, start_date=D(2024, 1, 1)
    )
    do_propose_replacement(
        engagement_a,
        outgoing=lead,
        successor=s,
        reason="Moving",
        effective_date=D(2030, 1, 1),
        acting_user=manager,
    )
    page = web(manager).get(reverse("teams:list"), {"pending": "1"}).content.decode()
    assert "1 replacement awaiting approval" in page


def test_dashboard_cards_count_pending_replacements(web, manager, engagement_a, person):
    from outsourcing.teams.contributions import dashboard_cards

    m = person(engagement_a.vendor)
    s = person(engagement_a.vendor, full_name="S")
    lead = do_add_to_team(
        engagement_a, acting_user=manager, member=m, role="Lead", key_person=True, start_date=D(2024, 1, 1)
    )
    assert dashboard_cards(manager) == []
    do_propose_replacement(
        engagement_a,
        outgoing=lead,
        successor=s,
        reason="Moving",
        effective_date=D(2030, 1, 1),
        acting_user=manager,
    )
    cards = dashboard_cards(manager)
    assert [c.count for c in cards] == [1]
    assert "Key-person replacements awaiting approval" in web(manager).get("/").content.decode()


def test_pages_speak_chinese(web, manager, vendor_a, person):
    person(vendor_a, contract=False)
    client = web(manager)
    page = client.get(
        reverse("teams:roster", kwargs={"pk": vendor_a.pk}), headers={"accept-language": "zh-hans"}
    ).content.decode()
    assert "的花名册" in page and "导出 CSV" in page
