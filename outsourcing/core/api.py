"""Shared pieces of the REST API: authentication, error bodies and object lookup through visibility."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal, TypeVar

from django.contrib.auth import authenticate
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.conf import settings as ninja_settings
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel, Field

from outsourcing.core.errors import error_item
from outsourcing.core.versioning import PreconditionFailed, StaleRecord, note_lookup

M = TypeVar("M", bound=models.Model)

# Inputs are bounded where the database or date arithmetic would otherwise fail with a 500: an id beyond a
# 64-bit integer overflows SQLite's INTEGER, and a date near year 1 or 9999 overflows when a period or a
# notice is computed from it. Out-of-range input is refused with a 422 naming the field.
MAX_RECORD_ID = 2**63 - 1
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)

# The languages a person may choose (settings.LANGUAGES); empty: the browser's.
Language = Literal["", "en", "zh-hans"]

RecordId = Annotated[int, Field(ge=1, le=MAX_RECORD_ID, description="the id of a record")]
Day = Annotated[
    datetime.date,
    Field(ge=FIRST_DAY, le=LAST_DAY, description="an ISO date from 1900-01-01 to 2999-12-31"),
]


class LocalTimeEncoder(NinjaJSONEncoder):
    """Moments are answered on the owner's clock (+08:00 for Asia/Shanghai), so that the date part of a
    timestamp is the same day the pages and exports show (SPEC "One day, one number")."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime) and timezone.is_aware(o):
            o = timezone.localtime(o)
        return super().default(o)


class LocalTimeRenderer(JSONRenderer):
    encoder_class = LocalTimeEncoder


class ErrorItemOut(Schema):
    loc: list[str] = Field(
        description='Where in the request: ["body", "to"], ["query", "start"], ["path", "engagement_id"], '
        '["header", "Authorization"]; empty for the request as a whole.'
    )
    field: str = Field(description="The request field the problem is about; empty for the request as a whole.")
    msg: str = Field(description="The problem, for a person, in the caller's language.")


class ErrorOut(Schema):
    """Every error answer of the API (4xx and 5xx) has this body (see core.errors)."""

    detail: list[ErrorItemOut]


def _operation(request: HttpRequest) -> Any:
    """The django-ninja operation serving `request` (None outside the API): the view Django resolved is
    django-ninja's wrapper around the path's operations, one per method."""
    match = getattr(request, "resolver_match", None)
    for cell in getattr(match.func if match else None, "__closure__", None) or ():
        path_view = cell.cell_contents
        if hasattr(path_view, "_find_operation"):
            return path_view._find_operation(request)
    return None


def declared_fields(request: HttpRequest) -> dict[str, str]:
    """Every field the operation serving `request` reads, with where it reads it: "path", "query", "body" (a JSON
    body's fields, and a multipart body's form fields and files) or "header"."""
    operation = _operation(request)
    found: dict[str, str] = {}
    for model in getattr(operation, "models", ()):
        source = {"form": "body", "file": "body"}.get(model.__ninja_param_source__, model.__ninja_param_source__)
        names = list(getattr(model, "__ninja_flatten_map__", None) or ())
        if not names:
            for name, info in model.model_fields.items():
                schema = info.annotation
                whole_body = source == "body" and len(model.model_fields) == 1 and isinstance(schema, type)
                if whole_body and issubclass(schema, BaseModel):  # one schema reads the whole body
                    names.extend(schema.model_fields)
                else:
                    names.append(name)
        for name in names:
            found.setdefault(name, source)
    return found


def locate(request: HttpRequest, field: str) -> list[str]:
    """Where in `request` the field an action named is: the path, query or body field the endpoint reads.

    An action names model fields; the request may name the same thing `<field>_id` (`engagement` is the path's
    `engagement_id`, `vendor` the body's `vendor_id`); an endpoint whose request names it otherwise says so
    with `request_fields`. A problem that is no field of the request (a record in the wrong status, `__all__`)
    is located at the path parameter naming the record, else at the body as a whole.
    """
    declared = declared_fields(request)
    for name in (field, f"{field}_id"):
        if name in declared:
            return [declared[name], name]
    match = getattr(request, "resolver_match", None)
    path = list(match.kwargs) if match else []
    if path:
        return ["path", path[-1]]
    return ["body"] if request.method in BODY_METHODS else []


BODY_METHODS = ("POST", "PUT", "PATCH")
NON_FIELD = "__all__"


def error_body(request: HttpRequest, field_errors: dict[str, list[str]]) -> dict[str, Any]:
    """The error body for messages keyed by field, each located in `request` (see `locate`)."""
    items: list[dict[str, Any]] = []
    for field, messages in field_errors.items():
        loc = locate(request, field)
        # The request's name for a request field; the action's for a problem of the record (e.g. its `status`).
        name = "" if field == NON_FIELD else loc[-1] if loc and loc[-1] in (field, f"{field}_id") else field
        items.extend(error_item(message, loc, name) for message in messages)
    return {"detail": items}


