"""Verifying a certificate records how it was checked and a reference, on at least one evidence file (SPEC
"Verification of a qualification"); a reviewer may verify a queue of them at once, each still recorded."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from outsourcing.core.access import SYSTEM
from outsourcing.qualifications.actions import do_attach_evidence, do_update_qualification, do_verify_qualifications
from outsourcing.qualifications.models import Qualification

from .conftest import VERIFY

pytestmark = pytest.mark.django_db


def _with_scan(qualification, pdf):  # type: ignore[no-untyped-def]
    do_attach_evidence(qualification, acting_user=SYSTEM, upload=pdf())
    return qualification


def test_the_issue_replayed_one_click_with_no_evidence_is_refused_naming_every_missing_part(
    api, manager, vendor_a, make_qualification
):
    qualification = make_qualification(vendor_a, "iso27001", verified=False)
    response = api(manager).post(f"/qualifications/{qualification.pk}/verify", {})
    assert response.status_code == 422
    assert sorted(d["field"] for d in response.json()["detail"]) == ["documents", "method", "reference"]
    qualification.refresh_from_db()
    assert qualification.verification_status == "pending"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reference": "CNCA 2026-0415"}, "method"),
        ({"method": "looked_at_it", "reference": "CNCA 2026-0415"}, "method"),
        ({"method": "original_seen"}, "reference"),
        ({"method": "original_seen", "reference": "   "}, "reference"),
    ],
)
def test_each_missing_part_is_named(api, manager, vendor_a, make_qualification, pdf, body, field):
    qualification = _with_scan(make_qualification(vendor_a, "iso27001", verified=False), pdf)
    response = api(manager).post(f"/qualifications/{qualification.pk}/verify", body)
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == [field]


@pytest.mark.parametrize("method", ["issuer_register", "original_seen", "certified_copy"])
def test_a_verification_records_method_and_reference(api, manager, vendor_a, make_qualification, pdf, method):
    qualification = _with_scan(make_qualification(vendor_a, "iso27001", verified=False), pdf)
    body = {"method": method, "reference": "CNCA 认证结果查询 2026-0415"}
    response = api(manager).post(f"/qualifications/{qualification.pk}/verify", body)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["verification_status"], answer["verification_method"]) == ("verified", method)
    assert answer["verification_reference"] == "CNCA 认证结果查询 2026-0415"
    entry = LogEntry.objects.get_for_object(qualification).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["verification_method"][1] == method


def test_a_vendor_changing_a_fact_clears_the_verification_record(vendor_a_user, vendor_a, make_qualification):
    qualification = make_qualification(vendor_a, "iso27001")
    assert qualification.verification_method == "issuer_register"
    do_update_qualification(qualification, acting_user=vendor_a_user, changes={"number": "NEW-1"})
    qualification.refresh_from_db()
    assert qualification.verification_status == "pending"
    assert (qualification.verification_method, qualification.verification_reference) == ("", "")


def test_the_verify_form_asks_for_method_and_reference(web, manager, vendor_a, make_qualification, pdf):
    qualification = make_qualification(vendor_a, "iso27001", verified=False)
    client = web(manager)
    page = client.get(f"/qualifications/{qualification.pk}/verify").content.decode()
    assert 'name="method"' in page and 'name="reference"' in page
    response = client.post(f"/qualifications/{qualification.pk}/verify", VERIFY)
    assert response.status_code == 200
    assert "Attach at least one evidence file" in response.content.decode()
    response = client.post(f"/qualifications/{qualification.pk}/verify", {"method": "", "reference": ""})
    assert set(response.context["form"].errors) >= {"method", "reference"}
    _with_scan(qualification, pdf)
    response = client.post(f"/qualifications/{qualification.pk}/verify", VERIFY)
    assert response.status_code == 302
    qualification.refresh_from_db()
    assert qualification.verification_status == "verified"


# Verify selected --------------------------------------------------------------------------------------


def test_verify_selected_records_method_and_reference_on_each(
    web, manager, vendor_a, vendor_b, make_qualification, pdf
):
    first = _with_scan(make_qualification(vendor_a, "iso27001", verified=False), pdf)
    second = _with_scan(make_qualification(vendor_b, "iso9001", verified=False, number="B-1"), pdf)
    client = web(manager)
    listing = client.get("/qualifications/").content.decode()
    assert "Verify selected" in listing and f'value="{first.pk}"' in listing
    page = client.get(f"/qualifications/verify?ids={first.pk}&ids={second.pk}").content.decode()
    assert "CERT-001" in page and "B-1" in page
    body = {"ids": [first.pk, second.pk], "method": "certified_copy", "reference": "Batch 2026-11 desk check"}
    response = client.post("/qualifications/verify", body)
    assert response.status_code == 302
    for q in Qualification.objects.filter(pk__in=[first.pk, second.pk]):
        assert (q.verification_status, q.verification_method, q.verification_reference) == (
            "verified",
            "certified_copy",
            "Batch 2026-11 desk check",
        )
        assert q.verified_by == manager


def test_verify_selected_is_all_or_nothing_naming_each_refused_one(web, manager, vendor_a, make_qualification, pdf):
    with_scan = _with_scan(make_qualification(vendor_a, "iso27001", verified=False), pdf)
    without = make_qualification(vendor_a, "iso9001", verified=False, number="NO-SCAN-7")
    response = web(manager).post(
        "/qualifications/verify", {"ids": [with_scan.pk, without.pk], "method": "original_seen", "reference": "x"}
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and "NO-SCAN-7" in errors[0] and "evidence" in errors[0]
    assert not Qualification.objects.filter(verification_status="verified").exists()


def test_verify_selected_asks_once_for_method_and_reference():
    with pytest.raises(ValidationError) as info:
        do_verify_qualifications([Qualification()], acting_user=SYSTEM, method="", reference="")
    assert set(info.value.message_dict) == {"method", "reference"}


def test_only_the_owners_writers_verify_selected(web, auditor, vendor_a_user, vendor_a, make_qualification):
    qualification = make_qualification(vendor_a, "iso27001", verified=False)
    for user in (auditor, vendor_a_user):
        response = web(user).post("/qualifications/verify", {"ids": [qualification.pk], **VERIFY})
        assert response.status_code == 403
    assert Qualification.objects.get().verification_status == "pending"
