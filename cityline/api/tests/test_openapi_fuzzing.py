"""Every operation of the OpenAPI document, called with input schemathesis generates from it: no
answer is a server error, and every answer is one the document lists, in the shape it gives."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cityline.knowledge.tests.factories import make_article, translate

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def published(db):
    """Articles to find, so that answers with content are checked too."""
    article = make_article(slug="tree-removal", title="How do I get a tree removed?")
    translate(article, language="es", title="¿Cómo quito un árbol?", body="Parques lo revisa.")
    make_article(slug="bulk", title="Bulk pickup")


@pytest.fixture
def in_test_transaction():
    """Requests go straight to the WSGI application; neither the start nor the end of one may
    close the connection that holds the test's transaction (Django's test client does the
    same)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    # The articles and the connection are meant to be shared by every generated call.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_operation_answers_with_a_server_error_or_an_unlisted_answer(
    case, published, in_test_transaction
):
    case.call_and_validate(checks=CHECKS)