def validation_error_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
    return {NON_FIELD: [str(m) for m in exc.messages]}


@contextmanager
def request_fields(**renamed: str) -> Iterator[None]:
    """Name the action's fields as the request does: `with request_fields(status="to"): do_transition(...)`
    answers a refusal of `status` as one of the body's `to`."""
    try:
        yield
    except ValidationError as exc:
        errors = validation_error_dict(exc)
        raise ValidationError({renamed.get(field, field): messages for field, messages in errors.items()}) from exc


def _ninja_loc(request: HttpRequest, loc: list[str]) -> list[str]:
    """django-ninja's location of a schema error, as the request names it: ["body", "payload", "name"] is
    ["body", "name"] (the view's parameter name is no part of the request), a form or file field is in the body."""
    if not loc:
        return loc
    where = {"form": "body", "file": "body"}.get(loc[0], loc[0])
    # pydantic names the member of a union that refused the value ("str-enum[VendorStatus]", "literal['']"):
    # no part of the request.
    rest = [part for part in loc[1:] if FIELD_NAME.fullmatch(part)]
    if where == "body" and len(rest) > 1 and rest[0] not in declared_fields(request):
        rest = rest[1:]  # the view's parameter holding the whole body
    return [where, *rest]


def file_answer(description: str, media_types: list[str]) -> dict[str, Any]:
    """`openapi_extra` of an endpoint that answers a file: its 200 in each media type, as binary content (a
    generated client then returns the bytes, not a parsed body)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"description": description, "content": dict.fromkeys(media_types, binary)}}}


FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+")
ERROR_SCHEMA_NAME = "ErrorBody"
ERROR_DESCRIPTIONS = {
    400: "The request could not be read (malformed JSON or multipart body, a bad header)",
    401: "Authentication required",
    403: "Visible to the caller but not changeable by it",
    404: "Not found, or not visible to the caller",
    409: "Conflicts with another record, or the record was changed by someone else meanwhile",
    412: "If-Match does not name the record's current version (see its ETag); nothing is written",
    413: "The request body is larger than the server accepts",
    422: "Bad input: names the field and the problem; nothing is written",
    429: "Too many failed logins: try again after Retry-After seconds",
    503: "The database is busy with another change: nothing was written; try again after Retry-After seconds",
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}}


def document_error_answers(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers every operation can give (see the handlers below) to an OpenAPI document, each
    with the one error body."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    body_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in body_schema.pop("$defs", {}).items():
        components[name] = definition
    body_schema["title"] = ERROR_SCHEMA_NAME
    components[ERROR_SCHEMA_NAME] = body_schema
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            codes = {400, 422, 503}
            if operation.get("security"):
                codes |= {401, 403, 404}
            if method in ("post", "put", "patch", "delete"):
                codes |= {409, 413}
            if method in ("put", "patch", "delete") and operation.get("security"):
                codes.add(412)
            if not operation.get("security") and method == "post":
                codes.add(429)  # signing in: failed logins are throttled
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                if code in responses or str(code) in responses:
                    answer = responses.get(code) or responses[str(code)]
                    answer["content"] = content
                else:
                    answer = responses[code] = {"description": ERROR_DESCRIPTIONS[code], "content": content}
                if code in (429, 503):
                    answer["headers"] = RETRY_AFTER
    return schema


NUL = "\x00"


class NulText:
    """A text that held a NUL character. PostgreSQL cannot store one (a 500 there, silently kept by SQLite), and
    no schema accepts this stand-in, so the 422 names the field."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return "<text with a NUL character>"


def _mark_nul(value: Any, found: set[str], name: str = "") -> Any:
    """`value` with every text holding NUL replaced by a NulText; the names of their fields go to `found`."""
    if isinstance(value, str):
        if NUL in value:
            found.add(name)
            return NulText(value)
        return value
    if isinstance(value, list):
        return [_mark_nul(item, found, name) for item in value]
    if isinstance(value, dict):
        return {key: _mark_nul(item, found, str(key)) for key, item in value.items()}
    return value


def _nul_message() -> str:
    return _("Null characters are not allowed.")


class RefuseNulParser(Parser):
    """The JSON parser, refusing NUL characters in the body (through the schema) and in query and form fields."""

    def parse_body(self, request: HttpRequest) -> Any:
        found: set[str] = set()
        data = _mark_nul(super().parse_body(request), found)
        request.nul_fields = found  # type: ignore[attr-defined]  # read by the 422 handler for its message
        return data

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        result = super().parse_querydict(data, list_fields, request)
        bad = [
            key
            for key, value in result.items()
            if any(isinstance(v, str) and NUL in v for v in (value if isinstance(value, list) else [value]))
        ]
        if bad:
            raise ValidationError({key: [_nul_message()] for key in bad})
        return result


