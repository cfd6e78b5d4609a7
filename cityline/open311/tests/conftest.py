"""What the Open311 tests share: a client's API key and a catalog with every kind of question."""

import pytest

from cityline.accounts.services import api_key_create
from cityline.catalog.models import AttributeDatatype, ServiceType
from cityline.catalog.tests.factories import (
    ServiceAttributeFactory,
    ServiceTypeFactory,
    ServiceTypeKeywordFactory,
    list_question,
)


@pytest.fixture
def raw_key(db) -> str:
    _, raw = api_key_create(name="FixMyStreet", rate_limit=0)
    return raw


@pytest.fixture
def pothole(db) -> ServiceType:
    """A public service with every kind of question a client must handle."""
    service_type = ServiceTypeFactory.create(code="pothole", name="Pothole", description="A hole.")
    ServiceTypeKeywordFactory(service_type=service_type, term="cave-in")
    ServiceTypeKeywordFactory(service_type=service_type, term="sinkhole")
    list_question(service_type=service_type, code="size", keys=["small", "large"], required=True)
    list_question(
        service_type=service_type, code="hazards", keys=["water", "gas", "traffic"], multi=True
    )
    ServiceAttributeFactory(
        service_type=service_type, code="depth", datatype=AttributeDatatype.NUMBER
    )
    ServiceAttributeFactory(
        service_type=service_type,
        code="notice",
        variable=False,
        description="Call 911 if anyone is hurt.",
    )
    return service_type
