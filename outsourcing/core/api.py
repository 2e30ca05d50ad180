"""Shared pieces of the REST API: authentication, error bodies and object lookup through visibility."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, TypeVar

from django.contrib.auth import authenticate
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.conf import settings as ninja_settings
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from pydantic import Field

from outsourcing.core.versioning import PreconditionFailed, StaleRecord, note_lookup

M = TypeVar("M", bound=models.Model)

# Inputs are bounded where the database or date arithmetic would otherwise fail with a 500: an id beyond a
# 64-bit integer overflows SQLite's INTEGER, and a date near year 1 or 9999 overflows when a period or a
# notice is computed from it. Out-of-range input is refused with a 422 naming the field.
MAX_RECORD_ID = 2**63 - 1
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)

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


class DocumentOut(Schema):
    """A stored evidence file; download it from GET /documents/{id}."""

    id: int
    kind: str
    sha256: str
    original_name: str
    mime_type: str
    size: int
    uploaded_at: Any


class ErrorOut(Schema):
    detail: Any


def error_body(field_errors: dict[str, list[str]]) -> dict[str, Any]:
    """One body shape for every 4xx: {"detail": [{"loc": [...,"field"], "field": name, "msg": text}]}."""
    return {
        "detail": [
            {"loc": ["body", field], "field": field, "msg": message}
            for field, messages in field_errors.items()
            for message in messages
        ]
    }


def validation_error_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("__all__" if field == "__all__" else field): [str(m) for e in errs for m in e.messages]
            for field, errs in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


ERROR_BODY_SCHEMA = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "anyOf": [
                {"type": "string"},
                {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["loc", "field", "msg"],
                        "properties": {
                            "loc": {"type": "array", "items": {"type": "string"}},
                            "field": {"type": "string"},
                            "msg": {"type": "string"},
                        },
                    },
                },
            ]
        }
    },
}
ERROR_DESCRIPTIONS = {
    400: "The body could not be read",
    401: "Authentication required",
    403: "Visible to the caller but not changeable by it",
    404: "Not found, or not visible to the caller",
    409: "Conflicts with another record, or the record was changed by someone else meanwhile",
    412: "If-Match does not name the record's current version (see its ETag); nothing is written",
    422: "Bad input: names the field and the problem; nothing is written",
}


def document_error_answers(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers every operation can give (see the handlers below) to an OpenAPI document."""
    schema.setdefault("components", {}).setdefault("schemas", {})["ErrorBody"] = ERROR_BODY_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            codes = {400, 422}
            if operation.get("security"):
                codes |= {401, 403, 404}
            if method in ("post", "put", "patch", "delete"):
                codes.add(409)
            if method in ("put", "patch", "delete") and operation.get("security"):
                codes.add(412)
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                if code not in responses and str(code) not in responses:
                    responses[code] = {"description": ERROR_DESCRIPTIONS[code], "content": content}
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
    api.parser = RefuseNulParser()
    original_schema = api.get_openapi_schema

    def get_openapi_schema(**kwargs: Any) -> Any:
        return document_error_answers(original_schema(**kwargs))

    api.get_openapi_schema = get_openapi_schema  # type: ignore[method-assign]  # the error answers, documented

    @api.exception_handler(ValidationError)
    def django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, error_body(validation_error_dict(exc)), status=422)

    @api.exception_handler(NinjaValidationError)
    def ninja_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = []
        for error in exc.errors:
            loc = [str(part) for part in error.get("loc", [])]
            # The field is the innermost name: not the location, nor an index into a list ("vendor_ids", not "0").
            field = next(
                (p for p in reversed(loc) if p not in {"body", "payload", "query", "path"} and not p.isdigit()), ""
            )
            nul = field in getattr(request, "nul_fields", ())
            message = _nul_message() if nul else error.get("msg", "")
            details.append({"loc": loc, "field": field, "msg": message})
        return api.create_response(request, {"detail": details}, status=422)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or _("Not allowed.")}, status=403)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    @api.exception_handler(IntegrityError)
    def integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # Validation runs first; this is only reached when two writers race for the same unique value.
        return api.create_response(request, {"detail": _("This conflicts with another record.")}, status=409)

    @api.exception_handler(PreconditionFailed)
    def precondition_failed(request: HttpRequest, exc: PreconditionFailed) -> HttpResponse:
        message = _("The record was changed since you read it (If-Match does not name its current version %(etag)s).")
        body = {
            "detail": [
                {
                    "loc": ["header", "If-Match"],
                    "field": "If-Match",
                    "msg": message % {"etag": f'"{exc.record.version}"'},
                }
            ]
        }
        return api.create_response(request, body, status=412)

    @api.exception_handler(StaleRecord)
    def stale_record(request: HttpRequest, exc: StaleRecord) -> HttpResponse:
        return api.create_response(
            request, {"detail": _("The record was changed by someone else meanwhile; read it again.")}, status=409
        )

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, {"detail": _("Authentication required.")}, status=401)


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=` as django-ninja's, with an offset the database can hold: one beyond 64 bits failed in
    SQLite ("datatype mismatch", answered as a 409) instead of a 422 naming `offset`."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=ninja_settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_RECORD_ID)


def get_visible(source: models.Manager[M] | models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """The object if `user` may see it; 404 otherwise, exactly as if it did not exist."""
    visible = source.visible_to(user)  # type: ignore[union-attr]
    try:
        record = visible.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    note_lookup(record)  # the ETag / If-Match of the record an API address names
    return record


def login_for_token(request: HttpRequest, username: str, password: str) -> Any:
    request.login_username = username  # type: ignore[attr-defined]  # the JSON body's name, for the lockout's backoff
    return authenticate(request, username=username, password=password)
