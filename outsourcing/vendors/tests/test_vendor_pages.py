"""The vendor pages: list with search, filter, sort and pagination; detail; edit; export."""

import io

import pytest
from openpyxl import load_workbook

from outsourcing.vendors.models import Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_vendors(db):
    statuses = ["prospective", "approved", "suspended", "blocked"]
    return Vendor.objects.bulk_create(
        Vendor(name=f"Vendor {i:03}", registration_number=f"R{i:05}", country="CN", status=statuses[i % 4])
        for i in range(60)
    )


def test_the_list_paginates_with_counts(web, manager, many_vendors):
    body = web(manager).get("/vendors/").content.decode()
    assert "1–25 of 60" in body
    assert "Page 1 of 3" in body


def test_the_list_filters_by_status_and_search(web, manager, many_vendors):
    body = web(manager).get("/vendors/", {"status": "blocked", "q": "Vendor 00"}).content.decode()
    # "Vendor 00" matches 000–009; every fourth from 003 is blocked: 003 and 007.
    assert "Vendor 003" in body
    assert "Vendor 007" in body
    assert "Vendor 004" not in body
    assert "1–2 of 2" in body


def test_the_list_sorts_by_a_column_both_ways(web, manager, many_vendors):
    body = web(manager).get("/vendors/", {"sort": "-name"}).content.decode()
    assert body.index("Vendor 059") < body.index("Vendor 058")
    body = web(manager).get("/vendors/", {"sort": "name"}).content.decode()
    assert body.index("Vendor 000") < body.index("Vendor 001")


def test_the_list_page_query_count_does_not_grow_with_rows(web, manager, many_vendors, django_assert_max_num_queries):
    client = web(manager)
    with django_assert_max_num_queries(6):
        client.get("/vendors/", {"per_page": 100})


def test_an_empty_list_says_what_to_do_first(web, manager):
    body = web(manager).get("/vendors/").content.decode()
    assert "No vendors yet." in body
    assert "/vendors/new" in body


def test_htmx_requests_get_only_the_results(web, manager, many_vendors):
    response = web(manager).get("/vendors/", {"q": "Vendor 01"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert '<nav class="sidebar"' not in body
    assert "Vendor 010" in body


def test_csv_export_follows_the_filters(web, manager, many_vendors):
    response = web(manager).get("/vendors/export.csv", {"status": "approved"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Legal name,")
    assert len(lines) == 1 + 15


def test_xlsx_export_holds_every_visible_vendor(web, manager, many_vendors):
    response = web(manager).get("/vendors/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 61
    assert sheet.cell(1, 3).value == "Registration number"


def test_exports_neutralise_spreadsheet_formulas(web, manager):
    Vendor.objects.create(name='=HYPERLINK("http://evil")', registration_number="R1", country="CN")
    text = b"".join(web(manager).get("/vendors/export.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_vendor_b_exports_and_lists_only_its_own(web, vendor_a, vendor_b, vendor_b_user):
    client = web(vendor_b_user)
    assert vendor_a.name not in client.get("/vendors/").content.decode()
    text = b"".join(client.get("/vendors/export.csv").streaming_content).decode("utf-8-sig")
    assert vendor_a.registration_number not in text
    assert vendor_b.registration_number in text
    assert client.get(f"/vendors/{vendor_a.pk}/").status_code == 404
    assert client.get(f"/vendors/{vendor_a.pk}/edit").status_code == 404


def test_vendor_user_edits_its_profile_without_the_status_field(web, vendor_a, vendor_a_user):
    client = web(vendor_a_user)
    form_page = client.get(f"/vendors/{vendor_a.pk}/edit").content.decode()
    assert 'name="status"' not in form_page
    data = {
        "name": vendor_a.name,
        "registration_number": vendor_a.registration_number,
        "country": "CN",
        "address": "北京市海淀区",
    }
    assert client.post(f"/vendors/{vendor_a.pk}/edit", data).status_code == 302
    vendor_a.refresh_from_db()
    assert vendor_a.address == "北京市海淀区"
    assert vendor_a.status == "prospective"


def test_the_auditor_cannot_open_the_edit_form(web, vendor_a, auditor):
    assert web(auditor).get(f"/vendors/{vendor_a.pk}/edit").status_code == 403
    assert web(auditor).get("/vendors/new").status_code == 403


def test_an_over_long_name_is_refused_by_the_field_not_cut(web, manager):
    data = {"name": "x" * 201, "registration_number": "R9", "country": "CN", "status": "prospective"}
    body = web(manager).post("/vendors/new", data).content.decode()
    assert "at most 200 characters" in body
    assert not Vendor.objects.exists()


def test_the_detail_page_shows_the_history_with_before_and_after(web, api, manager, vendor_a):
    api(manager).patch(f"/vendors/{vendor_a.pk}", {"status": "approved"})
    body = web(manager).get(f"/vendors/{vendor_a.pk}/").content.decode()
    assert "<del>Prospective</del>" in body  # the status's label, as the page shows it elsewhere
    assert "<ins>Approved</ins>" in body


def test_a_contact_is_added_and_the_primary_is_unique(web, vendor_a, vendor_a_user):
    client = web(vendor_a_user)
    for name in ("王磊", "李娜"):
        client.post(f"/vendors/{vendor_a.pk}/contacts/new", {"name": name, "is_primary": "on"})
    assert list(vendor_a.contacts.filter(is_primary=True).values_list("name", flat=True)) == ["李娜"]


def test_deleting_a_vendor_with_users_is_refused_with_a_message(web, manager, vendor_a, vendor_a_user):
    response = web(manager).post(f"/vendors/{vendor_a.pk}/delete", follow=True)
    assert "suspend or block it instead" in response.content.decode()
    assert Vendor.objects.filter(pk=vendor_a.pk).exists()


def test_the_detail_page_shows_the_vendor_at_a_glance_and_why_it_is_blocked(web, manager, vendor_a):
    vendor_a.status = "blocked"
    vendor_a.save()
    body = web(manager).get(f"/vendors/{vendor_a.pk}/").content.decode()
    assert "May not be chosen for new work" in body
    assert "The vendor is blocked" in body
    assert "Team stability" in body  # a registered criterion, with its figure or a dash
