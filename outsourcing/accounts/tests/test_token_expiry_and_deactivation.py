"""API tokens expire and are capped per user; deactivating a user ends its sessions and tokens for good."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from outsourcing.accounts.actions import do_issue_token, do_update_user
from outsourcing.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def test_a_token_expires_after_the_configured_days(manager, settings):
    settings.API_TOKEN_DAYS = 90
    token, raw = do_issue_token(manager)
    assert token.expires_at - token.created_at == pytest.approx(
        datetime.timedelta(days=90), abs=datetime.timedelta(seconds=5)
    )
    assert Client().get("/api/v1/vendors", headers=_bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert Client().get("/api/v1/vendors", headers=_bearer(raw)).status_code == 401


def test_the_lifetime_is_configurable(manager, settings):
    settings.API_TOKEN_DAYS = 7
    token, _raw = do_issue_token(manager)
    assert (token.expires_at - timezone.now()).days == 6  # 7 days less the moment since


def test_tokens_beyond_the_cap_revoke_the_oldest(manager, settings):
    settings.API_TOKENS_PER_USER = 3
    issued = [do_issue_token(manager) for _ in range(4)]
    oldest, _raw = issued[0]
    oldest.refresh_from_db()
    assert oldest.revoked_at is not None
    assert ApiToken.objects.usable().filter(user=manager).count() == 3
    assert Client().get("/api/v1/vendors", headers=_bearer(issued[0][1])).status_code == 401
    assert Client().get("/api/v1/vendors", headers=_bearer(issued[3][1])).status_code == 200


def test_expired_tokens_do_not_count_against_the_cap(manager, settings):
    settings.API_TOKENS_PER_USER = 2
    first, _raw = do_issue_token(manager)
    ApiToken.objects.filter(pk=first.pk).update(expires_at=timezone.now())
    second, _ = do_issue_token(manager)
    do_issue_token(manager)
    second.refresh_from_db()
    assert second.revoked_at is None


def test_deactivation_ends_sessions_and_tokens_for_good(admin, manager, auditor):
    browser = Client()
    browser.force_login(manager)
    other = Client()
    other.force_login(auditor)
    _token, raw = do_issue_token(manager)
    assert browser.get("/").status_code == 200

    do_update_user(manager, changes={"is_active": False}, acting_user=admin)
    do_update_user(manager, changes={"is_active": True}, acting_user=admin)

    assert browser.get("/").status_code == 302  # back to the sign-in page
    assert Client().get("/api/v1/vendors", headers=_bearer(raw)).status_code == 401
    assert other.get("/").status_code == 200  # nobody else is signed out
    assert Session.objects.count() == 1


def test_deactivation_through_the_api_revokes_tokens(api, admin, manager):
    _token, raw = do_issue_token(manager)
    assert api(admin).patch(f"/users/{manager.pk}", {"is_active": False}).status_code == 200
    api(admin).patch(f"/users/{manager.pk}", {"is_active": True})
    assert Client().get("/api/v1/vendors", headers=_bearer(raw)).status_code == 401


def test_a_session_lasts_a_working_day_by_default(settings):
    from outsourcing import settings as project_settings

    assert project_settings.SESSION_COOKIE_AGE == 9 * 3600


def test_the_session_lifetime_comes_from_the_environment(monkeypatch, tmp_path):
    import subprocess
    import sys

    env = {"OUTSOURCING_SESSION_HOURS": "4", "OUTSOURCING_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    code = "import outsourcing.settings as s; print(s.SESSION_COOKIE_AGE)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == str(4 * 3600)
