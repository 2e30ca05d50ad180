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
