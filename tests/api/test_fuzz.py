"""Schemathesis fuzzes every API operation as a director, a team manager and a rep: no 5xx,
every answer in its schema.

A business API may refuse a schema-valid request (an unknown reference, a rule of the record,
a record outside the caller's scope) with a documented 400/403/404, so the acceptance and
rejection checks are left out; every answer must be documented and match its schema, and none
may be a server error. Each role's company is built once, inside a transaction rolled back after
that role's operations. The run is derandomized (the same cases every time) and kept to the
explicit examples and a few generated cases per operation so that it fits CI on both databases;
`SALESORG_FUZZ_EXAMPLES=30` (and a random seed, `SALESORG_FUZZ_RANDOM=1`) fuzzes harder locally.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from tests.conftest import build_org_records, build_org_tree

pytestmark = pytest.mark.django_db  # so that the session sets up the test database
# The coverage phase (every boundary value of every parameter: about 40 cases an operation)
# would take two minutes of CPU a role; the generic bad values it tries are the input-hygiene
# tests' (tests/core/test_bad_input_kinds.py).
CONFIG = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# A person of each kind of scope: the whole company, one team, their own records.
ROLES = ["director", "manager_east1", "rep_east1a"]
EXAMPLES = int(os.environ.get("SALESORG_FUZZ_EXAMPLES", "6"))
RANDOM = os.environ.get("SALESORG_FUZZ_RANDOM") == "1"


@pytest.fixture(scope="module", params=ROLES)
def token(request, django_db_setup, django_db_blocker):
    """An API token of the role, in a company built for the role's operations."""
    from salesorg.api.models import ApiToken

    # Requests go through the real WSGI handler, which closes the database connection after
    # each one; as Django's test client does, keep it open (it holds the module's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), transaction.atomic():
        tree = build_org_tree()
        build_org_records(tree)
        _token, raw = ApiToken.objects.issue(user=tree.user(request.param))
        yield raw
        transaction.set_rollback(True)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema(case, token):
    # Each example in a savepoint rolled back after it: examples start from the same data, and
    # on PostgreSQL one failed statement cannot abort the module's transaction for the rest.
    with transaction.atomic():
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
        transaction.set_rollback(True)
