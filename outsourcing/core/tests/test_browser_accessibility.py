"""axe-core (WCAG 2 A/AA and best practices) over the main pages, as the owner's manager, the auditor and a
vendor's user, on the demo data: no violation may appear. axe-core comes from the npm registry (package.json)
and is evaluated in the page by the test; it is never served to users."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from conftest import browser_login, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

OWNER_PAGES = [
    "/",
    "/vendors/",
    "/engagements/",
    "/teams/",
    "/qualifications/",
    "/assessments/",
    "/reports/",
    "/processing/",
    "/audit/",
    "/search/?q=a",
    "/teams/double-bookings",
    "/teams/forecast/backtest",
]
VENDOR_PAGES = ["/", "/vendors/", "/engagements/", "/teams/", "/qualifications/", "/reports/", "/processing/"]


def _axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("OUTSOURCING_REQUIRE_BROWSER") == "1":
            pytest.fail(f"axe-core is required but {AXE} is missing: run `make install-dev` (npm ci)")
        pytest.skip("axe-core is not installed (npm ci)")
    return AXE.read_text()


def _violations(page: Any, source: str) -> list[dict[str, Any]]:
    page.evaluate(source)  # evaluated by the browser's debugger protocol: the page's CSP does not apply
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result["violations"]
    ]


def _walk(page: Any, pages: list[str], source: str) -> dict[str, Any]:
    found = {}
    for path in pages:
        page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")
        violations = _violations(page, source)
        if violations:
            found[path] = violations
            save_screenshot(page, "axe-" + path.strip("/").replace("/", "-").replace("?", "-") or "dashboard")
    return found


def test_pages_have_no_accessibility_violations_for_any_persona(browser_page):
    """One demo load for all three personas: the owner's manager (with detail pages), the auditor and a
    vendor's user."""
    source = _axe_source()
    call_command("demo")
    from outsourcing.engagements.models import Engagement
    from outsourcing.vendors.models import Vendor

    engagement = Engagement.objects.filter(vendor__isnull=False).order_by("pk").first()
    vendor = Vendor.objects.order_by("pk").first()
    assert engagement is not None and vendor is not None
    extra = [f"/engagements/{engagement.pk}/", f"/teams/engagements/{engagement.pk}/team", f"/vendors/{vendor.pk}/"]
    browser_login(browser_page, "manager", "Manager-Demo-2026")
    found = _walk(browser_page, OWNER_PAGES + extra, source)
    browser_page.context.clear_cookies()  # signed out: the next persona signs in afresh
    browser_login(browser_page, "auditor", "Auditor-Demo-2026")
    found |= {f"auditor {k}": v for k, v in _walk(browser_page, OWNER_PAGES[:6], source).items()}
    browser_page.context.clear_cookies()
    browser_login(browser_page, "vendor_a", "VendorA-Demo-2026")
    found |= {f"vendor {k}": v for k, v in _walk(browser_page, VENDOR_PAGES, source).items()}
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
