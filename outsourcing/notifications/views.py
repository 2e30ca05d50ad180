"""The inbox: the user's notifications, newest first, with mark-read and the e-mail preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outsourcing.core.api import get_visible

from .actions import do_mark_all_read, do_mark_read, do_set_email_preferences, email_preferences
from .choices import NotificationKind
from .models import Notification


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    queryset = Notification.objects.visible_to(request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        queryset = queryset.unread()
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    preferences = email_preferences(request.user)  # type: ignore[arg-type]
    context = {
        "title": _("Inbox"),
        "page": page,
        "only_unread": only_unread,
        "kinds": [(kind, label, preferences[kind]) for kind, label in NotificationKind.choices],
        "has_email": bool(request.user.email),  # type: ignore[union-attr]
    }
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to what it is about."""
    notification = get_visible(Notification.objects, request.user, pk=pk)
    do_mark_read(notification, acting_user=request.user)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    do_mark_read(get_visible(Notification.objects, request.user, pk=pk), acting_user=request.user)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = do_mark_all_read(acting_user=request.user)
    messages.success(request, _("%(n)s notification(s) marked read.") % {"n": count})
    return redirect("notifications:inbox")


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    chosen = {kind for kind in request.POST.getlist("by_email") if kind in NotificationKind.values}
    do_set_email_preferences(acting_user=request.user, by_email=chosen)
    messages.success(request, _("E-mail preferences saved."))
    return redirect("notifications:inbox")
