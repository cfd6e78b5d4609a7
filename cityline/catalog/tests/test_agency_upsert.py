import pytest

from cityline.catalog.models import Agency, ServiceGroup
from cityline.catalog.services import agency_upsert, service_group_upsert

pytestmark = pytest.mark.django_db


def test_an_agency_is_found_by_its_code_and_updated_in_place():
    # given
    first = agency_upsert(code="DSAN", name="Sanitation", public_phone="(845) 555-0110")
    # when
    second = agency_upsert(
        code="DSAN", name="Department of Sanitation", public_email="sanitation@city.example"
    )
    # then
    assert second.pk == first.pk and Agency.objects.count() == 1
    second.refresh_from_db()
    assert (second.name, second.public_email, second.public_phone) == (
        "Department of Sanitation",
        "sanitation@city.example",
        "",
    )


def test_a_service_group_is_found_by_its_name():
    # given
    first = service_group_upsert(name="Streets")
    # when
    second = service_group_upsert(name="Streets", description="Potholes and lights.")
    # then
    assert second.pk == first.pk and ServiceGroup.objects.count() == 1
    assert second.description == "Potholes and lights."
