"""schemathesis' conformance checks over the whole OpenAPI document, against the Django app through WSGI.

Every operation is called as the manager (bearer token) with bodies and queries generated from the document,
and with path ids of records of the demo data set (so that answers carry bodies, not only 404s). Each answer must
have a documented status code and content type, a body that matches its documented schema, and never be a 5xx.
A few examples per operation keep the run within a minute on two cores; every request runs in a savepoint that
is rolled back, so each one meets the same demo data.
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from outsourcing.core.tests import test_access_matrix as matrix

# The access matrix's demo world (loaded once for the module, rolled back at its end) and its file folder.
media_root = matrix.media_root
_isolated_files = matrix._isolated_files
world = matrix.world

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Every operation is called at least once (one generated example); more rounds of examples follow while the time
# budget lasts, so that the walk stays within a minute on a loaded machine without leaving operations out.
ROUNDS = 3
TIME_BUDGET_SECONDS = float(os.environ.get("API_CONFORMANCE_SECONDS", "20"))

pytestmark = pytest.mark.django_db


@pytest.fixture
def wsgi_app() -> Any:
    """Django's WSGI application, keeping the test's database connection (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_answer_conforms_to_the_document(request: pytest.FixtureRequest, wsgi_app: Any) -> None:
    demo: matrix.World = request.getfixturevalue("world")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    headers = {"Authorization": f"Bearer {demo.tokens['manager']}"}
    ids = {**demo.ids, **demo.shared}
    failures: dict[str, str] = {}
    statuses: dict[str, set[int]] = {}
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    operations = sorted((result.ok() for result in schema.get_all_operations()), key=lambda op: op.label)
    for round_number in range(ROUNDS):
        for operation in operations:
            if operation.label in failures or (round_number and time.monotonic() > deadline):
                continue
            path_ids = {p.name: ids[p.name] for p in operation.path_parameters if p.name in ids}

            @given(case=operation.as_strategy(path_parameters=path_ids))
            @settings(
                max_examples=1,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @seed(round_number)
            def call(case: Any) -> None:
                with transaction.atomic():
                    response = case.call(headers=headers)
                    transaction.set_rollback(True)
                statuses.setdefault(case.operation.label, set()).add(response.status_code)
                case.validate_response(response, checks=CHECKS)

            try:
                call()
            except Exception as exc:
                failures[operation.label] = str(exc)[:1500]
    assert failures == {}
    assert set(statuses) == {op.label for op in operations}
    # The walk reached real records: most operations answered at least once with success, not only with errors.
    succeeded = {label for label, codes in statuses.items() if any(200 <= code < 300 for code in codes)}
    assert len(succeeded) > len(operations) / 2, sorted(set(statuses) - succeeded)
