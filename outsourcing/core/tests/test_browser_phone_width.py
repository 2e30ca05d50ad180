"""Every main page is usable on a phone (390 × 844): the page itself never scrolls sideways — wide tables scroll
inside their own wrapper — as the owner's manager (in English and Chinese) and as a vendor's user. At 1366 px
the comparison shows its weighted totals without scrolling and its chart legend does not overlap.

Screenshots are kept in test-artifacts/ (phone-*.png) for a person to look at."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command

from conftest import browser_login, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _owner_pages(
    engagement: int, vendor: int, vendors: list[int], qualification: int | None, member: int | None
) -> list[str]:
    chosen = "&".join(f"vendors={pk}" for pk in vendors)
    pages = [
        "/",
        "/vendors/",
        f"/vendors/{vendor}/",
        "/vendors/new",
        f"/vendors/{vendor}/edit",
        "/engagements/",
        f"/engagements/{engagement}/",
        f"/engagements/{engagement}/edit",
        f"/engagements/{engagement}/agreement",
        "/teams/",
        f"/teams/vendors/{vendor}/members/",
        f"/teams/members/{member}/",
        f"/teams/engagements/{engagement}/team",
        f"/teams/vendors/{vendor}/stability",
        "/teams/double-bookings",
        "/qualifications/",
        f"/qualifications/{qualification}/",
        f"/qualifications/vendor/{vendor}/",
        f"/qualifications/vendor/{vendor}/new",
        "/qualifications/engagements/",
        "/qualifications/types/",
        "/assessments/",
        "/assessments/new",
        "/assessments/templates/",
        f"/assessments/compare/?engagement={engagement}&{chosen}",
        f"/assessments/compare/?engagement={engagement}&{chosen}&mode=ahp",
        "/reports/",
        f"/reports/engagements/{engagement}/",
        "/processing/",
        "/processing/items/",
        "/processing/stock/",
        "/audit/",
        "/search/?q=a",
        "/inbox/",
        "/accounts/profile/",
        "/accounts/password/",
    ]
    return _present(pages)


def _present(pages: list[str]) -> list[str]:
    """The pages whose record exists ("None" marks a page of a record the demo could not build)."""
    return [p for p in pages if not (("/qualifications/None" in p) or ("/members/None" in p))]


def _vendor_pages(engagement: int, vendor: int, qualification: int | None, member: int | None) -> list[str]:
    pages = [
        "/",
        f"/vendors/{vendor}/",
        "/engagements/",
        f"/engagements/{engagement}/",
        f"/teams/vendors/{vendor}/members/",
        f"/teams/members/{member}/",
        "/qualifications/",
        f"/qualifications/{qualification}/",
        "/assessments/",
        "/reports/",
        "/processing/",
        "/inbox/",
    ]
    return _present(pages)


def _name(prefix: str, path: str) -> str:
    cleaned = path.split("?")[0].strip("/").replace("/", "-") or "dashboard"
    return f"phone-{prefix}-{cleaned}" + ("-ahp" if "mode=ahp" in path else "")


def _walk(page: Any, prefix: str, paths: list[str]) -> dict[str, int]:
    """path → the page's width, for every page wider than the screen (a screenshot of each page is kept)."""
    too_wide = {}
    for path in paths:
        response = page.goto(page.base_url + path)
        assert response is not None and response.status == 200, f"{prefix} {path}: {response and response.status}"
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
        save_screenshot(page, _name(prefix, path))
    return too_wide


def _ids() -> dict[str, Any]:
    """The records the pages show: vendor_a's vendor, one of its engagements, people and certificates.
    (An earlier transactional test may have emptied the tables that migrations seed, such as the qualification
    catalogue: the demo then has fewer records, and the pages that need them are left out.)"""
    from django.contrib.auth import get_user_model

    from outsourcing.engagements.models import Engagement
    from outsourcing.qualifications.models import Qualification
    from outsourcing.teams.models import TeamMember
    from outsourcing.vendors.models import Vendor

    vendor = get_user_model().objects.get(username="vendor_a").vendor_id
    engagement = Engagement.objects.filter(vendor_id=vendor).order_by("pk").values_list("pk", flat=True).first()
    assert vendor is not None and engagement is not None
    return {
        "engagement": engagement,
        "vendor": vendor,
        "vendors": list(Vendor.objects.order_by("pk").values_list("pk", flat=True)[:6]),
        "qualification": Qualification.objects.filter(vendor_id=vendor).values_list("pk", flat=True).first(),
        "member": TeamMember.objects.filter(vendor_id=vendor).order_by("pk").values_list("pk", flat=True).first(),
    }


def test_every_main_page_fits_a_phone_and_the_comparison_fits_a_laptop(browser_page):
    call_command("demo")
    ids = _ids()
    page = browser_page
    page.set_viewport_size(PHONE)
    browser_login(page, "manager", "Manager-Demo-2026")
    too_wide = _walk(page, "manager", _owner_pages(**ids))

    with page.expect_navigation():
        page.select_option("#lang-select", "zh-hans")  # the form sends itself and comes back to the page
    chinese = ["/", "/qualifications/", f"/assessments/compare/?engagement={ids['engagement']}", "/audit/"]
    too_wide |= {f"zh {k}": v for k, v in _walk(page, "manager-zh", chinese).items()}
    with page.expect_navigation():
        page.select_option("#lang-select", "en")

    # A laptop (1366 px): the weighted total is in view without scrolling the table; the legend is readable.
    page.set_viewport_size({"width": 1366, "height": 900})
    chosen = "&".join(f"vendors={pk}" for pk in ids["vendors"])
    page.goto(f"{page.base_url}/assessments/compare/?engagement={ids['engagement']}&{chosen}")
    wrap = page.locator(".table-wrap").first.bounding_box()
    total = page.locator("table.compare th", has_text="Weighted total").bounding_box()
    assert wrap is not None and total is not None
    assert total["x"] + total["width"] <= wrap["x"] + wrap["width"], (total, wrap)
    legend = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart-bars > text')].slice(-5).map(t => {
            const r = t.getBoundingClientRect();
            return {text: t.textContent, l: r.left, r: r.right, t: r.top, b: r.bottom};
        })"""
    )
    for i, a in enumerate(legend):
        for b in legend[i + 1 :]:
            apart = a["r"] <= b["l"] or b["r"] <= a["l"] or a["b"] <= b["t"] or b["b"] <= a["t"]
            assert apart, f"legend labels overlap: {a} {b}"
    save_screenshot(page, "laptop-comparison")

    page.set_viewport_size(PHONE)
    page.context.clear_cookies()
    browser_login(page, "vendor_a", "VendorA-Demo-2026")
    vendor_ids = {k: ids[k] for k in ("engagement", "vendor", "qualification", "member")}
    too_wide |= {f"vendor {k}": v for k, v in _walk(page, "vendor", _vendor_pages(**vendor_ids)).items()}
    assert too_wide == {}, json.dumps(too_wide, indent=1)
