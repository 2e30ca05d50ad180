"""One way to write a form view: the visible object → who may change it → the form → the action → errors by the
field → a message → a redirect.

Forms are plain `ActionForm`s, never bound to a model instance: their `cleaned_data` goes to a `do_<verb>` action,
which validates with `full_clean()` on the real record. A form that edits a record carries the record's version;
when someone else saved the record meanwhile, the action's save is refused (`core.versioning`) and the form is
shown again with the other person's values beside the user's, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import fields_for_model, model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .access import can_change
from .api import get_visible
from .versioning import StaleRecord, Versioned, expecting_version

M = TypeVar("M", bound=models.Model)


def get_changeable(source: models.Manager[M] | models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """The object if `user` may see it (404 otherwise) and change it (403 otherwise)."""
    obj = get_visible(source, user, **lookup)
    if not can_change(user, obj):
        raise PermissionDenied
    return obj


def apply_form_errors(form: forms.BaseForm, exc: ValidationError, renamed: dict[str, str] | None = None) -> None:
    """Show an action's validation errors next to the form's fields (or above the form). `renamed` maps the
    action's name of a field to the form's where they differ (the upload `file` a form calls `evidence`)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            field = (renamed or {}).get(name, name)
            target = field if field in form.fields else (field[:-3] if field.endswith("_id") else None)
            for error in errors:
                form.add_error(target if target in form.fields else None, error)
    else:
        form.add_error(None, exc)


class ActionForm(forms.Form):
    """A plain form whose fields may be taken from a model (`model`, `model_fields`, `widgets`).

    `record` fills the initial values from an existing record and, for a versioned record, the hidden `version`
    the form was loaded with. Fields declared on the form take the place of the model's field of the same name.
    """

    model: ClassVar[type[models.Model] | None] = None
    model_fields: ClassVar[Sequence[str]] = ()
    widgets: ClassVar[dict[str, Any]] = {}

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        record: models.Model | None = None,
        initial: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.record = record
        initial = dict(initial or {})
        if record is not None and self.model_fields:
            initial = {**model_to_dict(record, fields=self.model_fields), **initial}
        if isinstance(record, Versioned):
            initial["version"] = record.version
        super().__init__(data, files, initial=initial, **kwargs)
        if self.model is not None:
            generated = fields_for_model(self.model, fields=self.model_fields, widgets=self.widgets)
            declared = self.fields
            self.fields = {name: declared.get(name, field) for name, field in generated.items() if field is not None}
            self.fields.update((name, field) for name, field in declared.items() if name not in self.fields)
        if isinstance(record, Versioned):
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


def stale_message() -> str:
    return _("Someone else changed this meanwhile; nothing was saved. Reload the page and try again.")


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def show_conflict(form: ActionForm, record: models.Model) -> None:
    """Explain a refused stale save: for each field the other person changed, their value beside the user's.
    The form now carries the current version, so sending it again deliberately replaces their values."""
    current = type(record)._base_manager.get(pk=record.pk)
    theirs = model_to_dict(current, fields=[name for name in form.fields if name != "version"])
    form.add_error(
        None,
        _(
            "Someone else saved this record while you were editing it; nothing was saved. "
            "Check their values below and send the form again to keep yours."
        ),
    )
    for name, their_value in theirs.items():
        yours = form.cleaned_data.get(name)
        yours_compared = yours.pk if isinstance(yours, models.Model) else yours
        if yours_compared != their_value:
            shown_theirs = getattr(current, name, their_value)
            form.add_error(
                name,
                _("Now “%(theirs)s” (saved by someone else); yours: “%(yours)s”.")
                % {"theirs": _shown(shown_theirs), "yours": _shown(yours)},
            )
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict
    data[form.add_prefix("version")] = str(current.version)  # type: ignore[attr-defined]
    form.data = data


def handle_form(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], Any],
    *,
    template: str = "",
    context: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
    page: Callable[[], HttpResponse] | None = None,
    renamed: dict[str, str] | None = None,
    success: str | Callable[[Any], str] | None,
    redirect_to: Any | Callable[[Any], Any],
) -> HttpResponse:
    """On a valid POST call `action(cleaned_data)`; its ValidationError goes next to the fields, a stale version
    becomes a conflict shown field by field; on success show `success` and redirect to `redirect_to` (each may be
    a function of the action's result). Otherwise render `template` with the form and `context` (a function when
    the page's other content is worth computing only when the page is shown), or answer `page()` where the form
    stands on a page of its own making."""
    if request.method == "POST" and form.is_valid():
        record = getattr(form, "record", None)
        # The version is the form's, not a change to the record: the action never sees it.
        version = form.cleaned_data.pop("version", None) if isinstance(record, Versioned) else None
        try:
            with expecting_version(record, version):
                result = action(dict(form.cleaned_data))
        except StaleRecord as exc:
            if isinstance(form, ActionForm) and record is not None and exc.record._meta.label == record._meta.label:
                show_conflict(form, record)
            else:
                form.add_error(None, stale_message())
        except ValidationError as exc:
            apply_form_errors(form, exc, renamed)
        else:
            if success is not None:
                messages.success(request, success(result) if callable(success) else success)
            return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
    if page is not None:
        return page()
    extra = context() if callable(context) else context or {}
    return render(request, template, {"form": form, **extra})


def handle_action(
    request: HttpRequest,
    action: Callable[[], Any],
    *,
    success: str | Callable[[Any], str],
    redirect_to: Any,
) -> HttpResponse:
    """A button that posts no form of its own (a transition, a removal, an upload): on POST call `action()`; its
    refusal (a ValidationError) becomes an error message, otherwise `success` (or `success(result)`) is shown;
    either way back to `redirect_to`."""
    if request.method == "POST":
        try:
            result = action()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except StaleRecord:
            messages.error(request, stale_message())
        else:
            messages.success(request, success(result) if callable(success) else success)
    return redirect(redirect_to)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked (type by content, size) by the documents app."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [] if data is None else [super().clean(data, initial)]
