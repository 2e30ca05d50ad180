"""A NUL character in any text is refused with a 422 naming the field, and nothing is written.

PostgreSQL cannot store NUL in text: psycopg raises DataError, a 500 on the CI database, while SQLite silently
kept it. Fuzzed strings carry NUL often; the API's parser now refuses it in bodies, queries and forms.
"""

from __future__ import annotations

import io
from typing import Any

from outsourcing.documents.models import Document
from outsourcing.vendors.models import Vendor


def test_a_nul_in_a_json_body_is_422_naming_the_field_and_nothing_is_written(api: Any, manager: Any) -> None:
    before = Vendor.objects.count()
    response = api(manager).post("/vendors", {"name": "Bad\x00Name", "registration_number": "REG-NUL", "country": "JP"})
    assert response.status_code == 422, response.content
    assert [d["field"] for d in response.json()["detail"]] == ["name"]
    assert "Null characters" in response.json()["detail"][0]["msg"]
    assert Vendor.objects.count() == before


def test_a_nul_in_a_patch_is_refused_and_the_record_unchanged(api: Any, manager: Any, vendor_a: Any) -> None:
    response = api(manager).patch(f"/vendors/{vendor_a.pk}", {"name": "x\x00"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "name"
    vendor_a.refresh_from_db()
    assert "\x00" not in vendor_a.name


def test_a_nul_in_a_list_of_texts_names_the_list(api: Any, manager: Any) -> None:
    response = api(manager).post("/scoring/ahp", {"criteria": ["a\x00", "b"], "matrix": [[1, 1], [1, 1]]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "criteria"


def test_a_nul_in_a_query_is_422_naming_the_parameter(api: Any, manager: Any) -> None:
    response = api(manager).get("/vendors", q="a\x00b")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "q"


def test_a_nul_in_a_form_field_of_an_upload_is_422_naming_it(api: Any, manager: Any, vendor_a: Any) -> None:
    from outsourcing.teams.models import TeamMember

    member = TeamMember.objects.create(
        vendor=vendor_a, full_name="王伟 Wang Wei", employment_type="regular", hire_date="2020-01-01"
    )
    upload = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    upload.name = "contract.pdf"
    response = api(manager).post(
        f"/members/{member.pk}/documents", {"kind": "employment_contract\x00"}, files={"file": upload}
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["field"] == "kind"
    assert not Document.for_object(member).exists()


def test_text_without_nul_still_passes(api: Any, manager: Any) -> None:
    response = api(manager).post(
        "/vendors", {"name": "华信 Huaxin", "registration_number": "91110000MA0000000H", "country": "CN"}
    )
    assert response.status_code == 201, response.content
