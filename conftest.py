"""Shared test fixtures: the named personas every permission test speaks of.

- `manager`: the owner's outsourcing manager (reads and changes the owner's records);
- `admin`: the owner's admin;
- `auditor`: reads everything, changes nothing;
- `vendor_a_user` / `vendor_b_user`: staff of Vendor A and Vendor B; B must see nothing of A's.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client

from outsourcing.accounts.models import ApiToken, User
from outsourcing.core.access import Role
from outsourcing.vendors.models import Vendor


@pytest.fixture
def vendor_a(db: Any) -> Vendor:
    return Vendor.objects.create(name="华信软件 Vendor A", registration_number="REG-A-0001", country="CN")


@pytest.fixture
def vendor_b(db: Any) -> Vendor:
    return Vendor.objects.create(name="Yunling Vendor B", registration_number="REG-B-0002", country="CN")


def _user(username: str, role: str, vendor: Vendor | None = None) -> User:
    user = User(username=username, role=role, vendor=vendor, first_name=username.title())
    user.set_password("Correct-Horse-42")
    user.save()
    return user


@pytest.fixture
def admin(db: Any) -> User:
    return _user("admin", Role.ADMIN)


@pytest.fixture
def manager(db: Any) -> User:
    return _user("manager", Role.MANAGER)


@pytest.fixture
def auditor(db: Any) -> User:
    return _user("auditor", Role.AUDITOR)


@pytest.fixture
def vendor_a_user(vendor_a: Vendor) -> User:
    return _user("alice_a", Role.VENDOR, vendor_a)


@pytest.fixture
def vendor_b_user(vendor_b: Vendor) -> User:
    return _user("bob_b", Role.VENDOR, vendor_b)


class ApiClient:
    """A test client that speaks JSON to /api/v1 with a bearer token."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            _token, raw = ApiToken.issue(user)
            self.headers["Authorization"] = f"Bearer {raw}"

    def _url(self, path: str) -> str:
        return path if path.startswith("/api/") else "/api/v1" + path

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(self._url(path), params, headers=self.headers)

    def post(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        if "files" in kwargs:
            return self.client.post(
                self._url(path), {**(data or {}), **kwargs["files"]}, headers=self.headers
            )
        return self.client.post(self._url(path), data, content_type="application/json", headers=self.headers)

    def patch(self, path: str, data: Any) -> Any:
        return self.client.patch(self._url(path), data, content_type="application/json", headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(self._url(path), headers=self.headers)


@pytest.fixture
def api() -> Any:
    """`api(user)` gives an ApiClient authenticated as `user` (None: anonymous)."""
    return ApiClient


@pytest.fixture
def web() -> Any:
    """`web(user)` gives a Django test client logged in as `user`."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _isolated_files(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "files")


def pytest_configure() -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
