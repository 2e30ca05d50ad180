"""Signing in on the web and through the API, throttling, tokens and their revocation."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from outsourcing.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_it_signs_in_and_out_on_the_web(manager):
    client = Client()
    response = client.post("/accounts/login/", {"username": "manager", "password": "Correct-Horse-42"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_anonymous_pages_redirect_to_login(db):
    response = Client().get("/vendors/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_passwords_are_hashed_with_argon2(manager):
    assert manager.password.startswith(("argon2", "md5"))  # md5 only under tests, for speed
    from django.conf import settings

    assert "Argon2PasswordHasher" in settings.PASSWORD_HASHERS[1]


def test_it_issues_a_token_for_good_credentials(api, manager):
    response = api(None).post("/auth/token", {"username": "manager", "password": "Correct-Horse-42"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.get(key_hash=ApiToken.hash(token)).user == manager
    assert token not in str(list(ApiToken.objects.values_list("key_hash", flat=True)))


def test_it_refuses_bad_credentials_naming_the_password(api, manager):
    response = api(None).post("/auth/token", {"username": "manager", "password": "wrong"})
    assert response.status_code == 401
    assert response.json()["detail"][0]["field"] == "password"


def test_it_throttles_failed_logins_after_five_attempts(api, manager):
    client = api(None)
    for _ in range(4):
        assert client.post("/auth/token", {"username": "manager", "password": "nope"}).status_code == 401
    # The fifth failure locks the account out; afterwards even the right password is refused.
    assert client.post("/auth/token", {"username": "manager", "password": "nope"}).status_code == 429
    locked = client.post("/auth/token", {"username": "manager", "password": "Correct-Horse-42"})
    assert locked.status_code == 429
    assert AccessAttempt.objects.filter(username="manager").exists()


def test_the_web_login_is_throttled_too(manager):
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "manager", "password": "nope"})
    response = client.post("/accounts/login/", {"username": "manager", "password": "Correct-Horse-42"})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


def test_a_revoked_token_no_longer_works(api, manager):
    client = api(manager)
    assert client.get("/vendors").status_code == 200
    assert client.delete("/auth/token").status_code == 204
    assert client.get("/vendors").status_code == 401


def test_tokens_of_deactivated_users_stop_working(api, manager):
    client = api(manager)
    manager.is_active = False
    manager.save()
    assert client.get("/vendors").status_code == 401


def test_a_user_revokes_a_token_from_the_profile_page(web, manager):
    token, _raw = ApiToken.issue(manager)
    client = web(manager)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_another_users_token(web, manager, auditor):
    token, _raw = ApiToken.issue(manager)
    assert web(auditor).post(f"/accounts/tokens/{token.pk}/revoke").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
