"""The access matrix over the demo data, driven by the OpenAPI document.

For every API address that names a record, the record is one of Vendor A's: Vendor B's user gets 404 (as if it
did not exist), Vendor A's user and the auditor read it (200), and the auditor's writes answer 403 with nothing
changed. Vendor B's writes to A's records answer 404. Lists never show B any of A's ids. The main pages,
exports and file downloads keep to the same rule.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from outsourcing.accounts.models import ApiToken, User
from outsourcing.api import api as ninja_api

SCHEMA = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
COMPONENTS = SCHEMA["components"]["schemas"]

# Path parameter -> the model whose id it names.
PARAM_MODELS = {
    "vendor_id": "vendors.Vendor",
    "document_id": "documents.Document",
    "engagement_id": "engagements.Engagement",
    "deliverable_id": "engagements.Deliverable",
    "metric_id": "engagements.SlaMetric",
    "measurement_id": "engagements.Measurement",
    "member_id": "teams.TeamMember",
    "job_id": "teams.ImportJob",
    "assignment_id": "teams.TeamAssignment",
    "waiver_id": "teams.Waiver",
    "replacement_id": "teams.Replacement",
    "qualification_id": "qualifications.Qualification",
    "requirement_id": "qualifications.QualificationRequirement",
    "assessment_id": "assessments.Assessment",
    "finding_id": "assessments.Finding",
    "order_id": "processing.ProcessingOrder",
    "line_id": "processing.OrderLine",
    "report_id": "performance.ImplementationReport",
}
# Catalogue records every signed-in user reads; not a vendor's.
SHARED_PARAMS = {"template_id", "code", "item_id", "user_id"}
# List answers -> the model their ids belong to.
LIST_MODELS = {
    "/api/v1/vendors": "vendors.Vendor",
    "/api/v1/engagements": "engagements.Engagement",
    "/api/v1/qualifications": "qualifications.Qualification",
    "/api/v1/assessments": "assessments.Assessment",
    "/api/v1/processing/orders": "processing.ProcessingOrder",
    "/api/v1/implementation-reports": "performance.ImplementationReport",
}
WRITE_METHODS = ("post", "put", "patch", "delete")
# POSTs that compute an answer and store nothing: every reader may call them.
COMPUTATIONS = {"/api/v1/scoring/ahp", "/api/v1/scoring/compare"}
# A user's own inbox: every user, the auditor too, marks their own notifications read (others' answer 404,
# see notifications/tests/test_inbox_api.py).
PERSONAL = {"/api/v1/notifications/{notification_id}/read", "/api/v1/notifications/read"}
# Values the business rules accept, where the schema alone does not say.
KNOWN_VALUES = {"country": "CN", "type_code": "iso9001", "code": "iso9001"}


def _operations(methods: tuple[str, ...]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, ops in SCHEMA["paths"].items()
        for method, op in ops.items()
        if method in methods and not path.startswith("/api/v1/auth/")
    ]


def _path_params(op: dict[str, Any]) -> list[str]:
    return [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]


def _names_a_vendor_record(op: dict[str, Any]) -> bool:
    params = _path_params(op)
    return bool(params) and all(p in PARAM_MODELS for p in params)


READS = [(p, op) for m, p, op in _operations(("get",)) if _names_a_vendor_record(op)]
WRITES = [(m, p, op) for m, p, op in _operations(WRITE_METHODS) if p not in COMPUTATIONS | PERSONAL]


def _deref(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _minimal(schema: dict[str, Any], ids: dict[str, int]) -> Any:
    """The smallest value the schema accepts, with ids of existing records (so only permission can refuse)."""
    schema = _deref(schema)
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if _deref(o).get("type") != "null"]
        return _minimal(options[0], ids) if options else None
    if "allOf" in schema:
        return _minimal(schema["allOf"][0], ids)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            name: KNOWN_VALUES.get(name) or ids.get(name) or _minimal(sub, ids)
            for name, sub in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if kind == "array":
        return [_minimal(schema.get("items", {}), ids) for _ in range(max(schema.get("minItems", 1), 1))]
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return datetime.date.today().isoformat()
    return "x" * min(max(schema.get("minLength", 1), 10), schema.get("maxLength", 10))


def _fingerprint() -> dict[str, int]:
    """How many rows each of the project's tables holds, and the audit trail's length."""
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"vendors", "documents", "engagements", "teams", "qualifications"}
        or model._meta.app_label in {"assessments", "processing", "performance", "accounts", "auditlog"}
    }
    return counts


class World:
    def __init__(self) -> None:
        self.users = {name: User.objects.get(username=name) for name in ("manager", "auditor", "vendor_a", "vendor_b")}
        self.vendor_a = self.users["vendor_a"].vendor
        self.vendor_b = self.users["vendor_b"].vendor
        assert self.vendor_a and self.vendor_b and self.vendor_a != self.vendor_b
        self.tokens = {name: ApiToken.issue(user)[1] for name, user in self.users.items()}
        # One of A's records for every kind a path can name (the first, so the run is deterministic).
        self.ids: dict[str, int] = {}
        self.a_ids: dict[str, set[int]] = {}
        for param, label in PARAM_MODELS.items():
            model = apps.get_model(label)
            mine = model.objects.visible_to(self.users["vendor_a"]).order_by("pk")
            self.a_ids[label] = set(mine.values_list("pk", flat=True))
            first = mine.first()
            if first is not None:
                self.ids[param] = first.pk
        assessment = apps.get_model("assessments.Assessment").objects.get(pk=self.ids["assessment_id"])
        item = apps.get_model("assessments.TemplateItem").objects.filter(section__template=assessment.template_id)
        self.shared = {
            "code": "iso9001",
            "item_id": item.order_by("pk").values_list("pk", flat=True)[0],
            "user_id": self.users["vendor_a"].pk,
        }

    def client(self, name: str) -> Client:
        return Client(headers={"Authorization": f"Bearer {self.tokens[name]}"})

    def web(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client

    def url(self, path: str) -> str:
        missing = [p for p in PARAM_MODELS if "{" + p + "}" in path and p not in self.ids]
        if missing:
            pytest.fail(f"the demo has no record of Vendor A's for {missing}")
        for param, pk in {**self.ids, **self.shared}.items():
            path = path.replace("{" + param + "}", str(pk))
        return path


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: Any) -> str:
    return str(tmp_path_factory.mktemp("matrix-files"))


@pytest.fixture(autouse=True)
def _isolated_files(settings: Any, media_root: str) -> None:
    """The demo's files live for the whole module (the root conftest's per-test folder would lose them)."""
    settings.MEDIA_ROOT = media_root


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, media_root: str) -> Iterator[World]:
    """The demo data, loaded once for the module inside a transaction that is rolled back at its end."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        from outsourcing.teams.models import ImportJob

        vendor_a = User.objects.get(username="vendor_a").vendor
        if not ImportJob.objects.filter(vendor=vendor_a).exists():
            job = ImportJob(vendor=vendor_a, original_name="roster.csv")
            job.file.save("roster.csv", ContentFile(b"full_name\n"), save=False)
            job.save()
        Deliverable = apps.get_model("engagements.Deliverable")
        Engagement = apps.get_model("engagements.Engagement")
        if not Deliverable.objects.filter(engagement__vendor=vendor_a).exists():
            engagement = Engagement.objects.filter(vendor=vendor_a).order_by("pk").first()
            Deliverable.objects.create(
                engagement=engagement, title="运维月报 Monthly O&M report", due_date="2026-12-31"
            )
        yield World()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def _label(path: str, op: dict[str, Any]) -> str:
    return path.removeprefix("/api/v1")


