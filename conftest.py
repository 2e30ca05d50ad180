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
from outsourcing.vendors.registration import unified_social_credit_code

# Chinese vendors carry a unified social credit code with its GB 32100-2015 check character.
VENDOR_A_CODE = unified_social_credit_code("91110108MA0000A01")
VENDOR_B_CODE = unified_social_credit_code("91530100MA0000B02")


@pytest.fixture
def vendor_a(db: Any) -> Vendor:
    return Vendor.objects.create(name="华信软件 Vendor A", registration_number=VENDOR_A_CODE, country="CN")


@pytest.fixture
def vendor_b(db: Any) -> Vendor:
    return Vendor.objects.create(name="Yunling Vendor B", registration_number=VENDOR_B_CODE, country="CN")


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
            return self.client.post(self._url(path), {**(data or {}), **kwargs["files"]}, headers=self.headers)
        return self.client.post(self._url(path), data, content_type="application/json", headers=self.headers)

    def patch(self, path: str, data: Any) -> Any:
        return self.client.patch(self._url(path), data, content_type="application/json", headers=self.headers)

    def put(self, path: str, data: Any) -> Any:
        return self.client.put(self._url(path), data, content_type="application/json", headers=self.headers)

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


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the default language and leaves none behind: a request in Chinese activates the
    user's language in the thread (LocaleMiddleware), which must not word the next test's messages."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def pytest_configure() -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page(live_server: Any) -> Any:
    """A Playwright page in Debian's Chromium against the live test server.

    Skipped with a reason when Chromium is missing, unless OUTSOURCING_REQUIRE_BROWSER=1 (CI), where a
    missing browser is a failure: the browser tests must really run there.
    """
    if not os.path.exists(CHROMIUM):
        if os.environ.get("OUTSOURCING_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (OUTSOURCING_REQUIRE_BROWSER=1) but /usr/bin/chromium is missing")
        pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-US")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            context.close()
            browser.close()


def browser_login(page: Any, username: str, password: str = "Correct-Horse-42") -> None:
    """Sign in through the login form as a persona (all personas share this password)."""
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def save_screenshot(page: Any, name: str) -> None:
    """Keep a screenshot in test-artifacts/ (ignored by git) so that a person can look at the page."""
    folder = os.path.join(os.path.dirname(__file__), "test-artifacts")
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.fixture
def only_registered() -> Any:
    """Keep only some apps' registry contributions for a test: `only_registered("engagements")` empties the
    activation checks, engagement issues and vendor blockers of every other app (in place, restored
    afterwards), so a test of one app's rule is not moved by another app's rule."""
    from outsourcing.core import registry

    saved = {
        name: list(getattr(registry, name)) for name in ("activation_checks", "engagement_issues", "vendor_blockers")
    }

    def keep(*app_labels: str) -> None:
        for name in saved:
            target = getattr(registry, name)
            target[:] = [fn for fn in target if fn.__module__.split(".")[1] in app_labels]

    yield keep
    for name, functions in saved.items():
        getattr(registry, name)[:] = functions


@pytest.fixture
def query_plans() -> Any:
    """`query_plans(action)`: (statement, SQLite's plan) of every SELECT `action` sends, explained with its own
    bound parameters (a literal in their place can change the plan). Without ANALYZE statistics, which Django
    never gathers, SQLite plans the same on a test's small tables as on a full portfolio."""
    from django.db import connection

    def explain(action: Any) -> list[tuple[str, str]]:
        sent: list[tuple[str, Any]] = []

        def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            sent.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            action()
        plans = []
        with connection.cursor() as cursor:
            for sql, params in sent:
                if sql.lstrip().upper().startswith("SELECT"):
                    cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                    plans.append((sql, " / ".join(str(row[-1]) for row in cursor.fetchall())))
        return plans

    return explain
