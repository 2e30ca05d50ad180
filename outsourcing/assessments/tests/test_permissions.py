"""Who may see and do what: vendor B sees nothing of A's (404); a vendor sees no drafts and cannot score;
the auditor reads everything and changes nothing (403); admins alone edit templates and thresholds."""

from __future__ import annotations

import pytest

from outsourcing.assessments import actions
from outsourcing.assessments.models import Answer, Assessment, Finding

pytestmark = pytest.mark.django_db


def test_vendor_b_cannot_see_as_assessment_anywhere(
    api, web, flow, vendor_a, vendor_a_user, vendor_b_user, item
) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user)
    client = api(vendor_b_user)
    assert client.get(f"/assessments/{assessment.pk}").status_code == 404
    assert client.get(f"/assessments/{assessment.pk}/result").status_code == 404
    assert client.get("/assessments").json()["count"] == 0
    assert client.post(f"/assessments/{assessment.pk}/submit").status_code == 404
    assert client.post(f"/assessments/{assessment.pk}/items/{item('i1').pk}/answer", {"value": "0"}).status_code == 404
    assert web(vendor_b_user).get(f"/assessments/{assessment.pk}/").status_code == 404
    assert vendor_a.name not in web(vendor_b_user).get("/assessments/").content.decode()


def test_vendor_b_cannot_comment_on_as_finding(api, flow, manager, vendor_a, vendor_a_user, vendor_b_user) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user)
    finding = actions.do_record_finding(assessment, acting_user=manager, severity="minor", description="Gap")
    assert api(vendor_b_user).post(f"/findings/{finding.pk}/comment", {"comment": "x"}).status_code == 404
    assert Finding.objects.get(pk=finding.pk).vendor_comment == ""


def test_a_vendor_does_not_see_a_draft(api, flow, vendor_a, vendor_a_user) -> None:  # type: ignore[no-untyped-def]
    draft = flow(vendor_a, vendor_a_user, stop_at="draft")
    assert api(vendor_a_user).get(f"/assessments/{draft.pk}").status_code == 404


def test_a_vendor_cannot_score_return_complete_or_record_findings(api, flow, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user)
    client = api(vendor_a_user)
    base = f"/assessments/{assessment.pk}"
    assert client.post(f"{base}/items/{item('i1').pk}/score", {"score": 4}).status_code == 403
    assert client.post(f"{base}/items/{item('i1').pk}/return", {"reason": "x"}).status_code == 403
    assert client.post(f"{base}/complete", {}).status_code == 403
    assert client.post(f"{base}/findings", {"severity": "minor", "description": "x"}).status_code == 403
    assert (
        client.post(
            "/assessments", {"vendor_id": assessment.vendor_id, "template_id": assessment.template_id}
        ).status_code
        == 403
    )
    assert Answer.objects.get(assessment=assessment, item=item("i1")).score is None


def test_the_auditor_reads_but_changes_nothing(
    api, web, flow, vendor_a, vendor_a_user, auditor, item, small_template
) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user)
    client = api(auditor)
    assert client.get(f"/assessments/{assessment.pk}").status_code == 200
    assert client.get(f"/assessments/{assessment.pk}/result").status_code == 200
    count = Assessment.objects.count()
    assert client.post("/assessments", {"vendor_id": vendor_a.pk, "template_id": small_template.pk}).status_code == 403
    assert client.post(f"/assessments/{assessment.pk}/items/{item('i1').pk}/score", {"score": 4}).status_code == 403
    assert client.post(f"/assessments/{assessment.pk}/items/{item('i1').pk}/answer", {"value": "1"}).status_code == 403
    assert client.post(f"/assessments/{assessment.pk}/submit").status_code == 403
    assert client.post(f"/assessments/{assessment.pk}/complete", {}).status_code == 403
    assert Assessment.objects.count() == count
    assert web(auditor).get("/assessments/new").status_code == 403
    assert web(auditor).get(f"/assessments/templates/{small_template.pk}/edit").status_code == 403
    assert web(auditor).get("/assessments/settings").status_code == 403


def test_the_vendor_of_an_assessment_answers_it_but_its_user_cannot_send_it(api, flow, vendor_a, vendor_a_user) -> None:  # type: ignore[no-untyped-def]
    draft = flow(vendor_a, vendor_a_user, stop_at="sent")
    assert api(vendor_a_user).post(f"/assessments/{draft.pk}/send").status_code == 403