@pytest.mark.parametrize(("path", "op"), READS, ids=[_label(p, o) for p, o in READS])
def test_vendor_b_gets_404_on_a_record_of_vendor_a_that_a_and_the_auditor_read(
    world: World, path: str, op: dict[str, Any]
) -> None:
    url = world.url(path)
    assert world.client("vendor_b").get(url).status_code == 404, url
    # 404 to the manager too only where the record has no such part (A's service engagement has no benefit terms).
    expected = 404 if path.endswith("/benefit-terms") else 200
    for reader in ("vendor_a", "auditor", "manager"):
        response = world.client(reader).get(url)
        assert response.status_code == expected, (reader, url, response.content[:300])


def _write(world: World, who: str, method: str, path: str, op: dict[str, Any]) -> Any:
    client = world.client(who)
    url = world.url(path)
    body = op.get("requestBody")
    if body is None:
        return getattr(client, method)(url)
    content_type, content = next(iter(body["content"].items()))
    schema = _deref(content["schema"])
    if content_type.startswith("multipart"):
        form: dict[str, Any] = {}
        for name, sub in schema.get("properties", {}).items():
            if _deref(sub).get("format") == "binary":
                form[name] = ContentFile(b"%PDF-1.4\n%%EOF\n", name="evidence.pdf")
            elif name in schema.get("required", []):
                form[name] = _minimal(sub, world.ids)
        return client.post(url, form)
    return getattr(client, method)(url, _minimal(schema, world.ids), content_type="application/json")


