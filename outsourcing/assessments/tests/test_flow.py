"""The flow draft → sent → submitted → in review → completed (or returned → submitted), through the API:
each transition in the wrong state is a 422 naming `status`, with nothing changed."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from outsourcing.assessments import actions
from outsourcing.assessments.models import Answer, Assessment
from outsourcing.documents.models import Document

from .conftest import pdf_upload, score_all

pytestmark = pytest.mark.django_db


def _items(client, assessment_id):  # type: ignore[no-untyped-def]
    template_id = client.get(f"/assessments/{assessment_id}").json()["template_id"]
    sections = client.get(f"/assessment-templates/{template_id}").json()["sections"]
    return {i["code"]: i["id"] for s in sections for i in s["items"]}


def test_the_whole_flow_through_the_api(api, manager, vendor_a, vendor_a_user, small_template, fake_fit) -> None:  # type: ignore[no-untyped-def]
    fake_fit[vendor_a.pk] = 80
    owner, vendor = api(manager), api(vendor_a_user)
    created = owner.post("/assessments", {"vendor_id": vendor_a.pk, "template_id": small_template.pk})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert len(created.json()["answers"]) == 4
    items = _items(owner, pk)
    assert owner.post(f"/assessments/{pk}/send").json()["status"] == "sent"
    for code, value in {"i1": "4", "i2": "yes", "i3": "3"}.items():
        response = vendor.post(
            f"/assessments/{pk}/items/{items[code]}/answer", {"value": value, "response": "制度文件第 3 章"}
        )
        assert response.status_code == 200, response.content
    upload = vendor.post(f"/assessments/{pk}/items/{items['i1']}/evidence", {}, files={"file": pdf_upload()})
    assert upload.status_code == 201, upload.content
    assert upload.json()["kind"] == "assessment_evidence"
    assert vendor.post(f"/assessments/{pk}/submit").json()["status"] == "submitted"
    assert owner.post(f"/assessments/{pk}/start-review").json()["status"] == "in_review"
    for code, score in {"i1": 4, "i2": 1, "i3": 3}.items():
        assert (
            owner.post(f"/assessments/{pk}/items/{items[code]}/score", {"score": score, "note": "ok"}).status_code
            == 200
        )
    finding = owner.post(
        f"/assessments/{pk}/findings",
        {
            "severity": "minor",
            "description": "Reports lack resource figures",
            "item_id": items["i3"],
            "evidence_id": upload.json()["id"],
        },
    )
    assert finding.status_code == 201, finding.content
    comment = vendor.post(f"/findings/{finding.json()['id']}/comment", {"comment": "将在下期报告中补充"})
    assert comment.status_code == 200
    done = owner.post(f"/assessments/{pk}/complete", {"conclusion": "Sound system."})
    assert done.status_code == 200, done.content
    body = done.json()
    # i1 2 + i2 1 + i3 0.75 + crit 0.8 = 4.55 of 5 = 91
    assert body["status"] == "completed"
    assert body["score"] == pytest.approx(91.0)
    assert body["recommendation"] == "approve"
    detail = owner.get(f"/assessments/{pk}").json()
    assert detail["findings"][0]["vendor_comment"] == "将在下期报告中补充"
    assert detail["answers"][0]["evidence"][0]["kind"] == "assessment_evidence"


@pytest.mark.parametrize(
    ("stop_at", "call", "who"),
    [
        ("draft", "submit", "vendor_manager"),
        ("draft", "start-review", "manager"),
        ("draft", "complete", "manager"),
        ("sent", "send", "manager"),
        ("sent", "start-review", "manager"),
        ("submitted", "submit", "manager"),
        ("submitted", "complete", "manager"),
        ("in_review", "send", "manager"),
        ("in_review", "submit", "manager"),
    ],
)
def test_a_transition_in_the_wrong_state_is_422_naming_status(  # type: ignore[no-untyped-def]
    api, flow, manager, vendor_a, vendor_a_user, stop_at, call, who
) -> None:
    assessment = flow(vendor_a, vendor_a_user, stop_at=stop_at)
    before = Assessment.objects.get(pk=assessment.pk).status
    response = api(manager).post(f"/assessments/{assessment.pk}/{call}", {})
    assert response.status_code == 422, response.content
    detail = response.json()["detail"][0]
    assert detail["field"] == "status"
    assert "Cannot" in detail["msg"]
    assert Assessment.objects.get(pk=assessment.pk).status == before


def test_answering_after_submission_is_refused(api, flow, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user, stop_at="submitted")
    response = api(vendor_a_user).post(f"/assessments/{assessment.pk}/items/{item('i1').pk}/answer", {"value": "1"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "status"
    assert Answer.objects.get(assessment=assessment, item=item("i1")).value == "4"


def test_submission_needs_every_shown_item_answered_and_required_evidence(  # type: ignore[no-untyped-def]
    api, flow, manager, vendor_a, vendor_a_user, small_template, item
) -> None:
    assessment = actions.do_create_assessment(acting_user=manager, vendor=vendor_a, template=small_template)
    actions.do_send_assessment(assessment, acting_user=manager)
    client = api(vendor_a_user)
    response = client.post(f"/assessments/{assessment.pk}/submit")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "answers"
    assert "i1, i2" in response.json()["detail"][0]["msg"]  # i3 is hidden while i2 is unanswered
    actions.do_answer_item(assessment, item("i1"), acting_user=vendor_a_user, value="3")
    actions.do_answer_item(assessment, item("i2"), acting_user=vendor_a_user, value="no")
    response = client.post(f"/assessments/{assessment.pk}/submit")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "evidence"
    actions.do_attach_evidence(assessment, item("i1"), acting_user=vendor_a_user, upload=pdf_upload())
    assert client.post(f"/assessments/{assessment.pk}/submit").json()["status"] == "submitted"


def test_a_returned_item_goes_back_to_the_vendor_alone(api, flow, manager, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user)
    owner, vendor = api(manager), api(vendor_a_user)
    score_all(assessment, manager, {"i1": 2})
    empty = owner.post(f"/assessments/{assessment.pk}/items/{item('i1').pk}/return", {"reason": ""})
    assert empty.status_code == 422
    returned = owner.post(f"/assessments/{assessment.pk}/items/{item('i1').pk}/return", {"reason": "附件缺少审批页"})
    assert returned.status_code == 200
    assert returned.json()["returned"] is True and returned.json()["score"] is None
    assert owner.get(f"/assessments/{assessment.pk}").json()["status"] == "returned"
    other = vendor.post(f"/assessments/{assessment.pk}/items/{item('i2').pk}/answer", {"value": "no"})
    assert other.status_code == 422
    assert other.json()["detail"][0]["field"] == "item_id"
    fixed = vendor.post(
        f"/assessments/{assessment.pk}/items/{item('i1').pk}/answer", {"value": "4", "response": "补充审批页"}
    )
    assert fixed.status_code == 200
    assert vendor.post(f"/assessments/{assessment.pk}/submit").json()["status"] == "submitted"
    assert not Answer.objects.filter(assessment=assessment, returned=True).exists()


def test_completion_needs_every_shown_item_scored(api, flow, manager, vendor_a, vendor_a_user) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user)
    score_all(assessment, manager, {"i1": 4, "i2": 1})
    response = api(manager).post(f"/assessments/{assessment.pk}/complete", {})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "answers"
    assert "i3" in response.json()["detail"][0]["msg"]
    assert Assessment.objects.get(pk=assessment.pk).status == "in_review"


def test_scores_outside_the_scale_are_refused(api, flow, manager, vendor_a, vendor_a_user, item, fake_fit) -> None:  # type: ignore[no-untyped-def]
    fake_fit[vendor_a.pk] = 50  # the system has data for crit: it is not scored by hand
    assessment = flow(vendor_a, vendor_a_user)
    client = api(manager)
    assert client.post(f"/assessments/{assessment.pk}/items/{item('i2').pk}/score", {"score": 2}).status_code == 422
    assert client.post(f"/assessments/{assessment.pk}/items/{item('i1').pk}/score", {"score": 5}).status_code == 422
    crit = client.post(f"/assessments/{assessment.pk}/items/{item('crit').pk}/score", {"score": 1})
    assert crit.status_code == 422 and crit.json()["detail"][0]["field"] == "item_id"


def test_an_answer_off_the_scale_is_refused(api, flow, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user, stop_at="sent")
    response = api(vendor_a_user).post(f"/assessments/{assessment.pk}/items/{item('i2').pk}/answer", {"value": "maybe"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "value"


def test_a_refused_evidence_file_leaves_nothing(api, flow, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    assessment = flow(vendor_a, vendor_a_user, stop_at="sent")
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = api(vendor_a_user).post(
        f"/assessments/{assessment.pk}/items/{item('i1').pk}/evidence", {}, files={"file": fake}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "file"
    assert not Document.objects.exists()


def test_a_repeat_assessment_starts_from_the_last_answers(
    api, flow, manager, vendor_a, vendor_a_user, small_template
) -> None:  # type: ignore[no-untyped-def]
    first = flow(vendor_a, vendor_a_user, answers={"i1": "3", "i2": "yes", "i3": "2"})
    response = api(manager).post(
        "/assessments", {"vendor_id": vendor_a.pk, "template_id": small_template.pk, "start_from_last": True}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["based_on_id"] == first.pk
    values = {a["item_id"]: a["value"] for a in body["answers"]}
    copied = {a.item_id: a.value for a in Answer.objects.filter(assessment=first)}
    assert values == copied
    assert all(a["score"] is None for a in body["answers"])


def test_every_transition_is_audited_with_its_actor(
    api, manager, vendor_a, vendor_a_user, small_template, item
) -> None:  # type: ignore[no-untyped-def]
    owner, vendor = api(manager), api(vendor_a_user)
    pk = owner.post("/assessments", {"vendor_id": vendor_a.pk, "template_id": small_template.pk}).json()["id"]
    owner.post(f"/assessments/{pk}/send")
    for code, value in {"i1": "4", "i2": "no"}.items():
        vendor.post(f"/assessments/{pk}/items/{item(code).pk}/answer", {"value": value})
    vendor.post(f"/assessments/{pk}/items/{item('i1').pk}/evidence", {}, files={"file": pdf_upload()})
    assert vendor.post(f"/assessments/{pk}/submit").status_code == 200
    owner.post(f"/assessments/{pk}/start-review")
    entries = list(
        LogEntry.objects.filter(content_type__model="assessment", object_pk=str(pk)).order_by("timestamp", "pk")
    )
    changes = [(e.changes_dict.get("status", [None, None])[1], e.actor) for e in entries]
    assert changes == [
        ("draft", manager),
        ("sent", manager),
        ("submitted", vendor_a_user),
        ("in_review", manager),
    ]
    answers = LogEntry.objects.filter(content_type__model="answer", action=LogEntry.Action.UPDATE)
    assert {e.actor for e in answers} == {vendor_a_user}


def test_a_retired_template_starts_nothing(api, manager, vendor_a, small_template) -> None:  # type: ignore[no-untyped-def]
    small_template.is_active = False
    small_template.save()
    response = api(manager).post("/assessments", {"vendor_id": vendor_a.pk, "template_id": small_template.pk})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "template_id"
    assert not Assessment.objects.exists()


def test_an_item_added_to_the_template_mid_way_can_be_answered(api, flow, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    from outsourcing.assessments.models import TemplateItem

    assessment = flow(vendor_a, vendor_a_user, stop_at="sent")
    late = TemplateItem.objects.create(section=item("i1").section, code="late", text="Added later", order=99)
    response = api(vendor_a_user).post(f"/assessments/{assessment.pk}/items/{late.pk}/answer", {"value": "2"})
    assert response.status_code == 200
    assert Answer.objects.get(assessment=assessment, item=late).value == "2"
