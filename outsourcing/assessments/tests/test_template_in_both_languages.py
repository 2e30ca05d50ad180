"""The seeded examination template speaks both languages: every section and question has its Chinese beside its
English (migration 0006), a Chinese reader reads the Chinese, and the admin edits both."""

from __future__ import annotations

import pytest
from django.utils import translation

from outsourcing.assessments.models import AssessmentTemplate, TemplateItem, TemplateSection

pytestmark = pytest.mark.django_db

SEEDED = "管理体系审查 Management-system examination"


def test_every_seeded_section_and_question_has_its_chinese() -> None:
    sections = TemplateSection.objects.filter(template__name=SEEDED)
    items = TemplateItem.objects.filter(section__template__name=SEEDED)
    assert sections.count() == 5 and items.count() == 17
    assert not sections.filter(title_zh_hans="").exists()
    assert not items.filter(text_zh_hans="").exists() and not items.filter(guidance_zh_hans="").exists()
    project = sections.get(code="project_management")
    assert (project.title, project.title_zh_hans) == ("Project management system", "项目管理制度")  # split


def test_each_reader_reads_the_template_in_its_language(web, manager) -> None:
    template = AssessmentTemplate.objects.get(name=SEEDED)
    item = TemplateItem.objects.get(section__template=template, code="pm_standardized")
    with translation.override("zh-hans"):
        assert item.shown_text == "项目管理制度规范：成文、经批准并有版本管理。"
    with translation.override("en"):
        assert item.shown_text == "The project management system is standardized: written, approved and versioned."
    client = web(manager)
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(f"/assessments/templates/{template.pk}/").content.decode()
    assert "项目管理制度规范" in chinese and "written, approved and versioned" not in chinese
    client.cookies["django_language"] = "en"
    english = client.get(f"/assessments/templates/{template.pk}/").content.decode()
    assert "written, approved and versioned" in english and "项目管理制度规范" not in english


def test_a_question_without_chinese_is_shown_in_english_to_a_chinese_reader(web, admin) -> None:
    item = TemplateItem.objects.get(section__template__name=SEEDED, code="pm_feasible")
    client = web(admin)
    form = client.get(f"/assessments/sections/{item.section_id}/items/{item.pk}").content.decode()
    assert 'name="text_zh_hans"' in form and 'lang="zh-Hans"' in form
    item.text_zh_hans = ""
    item.save()
    with translation.override("zh-hans"):
        assert item.shown_text == item.text