@pytest.mark.parametrize(("method", "path", "op"), WRITES, ids=[f"{m.upper()} {_label(p, o)}" for m, p, o in WRITES])
def test_the_auditor_gets_403_on_every_write_and_nothing_changes(
    world: World, method: str, path: str, op: dict[str, Any]
) -> None:
    before = _fingerprint()
    response = _write(world, "auditor", method, path, op)
    assert response.status_code == 403, (method, path, response.status_code, response.content[:300])
    assert _fingerprint() == before


WRITES_ON_A = [(m, p, o) for m, p, o in WRITES if _names_a_vendor_record(o)]


@pytest.mark.parametrize(
    ("method", "path", "op"), WRITES_ON_A, ids=[f"{m.upper()} {_label(p, o)}" for m, p, o in WRITES_ON_A]
)
def test_vendor_b_gets_404_on_every_write_to_a_record_of_vendor_a_and_nothing_changes(
    world: World, method: str, path: str, op: dict[str, Any]
) -> None:
    before = _fingerprint()
    response = _write(world, "vendor_b", method, path, op)
    assert response.status_code == 404, (method, path, response.status_code, response.content[:300])
    assert _fingerprint() == before


def test_every_list_path_the_matrix_knows_is_in_the_api() -> None:
    assert set(LIST_MODELS) <= set(SCHEMA["paths"])


@pytest.mark.parametrize("path", sorted(LIST_MODELS))
def test_lists_never_show_vendor_b_any_id_of_vendor_a(world: World, path: str) -> None:
    a_ids = set(
        apps.get_model(LIST_MODELS[path]).objects.visible_to(world.users["vendor_a"]).values_list("pk", flat=True)
    )
    if LIST_MODELS[path] != "vendors.Vendor":
        assert a_ids, f"the demo has nothing of Vendor A's at {path}"
    seen_a = world.client("vendor_a").get(path, {"limit": 1000}).json()["items"]
    assert {item["id"] for item in seen_a} == a_ids
    items = world.client("vendor_b").get(path, {"limit": 1000}).json()["items"]
    assert not {item["id"] for item in items} & a_ids
    assert all(item.get("vendor_id") in (None, world.vendor_b.pk) for item in items), path
    a_engagements = world.a_ids["engagements.Engagement"]
    assert not {item.get("engagement_id") for item in items} & a_engagements


