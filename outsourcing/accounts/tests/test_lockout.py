"""Login lockout counts per user name whatever the address, and each further lockout lasts longer."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client

from outsourcing.accounts.lockout import cool_off

pytestmark = pytest.mark.django_db

RIGHT = "Correct-Horse-42"


def _web_login(password: str, address: str) -> int:
    return (
        Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": "manager", "password": password}).status_code
    )


def _api_login(password: str, address: str) -> int:
    client = Client(REMOTE_ADDR=address)
    body = {"username": "manager", "password": password}
    return client.post("/api/v1/auth/token", body, content_type="application/json").status_code


def _age_everything(minutes: int) -> None:
    """Move every recorded attempt `minutes` into the past, as if that time had gone by."""
    delta = datetime.timedelta(minutes=minutes)
    for model in (AccessAttempt, AccessFailureLog):
        for row in model.objects.all():
            row.attempt_time -= delta
            row.save(update_fields=["attempt_time"])


@pytest.mark.parametrize("login", [_web_login, _api_login], ids=["web form", "api token"])
def test_failures_from_many_addresses_lock_the_name(manager, login):
    for i in range(5):
        login("wrong", f"10.0.0.{i + 1}")
    # A sixth address with the right password is still refused: the name is locked, not the addresses.
    assert login(RIGHT, "10.0.9.9") == 429


@pytest.mark.parametrize("login", [_web_login, _api_login], ids=["web form", "api token"])
def test_four_failures_do_not_lock(manager, login):
    for i in range(4):
        login("wrong", f"10.0.0.{i + 1}")
    assert login(RIGHT, "10.0.9.9") in (200, 302)


def test_other_names_are_not_locked(manager, auditor):
    for i in range(5):
        _api_login("wrong", f"10.0.0.{i + 1}")
    client = Client()
    body = {"username": "auditor", "password": RIGHT}
    assert client.post("/api/v1/auth/token", body, content_type="application/json").status_code == 200


def test_each_further_lockout_waits_twice_as_long(manager):
    for _ in range(5):
        _api_login("wrong", "10.0.0.1")
    assert _api_login(RIGHT, "10.0.0.1") == 429
    _age_everything(14)
    assert _api_login(RIGHT, "10.0.0.2") == 429
    _age_everything(2)  # 16 minutes after the first lockout: it has passed
    for _ in range(5):
        _api_login("wrong", "10.0.0.3")
    _age_everything(16)  # the second lockout lasts 30 minutes, not 15
    assert _api_login(RIGHT, "10.0.0.4") == 429
    _age_everything(15)
    assert _api_login(RIGHT, "10.0.0.4") == 200


class _Request:
    def __init__(self, username):
        self.login_username = username


def test_the_backoff_doubles_and_stops_at_a_day(manager, settings):
    settings.LOGIN_COOLOFF_MINUTES = 15
    assert cool_off(_Request("manager")) == datetime.timedelta(minutes=15)
    for n in range(1, 9):
        AccessFailureLog.objects.create(username="manager", ip_address="10.0.0.1", locked_out=True)
        expected = min(datetime.timedelta(minutes=15 * 2 ** (n - 1)), datetime.timedelta(days=1))
        assert cool_off(_Request("manager")) == expected
    # Lockouts older than a day no longer count.
    AccessFailureLog.objects.update(
        attempt_time=AccessFailureLog.objects.first().attempt_time - datetime.timedelta(days=2)
    )
    assert cool_off(_Request("manager")) == datetime.timedelta(minutes=15)
