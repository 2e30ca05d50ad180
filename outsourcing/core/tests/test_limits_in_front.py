"""Limits in front of Django: a body over the cap is refused before it is read, unreadable requests answer
JSON on the API, and answers to signed-in users are not cached."""

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test import Client

pytestmark = pytest.mark.django_db

FIFTY_MB = 50 * 1024 * 1024


@pytest.fixture
def no_upload_handlers(monkeypatch):
    """Fail loudly if any upload handler (which spools to memory or disk) receives a byte."""

    def refuse(*args, **kwargs):
        raise AssertionError("the body was read")

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", refuse)
    monkeypatch.setattr(MemoryFileUploadHandler, "new_file", refuse)
    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", refuse)


def test_a_50_mb_body_to_the_login_page_answers_413_without_being_read(no_upload_handlers, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    body = b'--b\r\nContent-Disposition: form-data; name="f"; filename="x.bin"\r\n\r\n' + b"x" * FIFTY_MB
    response = Client().generic("POST", "/accounts/login/", body, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 413
    assert list(tmp_path.iterdir()) == []


def test_an_api_body_over_the_cap_answers_json_413(settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = Client().post("/api/v1/auth/token", "x" * 1001, content_type="application/json")
    assert response.status_code == 413
    (item,) = response.json()["detail"]
    assert "at most 1000 bytes" in item["msg"]


def test_a_body_at_the_cap_is_read(settings, manager):
    settings.MAX_REQUEST_BYTES = 1000
    body = '{"username": "manager", "password": "Correct-Horse-42"}'
    response = Client().post("/api/v1/auth/token", body.ljust(1000), content_type="application/json")
    assert response.status_code == 200


def test_a_content_length_that_is_no_number_answers_400():
    response = Client().post("/api/v1/auth/token", "{}", content_type="application/json", CONTENT_LENGTH="lots")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_too_many_form_fields_answer_json_400_on_the_api(settings, api, manager):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = api(manager)
    data = {f"f{i}": "x" for i in range(20)}
    response = client.client.post("/api/v1/members/1/documents", data, headers=client.headers)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_signed_in_pages_and_api_answers_are_not_cached(web, api, manager):
    assert web(manager).get("/")["Cache-Control"] == "private, no-store"
    assert api(manager).get("/vendors")["Cache-Control"] == "private, no-store"
