"""No input may produce a 500: ids and dates the database or date arithmetic cannot hold are refused up front.

Found by fuzzing the API with schemathesis: `?vendor_id=` beyond a 64-bit integer overflowed SQLite's INTEGER
(500 on GET /engagements, /assessments, /qualifications, /processing/orders, POST /scoring/compare), and dates
near year 1 or 9999 overflowed period and notice arithmetic (500 on /stability, /standing, /report-periods,
agreement PATCH, appraisals). Every such input now answers 422 naming the field, driven by the OpenAPI document
so that a new endpoint is checked too.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from outsourcing.api import api as ninja_api

SCHEMA = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
COMPONENTS = SCHEMA["components"]["schemas"]
HUGE = 2**70


def _deref(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _kinds(schema: dict[str, Any]) -> set[str]:
    schema = _deref(schema)
    options = schema.get("anyOf", [schema])
    return {
        "date" if _deref(o).get("format") == "date" else str(_deref(o).get("type"))
        for o in options
        if _deref(o).get("type") != "null"
    }


def _cases() -> list[tuple[str, str, str, str, str, Any]]:
    """(method, path, where, field, label, value) for every id and date input of every operation."""
    cases = []
    for path, ops in SCHEMA["paths"].items():
        for method, op in ops.items():
            url = path
            for p in op.get("parameters", []):
                if p["in"] == "path":
                    url = url.replace("{" + p["name"] + "}", "1")
            inputs = [("query", p["name"], p["schema"]) for p in op.get("parameters", []) if p["in"] == "query"]
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                inputs += [("body", name, sub) for name, sub in _deref(body["schema"]).get("properties", {}).items()]
            for where, name, sub in inputs:
                kinds = _kinds(sub)
                if "date" in kinds:
                    cases.append((method, url, where, name, "year 1", "0001-01-01"))
                    cases.append((method, url, where, name, "year 9999", "9999-12-31"))
                elif "integer" in kinds and name.endswith("_id"):
                    cases.append((method, url, where, name, "2**70", HUGE))
                elif "array" in kinds and name.endswith("_ids"):
                    cases.append((method, url, where, name, "[2**70]", [HUGE]))
    return cases


CASES = _cases()


def test_the_api_has_id_and_date_inputs_to_check() -> None:
    assert len(CASES) > 50


@pytest.mark.parametrize(
    ("method", "url", "where", "field", "label", "value"),
    CASES,
    ids=[f"{m.upper()} {u.removeprefix('/api/v1')} {w} {f}={lbl}" for m, u, w, f, lbl, _v in CASES],
)
def test_an_id_or_date_out_of_range_answers_422_naming_the_field(
    api: Any, admin: Any, method: str, url: str, where: str, field: str, label: str, value: Any
) -> None:
    client = api(admin)  # may call every operation: only the input can be refused
    if where == "query":
        response = client.client.generic(
            method.upper(), url + f"?{field}={value}", headers=client.headers
        )  # no body: only the query is judged
    else:
        response = getattr(client, method)(url, {field: value})
    assert response.status_code == 422, (response.status_code, response.content[:300])
    # The field as sent, or the record it names (the model's "vendor" for "vendor_id").
    named = {d["field"] for d in response.json()["detail"]}
    assert named & {field, field.removesuffix("_id")}, response.content[:300]


def test_a_date_in_the_supported_range_is_accepted(api: Any, manager: Any, vendor_a: Any) -> None:
    response = api(manager).get(f"/vendors/{vendor_a.pk}/stability", start="1900-01-01", end="2999-12-31")
    assert response.status_code == 200, response.content


def test_the_agreement_refuses_an_end_date_too_early_for_its_notice_period_naming_the_field() -> None:
    # The UI's date fields reach the model's clean() without the API's bounds: it must not overflow either.
    from outsourcing.engagements.models import ServiceAgreement

    agreement = ServiceAgreement(
        start_date=datetime.date(1, 1, 1), end_date=datetime.date(1, 1, 2), notice_period_days=90
    )
    with pytest.raises(ValidationError) as caught:
        agreement.clean()
    assert "end_date" in caught.value.message_dict


LISTS = [
    path
    for path, ops in SCHEMA["paths"].items()
    if "get" in ops and any(p["name"] == "offset" for p in ops["get"].get("parameters", []))
]


def test_the_api_has_paginated_lists() -> None:
    assert len(LISTS) > 15


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("parameter", ["offset", "limit"])
def test_a_page_beyond_64_bits_answers_422_naming_offset_or_limit(
    api: Any, manager: Any, path: str, parameter: str
) -> None:
    # ?offset=2**70 made SQLite fail with "datatype mismatch", answered as a 409 conflict.
    url = path
    for name in ("vendor_id", "engagement_id", "order_id"):
        url = url.replace("{" + name + "}", "1")
    response = api(manager).get(url, **{parameter: HUGE})
    assert response.status_code == 422, (response.status_code, response.content[:300])
    assert [d["field"] for d in response.json()["detail"]] == [parameter]


def test_a_far_offset_within_range_is_an_empty_page(api: Any, manager: Any) -> None:
    response = api(manager).get("/vendors", offset=2**62)
    assert response.status_code == 200
    assert response.json()["items"] == []
