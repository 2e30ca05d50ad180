"""One day, one number (SPEC): "today" and every date shown, exported or returned is the owner's (time zone
from OUTSOURCING_TIME_ZONE); a figure is rounded once, the same way, wherever it appears; numbers are written
for the reader's language, with thousands separators."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone, translation

from outsourcing.core import numbers
from outsourcing.vendors.models import Vendor

pytestmark = pytest.mark.django_db

# 20:30 UTC on 31 March is 04:30 on 1 April in Shanghai: the two days differ.
LATE_EVENING_UTC = datetime.datetime(2026, 3, 31, 20, 30, tzinfo=datetime.UTC)


def test_the_owners_time_zone_comes_from_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from outsourcing.settings import env_time_zone

    assert settings.TIME_ZONE == "Asia/Shanghai"  # the default when OUTSOURCING_TIME_ZONE is not set
    assert settings.USE_TZ
    monkeypatch.setenv("OUTSOURCING_TIME_ZONE", "Europe/Berlin")
    assert env_time_zone("OUTSOURCING_TIME_ZONE", "Asia/Shanghai") == "Europe/Berlin"
    monkeypatch.setenv("OUTSOURCING_TIME_ZONE", "Mars/Olympus")
    with pytest.raises(ImproperlyConfigured):
        env_time_zone("OUTSOURCING_TIME_ZONE", "Asia/Shanghai")


def test_the_vendor_export_and_page_show_the_same_day(web, manager, vendor_a):
    Vendor.objects.filter(pk=vendor_a.pk).update(created_at=LATE_EVENING_UTC)
    client = web(manager)
    page = client.get("/vendors/").content.decode()
    assert "2026-04-01" in page
    body = b"".join(client.get("/vendors/export.csv").streaming_content).decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(body)) if vendor_a.name in r)
    assert "2026-04-01" in row and "2026-03-31" not in row  # before: the UTC date


def test_the_api_answers_moments_on_the_owners_clock(api, manager, vendor_a):
    from outsourcing.assessments.models import Assessment, AssessmentTemplate

    template = AssessmentTemplate.objects.create(name="T")
    assessment = Assessment.objects.create(vendor=vendor_a, template=template, sent_at=LATE_EVENING_UTC)
    body = api(manager).get(f"/assessments/{assessment.pk}").json()
    assert body["sent_at"] == "2026-04-01T04:30:00+08:00"


def test_exports_write_local_times():
    from outsourcing.core.exports import local

    assert local(LATE_EVENING_UTC) == datetime.datetime(2026, 4, 1, 4, 30)
    assert local(datetime.date(2026, 3, 31)) == datetime.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("value", "places", "en"),
    [
        (64.515, 2, "64.52"),  # half up, once: never 64.51 (cut) nor 64.5 (one place) beside it
        (Decimal("64.514999"), 2, "64.51"),
        (1234567.891, 2, "1,234,567.89"),
        (Decimal("1200000"), 2, "1,200,000.00"),
        (2.5, 0, "3"),
        (None, 2, "—"),
    ],
)
def test_one_rounding_and_thousands_separators(value, places, en):
    with translation.override("en"):
        assert numbers.display(value, places) == en


def test_chinese_readers_get_their_own_separators():
    with translation.override("zh-hans"):
        assert numbers.display(Decimal("1234567.5"), 2) == "1,234,567.50"
        assert numbers.display_percent(0.7) == "70 %"


def test_a_page_groups_thousands(web, manager, vendor_a):
    from outsourcing.core.access import SYSTEM
    from outsourcing.engagements.actions import do_create_engagement, do_save_agreement

    engagement = do_create_engagement(
        acting_user=SYSTEM, title="O&M", form="service", vendor_id=vendor_a.pk, start_date=datetime.date(2026, 1, 1)
    )
    do_save_agreement(
        engagement,
        acting_user=SYSTEM,
        changes={
            "number": "SA-1",
            "owner_party": "Owner",
            "provider_party": "Vendor",
            "start_date": datetime.date(2026, 1, 1),
            "end_date": datetime.date(2026, 12, 31),
            "value": Decimal("1200000.00"),
            "monthly_fee": Decimal("100000.00"),
            "notice_period_days": 90,
        },
    )
    page = web(manager).get(f"/engagements/{engagement.pk}/").content.decode()
    assert "1,200,000.00" in page and "100,000.00" in page
    assert timezone.localdate().isoformat()  # the page's "today" is the owner's (used for its states)
