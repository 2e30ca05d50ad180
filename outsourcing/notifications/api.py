import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from outsourcing.core.access import Role
from outsourcing.core.api import Language, Pagination, get_visible

from .actions import do_mark_all_read, do_mark_read
from .choices import NotificationKind
from .models import Notification

router = Router(tags=["notifications"])


class MeOut(Schema):
    id: int
    username: str
    role: Role
    vendor_id: int | None
    email: str
    language: Language
    unread_notifications: int


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> Any:
    """The caller, with the number of unread notifications."""
    user: Any = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "role": user.role,
        "vendor_id": user.vendor_id,
        "email": user.email,
        "language": user.language,
        "unread_notifications": Notification.objects.visible_to(user).unread().count(),
    }


class NotificationOut(Schema):
    id: int
    kind: NotificationKind
    subject_type: str
    subject_id: int
    message: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationFilter(Schema):
    unread: bool | None = None


@router.get("/notifications", response=list[NotificationOut])
@paginate(Pagination)
def list_notifications(request: HttpRequest, filters: Query[NotificationFilter]) -> Any:
    """The caller's own notifications, newest first; `?unread=true` for the unread ones only."""
    queryset = Notification.objects.visible_to(request.user)
    if filters.unread is True:
        queryset = queryset.unread()
    elif filters.unread is False:
        queryset = queryset.filter(read_at__isnull=False)
    return queryset


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def mark_read(request: HttpRequest, notification_id: int) -> Any:
    """Mark one of the caller's notifications read (anyone else's answers 404)."""
    notification = get_visible(Notification.objects, request.user, pk=notification_id)
    return do_mark_read(notification, acting_user=request.user)


class MarkedOut(Schema):
    marked: int = Field(description="How many of the caller's notifications were marked read.")


@router.post("/notifications/read", response=MarkedOut)
def mark_all_read(request: HttpRequest) -> Any:
    return {"marked": do_mark_all_read(acting_user=request.user)}
