"""Type-ahead pickers: choosing one of thousands of records (vendors, people, engagements) without sending them all.

A picker is a `<select>` that holds only what matters — the chosen record(s) and the matches of what the user
typed — beside a search box. With JavaScript (htmx) the box asks the search app's `GET /search/options` for
the matches as the user types and refills the select; without it, the user types, sends the form, and the
field either takes the one record that matches or shows the matches to choose from (a form error says so).
A set small enough to list (`SMALL` records or fewer) is simply a plain select of all of them.

The matching rule is each model's `search_lookups` (the search app's rule too); what a field accepts is still
its own queryset, so a picker never widens what may be chosen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SMALL = 100  # at most this many choices: a plain select of all of them
SHOWN = 20  # matches offered at a time
FIND = "__find"  # the search box's name is the field's name + FIND
MAX_FIND = 100


def matching(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    """The records of `queryset` that `text` matches by their model's `search_lookups` (any of them)."""
    text = text.strip()[:MAX_FIND]
    if not text:
        return queryset
    condition = Q()
    for lookup in queryset.model.search_lookups:
        condition |= Q(**{lookup: text})
    return queryset.filter(condition)


def label_of(obj: Model) -> str:
    """An option's text: the model's `picker_label` (telling apart two people of the same name) or its str."""
    return str(getattr(obj, "picker_label", obj))


def options_html(records: Iterable[Model], chosen: set[str], blank: bool = True, everything: bool = False) -> str:
    """`<option>`s of `records` (each escaped), the chosen ones selected; a leading blank option ("All" on a
    filter, `everything`)."""
    parts = [f'<option value="">{escape(_("All")) if everything else "—"}</option>'] if blank else []
    seen = set()
    for obj in records:
        key = str(obj.pk)
        if key in seen:
            continue
        seen.add(key)
        selected = " selected" if key in chosen else ""
        parts.append(f'<option value="{escape(key)}"{selected}>{escape(label_of(obj))}</option>')
    return "".join(parts)


def offered(queryset: QuerySet[Any], chosen: Iterable[str], text: str) -> list[Model]:
    """What a large picker's select holds: the chosen records first, then up to SHOWN matches of `text`."""
    keys = [k for k in chosen if str(k).isdigit()]
    picked = list(queryset.filter(pk__in=keys)) if keys else []
    return picked + list(matching(queryset, text)[:SHOWN])


def picker_html(
    name: str,
    queryset: QuerySet[Any],
    kind: str,
    *,
    chosen: Iterable[Any] = (),
    text: str = "",
    scope: Mapping[str, Any] | None = None,
    multiple: bool = False,
    blank: bool = True,
    attrs: Mapping[str, Any] | None = None,
    label: str = "",
    everything: bool = False,
) -> SafeString:
    """The markup of a picker named `name` over `queryset` (searched by the search app's `kind` within `scope`).

    `label` names the select for assistive technology when no `<label for=…>` points at it (filter bars)."""
    chosen_keys = {str(c) for c in chosen if c not in (None, "")}
    select_attrs: dict[str, Any] = {"id": f"id_{name}", **(attrs or {}), "name": name}
    if multiple:
        select_attrs["multiple"] = True
        select_attrs.setdefault("size", 6)
    if label:
        select_attrs["aria-label"] = label
    # How many there are is asked by their keys alone: building 101 records to learn that a set is large cost
    # more than the rest of a picker (a team page has four).
    if len(queryset.values_list("pk", flat=True)[: SMALL + 1]) <= SMALL:  # small enough: a plain select of all
        body = options_html(queryset, chosen_keys, blank=blank and not multiple, everything=everything)
        return mark_safe(f"<select{flatatt(select_attrs)}>{body}</select>")
    select_id = select_attrs["id"]
    query = {"kind": kind, "field": name, **{k: v for k, v in (scope or {}).items() if v not in (None, "")}}
    if multiple:
        query["multiple"] = 1
    if everything:
        query["all"] = 1
    find_attrs = {
        "type": "search",
        "name": f"{name}{FIND}",
        "id": f"{select_id}{FIND}",
        "value": text,
        "maxlength": MAX_FIND,
        "autocomplete": "off",
        "class": "picker-find",
        "placeholder": _("Type to find…"),
        "aria-label": _("Find by name or number"),
        "aria-controls": select_id,
        "hx-get": f"{reverse('search:options')}?{urlencode(query)}",
        "hx-trigger": "input changed delay:250ms, search",
        "hx-target": f"#{select_id}",
        "hx-swap": "innerHTML",
        "hx-include": f"#{select_id}",
        "hx-sync": "this:replace",
    }
    body = options_html(
        offered(queryset, chosen_keys, text), chosen_keys, blank=blank and not multiple, everything=everything
    )
    return mark_safe(
        f'<span class="picker"><input{flatatt(find_attrs)}><select{flatatt(select_attrs)}>{body}</select></span>'
    )


