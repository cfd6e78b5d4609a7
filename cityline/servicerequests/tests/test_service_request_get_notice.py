import pytest

from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.servicerequests.selectors import service_request_get_notice
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_the_notice_has_what_the_receipt_and_alert_say_and_where_they_go():
    # given
    service_type = ServiceTypeFactory(
        name="Pothole", agency=AgencyFactory(notification_email="dispatch@cdot.example.org")
    )
    request = make_request(
        service_type=service_type,
        address="121 N LaSalle St",
        description="Deep hole.",
        requester=RequesterDetails(email="ada@example.org"),
    )
    # when
    notice = service_request_get_notice(request_id=request.pk)
    # then
    assert notice is not None
    assert notice._asdict() == {
        "tracking_number": request.tracking_number,
        "service_name": "Pothole",
        "description": "Deep hole.",
        "address": "121 N LaSalle St",
        "expected_at": request.expected_at,
        "agency_email": "dispatch@cdot.example.org",
        "requester_email": "ada@example.org",
    }


def test_a_request_without_a_requester_has_no_address_to_write_to():
    # given
    request = make_request(
        service_type=ServiceTypeFactory(agency=AgencyFactory(notification_email=""))
    )
    # when
    notice = service_request_get_notice(request_id=request.pk)
    # then
    assert notice is not None
    assert (notice.agency_email, notice.requester_email) == ("", "")


def test_an_unknown_request_has_no_notice():
    # when / then
    assert service_request_get_notice(request_id=987654) is None
