"""The result: every point traced to item, rule and evidence; thresholds at their edges; hidden items not
scored; blockers beat any score. Worked examples on the small template (see conftest): i1 weight 2 on
0–4, i2 weight 1 yes/no, i3 weight 1 shown only when i2 = yes, crit weight 1 from criterion fake_fit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from outsourcing.assessments import actions
from outsourcing.assessments.explanations import from_sentence, say, worded
from outsourcing.assessments.models import AssessmentSettings
from outsourcing.assessments.scoring import compute_result, recommend

from .conftest import score_all

pytestmark = pytest.mark.django_db


def _complete(assessment, manager, scores):  # type: ignore[no-untyped-def]
    score_all(assessment, manager, scores)
    return actions.do_complete_assessment(assessment, acting_user=manager)


def test_score_exactly_80_is_approved(flow, vendor_a, vendor_a_user, manager, fake_fit) -> None:  # type: ignore[no-untyped-def]
    # i2 = no hides i3: maximum 4 points. i1 4/4×2 = 2, i2 1/1×1 = 1, crit 20/100×1 = 0.2 → 3.2/4 = 80.
    fake_fit[vendor_a.pk] = 20
    assessment = flow(vendor_a, vendor_a_user, answers={"i1": "4", "i2": "no"})
    done = _complete(assessment, manager, {"i1": 4, "i2": 1})
    assert done.score == Decimal("80.0000")
    assert done.recommendation == "approve"


def test_score_just_below_80_is_approved_with_conditions(flow, vendor_a, vendor_a_user, manager, fake_fit) -> None:  # type: ignore[no-untyped-def]
    fake_fit[vendor_a.pk] = 19.9  # 3.199 / 4 = 79.975, shown 79.98
    assessment = flow(vendor_a, vendor_a_user, answers={"i1": "4", "i2": "no"})
    done = _complete(assessment, manager, {"i1": 4, "i2": 1})
    assert done.result["score"] == pytest.approx(79.975)
    assert done.recommendation == "approve_with_conditions"
    assert say(done.result["recommendation_rule"]) == "60.00 ≤ score 79.98 < 80.00: approve with conditions."


def test_the_thresholds_judge_the_score_as_it_is_shown(flow, vendor_a, vendor_a_user, manager, fake_fit) -> None:  # type: ignore[no-untyped-def]
    # 79.9975 is shown as 80.00 (one rounding, half up): it is judged as 80.00, never "80.00 < 80".
    fake_fit[vendor_a.pk] = 19.99
    assessment = flow(vendor_a, vendor_a_user, answers={"i1": "4", "i2": "no"})
    done = _complete(assessment, manager, {"i1": 4, "i2": 1})
    assert done.result["score"] == pytest.approx(79.9975)
    assert done.recommendation == "approve"
    assert say(done.result["recommendation_rule"]) == "Score 80.00 ≥ 80.00: approve."


def test_score_exactly_60_is_approved_with_conditions(flow, vendor_a, vendor_a_user, manager, fake_fit) -> None:  # type: ignore[no-untyped-def]
    # i1 2/4×2 = 1, i2 1, crit 40/100 = 0.4 → 2.4/4 = 60.
    fake_fit[vendor_a.pk] = 40
    assessment = flow(vendor_a, vendor_a_user, answers={"i1": "2", "i2": "no"})
    done = _complete(assessment, manager, {"i1": 2, "i2": 1})
    assert done.score == Decimal("60.0000")
    assert done.recommendation == "approve_with_conditions"


def test_score_just_below_60_is_rejected(flow, vendor_a, vendor_a_user, manager, fake_fit) -> None:  # type: ignore[no-untyped-def]
    fake_fit[vendor_a.pk] = 39.9  # 2.399 / 4 = 59.975, shown 59.98
    assessment = flow(vendor_a, vendor_a_user, answers={"i1": "2", "i2": "no"})
    done = _complete(assessment, manager, {"i1": 2, "i2": 1})
    assert done.recommendation == "reject"


def test_thresholds_come_from_the_admins_settings(db) -> None:  # type: ignore[no-untyped-def]
    settings = AssessmentSettings.current()
    settings.approve_threshold, settings.conditions_threshold = Decimal(90), Decimal(70)
    settings.save()
    assert recommend(Decimal("89.99"), False, settings)[0] == "approve_with_conditions"
    assert recommend(Decimal("90"), False, settings)[0] == "approve"
    assert recommend(Decimal("69.99"), False, settings)[0] == "reject"
    assert recommend(None, False, settings)[0] == "reject"


def test_a_blocker_beats_a_perfect_score(flow, vendor_a, vendor_a_user, manager, fake_fit, fake_blockers) -> None:  # type: ignore[no-untyped-def]
    fake_fit[vendor_a.pk] = 100
    fake_blockers[vendor_a.pk] = "ISO/IEC 27001 required but missing"
    assessment = flow(vendor_a, vendor_a_user)
    done = _complete(assessment, manager, {"i1": 4, "i2": 1, "i3": 4})
    assert done.score == Decimal("100.0000")
    assert done.recommendation == "reject"
    assert done.has_blockers
    assert done.result["blockers"] == [
        {"code": "fake_missing_qualification", "message": "ISO/IEC 27001 required but missing"}
    ]
    assert say(done.result["recommendation_rule"]).startswith("Blocked")


def test_a_critical_finding_is_a_blocker(flow, vendor_a, vendor_a_user, manager, fake_fit, item) -> None:  # type: ignore[no-untyped-def]
    fake_fit[vendor_a.pk] = 100
    assessment = flow(vendor_a, vendor_a_user)
    actions.do_record_finding(
        assessment,
        acting_user=manager,
        severity="critical",
        description="Appraisal exists only on paper",
        item=item("i3"),
    )
    done = _complete(assessment, manager, {"i1": 4, "i2": 1, "i3": 4})
    assert done.recommendation == "reject"
    assert [b["code"] for b in done.result["blockers"]] == ["critical_finding"]


def test_a_hidden_conditional_item_is_not_scored(flow, vendor_a, vendor_a_user, manager, fake_fit) -> None:  # type: ignore[no-untyped-def]
    fake_fit[vendor_a.pk] = 100
    assessment = flow(vendor_a, vendor_a_user, answers={"i1": "4", "i2": "no"})
    score_all(assessment, manager, {"i1": 4, "i2": 0})
    result = compute_result(assessment)
    lines = {line["code"]: line for s in result["sections"] for line in s["items"]}
    assert lines["i3"]["status"] == "hidden"
    assert lines["i3"]["points"] is None and lines["i3"]["max_points"] == 0
    assert result["max_points"] == 4.0  # i1 2 + i2 1 + crit 1; i3's weight is not counted
    assert result["score"] == pytest.approx(75.0)  # (2 + 0 + 1) / 4


def test_a_shown_conditional_item_counts(flow, vendor_a, vendor_a_user, manager, fake_fit) -> None:  # type: ignore[no-untyped-def]
    fake_fit[vendor_a.pk] = 50
    assessment = flow(vendor_a, vendor_a_user, answers={"i1": "3", "i2": "yes", "i3": "2"})
    score_all(assessment, manager, {"i1": 3, "i2": 1, "i3": 2})
    result = compute_result(assessment)
    # i1 3/4×2 = 1.5, i2 1, i3 2/4×1 = 0.5, crit 0.5 → 3.5 / 5 = 70.
    assert result["points"] == pytest.approx(3.5)
    assert result["max_points"] == pytest.approx(5.0)
    assert result["score"] == pytest.approx(70.0)
    s1, s2 = result["sections"]
    assert s1["score"] == pytest.approx(75.0)  # 3 / 4
    assert s2["score"] == pytest.approx(50.0)


def test_every_point_names_its_rule_and_evidence(flow, vendor_a, vendor_a_user, manager, fake_fit) -> None:  # type: ignore[no-untyped-def]
    fake_fit[vendor_a.pk] = 50
    assessment = flow(vendor_a, vendor_a_user)
    score_all(assessment, manager, {"i1": 3})
    lines = {line["code"]: line for s in worded(compute_result(assessment))["sections"] for line in s["items"]}
    assert lines["i1"]["rule"] == "Reviewer's score 3 of 4 × weight 2.00 = 1.50 points."
    assert lines["i1"]["evidence"][0]["name"] == "evidence.pdf"
    assert len(lines["i1"]["evidence"][0]["sha256"]) == 64
    assert lines["i2"]["status"] == "unscored" and lines["i2"]["points"] == 0
    assert lines["crit"]["rule"] == "Criterion fake_fit = 50.00 of 100 × weight 1.00 = 0.50 points."
    assert lines["crit"]["criterion_detail"] == f"fake score of {vendor_a.pk}"


def test_an_item_without_system_data_is_left_out_and_its_section_renormalised(  # type: ignore[no-untyped-def]
    flow, vendor_a, vendor_a_user, manager
) -> None:
    # fake_fit is not registered at all here: "no data" (as for a vendor with no roster yet). Before, it
    # scored 0 of 1 point: 3 / 4 = 75 and its section 0.
    assessment = flow(vendor_a, vendor_a_user, answers={"i1": "4", "i2": "no"})
    score_all(assessment, manager, {"i1": 4, "i2": 1})
    result = compute_result(assessment)
    section = result["sections"][1]
    crit = section["items"][0]
    assert crit["status"] == "no_data"
    assert crit["points"] is None and crit["max_points"] == 0.0
    assert section["score"] is None  # nothing known in it: not 0
    assert result["score"] == pytest.approx(100.0)  # 3 of 3 known points
    assert result["missing_data"] == ["crit"]
    assert result["recommendation"] == ""  # 100 would approve; no data forbids recommending approval
    assert "no data for crit" in say(result["recommendation_rule"])


def test_an_item_without_data_must_be_scored_by_hand_before_completing(flow, vendor_a, vendor_a_user, manager) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user, answers={"i1": "4", "i2": "no"})
    score_all(assessment, manager, {"i1": 4, "i2": 1})
    with pytest.raises(ValidationError) as info:
        actions.do_complete_assessment(assessment, acting_user=manager)
    assert "crit" in info.value.message_dict["answers"][0]
    score_all(assessment, manager, {"crit": 2})  # the reviewer scores it: 2 of 4 × weight 1 = 0.5
    done = actions.do_complete_assessment(assessment, acting_user=manager)
    assert done.result["score"] == pytest.approx(87.5)  # 3.5 / 4
    assert done.recommendation == "approve"
    crit = done.result["sections"][1]["items"][0]
    assert crit["status"] == "scored" and say(crit["rule"]).startswith("No data from the system; scored by hand.")


def test_weights_change_the_score(flow, vendor_a, vendor_a_user, manager, fake_fit, item) -> None:  # type: ignore[no-untyped-def]
    fake_fit[vendor_a.pk] = 0
    assessment = flow(vendor_a, vendor_a_user, answers={"i1": "4", "i2": "no"})
    score_all(assessment, manager, {"i1": 4, "i2": 0})
    assert compute_result(assessment)["score"] == pytest.approx(50.0)  # 2 / 4
    i1 = item("i1")
    i1.weight = Decimal(6)
    i1.save()
    assert compute_result(assessment)["score"] == pytest.approx(75.0)  # 6 / 8


def test_the_completed_result_is_frozen(flow, vendor_a, vendor_a_user, manager, fake_fit, api) -> None:  # type: ignore[no-untyped-def]
    fake_fit[vendor_a.pk] = 100
    assessment = flow(vendor_a, vendor_a_user)
    _complete(assessment, manager, {"i1": 4, "i2": 1, "i3": 4})
    fake_fit[vendor_a.pk] = 0  # later data does not rewrite a completed assessment
    body = api(manager).get(f"/assessments/{assessment.pk}/result").json()
    assert body["score"] == pytest.approx(100.0)
    assert body["recommendation"] == "approve"
    assert body["sections"][0]["items"][0]["rule"].startswith("Reviewer's score 4 of 4")


def test_rules_never_show_a_score_across_its_threshold(db) -> None:  # type: ignore[no-untyped-def]
    rec, rule = recommend(Decimal("79.9975"), False, AssessmentSettings.current())
    assert (rec, say(rule)) == ("approve", "Score 80.00 ≥ 80.00: approve.")
    rec, rule = recommend(Decimal("79.9949"), False, AssessmentSettings.current())
    assert (rec, say(rule)) == ("approve_with_conditions", "60.00 ≤ score 79.99 < 80.00: approve with conditions.")


def test_rule_points_round_like_the_page(flow, vendor_a, vendor_a_user, manager, item) -> None:  # type: ignore[no-untyped-def]
    i1 = item("i1")
    i1.weight = Decimal("1.5")
    i1.save()
    assessment = flow(vendor_a, vendor_a_user)
    score_all(assessment, manager, {"i1": 3})  # 3/4 × 1.5 = 1.125
    line = worded(compute_result(assessment))["sections"][0]["items"][0]
    assert line["rule"].endswith("= 1.13 points.")
    assert line["points"] == 1.125


def test_rules_are_stored_as_codes_and_read_in_the_reader_s_language(
    flow, vendor_a, vendor_a_user, manager, fake_fit
) -> None:  # type: ignore[no-untyped-def]
    """A frozen result holds no sentence: a Chinese reader reads it in Chinese years after an English reviewer
    completed it."""
    from django.utils import translation

    fake_fit[vendor_a.pk] = 20
    assessment = flow(vendor_a, vendor_a_user, answers={"i1": "4", "i2": "no"})
    done = _complete(assessment, manager, {"i1": 4, "i2": 1})
    i1 = done.result["sections"][0]["items"][0]
    assert i1["rule"] == {
        "code": "reviewer",
        "params": {"score": "4", "max": "4", "weight": "2.00", "points": "2.00"},
    }
    assert done.result["recommendation_rule"] == {"code": "approve", "params": {"score": "80.00", "threshold": "80.00"}}
    with translation.override("zh-hans"):
        chinese = say(done.result["recommendation_rule"])
        assert chinese != "Score 80.00 ≥ 80.00: approve." and "80.00" in chinese
        assert "Reviewer" not in say(i1["rule"]) and "2.00" in say(i1["rule"])


def test_a_sentence_of_an_earlier_result_is_read_back_as_its_code() -> None:
    """The data migration turns the sentences stored before rules had codes into codes (either language)."""
    from django.utils import translation

    stored = from_sentence("Reviewer's score 3 of 4 × weight 1.50 = 1.13 points.")
    assert stored == {"code": "reviewer", "params": {"score": "3", "max": "4", "weight": "1.50", "points": "1.13"}}
    with translation.override("zh-hans"):
        chinese = say({"code": "approve", "params": {"score": "91.00", "threshold": "80.00"}})
    assert from_sentence(chinese) == {"code": "approve", "params": {"score": "91.00", "threshold": "80.00"}}
    assert from_sentence("something an admin wrote") == "something an admin wrote"
