"""Creating users: admins only, the four roles of the spec, vendor users tied to their vendor."""

import pytest

from outsourcing.accounts.models import User

pytestmark = pytest.mark.django_db


def test_admin_creates_a_vendor_user(api, admin, vendor_a):
    payload = {"username": "zhang", "password": "Long-Enough-99", "role": "vendor", "vendor_id": vendor_a.pk}
    response = api(admin).post("/users", payload)
    assert response.status_code == 201, response.content
    assert response.json()["vendor_id"] == vendor_a.pk
    assert User.objects.get(username="zhang").check_password("Long-Enough-99")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "x", "password": "Long-Enough-99", "role": "vendor"}, "vendor_id"),
        ({"username": "x", "password": "Long-Enough-99", "role": "superhero"}, "role"),
        ({"username": "x", "password": "short", "role": "manager"}, "password"),
        ({"username": "x", "password": "Long-Enough-99", "role": "manager", "vendor_id": -1}, "vendor_id"),
        ({"username": "", "password": "Long-Enough-99", "role": "manager"}, "username"),
    ],
)
def test_it_refuses_bad_users_naming_the_field(api, admin, payload, field):
    before = User.objects.count()
    response = api(admin).post("/users", payload)
    assert response.status_code == 422, response.content
    assert field in [d["field"] for d in response.json()["detail"]]
    assert User.objects.count() == before


def test_it_refuses_a_taken_username(api, admin, manager):
    response = api(admin).post("/users", {"username": "manager", "password": "Long-Enough-99", "role": "auditor"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "username"


@pytest.mark.parametrize("persona", ["manager", "auditor", "vendor_a_user"])
def test_only_admins_create_users(api, request, persona):
    user = request.getfixturevalue(persona)
    response = api(user).post("/users", {"username": "n", "password": "Long-Enough-99", "role": "auditor"})
    assert response.status_code == 403
    assert not User.objects.filter(username="n").exists()


def test_the_user_admin_pages_are_for_admins(web, admin, manager):
    assert web(admin).get("/accounts/users/").status_code == 200
    assert web(manager).get("/accounts/users/").status_code == 404


def test_admin_creates_a_user_in_the_ui_and_errors_show_by_the_field(web, admin, vendor_a):
    client = web(admin)
    response = client.post("/accounts/users/new", {"username": "li", "role": "vendor", "password": "Long-Enough-99"})
    assert response.status_code == 200
    assert "A vendor user needs the vendor it belongs to." in response.content.decode()
    assert not User.objects.filter(username="li").exists()
    payload = {"username": "li", "role": "vendor", "vendor": vendor_a.pk, "password": "Long-Enough-99"}
    assert client.post("/accounts/users/new", payload).status_code == 302
    assert User.objects.get(username="li").vendor == vendor_a


def test_admin_moves_a_user_to_another_vendor_and_deactivates_it(api, admin, vendor_a_user, vendor_b):
    client = api(admin)
    response = client.patch(f"/users/{vendor_a_user.pk}", {"vendor_id": vendor_b.pk})
    assert response.status_code == 200, response.content
    assert response.json()["vendor_id"] == vendor_b.pk
    assert client.patch(f"/users/{vendor_a_user.pk}", {"is_active": False}).json()["is_active"] is False


def test_a_manager_cannot_lose_its_vendor_requirement(api, admin, vendor_a_user):
    response = api(admin).patch(f"/users/{vendor_a_user.pk}", {"role": "manager"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "vendor_id"]
    vendor_a_user.refresh_from_db()
    assert vendor_a_user.role == "vendor"


def test_an_admin_cannot_demote_itself(api, admin):
    response = api(admin).patch(f"/users/{admin.pk}", {"role": "auditor"})
    assert response.status_code == 422
    admin.refresh_from_db()
    assert admin.role == "admin"


def test_only_admins_change_users(api, manager, auditor):
    assert api(manager).patch(f"/users/{auditor.pk}", {"role": "admin"}).status_code == 403
    auditor.refresh_from_db()
    assert auditor.role == "auditor"


def test_the_user_edit_page_deactivates_a_user(web, admin, auditor):
    data = {"role": "auditor", "first_name": "", "last_name": "", "email": ""}
    assert web(admin).post(f"/accounts/users/{auditor.pk}/edit", data).status_code == 302
    auditor.refresh_from_db()
    assert auditor.is_active is False


def test_the_new_user_form_selects_no_role_and_refuses_one_left_unchosen(web, admin):
    """Nobody becomes an owner admin because the admin skimmed the form: the role starts empty and is required."""
    import re

    client = web(admin)
    page = client.get("/accounts/users/new").content.decode()
    select = re.search(r'<select name="role".*?</select>', page, re.S)
    assert select is not None
    options = re.findall(r'<option value="([^"]*)"( selected)?', select.group(0))
    assert options[0] == ("", " selected")
    assert [value for value, _selected in options] == ["", "auditor", "vendor", "manager", "admin"]
    response = client.post("/accounts/users/new", {"username": "wang", "password": "Long-Enough-99"})
    assert response.status_code == 200
    assert 'id="id_role_error"' in response.content.decode() or "This field is required." in response.content.decode()
    assert not User.objects.filter(username="wang").exists()
