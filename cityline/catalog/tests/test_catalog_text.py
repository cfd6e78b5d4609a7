"""Catalog text read through another model's lookups, in the reader's language."""

import pytest
from django.utils import translation

from cityline.catalog.selectors import catalog_text
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.models import ServiceRequest
from cityline.servicerequests.selectors import (
    service_request_get_tracked,
    service_request_list_open_nearby,
)
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def _names(language: str) -> list[str]:
    with translation.override(language):
        rows = ServiceRequest.objects.order_by("pk").values_list(
            catalog_text("service_type__name"), flat=True
        )
        return list(rows)


def test_a_lookup_into_the_catalog_reads_the_readers_language_or_else_the_citys():
    # given
    pothole = ServiceTypeFactory.create(code="pothole", name="Pothole")
    pothole.name_es = "Bache"
    pothole.save()
    make_request(service_type=pothole)
    make_request(service_type=ServiceTypeFactory.create(code="graffiti", name="Graffiti"))
    # then
    assert _names("en") == ["Pothole", "Graffiti"]
    assert _names("es") == ["Bache", "Graffiti"]
    assert _names("ar") == ["Pothole", "Graffiti"]


def test_the_tracking_page_and_the_nearby_list_name_the_service_in_the_readers_language():
    # given
    pothole = ServiceTypeFactory.create(code="pothole", name="Pothole")
    pothole.name_ar = "حفرة"
    pothole.save()
    request = make_request(service_type=pothole)
    # when
    with translation.override("ar"):
        tracked = service_request_get_tracked(tracking_number=request.tracking_number)
        nearby = service_request_list_open_nearby(latitude=41.85, longitude=-87.65)
    # then
    assert tracked is not None
    assert tracked.service_name == "حفرة"
    assert [row.service_name for row in nearby] == ["حفرة"]
