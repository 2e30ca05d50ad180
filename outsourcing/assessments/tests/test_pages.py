"""The pages: lists with pinned query counts, the questionnaire for each persona, the web forms of the flow,
template editing by admins and the seeded examination template."""

from __future__ import annotations

import pytest

from outsourcing.assessments import actions
from outsourcing.assessments.models import Answer, Assessment, AssessmentTemplate, TemplateItem
from outsourcing.vendors.models import Vendor

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_the_list_page_query_count_does_not_grow_with_rows(  # type: ignore[no-untyped-def]
    web, manager, small_template, django_assert_max_num_queries
) -> None:
    for i in range(30):
        vendor = Vendor.objects.create(name=f"厂商 {i}", registration_number=f"R-{i}", country="CN")
        actions.do_create_assessment(acting_user=manager, vendor=vendor, template=small_template)
    client = web(manager)
    with django_assert_max_num_queries(10):
        response = client.get("/assessments/?per_page=25")
    assert response.status_code == 200
    assert response.content.decode().count('href="/assessments/') >= 25


def test_the_template_list_query_count_is_pinned(web, admin, small_template, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = web(admin)
    with django_assert_max_num_queries(6):
        response = client.get("/assessments/templates/")
    assert response.status_code == 200
    assert "Small test template" in response.content.decode()


def test_the_list_filters_by_status_group(web, flow, manager, vendor_a, vendor_b, vendor_a_user, vendor_b_user) -> None:  # type: ignore[no-untyped-def]
    flow(vendor_a, vendor_a_user, stop_at="submitted")
    flow(vendor_b, vendor_b_user, stop_at="sent")
    page = web(manager).get("/assessments/?status=awaiting_review").content.decode()
    assert vendor_a.name in page and vendor_b.name not in page


def test_the_detail_page_shows_the_questionnaire_and_result(
    web, flow, manager, vendor_a, vendor_a_user, fake_fit
) -> None:  # type: ignore[no-untyped-def]
    fake_fit[vendor_a.pk] = 75
    assessment = flow(vendor_a, vendor_a_user)
    page = web(manager).get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Standardized?" in page
    assert "evidence.pdf" in page
    assert "Criterion fake_fit = 75.00 of 100" in page
    assert "Score per section (0–100 points)" in page
    assert "Complete assessment" in page
    vendor_page = web(vendor_a_user).get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Complete assessment" not in vendor_page
    assert 'name="score"' not in vendor_page


def test_the_web_flow_answer_upload_submit_score_return(web, flow, manager, vendor_a, vendor_a_user, item) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user, stop_at="sent")
    vendor = web(vendor_a_user)
    base = f"/assessments/{assessment.pk}"
    response = vendor.post(
        f"{base}/items/{item('i1').pk}/answer", {"value": "3", "response": "见制度汇编", "file": pdf_upload()}
    )
    assert response.status_code == 302
    vendor.post(f"{base}/items/{item('i2').pk}/answer", {"value": "no"})
    answer = Answer.objects.get(assessment=assessment, item=item("i1"))
    assert answer.value == "3" and answer.response == "见制度汇编"
    assert vendor.post(f"{base}/do/submit").status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    owner = web(manager)
    owner.post(f"{base}/do/start-review")
    owner.post(f"{base}/items/{item('i1').pk}/score", {"score": "3", "note": "good"})
    assert Answer.objects.get(pk=answer.pk).score == 3
    owner.post(f"{base}/items/{item('i2').pk}/return", {"reason": "请说明实施情况"})
    assessment.refresh_from_db()
    assert assessment.status == "returned"


def test_a_refused_transition_shows_why(web, flow, manager, vendor_a, vendor_a_user) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user, stop_at="sent")
    response = web(manager).post(f"/assessments/{assessment.pk}/do/start-review", follow=True)
    assert "Cannot start the review" in response.content.decode()


