"""Schemathesis over the whole API (/api/schema/), in-process, as a logged-in community staff member.

Every operation in the schema gets a bounded number of generated requests (valid and invalid);
each response must be no server error, carry a status code the schema documents, match the
documented content type and body schema. The run is deterministic (derandomized) and bounded,
so `make test` runs it on every change (ADR 0010).
"""

from __future__ import annotations

import importlib

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis import checks as st_checks

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 15
EXAMPLES_ON_REAL_OBJECTS = 10

CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
]
# Invalid input: never a server error, always a documented (4xx) answer.
NEGATIVE_CHECKS = [st_checks.not_a_server_error, st_checks.status_code_conformance,
                   st_checks.content_type_conformance]


@pytest.fixture
def inprocess_app():
    """Django's WSGI handler, sharing the test's database connection and transaction.

    Like django.test.Client, keep the request signals from closing that connection (on
    PostgreSQL it would be closed mid-transaction). The test client reconnects the receiver
    after each of its own requests, so it is disconnected again before every call.
    """
    handler = WSGIHandler()

    def app(environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        return handler(environ, start_response)

    try:
        yield app
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def staff_session(tree, make_user):
    """Request headers of a logged-in community staff member: session cookie and CSRF token."""
    for app in ("participation", "projects", "safety", "deliberation", "funds"):
        # a row in every list of the app, so its detail endpoints are fuzzed on a real id
        importlib.import_module(f"courtyard.{app}.tests.factories").api_rows(tree)
    user = make_user("community_staff", tree.community_a)
    c = Client()
    c.force_login(user, backend="courtyard.core.auth.PhoneBackend")
    token = get_random_string(32)
    return {"headers": {"X-CSRFToken": token},
            "cookies": {"sessionid": c.cookies["sessionid"].value, "csrftoken": token}}


def _an_id_from_its_list(client: Client, path: str) -> int | None:
    """A real id for `/api/v1/things/{id}/…`: the first row of `/api/v1/things/`."""
    listing = client.get(path.split("{id}")[0], {"limit": 1})
    rows = listing.json().get("results", []) if listing.status_code == 200 else []
    return rows[0]["id"] if rows else None


def test_api_fuzz(staff_session, inprocess_app):
    client = Client()
    for name, value in staff_session["cookies"].items():
        client.cookies[name] = value
    raw = client.get("/api/schema/?format=json")
    assert raw.status_code == 200
    schema = schemathesis.openapi.from_dict(raw.json())
    schema.app = inprocess_app
    failures: dict[str, str] = {}
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 8
    calls = 0
    statuses: dict[str, set[int]] = {}
    missing: list[str] = []

    def fuzz(operation, strategy, examples, checks):
        @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def run(case):
            nonlocal calls
            cache.clear()  # the reveal throttle is tested elsewhere; here every call must be answered
            calls += 1
            response = case.call(**staff_session)
            statuses.setdefault(operation.label, set()).add(response.status_code)
            try:
                case.validate_response(response, checks=checks)
            except (AssertionError, BaseExceptionGroup) as exc:
                for one in getattr(exc, "exceptions", [exc]):
                    failures.setdefault(f"{operation.label}: {type(one).__name__}",
                                        f"{one}\n{case.method} {case.formatted_path} {case.query} {case.body!r}")

        run()

    for operation in operations:
        fuzz(operation, operation.as_strategy(), EXAMPLES_PER_OPERATION, CHECKS)
        fuzz(operation, operation.as_strategy(generation_mode=GenerationMode.NEGATIVE), EXAMPLES_PER_OPERATION,
             NEGATIVE_CHECKS)
        if "{id}" in operation.path:
            real = _an_id_from_its_list(client, operation.path)
            if real is None:
                missing.append(operation.path)
                continue
            fuzz(operation, operation.as_strategy(path_parameters={"id": real}), EXAMPLES_ON_REAL_OBJECTS, CHECKS)
    print(f"{len(operations)} operations, {calls} calls")
    assert not missing, f"no row to fuzz these detail endpoints on: {sorted(missing)}"
    assert calls >= len(operations) * EXAMPLES_PER_OPERATION
    # The session really is a staff member's: every operation answered 200 at least once.
    assert all(200 in codes for codes in statuses.values()), statuses
    assert set(statuses) == {op.label for op in operations}
    assert not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())
