"""A Chinese vendor's registration number is a unified social credit code (GB 32100-2015), wherever it is entered."""

import pytest
from django.core.exceptions import ValidationError

from outsourcing.core.access import SYSTEM
from outsourcing.vendors.actions import do_create_vendor
from outsourcing.vendors.models import Vendor
from outsourcing.vendors.registration import (
    check_character,
    is_unified_social_credit_code,
    unified_social_credit_code,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # a code published as an example of the standard's check
        "91110000MA0000000H",
        "91440300MA5F7X000Y",  # check character Y (value 30)
        "91330200MA2H9J000H",
    ],
)
def test_it_accepts_codes_with_the_right_check_character(code):
    assert is_unified_social_credit_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "12345",  # the issue's example
        "91350100M000100Y44",  # one off in the check character
        "91350100M000100Y4",  # 17 characters
        "91350100M000100Y430",  # 19 characters
        "91350100M000I00Y43",  # I is not in the alphabet
        "91440300MA5F7Z0005",  # nor is Z
    ],
)
def test_it_refuses_anything_else(code):
    assert not is_unified_social_credit_code(code)


def test_a_sum_divisible_by_31_gives_check_character_zero():
    # 31 − (0 mod 31) = 31, written "0"
    assert check_character("00000000000000000") == "0"
    assert unified_social_credit_code("91350100M000100Y4") == "91350100M000100Y43"


def test_the_issue_replayed_a_chinese_vendor_with_12345_is_refused_naming_the_field(api, manager):
    response = api(manager).post("/vendors", {"name": "北方数据", "registration_number": "12345", "country": "CN"})
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == ["registration_number"]
    assert not Vendor.objects.exists()


def test_the_api_accepts_a_valid_code_and_stores_it_in_capitals(api, manager):
    response = api(manager).post(
        "/vendors", {"name": "北方数据", "registration_number": "91350100m000100y43", "country": "CN"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["registration_number"] == "91350100M000100Y43"


def test_a_vendor_outside_china_keeps_its_own_numbering(api, manager):
    response = api(manager).post("/vendors", {"name": "Sakura", "registration_number": "12345", "country": "JP"})
    assert response.status_code == 201, response.content


def test_changing_the_country_to_china_checks_the_number(api, manager):
    vendor = do_create_vendor(acting_user=SYSTEM, name="Sakura", registration_number="12345", country="JP")
    response = api(manager).patch(f"/vendors/{vendor.pk}", {"country": "CN"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "registration_number"


def test_the_action_every_entry_point_uses_refuses_a_bad_code():
    with pytest.raises(ValidationError) as info:
        do_create_vendor(acting_user=SYSTEM, name="北方数据", registration_number="91350100M000100Y44", country="CN")
    assert list(info.value.message_dict) == ["registration_number"]


def test_the_form_shows_the_error_by_the_field(client, manager):
    client.force_login(manager)
    response = client.post(
        "/vendors/new", {"name": "北方数据", "registration_number": "12345", "country": "CN", "status": "prospective"}
    )
    assert response.status_code == 200
    assert "registration_number" in response.context["form"].errors
