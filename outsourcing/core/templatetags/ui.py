"""Small template helpers shared by every page: badges, audit change rendering, query strings."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from outsourcing.core import numbers

register = template.Library()

ACTIONS = {0: "created", 1: "changed", 2: "deleted", 3: "accessed"}


@register.simple_tag
def badge(tone: str, label: Any) -> str:
    """A status badge: colour and word together, never colour alone."""
    return format_html('<span class="badge badge-{}">{}</span>', tone or "grey", label)


@register.filter
def audit_action(value: int) -> str:
    return {0: _("created"), 1: _("changed"), 2: _("deleted"), 3: _("accessed")}.get(value, str(value))


@register.filter
def audit_changes(entry: Any) -> list[tuple[str, Any, Any]]:
    """[(field, before, after)] of a log entry."""
    changes = entry.changes
    if isinstance(changes, str):
        try:
            changes = json.loads(changes)
        except ValueError:
            return []
    if not isinstance(changes, dict):
        return []
    rows = []
    for field, pair in changes.items():
        if isinstance(pair, list | tuple) and len(pair) == 2:
            rows.append((field, pair[0], pair[1]))
    return rows


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode()


@register.filter
def qty(value: Any) -> str:
    """A quantity as people write it: 105, 2.5, 380.5 — never 105.000 or 2E+2."""
    from decimal import Decimal, InvalidOperation

    if value is None or value == "":
        return "—"
    try:
        number = Decimal(value).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return f"{number:f}"


@register.filter
def figure(value: Any, places: int = numbers.SCORE_PLACES) -> str:
    """A figure rounded once, half up, for the reader's language with thousands separators: 1,234.57."""
    return numbers.display(value, int(places))


@register.filter
def percent(fraction: Any, places: int = 0) -> str:
    """A share 0 … 1 shown as a percentage: 0.7 → 70 %."""
    return numbers.display_percent(fraction, int(places))