def _ui_urls(world: World) -> list[str]:
    a = world.ids
    return [
        reverse("vendors:detail", args=[a["vendor_id"]]),
        reverse("teams:roster", args=[a["vendor_id"]]),
        reverse("teams:roster-export", args=[a["vendor_id"], "csv"]),
        reverse("teams:stability", args=[a["vendor_id"]]),
        reverse("teams:member", args=[a["member_id"]]),
        reverse("teams:import-job", args=[a["job_id"]]),
        reverse("teams:engagement-team", args=[a["engagement_id"]]),
        reverse("engagements:detail", args=[a["engagement_id"]]),
        reverse("qualifications:vendor", args=[a["vendor_id"]]),
        reverse("qualifications:detail", args=[a["qualification_id"]]),
        reverse("assessments:detail", args=[a["assessment_id"]]),
        reverse("processing:detail", args=[a["order_id"]]),
        reverse("performance:engagement", args=[a["engagement_id"]]),
        reverse("performance:vendor", args=[a["vendor_id"]]),
        reverse("documents:download", args=[a["document_id"]]),
    ]


def test_the_pages_and_downloads_of_vendor_a_answer_404_to_vendor_b_and_200_to_a_and_the_auditor(
    world: World,
) -> None:
    for url in _ui_urls(world):
        assert world.web("vendor_b").get(url).status_code == 404, url
        for reader in ("vendor_a", "auditor"):
            assert world.web(reader).get(url).status_code == 200, (reader, url)


def test_every_document_of_vendor_a_is_404_for_vendor_b_in_the_api_and_the_download(world: World) -> None:
    documents = apps.get_model("documents.Document").objects.visible_to(world.users["vendor_a"])
    assert documents.exists()
    api_b, web_b = world.client("vendor_b"), world.web("vendor_b")
    for pk in documents.values_list("pk", flat=True):
        assert api_b.get(f"/api/v1/documents/{pk}").status_code == 404
        assert web_b.get(reverse("documents:download", args=[pk])).status_code == 404


@pytest.mark.parametrize(
    "name", ["vendors:export", "engagements:export", "qualifications:export", "assessments:compare-export"]
)
def test_exports_for_vendor_b_hold_nothing_of_vendor_a(world: World, name: str) -> None:
    url = reverse(name, args=["csv"])
    response = world.web("vendor_b").get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8", "replace")
    a = world.vendor_a
    assert a.name not in text and a.registration_number not in text, url
    for engagement in apps.get_model("engagements.Engagement").objects.filter(vendor=a):
        assert engagement.code not in text, (url, engagement.code)


def _ui_writes(world: World) -> list[str]:
    a = world.ids
    return [
        reverse("vendors:edit", args=[a["vendor_id"]]),
        reverse("vendors:delete", args=[a["vendor_id"]]),
        reverse("vendors:contact-create", args=[a["vendor_id"]]),
        reverse("teams:member-create", args=[a["vendor_id"]]),
        reverse("teams:member-edit", args=[a["member_id"]]),
        reverse("teams:team-add", args=[a["engagement_id"]]),
        reverse("teams:assignment-end", args=[a["assignment_id"]]),
        reverse("teams:assignment-acknowledge", args=[a["assignment_id"]]),
        reverse("engagements:edit", args=[a["engagement_id"]]),
        reverse("engagements:transition", args=[a["engagement_id"]]),
        reverse("engagements:agreement", args=[a["engagement_id"]]),
        reverse("qualifications:create", args=[a["vendor_id"]]),
        reverse("qualifications:edit", args=[a["qualification_id"]]),
        reverse("qualifications:verify", args=[a["qualification_id"]]),
        reverse("qualifications:delete", args=[a["qualification_id"]]),
        reverse("assessments:finding-create", args=[a["assessment_id"]]),
    ]


def test_the_auditor_changes_nothing_through_the_pages_and_b_finds_none_of_a_s_forms(world: World) -> None:
    before = _fingerprint()
    for url in _ui_writes(world):
        response = world.web("auditor").post(url, {"name": "changed", "full_name": "changed", "reason": "x"})
        assert response.status_code == 403, ("auditor", url, response.status_code)
        assert world.web("vendor_b").post(url, {"name": "changed"}).status_code == 404, ("vendor_b", url)
        # 405 is what a POST-only address answers to a GET for any id, existing or not: it tells nothing.
        assert world.web("vendor_b").get(url).status_code in (404, 405), ("vendor_b", url)
    assert _fingerprint() == before
