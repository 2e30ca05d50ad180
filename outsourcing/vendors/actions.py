"""Every change to vendors and their contacts goes through these functions, whatever the entry point."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from outsourcing.core.access import ensure_can_change, ensure_owner_writer, is_owner_writer
from outsourcing.core.audit import acting_as

from .models import Vendor, VendorContact

VENDOR_FIELDS = (
    "name",
    "english_name",
    "registration_number",
    "country",
    "address",
    "website",
    "status",
    "risk_tier",
    "notes",
)
CONTACT_FIELDS = ("name", "title", "email", "phone", "is_primary")


def _apply(obj: Any, changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for field, value in changes.items():
        if field not in allowed:
            raise ValidationError({field: _("This field cannot be set here.")})
        setattr(obj, field, "" if value is None and field != "country" else value)


@transaction.atomic
def do_create_vendor(*, acting_user: Any, **fields: Any) -> Vendor:
    ensure_owner_writer(acting_user)
    vendor = Vendor()
    _apply(vendor, fields, VENDOR_FIELDS)
    vendor.full_clean()
    with acting_as(acting_user):
        vendor.save()
    return vendor


@transaction.atomic
def do_update_vendor(vendor: Vendor, *, acting_user: Any, changes: dict[str, Any]) -> Vendor:
    ensure_can_change(acting_user, vendor)
    if "status" in changes and changes["status"] != vendor.status and not is_owner_writer(acting_user):
        raise PermissionDenied(_("Only the owner may change a vendor's status."))
    if "risk_tier" in changes and (changes["risk_tier"] or "") != vendor.risk_tier and not is_owner_writer(acting_user):
        raise PermissionDenied(_("Only the owner may set a vendor's risk tier."))
    _apply(vendor, changes, VENDOR_FIELDS)
    vendor.full_clean()
    with acting_as(acting_user):
        vendor.save()
    return vendor


@transaction.atomic
def do_delete_vendor(vendor: Vendor, *, acting_user: Any) -> None:
    ensure_owner_writer(acting_user)
    try:
        with acting_as(acting_user):
            vendor.delete()
    except ProtectedError as exc:
        raise ValidationError(
            {"vendor": _("This vendor still has engagements, people or users; suspend or block it instead.")}
        ) from exc


@transaction.atomic
def do_save_contact(
    contact: VendorContact | None, *, vendor: Vendor, acting_user: Any, changes: dict[str, Any]
) -> VendorContact:
    contact = contact or VendorContact(vendor=vendor)
    ensure_can_change(acting_user, contact)
    _apply(contact, changes, CONTACT_FIELDS)
    contact.full_clean()
    with acting_as(acting_user):
        if contact.is_primary:
            for other in vendor.contacts.filter(is_primary=True).exclude(pk=contact.pk):
                other.is_primary = False
                other.save(update_fields=["is_primary"])
        contact.save()
    return contact


@transaction.atomic
def do_delete_contact(contact: VendorContact, *, acting_user: Any) -> None:
    ensure_can_change(acting_user, contact)
    with acting_as(acting_user):
        contact.delete()
