"""The dashboard answers "what needs me today" with links to the lists that fix it."""

import pytest

from outsourcing.vendors.models import Vendor
from outsourcing.vendors.registration import unified_social_credit_code as uscc

pytestmark = pytest.mark.django_db


def test_it_shows_vendors_in_a_bad_standing_linking_to_the_filtered_list(web, manager):
    Vendor.objects.create(
        name="Blocked Co", registration_number=uscc("91110000MA00000B1"), country="CN", status="blocked"
    )
    body = web(manager).get("/").content.decode()
    assert "Blocked vendors" in body
    assert "/vendors/?status=blocked" in body
    assert "Suspended vendors" not in body


def test_vendor_users_do_not_see_portfolio_cards(web, vendor_a_user):
    Vendor.objects.create(
        name="Blocked Co", registration_number=uscc("91110000MA00000B1"), country="CN", status="blocked"
    )
    assert "Blocked vendors" not in web(vendor_a_user).get("/").content.decode()


def test_the_audit_trail_is_for_owner_staff(web, auditor, vendor_a_user):
    assert web(auditor).get("/audit/").status_code == 200
    assert web(vendor_a_user).get("/audit/").status_code == 404


def test_the_api_docs_load_nothing_from_the_internet(client):
    body = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in body
    assert "https://" not in body
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/vendors" in schema["paths"]


def test_unknown_api_addresses_answer_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": [{"loc": ["path"], "field": "", "msg": "Not found."}]}


def test_unknown_pages_answer_the_products_404_page(web, manager):
    response = web(manager).get("/no-such-page/")
    assert response.status_code == 404
    assert "There is nothing here." in response.content.decode()


def test_cards_counting_nothing_are_left_out(web, manager):
    from outsourcing.core import registry
    from outsourcing.core.registry import DashboardCard

    def provider(user):
        return [DashboardCard("Nothing late", 0, "/x"), DashboardCard("Something late", 2, "/y", "red")]

    registry.register_dashboard_cards(provider)
    try:
        body = web(manager).get("/").content.decode()
    finally:
        registry.dashboard_cards.remove(provider)
    assert "Something late" in body
    assert "Nothing late" not in body
