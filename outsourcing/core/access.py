"""The one place that decides who may see and change what.

Every view, endpoint, export and file download goes through `visible_to(user)` on a model's queryset and
through `can_change(user, obj)`. Owner staff (admin, manager, auditor) see every vendor's records; a vendor
user sees only its own vendor's. Admins and managers change the owner's records; an auditor changes nothing;
a vendor user changes only the records its vendor maintains (profile, certificates, roster, reports).
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Role(models.TextChoices):
    ADMIN = "admin", gettext_lazy("Owner admin")
    MANAGER = "manager", gettext_lazy("Outsourcing manager")
    AUDITOR = "auditor", gettext_lazy("Reviewer / auditor")
    VENDOR = "vendor", gettext_lazy("Vendor user")


OWNER_ROLES = frozenset({Role.ADMIN, Role.MANAGER, Role.AUDITOR})
WRITER_ROLES = frozenset({Role.ADMIN, Role.MANAGER})


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def sees_all_vendors(user: Any) -> bool:
    return _active(user) and user.role in OWNER_ROLES


def is_owner_writer(user: Any) -> bool:
    return _active(user) and user.role in WRITER_ROLES


def is_admin(user: Any) -> bool:
    return _active(user) and user.role == Role.ADMIN


class VendorScopedQuerySet(models.QuerySet):
    """A queryset of records that belong to one vendor, reached through `vendor_lookup`.

    Records whose vendor is null (an owner's internal unit, say) are visible only to owner staff.
    """

    vendor_lookup: ClassVar[str] = "vendor"

    def visible_to(self, user: Any) -> Self:
        if sees_all_vendors(user):
            return self
        if _active(user) and user.role == Role.VENDOR and user.vendor_id:
            return self.filter(**{self.vendor_lookup: user.vendor_id})
        return self.none()


def scoped_queryset(lookup: str) -> type[VendorScopedQuerySet]:
    """A VendorScopedQuerySet class whose vendor is reached through `lookup` (e.g. "member__vendor")."""
    return type(f"VendorScopedQuerySet_{lookup}", (VendorScopedQuerySet,), {"vendor_lookup": lookup})


class VendorOwned:
    """Mixin for models that belong to a vendor.

    `vendor_maintained` says whether the vendor's own users keep the record up to date (roster,
    certificates) or whether it is the owner's (engagements, findings). `owning_vendor_id` names the vendor.
    """

    vendor_maintained: ClassVar[bool] = False

    @property
    def owning_vendor_id(self) -> int | None:
        return getattr(self, "vendor_id", None)


def can_change(user: Any, obj: Any) -> bool:
    """May `user` create, change or delete `obj` (an instance, or a new one with its vendor set)?"""
    if is_owner_writer(user):
        return True
    if _active(user) and user.role == Role.VENDOR and user.vendor_id:
        return bool(getattr(obj, "vendor_maintained", False)) and obj.owning_vendor_id == user.vendor_id
    return False


def ensure_can_change(user: Any, obj: Any) -> None:
    if not can_change(user, obj):
        raise PermissionDenied(_("You may read this record but not change it."))


def ensure_owner_writer(user: Any) -> None:
    if not is_owner_writer(user):
        raise PermissionDenied(_("Only the owner's admins and managers may do this."))


def ensure_admin(user: Any) -> None:
    if not is_admin(user):
        raise PermissionDenied(_("Only the owner's admins may do this."))


class SystemActor:
    """The actor of changes made by the system itself (demo loader, scheduled jobs): an owner admin that
    is not a stored user, recorded in the audit trail with no user (shown as "system")."""

    is_authenticated = True
    is_active = True
    role = Role.ADMIN
    vendor_id = None
    pk = None

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()
