"""Bulk work on people: employment contracts for many people in one upload (matched by the employee number in
each file's name, all or nothing, every bad file listed) and several people taken off a team at once."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from outsourcing.core.access import SYSTEM
from outsourcing.documents.models import Document
from outsourcing.teams.actions import contract_owners, do_add_to_team
from outsourcing.teams.models import TeamAssignment

from .conftest import pdf

pytestmark = pytest.mark.django_db
D = datetime.date


def _url(vendor):
    return f"/teams/vendors/{vendor.pk}/contracts"


def test_contracts_are_matched_by_the_employee_number_in_the_name(vendor_a, person):
    a = person(vendor_a, contract=False, employee_number="E0042")
    b = person(vendor_a, contract=False, employee_number="e0043")
    person(vendor_a, contract=False, employee_number="0042")
    found = contract_owners(
        vendor_a, ["E0042_劳动合同.pdf", "张三 E0043.pdf", "E00421.pdf", "contract-E0042.pdf", "[0042].pdf"]
    )
    assert found["E0042_劳动合同.pdf"] == [a]
    assert found["张三 E0043.pdf"] == [b]  # case ignored
    assert found["E00421.pdf"] == []  # a longer number is another number
    assert found["contract-E0042.pdf"] == []  # the number must stand on its own
    assert [m.employee_number for m in found["[0042].pdf"]] == ["0042"]


def test_many_contracts_in_one_upload(web, vendor_a_user, vendor_a, person):
    a = person(vendor_a, contract=False, employee_number="E0042")
    b = person(vendor_a, contract=False, employee_number="E0043")
    response = web(vendor_a_user).post(
        _url(vendor_a), {"contracts": [pdf("E0042_劳动合同.pdf"), pdf("E0043 contract.pdf")]}
    )
    assert response.status_code == 302
    assert [d.original_name for d in Document.for_object(a)] == ["E0042_劳动合同.pdf"]
    assert Document.for_object(b).get().kind == "employment_contract"


def test_every_bad_file_is_listed_and_nothing_is_stored(web, vendor_a_user, vendor_a, vendor_b, person, tmp_path):
    person(vendor_a, contract=False, employee_number="E0042")
    person(vendor_a, contract=False, employee_number="E0043")
    person(vendor_b, contract=False, employee_number="B0001")
    response = web(vendor_a_user).post(
        _url(vendor_a),
        {
            "contracts": [
                pdf("E0042.pdf"),  # good, but not stored because of the others
                pdf("nobody.pdf"),
                pdf("E0042 E0043.pdf"),
                pdf("B0001.pdf"),  # Vendor B's person is not A's
                SimpleUploadedFile("E0043.pdf", b"MZ\x90\x00", content_type="application/pdf"),
            ]
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "nobody.pdf: no employee number of this vendor" in body
    assert "E0042 E0043.pdf: the name fits several people (E0042, E0043)." in body
    assert "B0001.pdf: no employee number" in body
    assert "E0043.pdf: Only PDF, PNG, JPEG, DOCX and XLSX files are accepted." in body
    assert not Document.objects.exists()
    stored = tmp_path / "files"
    assert not stored.exists() or not [p for p in stored.rglob("*") if p.is_file()]


def test_no_file_is_refused_by_the_field(web, vendor_a_user, vendor_a):
    response = web(vendor_a_user).post(_url(vendor_a), {})
    assert response.status_code == 200 and 'id="id_contracts_error"' in response.content.decode()


def test_others_cannot_upload_contracts(web, vendor_a, vendor_b_user, auditor):
    assert web(vendor_b_user).get(_url(vendor_a)).status_code == 404
    assert web(auditor).post(_url(vendor_a), {"contracts": [pdf("E0042.pdf")]}).status_code == 403


def _team(engagement, person, vendor, n):
    return [
        do_add_to_team(
            engagement,
            acting_user=SYSTEM,
            role="Engineer",
            start_date=D(2024, 2, 1),
            member=person(vendor, full_name=f"Person {i}", employee_number=f"P{i}"),
        )
        for i in range(n)
    ]


def test_several_people_leave_the_team_at_once(web, manager, vendor_a, engagement_a, person):
    places = _team(engagement_a, person, vendor_a, 3)
    url = f"/teams/engagements/{engagement_a.pk}/team/end"
    response = web(manager).post(
        url, {"ids": [places[0].pk, places[1].pk], "end_date": "2024-06-30", "leave_reason": "resigned"}, follow=True
    )
    assert "2 people taken off the team." in response.content.decode()
    ends = dict(TeamAssignment.objects.values_list("pk", "end_date"))
    assert ends == {places[0].pk: D(2024, 6, 30), places[1].pk: D(2024, 6, 30), places[2].pk: None}


def test_one_refusal_takes_nobody_off_and_names_the_person(web, manager, vendor_a, engagement_a, person):
    places = _team(engagement_a, person, vendor_a, 2)
    url = f"/teams/engagements/{engagement_a.pk}/team/end"
    response = web(manager).post(
        url, {"ids": [places[0].pk, places[1].pk], "end_date": "2024-01-15", "leave_reason": "resigned"}, follow=True
    )
    body = response.content.decode()
    assert "Nobody was taken off the team" in body and "Person 0:" in body and "Person 1:" in body
    assert not TeamAssignment.objects.filter(end_date__isnull=False).exists()


def test_vendor_b_ends_nothing_on_a_team_of_a(web, vendor_b_user, vendor_a, engagement_a, person):
    places = _team(engagement_a, person, vendor_a, 1)
    response = web(vendor_b_user).post(
        f"/teams/engagements/{engagement_a.pk}/team/end",
        {"ids": [places[0].pk], "end_date": "2024-06-30", "leave_reason": "resigned"},
    )
    assert response.status_code == 404
    assert not TeamAssignment.objects.filter(end_date__isnull=False).exists()
