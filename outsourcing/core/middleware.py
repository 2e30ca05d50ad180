"""Refuse a NUL character in the query string of any address with a clear 400, before a view sees it.

PostgreSQL cannot store or compare text holding NUL; a search box fed one would otherwise end in a 500.
The API refuses NUL in bodies itself (core.api), and Django's form fields refuse it in forms.
"""

from collections.abc import Callable

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
