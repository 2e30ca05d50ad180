"""A client generated from the OpenAPI document by a standard generator needs no hand-written parsing.

openapi-python-client (the dev extra) reads /api/v1/openapi.json as an integrator would, writes a client package
into a temporary directory, and then its parsed view of every operation is checked: every answer with a body
has a type (no `Any`, no free-form object, at any depth), no parameter was renamed because two of an
operation's parameters share a name (`vendor_id` in the path and the query became `vendor_id_path` and
`vendor_id_query`), and the generator skipped nothing. The generated client is then imported and used, through
WSGI, to read `GET /me` and a 404 into their typed models.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.handlers.wsgi import WSGIHandler
from openapi_python_client import _get_project_for_url_or_path
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser.properties import (
    AnyProperty,
    ListProperty,
    ModelProperty,
    NoneProperty,
    UnionProperty,
)
from openapi_python_client.strings import PythonIdentifier

from outsourcing.accounts.actions import do_issue_token
from outsourcing.api import api as ninja_api
from outsourcing.documents.choices import FileType

# The generator knows JSON, text/* and application/octet-stream; a download's real media types (PDF, images,
# Office files) are binary to it too. This is the generator's own setting for them, not a loosened check.
BINARY_TYPES = {file_type.value: "application/octet-stream" for file_type in FileType}
DOCUMENT = json.loads(json.dumps(ninja_api.get_openapi_schema(path_prefix="/api/v1/")))  # as served: keys are text


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("generated")
    document = folder / "openapi.json"
    document.write_text(json.dumps(DOCUMENT))
    config = Config.from_sources(
        ConfigFile(post_hooks=[], content_type_overrides=BINARY_TYPES, package_name_override="om_client"),
        MetaType.NONE,
        document,
        "utf-8",
        overwrite=True,
        output_path=folder / "om_client",
    )
    project = _get_project_for_url_or_path(config)
    assert not isinstance(project, Exception), project
    project.generation_errors = list(project.build())
    return project


def _untyped(prop: Any, where: str, models: dict[str, Any], seen: frozenset[str]) -> Iterator[str]:
    """Every place under `prop` whose type the generated client does not know."""
    if isinstance(prop, AnyProperty):
        yield f"{where}: Any"
    elif isinstance(prop, NoneProperty):
        yield f"{where}: None"
    elif isinstance(prop, ListProperty):
        yield from _untyped(prop.inner_property, f"{where}[]", models, seen)
    elif isinstance(prop, UnionProperty):
        for inner in prop.inner_properties:
            if not isinstance(inner, NoneProperty):  # `X | None` is a typed X that may be null
                yield from _untyped(inner, where, models, seen)
    elif isinstance(prop, ModelProperty):
        model = models.get(prop.class_info.name, prop)
        if model.class_info.name in seen:
            return
        seen |= {model.class_info.name}
        fields = (model.required_properties or []) + (model.optional_properties or [])
        extra = model.additional_properties
        if not fields:
            if extra is None or isinstance(extra, AnyProperty):
                yield f"{where}: free-form object"
            else:  # a map with typed values, e.g. {criterion code: weight}
                yield from _untyped(extra, f"{where}{{}}", models, seen)
        for field in fields:
            yield from _untyped(field, f"{where}.{field.name.get_untrusted_value()}", models, seen)


def _endpoints(project: Any) -> list[Any]:
    return [e for collection in project.openapi.endpoint_collections_by_tag.values() for e in collection.endpoints]


def test_the_generator_writes_every_operation_without_a_warning(project: Any) -> None:
    assert [f"{e.header}: {e.detail}" for e in project.generation_errors] == []
    operations = sum(len(ops) for ops in DOCUMENT["paths"].values())
    assert len(_endpoints(project)) == operations > 100


def test_every_answer_with_a_body_is_typed_at_every_depth(project: Any) -> None:
    models = {m.class_info.name: m for m in project.openapi.models}
    untyped = [
        problem
        for endpoint in _endpoints(project)
        for response in endpoint.responses
        if response.status_code.pattern != "204"
        for problem in _untyped(
            response.prop,
            f"{endpoint.method.upper()} {endpoint.path.get_untrusted_value()} {response.status_code.pattern}",
            models,
            frozenset(),
        )
    ]
    assert untyped == []


def test_the_document_download_is_bytes_in_its_media_types(project: Any) -> None:
    (endpoint,) = [e for e in _endpoints(project) if e.path.get_untrusted_value() == "/api/v1/documents/{document_id}"]
    (ok,) = [r for r in endpoint.responses if r.status_code.pattern == "200"]
    assert type(ok.prop).__name__ == "FileProperty"
    media = DOCUMENT["paths"]["/api/v1/documents/{document_id}"]["get"]["responses"]["200"]["content"]
    assert set(media) == set(BINARY_TYPES)
    assert {m["schema"]["format"] for m in media.values()} == {"binary"}


def test_no_parameter_is_renamed(project: Any) -> None:
    renamed = [
        f"{e.method} {e.path.get_untrusted_value()}: {p.name.get_untrusted_value()} -> {p.python_name}"
        for e in _endpoints(project)
        for p in e.path_parameters + e.query_parameters + e.header_parameters
        if p.python_name != PythonIdentifier(p.name.get_untrusted_value(), project.config.field_prefix)
    ]
    assert renamed == []


@pytest.fixture
def client_package(project: Any) -> Iterator[Any]:
    sys.path.insert(0, str(Path(project.project_dir).parent))
    try:
        yield importlib.import_module("om_client")
    finally:
        sys.path.remove(str(Path(project.project_dir).parent))
        for name in [n for n in sys.modules if n == "om_client" or n.startswith("om_client.")]:
            del sys.modules[name]


@pytest.mark.django_db(transaction=True)
def test_the_generated_client_reads_typed_answers(client_package: Any, manager: Any) -> None:
    _token, raw = do_issue_token(manager, name="generated client")
    transport = httpx.WSGITransport(app=WSGIHandler())
    client = client_package.AuthenticatedClient(base_url="http://testserver", token=raw)
    client.set_httpx_client(
        httpx.Client(base_url="http://testserver", transport=transport, headers={"Authorization": f"Bearer {raw}"})
    )
    me_module = importlib.import_module("om_client.api.notifications.outsourcing_notifications_api_me")
    me = me_module.sync(client=client)
    assert type(me).__name__ == "MeOut"
    assert (me.username, me.role.value, me.unread_notifications) == ("manager", "manager", 0)

    vendor_module = importlib.import_module("om_client.api.vendors.outsourcing_vendors_api_get_vendor")
    missing = vendor_module.sync(client=client, vendor_id=987654)
    assert type(missing).__name__ == "ErrorBody"
    (item,) = missing.detail
    assert (item.loc, item.field) == (["path", "vendor_id"], "vendor_id")


# Answer fields whose values are a fixed set (the apps' TextChoices, SPEC's codes): each is an enum in the document,
# so that a generated client has an enum type for it. Free text and open sets (blocker codes from the registry,
# qualification type codes from the admin's catalogue) are not among them.
FIXED_SETS = {
    "status",
    "form",
    "employment_type",
    "state",
    "kind",
    "side",
    "role",
    "language",
    "leave_reason",
    "acceptance",
    "severity",
    "recommendation",
    "scale",
    "source",
    "risk_tier",
    "category",
    "frequency",
    "timeliness",
    "standing",
    "mime_type",
    "direction",
    "period",
    "reasons",
    "codes",
    "verdict",
    "verification_status",
    "verification_method",
    "report_status",
    "defect_reason",
    "weight_source",
    "dimension",
}
# a team role is free text; an appraisal's timeliness is a score
NOT_FIXED = {
    ("FieldOut", "source"),
    ("NotificationOut", "subject_type"),
    ("AssignmentOut", "role"),
    ("AppraisalOut", "timeliness"),
}


def _is_enum(schema: dict[str, Any]) -> bool:
    if "$ref" in schema:
        return _is_enum(DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]])
    if "anyOf" in schema:
        return all(_is_enum(s) for s in schema["anyOf"] if s.get("type") != "null")
    if schema.get("type") == "array":
        return _is_enum(schema.get("items", {}))
    return "enum" in schema or "const" in schema


def test_fixed_sets_of_values_are_enums() -> None:
    plain = [
        f"{name}.{field}"
        for name, component in DOCUMENT["components"]["schemas"].items()
        if name.endswith("Out")
        for field, schema in component.get("properties", {}).items()
        if field in FIXED_SETS and (name, field) not in NOT_FIXED and not _is_enum(schema)
    ]
    assert plain == []
