"""Processing through the API and the pages, for each persona: the manager runs orders, the auditor reads and
gets 403 on writes, Vendor A's user works its side of its own orders, Vendor B's user sees nothing of A's."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from outsourcing.processing import actions
from outsourcing.processing.models import BillOfMaterials, ProcessingOrder

pytestmark = pytest.mark.django_db


def test_the_manager_runs_an_order_through_the_api(api, manager, vendor_a, vendor_a_user, housing, casting):
    client = api(manager)
    body = {
        "number": "PO-77",
        "vendor_id": vendor_a.pk,
        "due_date": "2027-01-31",
        "lines": [{"item_id": housing.pk, "quantity": "10", "unit_price": "99.90"}],
    }
    response = client.post("/processing/orders", body)
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["lines"][0]["bom_version"] == 1
    assert order["materials"][0]["suggested_issue"] == "10.500"  # 10 × 1 × 1.05
    line_id, url = order["lines"][0]["id"], f"/processing/orders/{order['id']}"
    assert client.post(f"{url}/issue").status_code == 200
    vendor = api(vendor_a_user)
    assert vendor.post(f"{url}/confirm").json()["status"] == "confirmed"
    assert client.post(f"{url}/materials", {"material_id": casting.pk, "quantity": "10.5"}).status_code == 201
    dispatch = vendor.post(f"{url}/dispatches", {"line_id": line_id, "quantity": "10"})
    assert dispatch.status_code == 201, dispatch.content
    receipt = client.post(
        f"/processing/lines/{line_id}/receipts",
        {"dispatch_id": dispatch.json()["id"], "quantity": "10", "accepted": "10"},
    )
    assert receipt.status_code == 201, receipt.content
    assert receipt.json()["status"] == "received"
    assert vendor.get(f"{url}/receipts").json()["count"] == 1
    reported = vendor.put(f"{url}/consumption", {"material_id": casting.pk, "actual": "10.5"})
    assert reported.status_code == 200, reported.content
    refused = client.post(f"{url}/settle", {})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "confirm"
    assert client.get(f"{url}/settlement").json()["net"] == "999.00"
    assert client.post(f"{url}/settle", {"confirm": True}).json()["settled_amount"] == "999.00"


def test_the_api_names_the_short_material(api, manager, issued_order):
    line = issued_order.lines.get()
    response = api(manager).post(
        f"/processing/lines/{line.pk}/receipts",
        {"quantity": "101", "accepted": "100", "rejected": "1", "defect_reason": "surface"},
    )
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["field"] == "quantity"
    assert "M-200" in detail["msg"] and "short by 1.05 pcs" in detail["msg"]


def test_the_api_refuses_a_non_direct_item_naming_the_line(api, manager, vendor_a, stationery):
    body = {
        "number": "PO-1",
        "vendor_id": vendor_a.pk,
        "due_date": "2027-01-31",
        "lines": [{"item_id": stationery.pk, "quantity": "1", "unit_price": "1"}],
    }
    response = api(manager).post("/processing/orders", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "lines[0].item"
    assert not ProcessingOrder.objects.exists()


def test_the_api_refuses_issuing_a_finished_item_naming_the_field(api, manager, issued_order, housing):
    url = f"/processing/orders/{issued_order.pk}/materials"
    response = api(manager).post(url, {"material_id": housing.pk, "quantity": "1"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "material_id"


def test_a_bill_of_materials_through_the_api(api, manager, auditor, housing, casting, bar):
    body = {
        "lines": [
            {"material_id": casting.pk, "quantity": "1"},
            {"material_id": bar.pk, "quantity": "0.25", "loss_percent": "3"},
        ]
    }
    assert api(auditor).post(f"/processing/items/{housing.pk}/boms", body).status_code == 403
    created = api(manager).post(f"/processing/items/{housing.pk}/boms", body)
    assert created.status_code == 201, created.content
    assert created.json()["version"] == 2
    versions = api(auditor).get(f"/processing/items/{housing.pk}/boms").json()
    assert [v["version"] for v in versions] == [2, 1]
    bad = api(manager).post(
        f"/processing/items/{housing.pk}/boms", {"lines": [{"material_id": housing.pk, "quantity": "1"}]}
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "lines[0].material"
    assert BillOfMaterials.objects.filter(item=housing).count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_date": "2020-01-01"}, "due_date"),
        ({"lines": []}, "lines"),
        ({"vendor_id": 999999}, "vendor_id"),
    ],
)
def test_the_api_refuses_bad_orders(api, manager, vendor_a, housing, change, field):
    body = {
        "number": "PO-1",
        "vendor_id": vendor_a.pk,
        "due_date": "2027-01-31",
        "order_date": "2026-11-01",
        "lines": [{"item_id": housing.pk, "quantity": "1", "unit_price": "1"}],
        **change,
    }
    response = api(manager).post("/processing/orders", body)
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["detail"]]
    assert not ProcessingOrder.objects.exists()


def test_vendor_b_sees_nothing_of_a_processing(api, web, issued_order, vendor_a, vendor_b_user):
    client = api(vendor_b_user)
    url = f"/processing/orders/{issued_order.pk}"
    for path in (
        url,
        f"{url}/receipts",
        f"{url}/dispatches",
        f"{url}/settlement",
        f"/processing/vendors/{vendor_a.pk}/stock",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/processing/orders").json()["count"] == 0
    assert client.get("/processing/stock").json()["count"] == 0
    assert client.post(f"{url}/confirm").status_code == 404
    line = issued_order.lines.get()
    assert client.post(f"{url}/dispatches", {"line_id": line.pk, "quantity": "1"}).status_code == 404
    web_b = web(vendor_b_user)
    assert web_b.get(f"/processing/{issued_order.pk}/").status_code == 404
    assert web_b.get(f"/processing/{issued_order.pk}/settle/").status_code == 404
    assert web_b.get(f"/processing/stock/?vendor={vendor_a.pk}").status_code == 404
    assert "M-200" not in web_b.get("/processing/stock/").content.decode()
    export = web_b.get("/processing/stock/export.csv")
    assert b"M-200" not in b"".join(export.streaming_content)


def test_vendor_a_works_its_side_but_not_the_owners(api, web, issued_order, vendor_a, vendor_a_user, casting):
    client = api(vendor_a_user)
    url = f"/processing/orders/{issued_order.pk}"
    assert client.get(url).status_code == 200
    assert client.get(f"/processing/vendors/{vendor_a.pk}/stock").json()[0]["held"] == "105.000"
    assert client.post(f"{url}/issue").status_code == 403
    assert client.post(f"{url}/materials", {"material_id": casting.pk, "quantity": "1"}).status_code == 403
    assert client.post(f"{url}/confirm").status_code == 200
    assert web(vendor_a_user).get(f"/processing/{issued_order.pk}/").status_code == 200
    assert web(vendor_a_user).get("/processing/items/").status_code == 403


def test_the_auditor_reads_but_cannot_change(api, web, issued_order, auditor, casting):
    client = api(auditor)
    url = f"/processing/orders/{issued_order.pk}"
    assert client.get(url).status_code == 200
    assert client.get("/processing/stock").json()["count"] == 1
    for path, body in [
        (f"{url}/issue", None),
        (f"{url}/confirm", None),
        (f"{url}/settle", {"confirm": True}),
        (f"{url}/material-returns", {"material_id": casting.pk, "quantity": "1"}),
        (f"{url}/dispatches", {"line_id": issued_order.lines.get().pk, "quantity": "1"}),
    ]:
        assert client.post(path, body).status_code == 403, path
    assert client.put(f"{url}/consumption", {"material_id": casting.pk, "actual": "1"}).status_code == 403
    page = web(auditor)
    assert page.post(f"/processing/{issued_order.pk}/", {"action": "confirm"}).status_code == 403
    assert page.post(f"/processing/{issued_order.pk}/settle/", {"confirm": "on"}).status_code == 403


def test_the_list_page_query_count_is_pinned(web, manager, order, django_assert_max_num_queries):
    client = web(manager)
    with django_assert_max_num_queries(5):
        assert client.get("/processing/").status_code == 200


def test_the_stock_page_and_api_answer_in_a_fixed_number_of_queries(
    web, api, manager, vendor_a, housing, casting, django_assert_max_num_queries
):
    for n in range(5):
        order = actions.do_create_order(
            acting_user=manager,
            vendor=vendor_a,
            number=f"PO-S{n}",
            due_date="2027-01-31",
            lines=[{"item": housing, "quantity": Decimal("10"), "unit_price": Decimal("1")}],
        )
        actions.do_issue_order(order, acting_user=manager)
        actions.do_issue_material(order, acting_user=manager, material=casting, quantity=Decimal("10.5"))
    client = web(manager)
    with django_assert_max_num_queries(8):
        body = client.get("/processing/stock/").content.decode()
    assert "52.5" in body  # 5 × 10.5 across the five open orders
    with django_assert_max_num_queries(6):
        rows = api(manager).get("/processing/stock").json()["items"]
    assert [(r["material_code"], r["held"]) for r in rows] == [("M-200", "52.500")]


def test_the_stock_exports_as_csv_and_xlsx(web, manager, issued_order):
    client = web(manager)
    csv = b"".join(client.get("/processing/stock/export.csv").streaming_content).decode("utf-8-sig")
    assert "M-200" in csv and "105.000" in csv
    xlsx = client.get("/processing/stock/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "M-200" and float(rows[1][-1]) == 105


def test_the_order_form_shows_line_errors_by_the_line(web, manager, vendor_a, stationery):
    data = {
        "number": "PO-9",
        "vendor": vendor_a.pk,
        "order_date": "2026-11-01",
        "due_date": "2027-01-01",
        "currency": "CNY",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": stationery.pk,
        "lines-0-quantity": "1",
        "lines-0-unit_price": "1",
    }
    body = web(manager).post("/processing/new", data).content.decode()
    assert "Select a valid choice" in body  # an indirect item is not even offered
    assert not ProcessingOrder.objects.exists()


def test_receiving_on_the_page_records_the_inspection_and_shows_it(web, manager, issued_order):
    line = issued_order.lines.get()
    data = {
        "action": "receive",
        "receive-line": line.pk,
        "receive-quantity": "10",
        "receive-accepted": "9",
        "receive-rejected": "1",
        "receive-rework": "0",
        "receive-defect_reason": "dimension",
        "receive-received_on": "2026-11-20",
        "receive-inspection_notes": "法兰孔距超差 flange holes off",
    }
    client = web(manager)
    assert client.post(f"/processing/{issued_order.pk}/", data).status_code == 302
    assert line.receipts.get().rejected == 1
    page = client.get(f"/processing/{issued_order.pk}/").content.decode()
    assert "法兰孔距超差 flange holes off" in page and "Dimension out of tolerance" in page


def test_the_page_issues_the_suggested_materials(web, manager, order):
    actions.do_issue_order(order, acting_user=manager)
    client = web(manager)
    page = client.get(f"/processing/{order.pk}/").content.decode()
    assert 'value="105.000"' in page  # 100 × 1 × 1.05 suggested
    material = order.lines.get().bom.lines.get().material
    data = {
        "action": "issue_materials",
        "issue-date-issued_on": "2026-11-03",
        "issue-TOTAL_FORMS": "1",
        "issue-INITIAL_FORMS": "1",
        "issue-0-material": material.pk,
        "issue-0-quantity": "100",
    }
    assert client.post(f"/processing/{order.pk}/", data).status_code == 302
    assert order.movements.get().quantity == 100


def test_the_settlement_page_asks_for_confirmation(web, manager, vendor_a_user, issued_order, casting):
    actions.do_receive(issued_order.lines.get(), acting_user=manager, quantity=Decimal("100"), accepted=Decimal("100"))
    actions.do_report_consumption(issued_order, acting_user=vendor_a_user, material=casting, actual=Decimal("105"))
    client = web(manager)
    page = client.get(f"/processing/{issued_order.pk}/settle/").content.decode()
    assert "1235.00" in page and "Confirm settlement" in page
    assert client.post(f"/processing/{issued_order.pk}/settle/", {}).status_code == 200  # not confirmed
    issued_order.refresh_from_db()
    assert issued_order.status == "received"
    assert client.post(f"/processing/{issued_order.pk}/settle/", {"confirm": "on"}).status_code == 302
    issued_order.refresh_from_db()
    assert issued_order.status == "settled" and issued_order.settled_amount == Decimal("1235.00")


def test_the_bom_page_saves_a_new_version(web, manager, housing, casting):
    data = {
        "note": "thicker wall",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-material": casting.pk,
        "lines-0-quantity": "1.2",
        "lines-0-loss_percent": "2",
    }
    assert web(manager).post(f"/processing/items/{housing.pk}/bom/", data).status_code == 302
    assert housing.boms.first().version == 2
