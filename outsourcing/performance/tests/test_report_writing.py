"""Writing an implementation report on one page: drafts kept as the vendor writes, attachments with the
submission (checked by content and size, downloadable only by those who may see the report), a returned report
coming back with its content and the reviewer's comments, an empty return refused by its field, bulk acceptance."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from outsourcing.documents.models import Document
from outsourcing.performance import actions
from outsourcing.performance.models import ImplementationReport, ReportDraft

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JAN = "2026-01-01"


@pytest.fixture
def scheduled(engagement_a, manager):
    actions.do_set_schedule(
        engagement_a,
        acting_user=manager,
        frequency="monthly",
        first_period_start=datetime.date(2026, 1, 1),
        due_days=10,
    )
    return engagement_a


def _url(engagement, period=JAN):
    return f"/reports/engagements/{engagement.pk}/reports/{period}"


def _pdf(name="report.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_a_draft_is_saved_by_htmx_and_never_counts_as_submitted(web, scheduled, vendor_a_user):
    client = web(vendor_a_user)
    response = client.post(
        _url(scheduled), {"action": "draft", "project_management": "草稿 PM"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "Draft saved at" in response.content.decode()
    draft = ReportDraft.objects.get()
    assert draft.project_management == "草稿 PM"
    assert not ImplementationReport.objects.exists()
    before = LogEntry.objects.count()
    client.post(_url(scheduled), {"action": "draft", "project_management": "草稿 PM"}, headers={"HX-Request": "true"})
    assert LogEntry.objects.count() == before  # an unchanged autosave writes nothing
    page = client.get(_url(scheduled)).content.decode()
    assert "草稿 PM" in page  # the draft fills the form again


def test_submitting_with_attachments_removes_the_draft(web, scheduled, vendor_a_user, vendor_b_user, manager):
    client = web(vendor_a_user)
    client.post(_url(scheduled), {"action": "draft", "project_management": "x"})
    response = client.post(
        _url(scheduled),
        {
            "action": "submit",
            "project_management": "PM",
            "appraisal_execution": "KPI",
            "attachments": [_pdf("a.pdf"), _pdf("b.pdf")],
        },
    )
    assert response.status_code == 302
    report = ImplementationReport.objects.get()
    assert report.status == "submitted" and report.project_management == "PM"
    documents = list(Document.for_object(report))
    assert sorted(d.original_name for d in documents) == ["a.pdf", "b.pdf"]
    assert not ReportDraft.objects.exists()
    assert web(vendor_a_user).get(f"/documents/{documents[0].pk}/download").status_code == 200
    assert web(manager).get(f"/documents/{documents[0].pk}/download").status_code == 200
    assert web(vendor_b_user).get(f"/documents/{documents[0].pk}/download").status_code == 404
    assert "a.pdf" in web(manager).get(f"/reports/engagements/{scheduled.pk}/").content.decode()


def test_a_refused_attachment_stores_nothing_and_is_named_by_its_field(web, scheduled, vendor_a_user):
    response = web(vendor_a_user).post(
        _url(scheduled),
        {
            "action": "submit",
            "project_management": "PM",
            "appraisal_execution": "KPI",
            "attachments": [
                _pdf("good.pdf"),
                SimpleUploadedFile("evil.pdf", b"MZ\x90\x00", content_type="application/pdf"),
            ],
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "evil.pdf: Only PDF, PNG, JPEG, DOCX and XLSX files are accepted." in body
    assert 'id="id_attachments_error"' in body
    assert not ImplementationReport.objects.exists() and not Document.objects.exists()


def test_an_attachment_over_the_limit_is_refused(web, scheduled, vendor_a_user, settings):
    settings.EVIDENCE_MAX_BYTES = len(PDF) - 1
    response = web(vendor_a_user).post(
        _url(scheduled),
        {"action": "submit", "project_management": "PM", "appraisal_execution": "KPI", "attachments": [_pdf()]},
    )
    assert "the limit is" in response.content.decode()
    assert not ImplementationReport.objects.exists()


def test_vendor_b_cannot_open_or_write_a_report_of_a(web, scheduled, vendor_b_user, auditor):
    assert web(vendor_b_user).get(_url(scheduled)).status_code == 404
    assert web(vendor_b_user).post(_url(scheduled), {"action": "draft", "project_management": "x"}).status_code == 404
    assert web(auditor).get(_url(scheduled)).status_code == 403
    assert not ReportDraft.objects.exists()


def test_a_period_that_is_not_open_answers_404(web, scheduled, vendor_a_user):
    assert web(vendor_a_user).get(_url(scheduled, "2026-01-15")).status_code == 404
    assert web(vendor_a_user).get(_url(scheduled, "2099-01-01")).status_code == 404
    assert web(vendor_a_user).get(_url(scheduled, "not-a-date")).status_code == 404


def test_an_empty_return_is_refused_next_to_the_comments_field(web, scheduled, vendor_a_user, manager):
    report = actions.do_submit_report(
        scheduled,
        acting_user=vendor_a_user,
        period_start=datetime.date(2026, 1, 1),
        project_management="PM",
        appraisal_execution="KPI",
    )
    response = web(manager).post(
        f"/reports/engagements/{scheduled.pk}/", {"action": "return", "report": report.pk, "comments": "  "}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Say what must be corrected when returning a report." in body
    assert f'id="id_r{report.pk}_comments_error"' in body
    assert "<details open>" in body
    report.refresh_from_db()
    assert report.status == "submitted"


def test_a_returned_report_comes_back_filled_with_the_comments_and_is_resubmitted(
    web, scheduled, vendor_a_user, manager
):
    report = actions.do_submit_report(
        scheduled,
        acting_user=vendor_a_user,
        period_start=datetime.date(2026, 1, 1),
        project_management="原项目管理说明",
        appraisal_execution="KPI",
        attachments=[_pdf("first.pdf")],
    )
    actions.do_review_report(report, acting_user=manager, accept=False, comments="请补充资源使用情况")
    client = web(vendor_a_user)
    page = client.get(_url(scheduled)).content.decode()
    assert "原项目管理说明" in page and "请补充资源使用情况" in page and "first.pdf" in page
    assert "Correct and resubmit" in client.get(f"/reports/engagements/{scheduled.pk}/").content.decode()
    response = client.post(
        _url(scheduled),
        {
            "action": "submit",
            "project_management": "原项目管理说明",
            "appraisal_execution": "KPI",
            "resources": "人力 5 人",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.resources == "人力 5 人"
    assert Document.for_object(report).count() == 1  # the earlier attachment stays
    changes = [e.changes_dict.get("status") for e in LogEntry.objects.get_for_object(report)]
    assert ["submitted", "returned"] in changes and ["returned", "submitted"] in changes


def test_several_submitted_reports_are_accepted_at_once_or_none(web, scheduled, vendor_a_user, manager):
    jan = actions.do_submit_report(
        scheduled,
        acting_user=vendor_a_user,
        period_start=datetime.date(2026, 1, 1),
        project_management="a",
        appraisal_execution="b",
    )
    feb = actions.do_submit_report(
        scheduled,
        acting_user=vendor_a_user,
        period_start=datetime.date(2026, 2, 1),
        project_management="a",
        appraisal_execution="b",
    )
    actions.do_review_report(feb, acting_user=manager, accept=True)
    client = web(manager)
    response = client.post("/reports/reports/accept", {"ids": [jan.pk, feb.pk]}, follow=True)
    assert "Only submitted reports can be accepted" in response.content.decode()
    jan.refresh_from_db()
    assert jan.status == "submitted"
    client.post("/reports/reports/accept", {"ids": [jan.pk]})
    jan.refresh_from_db()
    assert jan.status == "accepted"
    assert web(vendor_a_user).post("/reports/reports/accept", {"ids": [jan.pk]}).status_code == 403


def test_attachments_through_the_api(api, scheduled, vendor_a_user, vendor_b_user, auditor, manager):
    report = actions.do_submit_report(
        scheduled,
        acting_user=vendor_a_user,
        period_start=datetime.date(2026, 1, 1),
        project_management="PM",
        appraisal_execution="KPI",
    )
    url = f"/implementation-reports/{report.pk}/attachments"
    created = api(vendor_a_user).post(url, files={"file": _pdf("plan.pdf")})
    assert created.status_code == 201 and created.json()["original_name"] == "plan.pdf"
    assert [d["original_name"] for d in api(manager).get(url).json()] == ["plan.pdf"]
    assert api(vendor_b_user).get(url).status_code == 404
    assert api(vendor_b_user).post(url, files={"file": _pdf()}).status_code == 404
    assert api(auditor).post(url, files={"file": _pdf()}).status_code == 403
    refused = api(vendor_a_user).post(
        url, files={"file": SimpleUploadedFile("x.pdf", b"MZ", content_type="application/pdf")}
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "file"
    actions.do_review_report(report, acting_user=manager, accept=True)
    closed = api(vendor_a_user).post(url, files={"file": _pdf()})
    assert closed.status_code == 422
    assert Document.for_object(report).count() == 1
