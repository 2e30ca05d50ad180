"""Every change names its author, whatever the entry point: web, API, command line or background job."""

import pytest
from auditlog.models import LogEntry

from outsourcing.core.audit import acting_as
from outsourcing.vendors.actions import do_create_vendor, do_update_vendor
from outsourcing.vendors.models import Vendor

pytestmark = pytest.mark.django_db


def test_consecutive_changes_outside_a_request_each_name_their_actor(manager, admin):
    vendor = do_create_vendor(
        acting_user=manager, name="甲公司", registration_number="91110000MA0000000H", country="CN"
    )
    do_update_vendor(vendor, acting_user=admin, changes={"notes": "checked"})
    do_update_vendor(vendor, acting_user=manager, changes={"notes": "checked twice"})
    entries = LogEntry.objects.get_for_model(Vendor).order_by("pk")
    assert [e.actor for e in entries] == [manager, admin, manager]


def test_a_nested_actor_is_restored_afterwards(manager, admin, vendor_a):
    with acting_as(manager):
        with acting_as(admin):
            vendor_a.notes = "inner"
            vendor_a.save()
        vendor_a.notes = "outer"
        vendor_a.save()
    entries = LogEntry.objects.get_for_model(Vendor).filter(object_pk=str(vendor_a.pk)).order_by("pk")
    assert [e.actor for e in entries if e.action == LogEntry.Action.UPDATE] == [admin, manager]


def test_web_changes_name_the_signed_in_user(web, vendor_a, vendor_a_user):
    data = {
        "name": vendor_a.name,
        "registration_number": vendor_a.registration_number,
        "country": "CN",
        "address": "上海",
    }
    web(vendor_a_user).post(f"/vendors/{vendor_a.pk}/edit", data)
    entry = LogEntry.objects.get_for_model(Vendor).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == vendor_a_user
    assert entry.changes_dict["address"] == ["", "上海"]
