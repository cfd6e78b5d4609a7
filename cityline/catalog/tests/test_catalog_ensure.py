"""`agency_ensure`, `service_type_ensure` and `service_type_public_set`: what importers write."""

import pytest
from django.db.models.signals import post_save

from cityline.catalog.models import ServiceType
from cityline.catalog.services import agency_ensure, service_type_ensure, service_type_public_set
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory

pytestmark = pytest.mark.django_db


def test_an_existing_agency_is_kept_as_the_city_wrote_it():
    # given
    AgencyFactory(code="NYPD", name="Police")
    # when
    agency, created = agency_ensure(code="NYPD", name="NEW YORK CITY POLICE DEPARTMENT")
    # then
    assert (agency.name, created) == ("Police", False)


def test_a_missing_service_type_is_created_with_what_the_import_saw():
    # given
    agency = AgencyFactory(code="DOT")
    # when
    service_type, created = service_type_ensure(
        code="pothole", name="Pothole", agency_id=agency.pk, is_public=False
    )
    # then
    assert created
    assert (service_type.name, service_type.agency, service_type.is_public) == (
        "Pothole",
        agency,
        False,
    )


def test_making_a_type_public_is_saved_as_a_row_so_its_followers_hear_of_it():
    # given
    service_type = ServiceTypeFactory(is_public=False)
    heard = []

    def listener(sender, instance, **kwargs):
        heard.append(instance.pk)

    post_save.connect(listener, sender=ServiceType)
    # when
    try:
        service_type_public_set(service_type_id=service_type.pk, is_public=True)
    finally:
        post_save.disconnect(listener, sender=ServiceType)
    # then
    service_type.refresh_from_db()
    assert service_type.is_public
    assert heard == [service_type.pk]
