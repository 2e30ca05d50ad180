"""The teams calls are documented in the OpenAPI document."""

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_lists_the_contract_calls(api, manager):
    paths = api(manager).get("/openapi.json").json()["paths"]
    for path in [
        "/api/v1/vendors/{vendor_id}/members",
        "/api/v1/members/{member_id}",
        "/api/v1/members/{member_id}/documents",
        "/api/v1/vendors/{vendor_id}/stability",
        "/api/v1/engagements/{engagement_id}/team",
        "/api/v1/engagements/{engagement_id}/eligibility",
        "/api/v1/engagements/{engagement_id}/replacements",
        "/api/v1/replacements/{replacement_id}/approve",
        "/api/v1/engagements/{engagement_id}/waivers",
    ]:
        assert path in paths, path
