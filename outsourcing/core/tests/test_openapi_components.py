"""The OpenAPI document describes every body as it is: no two different schemas share one component name.

django-ninja keys components by class name and silently keeps the last one: `ItemOut` of processing replaced
the assessment template's items (GET /assessment-templates/{id} answered against the wrong schema, found by
schemathesis), and `DocumentOut`, `DecisionIn`, `BandIO` and `TierIO` hid each other the same way.
"""

from __future__ import annotations

from typing import Any

import pytest
from ninja.openapi import schema as ninja_schema

from outsourcing.api import api as ninja_api


def test_no_two_different_schemas_share_a_component_name(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    clashes: set[str] = set()
    original = ninja_schema.OpenAPISchema.add_schema_definitions

    def recording(self: Any, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            if name in seen and seen[name] != definition:
                clashes.add(name)
            seen[name] = definition
        original(self, definitions)

    monkeypatch.setattr(ninja_schema.OpenAPISchema, "add_schema_definitions", recording)
    ninja_api.get_openapi_schema(path_prefix="/api/v1/")
    assert seen, "the recorder saw no component"
    assert not clashes


def test_the_template_items_are_documented_as_template_items() -> None:
    document = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
    components = document["components"]["schemas"]
    item = components["TemplateItemOut"]
    assert {"text", "weight", "scale"} <= set(item["properties"])
    assert "name" not in item.get("required", [])
    assert components["SectionOut"]["properties"]["items"]["items"]["$ref"].endswith("/TemplateItemOut")


def test_every_operation_documents_the_error_answers_it_can_give() -> None:
    # schemathesis found 181 answers (401, 403, 404, 422) whose status the document did not list.
    document = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
    assert "ErrorBody" in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = {int(code) for code in operation["responses"]}
            assert {400, 422} <= codes, (method, path)
            if operation.get("security"):
                assert {401, 403, 404} <= codes, (method, path)


def test_an_error_answer_matches_the_documented_error_body(api: Any, manager: Any) -> None:
    def matches(body: Any) -> bool:
        detail = body.get("detail")
        return isinstance(detail, list) and all(
            isinstance(d.get("loc"), list) and isinstance(d.get("field"), str) and isinstance(d.get("msg"), str)
            for d in detail
        )

    for response in (
        api(manager).post("/vendors", {"name": ""}),
        api(manager).get("/vendors/999999"),
        api(None).get("/vendors"),
    ):
        assert response.status_code in (401, 404, 422)
        assert matches(response.json()), response.content
