"""Small template helpers shared by every page: badges, audit change rendering, query strings."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from outsourcing.core import numbers

register = template.Library()

ACTIONS = {0: "created", 1: "changed", 2: "deleted", 3: "accessed"}


@register.simple_tag
def badge(tone: str, label: Any) -> str:
    """A status badge: colour and word together, never colour alone."""
    return format_html('<span class="badge badge-{}">{}</span>', tone or "grey", label)


@register.filter
def described(entries: Any) -> list[Any]:
    """Audit entries in people's words (core.audit_trail), related names looked up for all at once."""
    from outsourcing.core.audit_trail import describe

    return describe(entries)


@register.filter
def code_label(code: str) -> str:
    """A blocker's or an open issue's code as people read it (core.registry)."""
    from outsourcing.core.registry import code_label as label

    return label(code)


@register.filter
def shown(record: Any, name: str) -> str:
    """A field a record keeps in both languages (core.bilingual), in the reader's: `{{ line|shown:"text" }}`;
    works on records and on stored dicts (a frozen assessment result)."""
    from outsourcing.core.bilingual import in_reader_language

    if isinstance(record, dict):
        from types import SimpleNamespace

        record = SimpleNamespace(**{name: record.get(name, ""), f"{name}_zh_hans": record.get(f"{name}_zh_hans", "")})
    return in_reader_language(record, name)


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
