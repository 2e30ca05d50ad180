from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from outsourcing.core.api import Pagination, get_visible

from .actions import do_create_vendor, do_delete_vendor, do_update_vendor
from .choices import RiskTier, VendorStatus
from .models import Vendor
from .queries import filter_vendors

router = Router(tags=["vendors"])


class VendorIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    english_name: str = Field("", max_length=200)
    registration_number: str = Field(min_length=1, max_length=64)
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code, e.g. CN")
    address: str = Field("", max_length=500)
    website: str = Field("", max_length=200)
    status: VendorStatus = VendorStatus.PROSPECTIVE
    risk_tier: RiskTier | Literal[""] = Field(
        "", description="critical, high or standard; sets the re-examination cycle"
    )
    notes: str = Field("", max_length=5000)


class VendorPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    english_name: str | None = Field(None, max_length=200)
    registration_number: str | None = Field(None, min_length=1, max_length=64)
    country: str | None = Field(None, min_length=2, max_length=2)
    address: str | None = Field(None, max_length=500)
    website: str | None = Field(None, max_length=200)
    status: VendorStatus | None = None
    risk_tier: RiskTier | Literal[""] | None = Field(None, description="owner only")
    notes: str | None = Field(None, max_length=5000)


class VendorOut(Schema):
    id: int
    name: str
    english_name: str
    registration_number: str
    country: str
    address: str
    website: str
    status: VendorStatus
    risk_tier: RiskTier | Literal[""]
    notes: str

    @staticmethod
    def resolve_country(obj: Vendor) -> str:
        return str(obj.country.code) if obj.country else ""  # type: ignore[attr-defined]


class VendorFilter(Schema):
    q: str | None = Field(None, max_length=200, description="Search in names and registration number")
    status: VendorStatus | None = None
    country: str | None = Field(None, max_length=2)
    sort: str | None = Field(None, max_length=40)


@router.get("/vendors", response=list[VendorOut])
@paginate(Pagination)
def list_vendors(request: HttpRequest, filters: Query[VendorFilter]) -> Any:
    return filter_vendors(Vendor.objects.visible_to(request.user), **filters.dict())


@router.post("/vendors", response={201: VendorOut})
def create_vendor(request: HttpRequest, payload: VendorIn) -> Any:
    return Status(201, do_create_vendor(acting_user=request.user, **payload.dict()))


@router.get("/vendors/{vendor_id}", response=VendorOut)
def get_vendor(request: HttpRequest, vendor_id: int) -> Any:
    return get_visible(Vendor.objects, request.user, pk=vendor_id)


@router.patch("/vendors/{vendor_id}", response=VendorOut)
def update_vendor(request: HttpRequest, vendor_id: int, payload: VendorPatch) -> Any:
    vendor = get_visible(Vendor.objects, request.user, pk=vendor_id)
    return do_update_vendor(vendor, acting_user=request.user, changes=payload.dict(exclude_unset=True))


@router.delete("/vendors/{vendor_id}", response={204: None})
def delete_vendor(request: HttpRequest, vendor_id: int) -> Any:
    vendor = get_visible(Vendor.objects, request.user, pk=vendor_id)
    do_delete_vendor(vendor, acting_user=request.user)
    return Status(204, None)
