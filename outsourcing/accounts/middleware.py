from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class UserLanguageMiddleware:
    """Use the signed-in user's chosen language; otherwise LocaleMiddleware follows the browser.

    It runs before LocaleMiddleware, so it reads the user from the session itself and plants the choice in
    the language cookie the locale middleware honours.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.session.get("user_language") if hasattr(request, "session") else None
        if language:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = language
        return self.get_response(request)
