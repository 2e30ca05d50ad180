"""Team changes through the web forms: who may decide, and what the forms refuse."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outsourcing.documents.models import Document
from outsourcing.teams.actions import do_add_to_team, do_propose_replacement
from outsourcing.teams.models import Replacement, TeamAssignment, Waiver

from .conftest import pdf

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def pending(manager, engagement_a, person):
    lead = person(engagement_a.vendor, full_name="Lead")
    successor = person(engagement_a.vendor, full_name="Next")
    place = do_add_to_team(
        engagement_a, acting_user=manager, member=lead, role="PM", key_person=True, start_date=D(2024, 1, 1)
    )
    return do_propose_replacement(
        engagement_a,
        outgoing=place,
        successor=successor,
        reason="Moving",
        effective_date=D(2030, 1, 1),
        acting_user=manager,
    )


def test_vendor_user_and_auditor_cannot_approve(web, vendor_a_user, auditor, pending):
    url = reverse("teams:replacement-decide", kwargs={"pk": pending.pk})
    assert web(vendor_a_user).post(url, {"decision": "approve"}).status_code == 403
    assert web(auditor).post(url, {"decision": "approve"}).status_code == 403
    assert Replacement.objects.get().status == "pending"


def test_vendor_b_cannot_even_see_the_replacement(web, vendor_b_user, pending):
    url = reverse("teams:replacement-decide", kwargs={"pk": pending.pk})
    assert web(vendor_b_user).post(url, {"decision": "approve"}).status_code == 404


def test_manager_rejects_with_a_note(web, manager, pending):
    url = reverse("teams:replacement-decide", kwargs={"pk": pending.pk})
    assert web(manager).post(url, {"decision": "reject", "note": "Not during go-live"}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == "rejected" and pending.decision_note == "Not during go-live"


def test_a_waiver_form_error_is_shown_next_to_the_field(web, manager, engagement_a, person):
    m = person(engagement_a.vendor)
    do_add_to_team(engagement_a, acting_user=manager, member=m, role="Dev", start_date=D(2024, 1, 1))
    response = web(manager).post(
        reverse("teams:waiver-grant", kwargs={"pk": engagement_a.pk}),
        {
            "member": m.pk,
            "justification": "Needed for the cut-over weekend.",
            "valid_from": "2026-02-01",
            "valid_until": "2026-01-01",
        },
    )
    assert response.status_code == 422
    assert "A waiver cannot expire before it starts." in response.content.decode()
    assert not Waiver.objects.exists()


def test_the_vendor_adds_someone_and_the_manager_acknowledges(web, vendor_a_user, manager, engagement_a, person):
    m = person(engagement_a.vendor, full_name="New Hire")
    web(vendor_a_user).post(
        reverse("teams:team-add", kwargs={"pk": engagement_a.pk}),
        {"member": m.pk, "role": "Dev", "start_date": "2024-03-01"},
    )
    assignment = TeamAssignment.objects.get()
    assert assignment.acknowledged is False
    page = web(manager).get(reverse("teams:engagement-team", kwargs={"pk": engagement_a.pk})).content.decode()
    assert "unapproved change" in page
    web(manager).post(reverse("teams:assignment-acknowledge", kwargs={"pk": assignment.pk}))
    assignment.refresh_from_db()
    assert assignment.acknowledged is True


def test_a_member_contract_is_uploaded_through_the_page(web, vendor_a_user, person):
    m = person(vendor_a_user.vendor, contract=False)
    url = reverse("teams:member-upload", kwargs={"pk": m.pk})
    bad = web(vendor_a_user).post(
        url, {"kind": "employment_contract", "file": SimpleUploadedFile("x.pdf", b"not a pdf")}
    )
    assert bad.status_code == 200 and "Only PDF, PNG, JPEG, DOCX and XLSX files are accepted." in bad.content.decode()
    ok = web(vendor_a_user).post(url, {"kind": "employment_contract", "file": pdf()})
    assert ok.status_code == 302
    assert Document.for_object(m).get().kind == "employment_contract"
    page = web(vendor_a_user).get(reverse("teams:member", kwargs={"pk": m.pk})).content.decode()
    assert "contract.pdf" in page


def test_the_import_page_lists_every_bad_row(web, manager, vendor_a, django_capture_on_commit_callbacks):
    content = (
        b"employee_number,full_name,employment_type,hire_date\n"
        b"E1,Good,regular,2020-01-01\n"
        b"E2,,regular,2020-01-01\n"
        b"E3,Bad date,regular,2020-13-01\n"
    )
    client = web(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("teams:import", kwargs={"pk": vendor_a.pk}),
            {"file": SimpleUploadedFile("r.csv", content)},
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "nothing imported" in page and "full_name" in page and "hire_date" in page
    partial = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="import-status"') and "hx-trigger" not in partial
