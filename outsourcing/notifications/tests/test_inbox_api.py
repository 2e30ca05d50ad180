"""GET /me, GET /notifications, POST /notifications/{id}/read: the caller's own notifications only."""

import pytest

from outsourcing.core.registry import Notice, notify
from outsourcing.notifications.models import Notification

pytestmark = pytest.mark.django_db


def tell(user, subject, occasion="x"):
    notify(
        Notice(
            kind="sla_breach",
            recipient_ids=(user.pk,),
            subject=subject,
            message="Breach on %(what)s.",
            params={"what": "uptime"},
            occasion=occasion,
            url="/",
        )
    )
    return Notification.objects.filter(recipient=user).latest("pk")


def test_me_tells_the_caller_who_they_are_and_how_much_is_unread(api, vendor_a_user, vendor_a):
    vendor_a_user.email = "alice@vendor-a.example"
    vendor_a_user.language = "zh-hans"
    vendor_a_user.save()
    tell(vendor_a_user, vendor_a, "a")
    tell(vendor_a_user, vendor_a, "b")
    assert api(vendor_a_user).get("/me").json() == {
        "id": vendor_a_user.pk,
        "username": "alice_a",
        "role": "vendor",
        "vendor_id": vendor_a.pk,
        "email": "alice@vendor-a.example",
        "language": "zh-hans",
        "unread_notifications": 2,
    }


def test_notifications_list_filter_and_mark_read(api, manager, vendor_a):
    first = tell(manager, vendor_a, "a")
    tell(manager, vendor_a, "b")
    client = api(manager)
    body = client.get("/notifications").json()
    assert body["count"] == 2
    item = body["items"][1]
    assert item["id"] == first.pk
    assert item["kind"] == "sla_breach"
    assert item["subject_type"] == "vendor"
    assert item["subject_id"] == vendor_a.pk
    assert item["message"] == "Breach on uptime."
    assert item["read_at"] is None
    read = client.post(f"/notifications/{first.pk}/read")
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    assert client.get("/notifications", unread="true").json()["count"] == 1
    assert client.get("/me").json()["unread_notifications"] == 1


def test_someone_elses_notification_answers_404(api, manager, vendor_a_user, vendor_b_user, vendor_a):
    mine = tell(vendor_a_user, vendor_a)
    assert api(vendor_b_user).post(f"/notifications/{mine.pk}/read").status_code == 404
    assert api(manager).post(f"/notifications/{mine.pk}/read").status_code == 404
    assert api(vendor_b_user).get("/notifications").json()["count"] == 0
    mine.refresh_from_db()
    assert mine.read_at is None


def test_the_same_occasion_reaches_a_person_once(manager, vendor_a):
    tell(manager, vendor_a, "same")
    tell(manager, vendor_a, "same")
    assert Notification.objects.count() == 1


def test_the_inbox_page_shows_the_unread_count_and_marks_all_read(web, manager, vendor_a):
    tell(manager, vendor_a, "a")
    client = web(manager)
    page = client.get("/").content.decode()
    assert "1 unread" in page
    inbox = client.get("/inbox/").content.decode()
    assert "Breach on uptime." in inbox
    client.post("/inbox/read")
    assert Notification.objects.unread().count() == 0
    assert "unread" not in client.get("/").content.decode().split("inbox-link")[1].split("</a>")[0]


def test_opening_a_notification_marks_it_read_and_goes_to_its_object(web, manager, vendor_a):
    notification = tell(manager, vendor_a)
    response = web(manager).post(f"/inbox/{notification.pk}/open")
    assert response.status_code == 302
    assert response.url == "/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_the_auditor_reads_and_marks_its_own_notifications(api, auditor, vendor_a):
    mine = tell(auditor, vendor_a)
    assert api(auditor).post(f"/notifications/{mine.pk}/read").status_code == 200
    assert api(auditor).post("/notifications/read").json() == {"marked": 0}


def test_post_users_takes_an_email_address_and_a_language(api, admin):
    response = api(admin).post(
        "/users",
        {
            "username": "li.wei",
            "password": "Long-enough-pass-42",
            "role": "manager",
            "email": "li.wei@owner.example",
            "language": "zh-hans",
        },
    )
    assert response.status_code == 201, response.content
    assert (response.json()["email"], response.json()["language"]) == ("li.wei@owner.example", "zh-hans")
    bad = api(admin).post(
        "/users", {"username": "x", "password": "Long-enough-pass-42", "role": "manager", "language": "fr"}
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "language"
