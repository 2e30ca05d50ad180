"""One number (SPEC "One day, one number"): an assessment's score is rounded once, the same way, in the
headline, the result and the rule that judged it."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_assessment_page_shows_one_figure_once_rounded(  # type: ignore[no-untyped-def]
    web, manager, vendor_a, vendor_a_user, flow, fake_fit
):
    # The issue replayed: the same score read 64.5 (header), 64.52 (result) and 64.51 (rule) on one page.
    from outsourcing.assessments import actions
    from outsourcing.assessments.models import TemplateItem

    fake_fit[vendor_a.pk] = 58.06  # (1 + 1 + 0.5806) / 4 = 64.515
    assessment = flow(vendor_a, vendor_a_user, answers={"i1": "2", "i2": "no"})
    items = {i.code: i for i in TemplateItem.objects.filter(section__template=assessment.template)}
    actions.do_score_item(assessment, items["i1"], acting_user=manager, score=2)
    actions.do_score_item(assessment, items["i2"], acting_user=manager, score=1)
    page = web(manager).get(f"/assessments/{assessment.pk}/").content.decode()
    assert page.count("64.52") >= 3  # headline, result panel, the rule
    assert "64.51" not in page and "64.5 " not in page and "64.5<" not in page
