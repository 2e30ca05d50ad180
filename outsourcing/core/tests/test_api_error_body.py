"""One error body for every error the API answers, whoever raised it: `{"detail": [{"loc", "field", "msg"}]}`
whose `loc` names where in the request the problem is (body, query, path, header) — a pydantic refusal, a
business rule of an action (named by the model, located by the request's own name), a 404 from the lookup — and
the answers Django and the middleware give before or around an endpoint (malformed bodies, 405, 413, 429 with
Retry-After, 500) in the same JSON shape.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client, RequestFactory

from outsourcing.core.views import server_error
from outsourcing.engagements.models import Engagement


def _items(response: Any) -> list[tuple[list[str], str]]:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return [(item["loc"], item["field"]) for item in json.loads(response.content)["detail"]]


@pytest.fixture
def engagement(vendor_a: Any) -> Engagement:
    vendor_a.status = "approved"
    vendor_a.save()
    return Engagement.objects.create(title="Ops", form="service", vendor=vendor_a, start_date=datetime.date(2025, 1, 1))


def test_a_schema_refusal_and_an_action_refusal_of_the_same_body_field_name_it_alike(api, manager, engagement):
    client = api(manager)
    unknown = client.post(f"/engagements/{engagement.pk}/transitions", {"to": "paused"})
    not_allowed = client.post(f"/engagements/{engagement.pk}/transitions", {"to": "active"})  # from draft
    assert unknown.status_code == not_allowed.status_code == 422
    assert _items(unknown) == _items(not_allowed) == [(["body", "to"], "to")]


def test_a_query_parameter_is_located_in_the_query(api, manager, vendor_a):
    response = api(manager).get(f"/vendors/{vendor_a.pk}/stability", start="2025-02-01", end="2025-01-01")
    assert response.status_code == 422
    assert _items(response) == [(["query", "start"], "start")]
    bad_date = api(manager).get(f"/vendors/{vendor_a.pk}/stability", start="someday")
    assert _items(bad_date) == [(["query", "start"], "start")]


def test_a_model_field_is_named_as_the_request_names_it(api, admin):
    response = api(admin).post("/users", {"username": "v", "password": "Long-Enough-99", "role": "vendor"})
    assert response.status_code == 422
    assert _items(response) == [(["body", "vendor_id"], "vendor_id")]  # the model's `vendor`


def test_a_body_schema_error_has_no_parameter_name_in_its_location(api, manager):
    response = api(manager).post("/vendors", {"name": "", "registration_number": "R-1", "country": "DE"})
    assert _items(response) == [(["body", "name"], "name")]
    bad_choice = api(manager).post(
        "/vendors", {"name": "A", "registration_number": "R", "country": "DE", "risk_tier": "x"}
    )
    assert _items(bad_choice) == [(["body", "risk_tier"], "risk_tier")]  # one item, not one per union member


def test_a_record_not_found_is_located_at_its_path_parameter(api, manager, engagement):
    response = api(manager).get(f"/engagements/{engagement.pk + 1000}/agreement")
    assert response.status_code == 404
    assert _items(response) == [(["path", "engagement_id"], "engagement_id")]


def test_a_record_named_in_the_body_that_is_not_found_is_located_in_the_body(api, manager, vendor_a):
    response = api(manager).post("/scoring/compare", {"engagement_id": 987654, "vendor_ids": [vendor_a.pk]})
    assert response.status_code == 404
    assert _items(response) == [(["body", "engagement_id"], "engagement_id")]


def test_an_unknown_api_address_and_a_wrong_method_answer_json(api, manager):
    client = Client(headers=api(manager).headers)
    missing = client.get("/api/v1/no-such-thing")
    assert (missing.status_code, _items(missing)) == (404, [(["path"], "")])
    wrong = client.put("/api/v1/vendors", "{}", content_type="application/json")
    assert (wrong.status_code, _items(wrong)) == (405, [([], "")])
    assert "GET" in wrong["Allow"] and "PUT" in wrong.json()["detail"][0]["msg"]


def test_malformed_bodies_answer_json_400(api, manager, vendor_a):
    client = Client(headers=api(manager).headers)
    not_json = client.post("/api/v1/vendors", "{oops", content_type="application/json")
    assert (not_json.status_code, _items(not_json)) == (400, [(["body"], "")])
    member = vendor_a.members.create(full_name="Li Lei", employment_type="regular", hire_date="2024-01-01")
    broken = client.post(f"/api/v1/members/{member.pk}/documents", b"--x\r\nbroken", content_type="multipart/form-data")
    assert (broken.status_code, _items(broken)) == (400, [(["body"], "")])


def test_no_token_is_located_at_the_authorization_header():
    response = Client().get("/api/v1/me")
    assert (response.status_code, _items(response)) == (401, [(["header", "Authorization"], "Authorization")])


def test_a_locked_out_name_answers_429_with_retry_after(settings, manager):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        client.post("/api/v1/auth/token", {"username": "manager", "password": "wrong"}, content_type="application/json")
    response = client.post(
        "/api/v1/auth/token", {"username": "manager", "password": "Correct-Horse-42"}, content_type="application/json"
    )
    assert response.status_code == 429
    assert _items(response) == [([], "")]
    assert 0 < int(response["Retry-After"]) <= settings.LOGIN_COOLOFF_MINUTES * 60


def test_a_server_error_on_the_api_answers_json_500():
    response = server_error(RequestFactory().get("/api/v1/vendors"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert _items(response) == [([], "")]
    assert server_error(RequestFactory().get("/vendors/"))["Content-Type"].startswith("text/html")


def test_me_is_the_caller(api, vendor_a_user):
    body = api(vendor_a_user).get("/me").json()
    assert body == {
        "id": vendor_a_user.pk,
        "username": vendor_a_user.username,
        "role": "vendor",
        "vendor_id": vendor_a_user.vendor_id,
        "email": vendor_a_user.email,
        "language": vendor_a_user.language,
        "unread_notifications": 0,
    }
