"""Schemathesis fuzzes every API operation as a director: no 5xx, every answer in its schema.

A business API may refuse a schema-valid request (an unknown reference, a rule of the record)
with a documented 400/404, so the acceptance and rejection checks are left out; every answer
must be documented and match its schema, and none may be a server error. The company is built
once for the module, inside a transaction rolled back at the end.
"""

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

from tests.conftest import build_org_records, build_org_tree

pytestmark = pytest.mark.django_db  # so that the session sets up the test database
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture(scope="module")
def director_token(django_db_setup, django_db_blocker):
    from salesorg.api.models import ApiToken

    # Requests go through the real WSGI handler, which closes the database connection after
    # each one; as Django's test client does, keep it open (it holds the module's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), transaction.atomic():
        tree = build_org_tree()
        build_org_records(tree)
        _token, raw = ApiToken.objects.issue(user=tree.user("director"))
        yield raw
        transaction.set_rollback(True)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_schema(case, director_token):
    # Each example in a savepoint rolled back after it: examples start from the same data, and
    # on PostgreSQL one failed statement cannot abort the module's transaction for the rest.
    with transaction.atomic():
        case.call_and_validate(headers={"Authorization": f"Bearer {director_token}"}, checks=CHECKS)
        transaction.set_rollback(True)
