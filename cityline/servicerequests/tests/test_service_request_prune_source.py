import pytest

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.models import RequestUpdate, ServiceRequest
from cityline.servicerequests.services.sources import service_request_prune_source
from cityline.servicerequests.tests.factories import historic_request, load_historic, make_request

pytestmark = pytest.mark.django_db


def test_requests_of_the_source_not_kept_are_deleted_with_their_history():
    # given
    service_type = ServiceTypeFactory()
    kept, gone = load_historic(
        [
            historic_request(service_type=service_type, source_id="1"),
            historic_request(service_type=service_type, source_id="2"),
        ]
    )
    # when
    removed = service_request_prune_source(source="test", keep={"1"})
    # then
    assert removed == 1
    assert list(ServiceRequest.objects.filter(source="test")) == [kept]
    assert not RequestUpdate.objects.filter(request_id=gone.pk).exists()


def test_other_sources_and_native_requests_are_left_alone():
    # given
    service_type = ServiceTypeFactory()
    (other,) = load_historic(
        [historic_request(service_type=service_type, source="other", source_id="1")]
    )
    native = make_request(service_type=service_type)
    # when
    removed = service_request_prune_source(source="test", keep=set())
    # then
    assert removed == 0
    assert set(ServiceRequest.objects.all()) == {other, native}
