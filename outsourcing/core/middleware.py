"""Checks every request passes before a view sees it, and headers every answer gets.

- A NUL character in the query string is refused with a clear 400: PostgreSQL cannot store or compare text
  holding NUL; a search box fed one would otherwise end in a 500. The API refuses NUL in bodies itself
  (core.api), and Django's form fields refuse it in forms.
- A body over the size cap is refused with 413 before it is read.
- A locked database answers 503 with Retry-After, never a 500.
- Answers to signed-in users are not cached.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from outsourcing.core.errors import is_api, json_error
from outsourcing.core.jobs import is_locked

logger = logging.getLogger("outsourcing.requests")


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                message = _("Null characters are not allowed.")
                if is_api(request):
                    return json_error(422, message, loc=["query", key])
                return HttpResponseBadRequest(message)
        return self.get_response(request)


RETRY_AFTER_SECONDS = 2


def database_busy_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, a friendly page elsewhere (the change was not made)."""
    if is_api(request):
        message = _("The database is busy with another change; nothing was changed. Try again in a moment.")
        response: HttpResponse = json_error(503, message)
    else:
        # Rendered without context processors: they may read the database that is busy.
        page = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS, "LANGUAGE_CODE": get_language()})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """No request answers "database is locked": SQLite's lock timeout becomes 503 with Retry-After.

    On contention a writer waits for SQLite's busy timeout (settings) first; only then does a request end
    here. Its transaction was rolled back, so nothing was half-written and the client may simply retry.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_locked(exception):
            logger.warning("Database locked while serving %s %s; answered 503.", request.method, request.path)
            return database_busy_response(request)
        return None


def too_large(request: HttpRequest) -> HttpResponse:
    """413 for a body over the cap: JSON on the API, a plain sentence elsewhere."""
    message = _("The request is too large: at most %(limit)s bytes.") % {"limit": settings.MAX_REQUEST_BYTES}
    if is_api(request):
        return json_error(413, message)
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
            if is_api(request):
                return json_error(400, message, loc=["header", "Content-Length"])
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


class ApiErrorsAsJsonMiddleware:
    """Every error answer under /api/ has the API's one error body (core.errors), whoever gave it: django-ninja's
    405 for a method an address does not accept, Django's own refusals. Headers such as `Allow` are kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not is_api(request):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 405:
            message = _("This address does not accept %(method)s.") % {"method": request.method}
        else:
            message = response.reason_phrase
        answer = json_error(response.status_code, message)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                answer[header] = response[header]
        return answer
