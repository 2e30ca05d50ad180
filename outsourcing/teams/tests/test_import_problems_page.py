"""The admin's page of failed and stuck imports, and retrying an import from its page."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from outsourcing.teams.models import ImportJob, TeamMember

from .test_roster_import import _csv, _row

pytestmark = pytest.mark.django_db


def _job(vendor, **fields):
    job = ImportJob.objects.create(vendor=vendor, original_name="r.csv", **fields)
    job.file.save("r.csv", ContentFile(_csv([_row(1)]).read()))
    return job


def test_the_admin_sees_failed_and_stuck_imports_but_not_running_or_done_ones(web, admin, vendor_a):
    old = timezone.now() - datetime.timedelta(hours=2)
    failed = _job(vendor_a, status="failed", errors=[{"line": 3, "field": "hire_date", "msg": "Not a date."}])
    stuck = _job(vendor_a, status="validating", updated_at=old)
    running = _job(vendor_a, status="validating")
    done = _job(vendor_a, status="done")
    assert set(ImportJob.objects.failed_or_stuck()) == {failed, stuck}
    page = web(admin).get("/teams/imports/problems/").content.decode()
    assert page.count('href="/teams/imports/') == 2
    assert f"/teams/imports/{failed.pk}/" in page and f"/teams/imports/{stuck.pk}/" in page
    assert f"/teams/imports/{running.pk}/" not in page and f"/teams/imports/{done.pk}/" not in page
    assert "Not a date." in page
    cards = web(admin).get("/").content.decode()
    assert "Roster imports failed or stuck" in cards


def test_only_the_admin_may_open_it(web, manager, auditor, vendor_a_user):
    for user in (manager, auditor, vendor_a_user):
        assert web(user).get("/teams/imports/problems/").status_code == 403


def test_a_stuck_import_is_retried_from_its_page(web, vendor_a_user, vendor_b_user, django_capture_on_commit_callbacks):
    stale = timezone.now() - datetime.timedelta(hours=2)
    job = _job(vendor_a_user.vendor, status="queued", updated_at=stale, created_by=vendor_a_user)
    page = web(vendor_a_user).get(f"/teams/imports/{job.pk}/").content.decode()
    assert "Retry the import" in page and "stuck" in page
    assert web(vendor_b_user).post(f"/teams/imports/{job.pk}/retry").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = web(vendor_a_user).post(f"/teams/imports/{job.pk}/retry")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and TeamMember.objects.filter(vendor=vendor_a_user.vendor).count() == 1


def test_a_running_import_offers_no_retry(web, vendor_a_user):
    job = _job(vendor_a_user.vendor, status="validating")
    assert "Retry the import" not in web(vendor_a_user).get(f"/teams/imports/{job.pk}/").content.decode()
    assert web(vendor_a_user).post(f"/teams/imports/{job.pk}/retry").status_code == 302
    job.refresh_from_db()
    assert job.status == "validating"
