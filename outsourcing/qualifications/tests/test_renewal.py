"""A renewal supersedes the certificate it renews; each keeps its own dates, so history stays true."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from outsourcing.core.access import SYSTEM
from outsourcing.qualifications.actions import do_create_qualification, do_renew_qualification
from outsourcing.qualifications.models import Qualification

pytestmark = pytest.mark.django_db
D = datetime.date

RENEWAL = {
    "number": "ISO27001-2026",
    "issuer": "CQC",
    "valid_from": D(2026, 3, 1),
    "valid_until": D(2029, 2, 28),
}


def test_a_renewal_supersedes_the_old_certificate_and_both_keep_their_dates(make_qualification, vendor_a):
    old = make_qualification(vendor_a, "iso27001", valid_from=D(2023, 3, 1), valid_until=D(2026, 2, 28))
    new = do_renew_qualification(old, acting_user=SYSTEM, fields=RENEWAL)
    assert new.supersedes == old
    assert new.type == old.type and new.vendor == old.vendor
    assert new.verification_status == "pending"  # a renewal is checked again
    old.refresh_from_db()
    assert old.superseded_by == new
    assert old.counts_on(D(2026, 2, 28)) and not old.counts_on(D(2026, 3, 1))


def test_a_chain_of_renewals_links_each_to_the_one_before(make_qualification, vendor_a):
    first = make_qualification(vendor_a, "cmmi", 3, valid_from=D(2020, 1, 1), valid_until=D(2022, 12, 31))
    second = do_renew_qualification(
        first, acting_user=SYSTEM, fields={**RENEWAL, "level": 3, "valid_from": D(2023, 1, 1)}
    )
    third = do_renew_qualification(
        second, acting_user=SYSTEM, fields={**RENEWAL, "level": 5, "valid_from": D(2026, 1, 1)}
    )
    assert [third.supersedes, third.supersedes.supersedes] == [second, first]
    assert list(Qualification.objects.filter(superseded_by__isnull=True)) == [third]


def test_a_certificate_is_renewed_only_once(make_qualification, vendor_a):
    old = make_qualification(vendor_a, "iso27001")
    do_renew_qualification(old, acting_user=SYSTEM, fields=RENEWAL)
    with pytest.raises(ValidationError) as exc:
        do_renew_qualification(old, acting_user=SYSTEM, fields=RENEWAL)
    assert "supersedes_id" in exc.value.message_dict
    assert Qualification.objects.count() == 2


def test_a_renewal_must_be_of_the_same_type(make_qualification, vendor_a):
    old = make_qualification(vendor_a, "iso27001")
    with pytest.raises(ValidationError) as exc:
        do_create_qualification(
            vendor=vendor_a,
            acting_user=SYSTEM,
            fields={**RENEWAL, "type_code": "iso9001", "supersedes_id": old.pk},
        )
    assert "supersedes_id" in exc.value.message_dict


def test_a_renewal_cannot_supersede_another_vendors_certificate(make_qualification, vendor_a, vendor_b):
    old = make_qualification(vendor_b, "iso27001")
    with pytest.raises(ValidationError) as exc:
        do_create_qualification(
            vendor=vendor_a,
            acting_user=SYSTEM,
            fields={**RENEWAL, "type_code": "iso27001", "supersedes_id": old.pk},
        )
    assert "supersedes_id" in exc.value.message_dict
    assert Qualification.objects.count() == 1