def install_error_handlers(api: NinjaAPI) -> None:
    """Every error the endpoints raise answers the one error body (core.errors), located in the request."""
    api.parser = RefuseNulParser()
    original_schema = api.get_openapi_schema

    def get_openapi_schema(**kwargs: Any) -> Any:
        return document_error_answers(original_schema(**kwargs))

    api.get_openapi_schema = get_openapi_schema  # type: ignore[method-assign]  # the error answers, documented

    def answer(request: HttpRequest, status: int, items: list[dict[str, Any]]) -> HttpResponse:
        return api.create_response(request, {"detail": items}, status=status)

    def at_record(request: HttpRequest) -> list[str]:
        """The path parameter naming the record an answer is about (the last one: /a/{a_id}/items/{item_id})."""
        match = getattr(request, "resolver_match", None)
        names = list(match.kwargs) if match else []
        return ["path", names[-1]] if names else []

    @api.exception_handler(ValidationError)
    def django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, error_body(request, validation_error_dict(exc)), status=422)

    @api.exception_handler(NinjaValidationError)
    def ninja_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = []
        located: set[tuple[str, ...]] = set()
        for error in exc.errors:
            loc = _ninja_loc(request, [str(part) for part in error.get("loc", [])])
            if tuple(loc) in located:
                continue  # a union's members each refuse the value: the first says what is expected
            located.add(tuple(loc))
            # The field is the innermost name: not the location, nor an index into a list ("vendor_ids", not "0").
            field = next((p for p in reversed(loc[1:]) if not p.isdigit()), "")
            nul = field in getattr(request, "nul_fields", ())
            message = _nul_message() if nul else error.get("msg", "")
            details.append(error_item(message, loc, field))
        return answer(request, 422, details)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return answer(request, 403, [error_item(str(exc) or _("Not allowed."), at_record(request))])

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        where = locate(request, exc.field) if isinstance(exc, NotVisible) else at_record(request)
        return answer(request, 404, [error_item(_("Not found."), where)])

    @api.exception_handler(IntegrityError)
    def integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # Validation runs first; this is only reached when two writers race for the same unique value.
        return answer(request, 409, [error_item(_("This conflicts with another record."), at_record(request))])

    @api.exception_handler(PreconditionFailed)
    def precondition_failed(request: HttpRequest, exc: PreconditionFailed) -> HttpResponse:
        message = _("The record was changed since you read it (If-Match does not name its current version %(etag)s).")
        item = error_item(message % {"etag": f'"{exc.record.version}"'}, ["header", "If-Match"])
        return answer(request, 412, [item])

    @api.exception_handler(StaleRecord)
    def stale_record(request: HttpRequest, exc: StaleRecord) -> HttpResponse:
        message = _("The record was changed by someone else meanwhile; read it again.")
        return answer(request, 409, [error_item(message, at_record(request))])

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return answer(request, 401, [error_item(_("Authentication required."), ["header", "Authorization"])])

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        """django-ninja's own refusals: a body that is not JSON (400), throttling (429 with Retry-After)."""
        if exc.status_code == 400:
            return answer(request, 400, [error_item(_("The request body is not valid JSON."), ["body"])])
        response = answer(request, exc.status_code, [error_item(str(exc))])
        wait = getattr(exc, "wait", None)
        if exc.status_code == 429:
            response["Retry-After"] = str(max(1, int(wait or 1)))
        return response


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=` as django-ninja's, with an offset the database can hold: one beyond 64 bits failed in
    SQLite ("datatype mismatch", answered as a 409) instead of a 422 naming `offset`."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=ninja_settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_RECORD_ID)


class NotVisible(Http404):
    """404 for a record named by a request field other than the address's last id (e.g. a body's engagement_id)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def get_visible(
    source: models.Manager[M] | models.QuerySet[M], user: Any, *, field: str | None = None, **lookup: Any
) -> M:
    """The object if `user` may see it; 404 otherwise, exactly as if it did not exist. `field`: the request
    field that names it, when that is not the address's last id (the 404 is located there)."""
    visible = source.visible_to(user)  # type: ignore[union-attr]
    try:
        record = visible.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise (NotVisible(field) if field else Http404()) from exc
    note_lookup(record)  # the ETag / If-Match of the record an API address names
    return record


def login_for_token(request: HttpRequest, username: str, password: str) -> Any:
    request.login_username = username  # type: ignore[attr-defined]  # the JSON body's name, for the lockout's backoff
    return authenticate(request, username=username, password=password)
