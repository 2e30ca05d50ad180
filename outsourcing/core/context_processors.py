from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from outsourcing.core.access import Role


def _nav_items(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    items = []
    for config in apps.get_app_configs():
        for key, label, url_name, order in getattr(config, "nav", []):
            if key == "admin" and getattr(user, "role", None) != Role.ADMIN:
                continue
            if key == "audit" and getattr(user, "role", None) == Role.VENDOR:
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue  # an area whose pages are not built yet is not offered
            items.append({"key": key, "label": label, "url": url, "order": order})
    items.sort(key=lambda item: item["order"])
    current = ""
    for item in items:
        if item["url"] != "/" and request.path.startswith(item["url"]):
            current = item["key"]
    if not current and request.path == "/":
        current = "dashboard"
    for item in items:
        item["current"] = item["key"] == current
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"nav_items": _nav_items(request)}