def test_creating_an_assessment_in_the_web(web, manager, vendor_a, small_template) -> None:  # type: ignore[no-untyped-def]
    response = web(manager).post(
        "/assessments/new", {"vendor": vendor_a.pk, "template": small_template.pk, "title": "2026 年度审查"}
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(title="2026 年度审查")
    assert assessment.answers.count() == 4


def test_an_admin_adds_a_conditional_item(web, admin, small_template, item) -> None:  # type: ignore[no-untyped-def]
    section = item("i1").section
    client = web(admin)
    data = {
        "code": "i4",
        "text": "Reports monthly?",
        "weight": "1.5",
        "scale": "0_4",
        "source": "vendor",
        "order": 9,
    }
    bad = client.post(
        f"/assessments/sections/{section.pk}/items/new",
        {**data, "condition_item": item("i2").pk, "condition_value": "4"},
    )
    assert bad.status_code == 200
    assert "Choose one of the condition item" in bad.content.decode()
    assert not TemplateItem.objects.filter(code="i4").exists()
    good = client.post(
        f"/assessments/sections/{section.pk}/items/new",
        {**data, "condition_item": item("i2").pk, "condition_value": "yes"},
    )
    assert good.status_code == 302
    assert TemplateItem.objects.get(code="i4").condition_item == item("i2")


def test_an_auto_item_must_name_its_criterion(web, admin, item) -> None:  # type: ignore[no-untyped-def]
    section = item("i1").section
    response = web(admin).post(
        f"/assessments/sections/{section.pk}/items/new",
        {"code": "i5", "text": "Auto", "weight": "1", "scale": "0_4", "source": "criterion", "order": 1},
    )
    assert "Name the criterion" in response.content.decode()


def test_thresholds_cannot_cross(web, admin) -> None:  # type: ignore[no-untyped-def]
    response = web(admin).post("/assessments/settings", {"approve_threshold": "60", "conditions_threshold": "70"})
    assert response.status_code == 200
    assert "cannot be above" in response.content.decode()


def test_the_seeded_template_follows_the_seed(db) -> None:  # type: ignore[no-untyped-def]
    template = AssessmentTemplate.objects.get(name__contains="Management-system examination")
    codes = list(template.sections.order_by("order").values_list("code", flat=True))
    assert codes == [
        "project_management",
        "performance_appraisal",
        "implementation",
        "team_stability",
        "qualifications",
    ]
    auto = TemplateItem.objects.filter(section__template=template, source="criterion")
    assert sorted(auto.values_list("criterion_code", flat=True)) == ["qualification_fit", "team_stability"]
    records = TemplateItem.objects.get(section__template=template, code="ap_records")
    assert (records.condition_item.code, records.condition_value) == ("ap_implemented", "yes")
    for item_ in TemplateItem.objects.filter(section__template=template):
        item_.full_clean()


def test_api_lists_templates_with_sections_and_items(api, auditor) -> None:  # type: ignore[no-untyped-def]
    client = api(auditor)
    listing = client.get("/assessment-templates").json()
    assert listing["count"] >= 1
    detail = client.get(f"/assessment-templates/{listing['items'][0]['id']}").json()
    assert detail["sections"][0]["items"][0]["code"] == "pm_standardized"


def test_pages_and_refusals_speak_chinese(web, flow, manager, vendor_a, vendor_a_user, settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError
    from django.utils import translation

    assessment = flow(vendor_a, vendor_a_user, stop_at="sent")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        actions.do_start_review(assessment, acting_user=manager)
    assert exc.value.messages == ["无法开始审核：评估当前状态为“已发送给厂商”，此操作要求状态为“已提交”。"]
    client = web(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "问卷" in page and "审查发现" in page


def test_the_detail_page_query_count_does_not_grow_with_items(  # type: ignore[no-untyped-def]
    web, manager, vendor_a, django_assert_max_num_queries
) -> None:
    seeded = AssessmentTemplate.objects.get(name__contains="Management-system examination")
    assessment = actions.do_create_assessment(acting_user=manager, vendor=vendor_a, template=seeded)
    actions.do_send_assessment(assessment, acting_user=manager)
    items = list(TemplateItem.objects.filter(section__template=seeded, source="vendor"))
    for item_ in items:
        actions.do_answer_item(assessment, item_, acting_user=manager, value=item_.scale_values[0], response="r")
    client = web(manager)
    # A fixed number per page: one query for each registered criterion and blocker (team stability,
    # qualification fit, standing) and for each kind of record the history names (the audit trail looks the
    # names up once per related model), however many items the template has.
    with django_assert_max_num_queries(22):
        response = client.get(f"/assessments/{assessment.pk}/")
    assert response.status_code == 200
    assert len(items) >= 15


def test_the_api_list_query_count_is_pinned(api, manager, small_template, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(20):
        vendor = Vendor.objects.create(name=f"V{i}", registration_number=f"RR-{i}", country="CN")
        actions.do_create_assessment(acting_user=manager, vendor=vendor, template=small_template)
    client = api(manager)
    with django_assert_max_num_queries(6):
        body = client.get("/assessments", limit=50).json()
    assert body["count"] == 20


def test_the_list_narrows_to_one_vendor(web, flow, manager, vendor_a, vendor_b, vendor_a_user, vendor_b_user) -> None:  # type: ignore[no-untyped-def]
    flow(vendor_a, vendor_a_user, stop_at="sent")
    flow(vendor_b, vendor_b_user, stop_at="sent")
    page = web(manager).get(f"/assessments/?vendor={vendor_b.pk}").content.decode()
    assert vendor_b.name in page and vendor_a.name not in page
