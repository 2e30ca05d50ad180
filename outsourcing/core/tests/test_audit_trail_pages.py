"""The audit trail as a manager reads it: sentences with labels and names, filters by object, person and
date, pages, and an export; the same readable history on every object's History tab."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from outsourcing.core.audit import acting_as
from outsourcing.core.audit_trail import describe
from outsourcing.engagements.models import Engagement
from outsourcing.vendors.models import Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(manager, admin, vendor_a, vendor_b):  # type: ignore[no-untyped-def]
    with acting_as(manager):
        engagement = Engagement.objects.create(
            code="OM-1", title="Cloud O&M", form="service", vendor=vendor_a, start_date=datetime.date(2026, 1, 1)
        )
    with acting_as(admin):
        engagement.end_date = datetime.date(2026, 12, 31)
        engagement.status = "selection"
        engagement.vendor = vendor_b
        engagement.save()
    return engagement


def test_changes_read_as_sentences_with_labels_and_names(history, vendor_a, vendor_b):
    from auditlog.models import LogEntry

    changed = describe(LogEntry.objects.filter(action=1, object_pk=str(history.pk)))[0]
    sentences = {c.field: c.sentence for c in changed.changes}
    assert sentences["end date"] == "set end date to 2026-12-31"
    assert sentences["status"] == "changed status from Draft to Vendor selection"  # choice labels, not codes
    assert sentences["vendor"] == f"changed vendor from {vendor_a.name} to {vendor_b.name}"  # names, not ids
    assert changed.what == "Engagement «OM-1 Cloud O&M»"


def test_related_names_cost_one_query_per_model(history, django_assert_max_num_queries):
    from auditlog.models import LogEntry

    entries = list(LogEntry.objects.select_related("content_type", "actor"))
    with django_assert_max_num_queries(3):
        describe(entries)


def test_the_page_filters_by_type_person_object_and_date(web, manager, history):
    from django.contrib.contenttypes.models import ContentType

    client = web(manager)
    engagement_type = ContentType.objects.get_for_model(Engagement).pk
    page = client.get("/audit/", {"type": engagement_type, "actor": "admin"}).content.decode()
    assert "changed status from" not in page  # the page shows the before/after cells…
    assert "Vendor selection" in page and "Draft" in page and "«OM-1 Cloud O&amp;M»" in page
    assert "Page 1 of 1 · 1 entries" in page
    nobody = client.get("/audit/", {"actor": "nobody"}).content.decode()
    assert "No recorded changes." in nobody
    today = datetime.date.today()
    later = client.get("/audit/", {"start": (today + datetime.timedelta(days=2)).isoformat()}).content.decode()
    assert "No recorded changes." in later
    assert "Vendor selection" in client.get("/audit/", {"q": "OM-1"}).content.decode()
    vendor_type = ContentType.objects.get_for_model(Vendor).pk
    assert "«OM-1" not in client.get("/audit/", {"type": vendor_type}).content.decode()


def test_the_type_filter_names_models_as_people_do(web, manager, history):
    page = web(manager).get("/audit/").content.decode()
    assert ">Engagement</option>" in page and "agreementversion" not in page


def test_export_csv_and_xlsx(web, manager, history):
    client = web(manager)
    response = client.get("/audit/export.csv", {"q": "OM-1"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["When", "Who", "Action", "What", "Changes"]
    assert any("changed status from Draft to Vendor selection" in row[4] for row in rows[1:])
    workbook = load_workbook(io.BytesIO(client.get("/audit/export.xlsx").content))
    assert workbook.active.max_row >= 3


def test_only_owner_staff_export(web, vendor_a_user):
    assert web(vendor_a_user).get("/audit/export.csv").status_code == 404


def test_the_history_tab_reads_the_same(web, manager, history):
    page = web(manager).get(f"/engagements/{history.pk}/").content.decode()
    assert "Vendor selection" in page and "<ins>2026-12-31</ins>" in page


def test_the_trail_reads_in_the_reader_s_language(history, manager):
    """A name holding a translated word is re-read in the reader's language (it was stored in the writer's);
    a stored structure is summarised, never shown as JSON; a field without a name of its own gets one."""
    from auditlog.models import LogEntry
    from django.utils import translation

    from outsourcing.performance.models import Appraisal, ReportSchedule

    with acting_as(manager), translation.override("en"):
        schedule = ReportSchedule.objects.create(engagement=history, first_period_start=datetime.date(2026, 1, 1))
        appraisal = Appraisal.objects.create(
            vendor=history.vendor,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 3, 31),
            total=80,
            standing="good",
            explanation=[{"dimension": "quality", "detail": {"msgid": "no data", "params": {}}}],
        )
    with translation.override("zh-hans"):
        [entry] = describe(LogEntry.objects.filter(object_pk=str(schedule.pk), content_type__model="reportschedule"))
        assert "Monthly" not in entry.what and "按月" in entry.what
        assert {c.field: c.after for c in entry.changes}["外包项目"] == "OM-1 Cloud O&M"  # one-to-one: its name
        [created] = describe(LogEntry.objects.filter(object_pk=str(appraisal.pk), content_type__model="appraisal"))
        changes = {c.field: c.after for c in created.changes}
        assert changes["说明"] == "1 项"  # the explanation: one entry, no JSON
        assert "appraised at" not in changes and "考核时间" in changes


def test_recorded_moments_read_in_the_owners_time_zone_like_the_entry(manager, vendor_a, settings):
    """auditlog keeps a moment as UTC text; the trail shows it in the owner's zone, as it shows "When"."""
    from auditlog.models import LogEntry

    from outsourcing.core.audit_trail import _display
    from outsourcing.vendors.models import Vendor

    field = Vendor._meta.get_field("created_at")
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert _display(field, "2026-11-30 22:30:05.123456+00:00", {}) == "2026-12-01 06:30"  # the next day there
    assert _display(field, "2026-11-30T06:30:00", {}) == "2026-11-30 14:30"  # naive text is UTC
    assert _display(field, "not a moment", {}) == "not a moment"
    created = describe(LogEntry.objects.filter(action=0, object_pk=str(vendor_a.pk)))[0]
    shown = {c.field: c.after for c in created.changes}
    local = vendor_a.created_at.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert shown["created"] == f"{local:%Y-%m-%d %H:%M}"
