from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from outsourcing.core.access import Role, ensure_admin
from outsourcing.core.api import MAX_RECORD_ID, ErrorOut, Language, Pagination, RecordId, error_body, login_for_token
from outsourcing.core.errors import error_item

from .actions import do_change_password, do_create_user, do_issue_token, do_revoke_token, do_update_user
from .lockout import retry_after_seconds
from .models import User

router = Router(tags=["auth and users"])


class Credentials(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1000)


class TokenOut(Schema):
    token: str


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut})
def issue_token(request: HttpRequest, payload: Credentials, response: HttpResponse) -> Any:
    """Exchange a username and password for a bearer token. Failed attempts are throttled."""
    user = login_for_token(request, payload.username, payload.password)
    if getattr(request, "axes_locked_out", False):
        response["Retry-After"] = str(retry_after_seconds(request))
        return Status(429, {"detail": [error_item(_("Too many failed logins; try again later."))]})
    if user is None:
        return Status(401, error_body(request, {"password": [_("Wrong username or password.")]}))
    _token, raw = do_issue_token(user, name="api")
    return Status(200, {"token": raw})


@router.delete("/auth/token", response={204: None})
def revoke_token(request: HttpRequest) -> Any:
    """Revoke the token this request was made with."""
    do_revoke_token(request.api_token, acting_user=request.user)  # type: ignore[attr-defined, unused-ignore]
    return Status(204, None)


class PasswordChangeIn(Schema):
    old_password: str = Field(min_length=1, max_length=1000)
    new_password: str = Field(min_length=1, max_length=1000)


@router.post("/auth/password", response={204: None})
def change_password(request: HttpRequest, payload: PasswordChangeIn) -> Any:
    """Change the caller's own password: the current one must be right (422 naming `old_password`) and the new
    one pass the password rules (422 naming `new_password`). The caller's web sessions end; tokens go on."""
    do_change_password(
        request.user,  # type: ignore[arg-type]
        old_password=payload.old_password,
        new_password=payload.new_password,
        acting_user=request.user,
    )
    return Status(204, None)


class UserIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1000)
    role: Role
    vendor_id: int | None = Field(None, le=MAX_RECORD_ID)
    email: str = Field("", max_length=254)
    language: Literal["", "en", "zh-hans"] = Field(
        "", description="e-mail and pages in this language; empty: the browser's"
    )
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)


class UserOut(Schema):
    id: int
    username: str
    role: Role
    vendor_id: int | None
    email: str
    language: Language
    first_name: str
    last_name: str
    is_active: bool


@router.post("/users", response={201: UserOut})
def create_user(request: HttpRequest, payload: UserIn) -> Any:
    """Create a user (admins only). A vendor user needs `vendor_id`."""
    ensure_admin(request.user)
    user = do_create_user(acting_user=request.user, **payload.dict())
    return Status(201, user)


class UserPatch(Schema):
    role: Role | None = None
    vendor_id: RecordId | None = None
    email: str | None = Field(None, max_length=254)
    language: Literal["", "en", "zh-hans"] | None = None
    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    is_active: bool | None = None


@router.patch("/users/{user_id}", response=UserOut)
def update_user(request: HttpRequest, user_id: int, payload: UserPatch) -> Any:
    """Change a user's role, vendor, name or whether it may sign in (admins only)."""
    ensure_admin(request.user)
    user = get_object_or_404(User, pk=user_id)
    return do_update_user(user, acting_user=request.user, changes=payload.dict(exclude_unset=True))


@router.get("/users", response=list[UserOut])
@paginate(Pagination)
def list_users(request: HttpRequest) -> Any:
    ensure_admin(request.user)
    return User.objects.order_by("username")
