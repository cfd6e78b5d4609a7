import io

import pytest
from django.core.management import CommandError, call_command

from cityline.catalog.models import Agency, ServiceType
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.geo.models import BoundaryLayer
from cityline.servicerequests.models import ServiceRequest

pytestmark = pytest.mark.django_db


def test_if_empty_leaves_an_existing_catalog_alone():
    # given
    existing = ServiceTypeFactory(code="our-own-type")
    out = io.StringIO()
    # when
    call_command("demo", if_empty=True, requests=50, stdout=out)
    # then
    assert list(ServiceType.objects.all()) == [existing]
    assert Agency.objects.count() == 1
    assert not BoundaryLayer.objects.exists()
    assert not ServiceRequest.objects.exists()
    assert "already has service types" in out.getvalue()


def test_if_empty_builds_the_city_when_there_is_no_catalog():
    # given
    out = io.StringIO()
    # when
    call_command("demo", "--if-empty", "--requests", "40", "--seed", "3", stdout=out)
    # then
    assert ServiceType.objects.count() >= 30
    assert ServiceRequest.objects.filter(source="demo").count() == 40
    assert "Port Meridian" in out.getvalue()


def test_a_negative_number_of_requests_is_refused():
    # when
    with pytest.raises(CommandError, match="--requests"):
        call_command("demo", requests=-1)
    # then
    assert not ServiceType.objects.exists()
