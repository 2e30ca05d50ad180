"""Processing orders through the API and the pages, for each persona."""

import pytest

from outsourcing.processing.models import ProcessingOrder

pytestmark = pytest.mark.django_db


def test_the_manager_runs_an_order_through_the_api(api, manager, vendor_a, housing, casting):
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
    line_id = order["lines"][0]["id"]
    assert client.post(f"/processing/orders/{order['id']}/issue").status_code == 200
    assert (
        client.post(
            f"/processing/orders/{order['id']}/materials", {"material_id": casting.pk, "quantity": "10"}
        ).status_code
        == 201
    )
    receipt = client.post(f"/processing/lines/{line_id}/receipts", {"quantity": "10", "accepted": "10"})
    assert receipt.status_code == 201
    assert receipt.json()["status"] == "received"
    assert (
        client.put(
            f"/processing/orders/{order['id']}/reconciliation", {"material_id": casting.pk, "consumed": "10"}
        ).status_code
        == 200
    )


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


def test_vendor_b_sees_nothing_of_a_processing(api, web, order, vendor_b_user):
    assert api(vendor_b_user).get(f"/processing/orders/{order.pk}").status_code == 404
    assert api(vendor_b_user).get("/processing/orders").json()["count"] == 0
    assert web(vendor_b_user).get(f"/processing/{order.pk}/").status_code == 404


def test_vendor_a_sees_its_order_but_cannot_issue_it(api, web, order, vendor_a_user):
    assert api(vendor_a_user).get(f"/processing/orders/{order.pk}").status_code == 200
    assert api(vendor_a_user).post(f"/processing/orders/{order.pk}/issue").status_code == 403
    assert web(vendor_a_user).get(f"/processing/{order.pk}/").status_code == 200


def test_the_auditor_reads_but_cannot_change(api, order, auditor):
    assert api(auditor).get(f"/processing/orders/{order.pk}").status_code == 200
    assert api(auditor).post(f"/processing/orders/{order.pk}/issue").status_code == 403


def test_the_list_page_query_count_is_pinned(web, manager, order, django_assert_max_num_queries):
    client = web(manager)
    with django_assert_max_num_queries(5):
        assert client.get("/processing/").status_code == 200


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
    assert "not a direct-production item" in body
    assert not ProcessingOrder.objects.exists()


def test_receiving_on_the_page_records_the_inspection(web, manager, issued_order):
    line = issued_order.lines.get()
    data = {
        "action": "receive",
        "line": line.pk,
        "quantity": "10",
        "accepted": "9",
        "rejected": "1",
        "rework": "0",
        "received_on": "2026-11-20",
    }
    assert web(manager).post(f"/processing/{issued_order.pk}/", data).status_code == 302
    assert line.receipts.get().rejected == 1
