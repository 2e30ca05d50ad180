"""No request answers "database is locked": the API gets JSON 503 with Retry-After, the pages a friendly 503."""

import pytest
from django.db import OperationalError
from django.test import Client

from outsourcing.core import views as core_views
from outsourcing.teams import api as teams_api

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked(monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("database is locked")

    return lambda module, name: monkeypatch.setattr(module, name, fail)


def test_the_api_answers_503_json_with_retry_after(api, vendor_a_user, locked):
    locked(teams_api, "do_create_member")
    member = {"full_name": "Li Lei", "employee_number": "E1", "employment_type": "regular", "hire_date": "2020-01-01"}
    response = api(vendor_a_user).post(f"/vendors/{vendor_a_user.vendor_id}/members", member)
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    (item,) = response.json()["detail"]
    assert "busy" in item["msg"] and item["loc"] == []


def test_a_page_answers_a_friendly_503(web, manager, locked):
    locked(core_views, "render")
    response = web(manager).get("/")
    assert response.status_code == 503 and response["Retry-After"] == "2"
    assert "The system is busy" in response.content.decode()


def test_other_database_errors_are_not_disguised(web, manager, monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("no such table: x")

    monkeypatch.setattr(core_views, "render", fail)
    with pytest.raises(OperationalError):
        web(manager).get("/")


def test_a_lock_outside_any_view_still_answers_503(manager, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    def fail(self, *args, **kwargs):
        raise OperationalError("database is locked")

    client = Client(raise_request_exception=False)
    monkeypatch.setattr(SessionStore, "save", fail)
    response = client.post("/accounts/login/", {"username": "manager", "password": "Correct-Horse-42"})
    assert response.status_code == 503 and response["Retry-After"] == "2"