def test_only_admins_edit_templates_and_thresholds(web, manager, admin, small_template) -> None:  # type: ignore[no-untyped-def]
    assert web(manager).get(f"/assessments/templates/{small_template.pk}/").status_code == 200
    assert web(manager).post(f"/assessments/templates/{small_template.pk}/edit", {"name": "x"}).status_code == 403
    assert web(manager).post("/assessments/settings", {"approve_threshold": 1}).status_code == 403
    response = web(admin).post("/assessments/settings", {"approve_threshold": "85", "conditions_threshold": "65"})
    assert response.status_code == 302


def test_vendor_users_cannot_see_templates_or_compare(web, vendor_a_user, small_template) -> None:  # type: ignore[no-untyped-def]
    assert web(vendor_a_user).get("/assessments/templates/").status_code == 404
    assert web(vendor_a_user).get("/assessments/compare/").status_code == 404


def test_the_vendor_sees_scores_only_once_the_assessment_is_completed(  # type: ignore[no-untyped-def]
    api, web, flow, manager, vendor_a, vendor_a_user, item, fake_fit
) -> None:
    from outsourcing.assessments import actions as act

    from .conftest import score_all

    fake_fit[vendor_a.pk] = 50
    assessment = flow(vendor_a, vendor_a_user)
    score_all(assessment, manager, {"i1": 1})
    act.do_score_item(assessment, item("i2"), acting_user=manager, score=1, note="内部意见 internal note")
    client = api(vendor_a_user)
    body = client.get(f"/assessments/{assessment.pk}").json()
    assert {a["score"] for a in body["answers"]} == {None}
    assert "internal note" not in str(body)
    assert client.get(f"/assessments/{assessment.pk}/result").status_code == 422
    assert "internal note" not in web(vendor_a_user).get(f"/assessments/{assessment.pk}/").content.decode()
    assert api(manager).get(f"/assessments/{assessment.pk}/result").status_code == 200
    score_all(assessment, manager, {"i3": 4})
    act.do_complete_assessment(assessment, acting_user=manager)
    result = client.get(f"/assessments/{assessment.pk}/result")
    assert result.status_code == 200
    assert "internal note" in web(vendor_a_user).get(f"/assessments/{assessment.pk}/").content.decode()


def test_vendor_b_cannot_download_as_evidence(web, flow, vendor_a, vendor_a_user, vendor_b_user, auditor) -> None:  # type: ignore[no-untyped-def]
    from outsourcing.documents.models import Document

    flow(vendor_a, vendor_a_user)
    document = Document.objects.get(kind="assessment_evidence")
    assert document.vendor_id == vendor_a.pk
    assert web(vendor_b_user).get(f"/documents/{document.pk}/download").status_code == 404
    assert web(auditor).get(f"/documents/{document.pk}/download").status_code == 200
    assert web(vendor_a_user).get(f"/documents/{document.pk}/download").status_code == 200


def test_the_openapi_document_lists_the_assessment_calls(api, manager) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/assessments",
        "/api/v1/assessments/{assessment_id}/submit",
        "/api/v1/assessments/{assessment_id}/items/{item_id}/evidence",
        "/api/v1/scoring/ahp",
        "/api/v1/scoring/compare",
        "/api/v1/assessment-templates/{template_id}",
    ):
        assert path in paths


def test_thresholds_through_the_api_admin_only(api, admin, manager, vendor_a_user) -> None:  # type: ignore[no-untyped-def]
    assert api(manager).get("/assessment-settings").json() == {
        "approve_threshold": 80.0,
        "conditions_threshold": 60.0,
        "critical_months": 12,  # the re-examination cycle by risk tier (SPEC's defaults)
        "high_months": 24,
        "standard_months": 36,
        "unset_months": 12,
    }
    assert api(vendor_a_user).get("/assessment-settings").status_code == 404
    assert api(manager).patch("/assessment-settings", {"approve_threshold": 90}).status_code == 403
    crossed = api(admin).patch("/assessment-settings", {"conditions_threshold": 85})
    assert crossed.status_code == 422 and crossed.json()["detail"][0]["field"] == "conditions_threshold"
    assert api(admin).patch("/assessment-settings", {"approve_threshold": 90}).json()["approve_threshold"] == 90.0
