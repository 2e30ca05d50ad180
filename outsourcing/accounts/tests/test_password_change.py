"""Every user changes its own password, on a page reachable from the header or through the API."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

NEW = "Brand-New-Passphrase-7"


@pytest.mark.parametrize("persona", ["admin", "manager", "auditor", "vendor_a_user"])
def test_every_user_changes_its_password_on_the_page(request, web, persona):
    user = request.getfixturevalue(persona)
    client = web(user)
    assert 'href="/accounts/password/"' in client.get("/").content.decode()
    response = client.post(
        "/accounts/password/",
        {"old_password": "Correct-Horse-42", "new_password": NEW, "new_password_again": NEW},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get("/").status_code == 200  # this browser stays signed in


def test_other_sessions_end_when_the_password_changes(web, manager):
    elsewhere = web(manager)
    here = web(manager)
    here.post(
        "/accounts/password/", {"old_password": "Correct-Horse-42", "new_password": NEW, "new_password_again": NEW}
    )
    assert elsewhere.get("/").status_code == 302


def test_the_page_refuses_a_wrong_current_password_and_a_weak_new_one(web, manager):
    client = web(manager)
    wrong = client.post("/accounts/password/", {"old_password": "nope", "new_password": NEW, "new_password_again": NEW})
    assert wrong.status_code == 200
    assert "current password is not right" in wrong.content.decode()
    weak = client.post(
        "/accounts/password/",
        {"old_password": "Correct-Horse-42", "new_password": "short", "new_password_again": "short"},
    )
    assert "too short" in weak.content.decode()
    differ = client.post(
        "/accounts/password/",
        {"old_password": "Correct-Horse-42", "new_password": NEW, "new_password_again": NEW + "x"},
    )
    assert "differ" in differ.content.decode()
    manager.refresh_from_db()
    assert manager.check_password("Correct-Horse-42")


def test_the_api_changes_the_callers_password(api, vendor_a_user):
    client = api(vendor_a_user)
    response = client.post("/auth/password", {"old_password": "Correct-Horse-42", "new_password": NEW})
    assert response.status_code == 204
    vendor_a_user.refresh_from_db()
    assert vendor_a_user.check_password(NEW)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("wrong", NEW, "old_password"),
        ("Correct-Horse-42", "password123", "new_password"),  # common
        ("Correct-Horse-42", "short", "new_password"),
        ("Correct-Horse-42", "manager1234", "new_password"),  # like the user name
        ("Correct-Horse-42", "Correct-Horse-42", "new_password"),  # the same again
    ],
)
def test_the_api_refuses_naming_the_field(api, manager, old, new, field):
    response = api(manager).post("/auth/password", {"old_password": old, "new_password": new})
    assert response.status_code == 422
    assert {d["field"] for d in response.json()["detail"]} == {field}
    manager.refresh_from_db()
    assert manager.check_password("Correct-Horse-42")


def test_strangers_cannot_change_passwords():
    assert Client().post("/api/v1/auth/password", {}, content_type="application/json").status_code == 401
    assert Client().get("/accounts/password/").status_code == 302
