"""The questionnaire is one form: the vendor's page of answers (with evidence) and the reviewer's page of scores
are each saved at once, all or nothing, with errors next to each item; htmx saves keep the user on the page."""

from __future__ import annotations

from decimal import Decimal

from outsourcing.assessments.models import Answer, Assessment
from outsourcing.documents.models import Document

from .conftest import pdf_upload


def _url(assessment: Assessment) -> str:
    return f"/assessments/{assessment.pk}/page"


def test_one_post_saves_every_answer_and_its_evidence(web, flow, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user, stop_at="sent")
    i1, i2, i3 = item("i1"), item("i2"), item("i3")
    response = web(vendor_a_user).post(
        _url(assessment),
        {
            "mode": "answers",
            f"value-{i1.pk}": "3",
            f"response-{i1.pk}": "制度汇编",
            f"value-{i2.pk}": "yes",
            f"value-{i3.pk}": "",
            f"response-{i3.pk}": "草稿",  # a draft may leave the answer open
            f"file-{i1.pk}": pdf_upload(),
        },
    )
    assert response.status_code == 302
    answers = {a.item.code: a for a in Answer.objects.filter(assessment=assessment).select_related("item")}
    assert (answers["i1"].value, answers["i1"].response) == ("3", "制度汇编")
    assert answers["i2"].value == "yes"
    assert (answers["i3"].value, answers["i3"].response) == ("", "草稿")
    assert Document.for_object(answers["i1"]).count() == 1


def test_one_bad_answer_saves_nothing_and_names_its_item(web, flow, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user, stop_at="sent")
    i1, i2 = item("i1"), item("i2")
    response = web(vendor_a_user).post(
        _url(assessment),
        {
            "mode": "answers",
            f"value-{i1.pk}": "3",
            f"value-{i2.pk}": "7",  # not on the yes/no scale
            f"file-{i1.pk}": pdf_upload(),  # a good file is not stored when another field is refused
        },
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in body
    assert f'id="item-errors-{i2.pk}"' in body and "Choose one of: yes, no." in body
    assert not Answer.objects.filter(assessment=assessment).exclude(value="").exists()
    assert not Document.objects.exists()


def test_a_refused_file_is_named_next_to_its_item_and_nothing_is_stored(
    web, flow, vendor_a, vendor_a_user, item, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    assessment = flow(vendor_a, vendor_a_user, stop_at="sent")
    i1, i2 = item("i1"), item("i2")
    response = web(vendor_a_user).post(
        _url(assessment),
        {
            "mode": "answers",
            f"value-{i1.pk}": "3",
            f"file-{i1.pk}": pdf_upload(),
            f"value-{i2.pk}": "yes",
            f"file-{i2.pk}": SimpleUploadedFile("run.exe", b"MZ\x90\x00binary", content_type="application/pdf"),
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Only PDF, PNG, JPEG, DOCX and XLSX files are accepted." in body
    assert 'value="3" selected' in body  # the user's input is kept
    assert not Document.objects.exists()
    assert not Answer.objects.filter(assessment=assessment).exclude(value="").exists()
    files = [p for p in (tmp_path / "files").rglob("*") if p.is_file()] if (tmp_path / "files").exists() else []
    assert files == []


def test_an_htmx_save_answers_with_the_time_and_keeps_the_page(web, flow, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user, stop_at="sent")
    i1 = item("i1")
    response = web(vendor_a_user).post(
        _url(assessment), {"mode": "answers", f"value-{i1.pk}": "2"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<p id="save-status"') and "Saved at " in body
    assert "<html" not in body


def test_an_unchanged_autosave_writes_nothing(web, flow, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    from auditlog.models import LogEntry

    assessment = flow(vendor_a, vendor_a_user, stop_at="sent")
    i1 = item("i1")
    client = web(vendor_a_user)
    data = {"mode": "answers", f"value-{i1.pk}": "2", f"response-{i1.pk}": "a"}
    client.post(_url(assessment), data, headers={"HX-Request": "true"})
    before = LogEntry.objects.count()
    client.post(_url(assessment), data, headers={"HX-Request": "true"})
    assert LogEntry.objects.count() == before


def test_save_and_submit(web, flow, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user, stop_at="answered")
    i1 = item("i1")
    response = web(vendor_a_user).post(
        _url(assessment), {"mode": "answers", f"value-{i1.pk}": "2", "then": "submit"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 204 and response["HX-Redirect"] == f"/assessments/{assessment.pk}/"
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


def test_vendor_b_cannot_save_a_page_of_vendor_a(web, flow, vendor_a, vendor_a_user, vendor_b_user, item) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user, stop_at="sent")
    response = web(vendor_b_user).post(_url(assessment), {"mode": "answers", f"value-{item('i1').pk}": "2"})
    assert response.status_code == 404


def test_review_scores_start_from_the_vendors_rating(web, flow, manager, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user, answers={"i1": "4", "i2": "no"})
    body = web(manager).get(f"/assessments/{assessment.pk}/").content.decode()
    assert f'<select id="score-{item("i1").pk}"' in body
    i1_select = body.split(f'<select id="score-{item("i1").pk}"')[1].split("</select>")[0]
    assert '<option value="4" selected>' in i1_select
    i2_select = body.split(f'<select id="score-{item("i2").pk}"')[1].split("</select>")[0]
    assert '<option value="0" selected>' in i2_select


def test_the_review_page_scores_and_returns_at_once(web, flow, manager, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user, answers={"i1": "4", "i2": "yes", "i3": "2"})
    i1, i2, i3 = item("i1"), item("i2"), item("i3")
    response = web(manager).post(
        _url(assessment),
        {
            "mode": "review",
            f"score-{i1.pk}": "3",
            f"note-{i1.pk}": "partly",
            f"reason-{i1.pk}": "",
            f"score-{i2.pk}": "1",
            f"score-{i3.pk}": "2",
            f"reason-{i3.pk}": "请补充记录",
        },
    )
    assert response.status_code == 302
    answers = {a.item.code: a for a in Answer.objects.filter(assessment=assessment).select_related("item")}
    assert answers["i1"].score == Decimal(3) and answers["i1"].review_note == "partly"
    assert answers["i3"].returned and answers["i3"].value == "2"  # a returned item keeps its answer
    assessment.refresh_from_db()
    assert assessment.status == "returned"
    page = web(vendor_a_user).get(f"/assessments/{assessment.pk}/").content.decode()
    assert "请补充记录" in page and f'id="value-{i3.pk}"' in page and f'id="value-{i1.pk}"' not in page
    assert '<option value="2" selected>' in page.split(f'id="value-{i3.pk}"')[1].split("</select>")[0]


def test_a_score_out_of_scale_refuses_the_whole_review(web, flow, manager, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user)
    i1, i2 = item("i1"), item("i2")
    response = web(manager).post(
        _url(assessment),
        {"mode": "review", f"score-{i1.pk}": "3", f"score-{i2.pk}": "4"},
        headers={"HX-Request": "true"},
    )
    assert "The score must be between 0 and 1." in response.content.decode()
    assert f'id="review-errors-{i2.pk}"' in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment, score__isnull=False).exists()