def chosen_in(data: Any, name: str, queryset: QuerySet[Any]) -> list[str]:
    """What a filter's picker chose: the selected value(s), or — typed without JavaScript — the one record of
    `queryset` that the search box's text matches (nothing when it matches several or none)."""
    values = [v for v in data.getlist(name) if v]
    text = (data.get(f"{name}{FIND}") or "").strip()
    if values or not text:
        return values
    matches = list(matching(queryset, text).values_list("pk", flat=True)[:2])
    return [str(matches[0])] if len(matches) == 1 else []


class Picker(forms.Select):
    """The widget of a `PickerField`: see the module's docstring. `kind` and `scope` say how the search app
    finds the field's records (e.g. `kind="person", scope={"vendor": 7, "current": 1}`)."""

    allow_multiple_selected = False

    def __init__(self, kind: str, scope: Mapping[str, Any] | None = None, attrs: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.kind = kind
        self.scope = dict(scope or {})
        self.text = ""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        self.text = (data.get(f"{name}{FIND}") or "").strip()[:MAX_FIND]
        if self.allow_multiple_selected:
            try:
                return data.getlist(name)
            except AttributeError:
                return data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}{FIND}" not in data

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        chosen = self.format_value(value)
        merged = self.build_attrs(self.attrs, attrs)
        merged.pop("name", None)
        return picker_html(
            name,
            self.choices.queryset,  # type: ignore[attr-defined]  # a ModelChoiceIterator
            self.kind,
            chosen=chosen,
            text=self.text,
            scope=self.scope,
            multiple=self.allow_multiple_selected,
            attrs=merged,
        )


class PickerMultiple(Picker):
    allow_multiple_selected = True


class PickerField(forms.ModelChoiceField):
    """A `ModelChoiceField` shown as a type-ahead picker. Without JavaScript, a typed text that matches exactly
    one record chooses it; several matches or none are an error next to the field."""

    default_error_messages = {
        "ambiguous": gettext_lazy("%(count)s match “%(text)s”: choose one from the list."),
        "no_match": gettext_lazy("Nothing matches “%(text)s”."),
    }

    def __init__(self, *, kind: str, queryset: QuerySet[Any], scope: Mapping[str, Any] | None = None, **kwargs: Any):
        kwargs.setdefault("widget", Picker(kind, scope))
        super().__init__(queryset=queryset, **kwargs)

    def clean(self, value: Any) -> Any:
        text = getattr(self.widget, "text", "")
        if value in self.empty_values and text:
            matches = list(matching(self.queryset, text)[:2])  # type: ignore[arg-type]
            if len(matches) == 1:
                return super().clean(matches[0].pk)
            count = matching(self.queryset, text).count() if matches else 0  # type: ignore[arg-type]
            code = "ambiguous" if count else "no_match"
            raise ValidationError(self.error_messages[code], code=code, params={"count": count, "text": text})
        return super().clean(value)

    def set_scope(self, queryset: QuerySet[Any], **scope: Any) -> None:
        """Narrow the field to `queryset`, told to the search app as `scope`."""
        self.queryset = queryset
        self.widget.scope = {k: v for k, v in scope.items() if v is not None}  # type: ignore[attr-defined]


class PickerMultipleField(forms.ModelMultipleChoiceField):
    """A `ModelMultipleChoiceField` shown as a type-ahead picker (several may be chosen)."""

    def __init__(self, *, kind: str, queryset: QuerySet[Any], scope: Mapping[str, Any] | None = None, **kwargs: Any):
        kwargs.setdefault("widget", PickerMultiple(kind, scope))
        super().__init__(queryset=queryset, **kwargs)
