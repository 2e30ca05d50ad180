"""Checks every request passes before a view sees it, and headers every answer gets.

- A NUL character in the query string is refused with a clear 400: PostgreSQL cannot store or compare text
  holding NUL; a search box fed one would otherwise end in a 500. The API refuses NUL in bodies itself
  (core.api), and Django's form fields refuse it in forms.
- A body over the size cap is refused with 413 before it is read.
- Answers to signed-in users are not cached.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                message = _("Null characters are not allowed.")
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": [{"loc": ["query", key], "field": key, "msg": message}]}, status=422)
                return HttpResponseBadRequest(message)
        return self.get_response(request)


def too_large(request: HttpRequest) -> HttpResponse:
    """413 for a body over the cap: JSON on the API, a plain sentence elsewhere."""
    message = _("The request is too large: at most %(limit)s bytes.") % {"limit": settings.MAX_REQUEST_BYTES}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class RequestSizeLimitMiddleware:
    """Refuse a body over settings.MAX_REQUEST_BYTES from its declared length, before a byte of it is read.

    First in the chain, so nothing (CSRF, sessions, the upload handlers that spool files to disk) has touched
    the body yet. A body without a declared length (chunked) is not read by Django at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            length = -1
        if length < 0:
            message = _("The request's Content-Length is not a number.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        if length > settings.MAX_REQUEST_BYTES:
            return too_large(request)
        return self.get_response(request)


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every answer to a signed-in user (page or API): what one person
    may see must not be kept by a shared proxy, nor by the browser after they sign out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response
