import pytest

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.services.intake import Location
from cityline.servicerequests.services.proactive import proactive_request_create
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/servicerequests/servicerequest/"


def test_the_admin_list_filters_proactive_requests(admin_client):
    # given
    reported = make_request()
    proactive = proactive_request_create(
        service_type=ServiceTypeFactory.create(),
        description="Found on a sweep.",
        location=Location(latitude=41.85, longitude=-87.65),
        answers={},
        by=None,
    )
    # when
    response = admin_client.get(CHANGELIST, {"proactive__exact": "1"})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert proactive.tracking_number in html
    assert reported.tracking_number not in html
    assert "By proactive" in html
