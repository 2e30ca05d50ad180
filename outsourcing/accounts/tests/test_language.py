"""English and Simplified Chinese, chosen per user or from the browser."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_browser_language_is_followed(web, manager):
    response = web(manager).get("/vendors/", headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert "供应商" in response.content.decode()


def test_english_is_the_default(web, manager):
    response = web(manager).get("/vendors/")
    assert "No vendors yet." in response.content.decode()


def test_a_users_chosen_language_wins_over_the_browser(web, manager):
    client = web(manager)
    client.post("/accounts/profile/", {"action": "language", "language": "zh-hans"})
    manager.refresh_from_db()
    assert manager.language == "zh-hans"
    response = client.get("/vendors/", headers={"accept-language": "en"})
    assert "尚无供应商。" in response.content.decode()


def test_every_message_has_a_chinese_translation():
    import pathlib

    import polib

    root = pathlib.Path(__file__).resolve().parents[2]
    files = list(root.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))
    assert files
    untranslated = [
        (str(path.relative_to(root)), entry.msgid)
        for path in files
        for entry in polib.pofile(str(path))
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    assert untranslated == []


def test_every_translation_keeps_the_placeholders_of_its_message():
    import pathlib
    import re

    import polib

    placeholder = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
    root = pathlib.Path(__file__).resolve().parents[2]
    wrong = []
    for path in root.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgstr:
                continue
            if sorted(placeholder.findall(entry.msgid)) != sorted(placeholder.findall(entry.msgstr)):
                wrong.append((str(path.relative_to(root)), entry.msgid, entry.msgstr))
    assert wrong == []
