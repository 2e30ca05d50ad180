"""Record versions: a save is conditional on the version the writer started from, whatever the entry point."""

from __future__ import annotations

from typing import Any

import pytest

from outsourcing.core.versioning import PreconditionFailed, StaleRecord, expecting_version
from outsourcing.vendors.models import Vendor, VendorContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor(db: Any) -> Vendor:
    return Vendor.objects.create(name="Nordwerk GmbH", registration_number="HRB-100200", country="DE")


def test_a_new_record_starts_at_version_one_and_each_save_raises_it(vendor):
    assert vendor.version == 1
    vendor.address = "1 Harbour Road"
    vendor.save()
    vendor.save(update_fields=["address"])
    vendor.refresh_from_db()
    assert vendor.version == 3


def test_a_save_that_raced_another_is_refused_and_writes_nothing(vendor):
    mine = Vendor.objects.get(pk=vendor.pk)
    theirs = Vendor.objects.get(pk=vendor.pk)
    theirs.address = "1 Harbour Road"
    theirs.save()
    mine.address = "9 Hill Street"
    with pytest.raises(StaleRecord):
        mine.save()
    vendor.refresh_from_db()
    assert (vendor.address, vendor.version) == ("1 Harbour Road", 2)


def test_an_expected_version_holds_for_that_record_only(vendor):
    contact = VendorContact.objects.create(vendor=vendor, name="Li Na")
    with expecting_version(vendor, 7):
        contact.save()  # another record: no condition
        with pytest.raises(StaleRecord):
            vendor.save()
    vendor.save()  # outside the block: no condition either
    assert Vendor.objects.get(pk=vendor.pk).version == 2


def test_an_if_match_expectation_fails_as_a_precondition(vendor):
    with expecting_version(vendor, 5, from_header=True), pytest.raises(PreconditionFailed):
        vendor.delete()
    assert Vendor.objects.filter(pk=vendor.pk).exists()
