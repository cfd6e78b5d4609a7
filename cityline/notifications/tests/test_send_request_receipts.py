from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory, list_question
from cityline.core.models import OutboxMessage
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.models import SlaUnit
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def pothole():
    return ServiceTypeFactory(
        code="pothole",
        name="Pothole",
        agency=AgencyFactory(code="CDOT", notification_email=""),
        sla_policy=SlaPolicyFactory(amount=2, unit=SlaUnit.CALENDAR_DAYS),
    )


def create(django_capture_on_commit_callbacks, **kwargs):
    """Create a request and run what its commit sets off, as the worker would."""
    # 21:30 in Chicago on Wednesday 1 April is already Thursday in UTC.
    with (
        time_machine.travel(datetime(2026, 4, 1, 21, 30, tzinfo=CHICAGO), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return make_request(**kwargs)


def test_the_requester_gets_a_receipt_with_the_tracking_number_and_due_time_in_city_time(
    pothole, django_capture_on_commit_callbacks
):
    # when
    request = create(
        django_capture_on_commit_callbacks,
        service_type=pothole,
        requester=RequesterDetails(first_name="Ada", email="ada@example.org"),
    )
    # then
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert receipt.to == ["ada@example.org"]
    assert receipt.subject == f"Your request {request.tracking_number}: Pothole"
    assert request.tracking_number in receipt.body
    assert "Friday 03 April 2026, 21:30" in receipt.body
    assert OutboxMessage.objects.get(topic="request.created").delivered_at is not None


def test_the_agency_is_alerted_at_its_notification_address(
    pothole, django_capture_on_commit_callbacks
):
    # given
    pothole.agency.notification_email = "dispatch@cdot.example.org"
    pothole.agency.save()
    # when
    request = create(
        django_capture_on_commit_callbacks,
        service_type=pothole,
        address="121 N LaSalle St",
        latitude=None,
        longitude=None,
        description="Deep hole by the bus stop.",
    )
    # then
    assert [m.to for m in mail.outbox] == [["dispatch@cdot.example.org"]]
    alert = mail.outbox[0]
    assert alert.subject == f"New request {request.tracking_number}: Pothole"
    assert "Pothole at 121 N LaSalle St." in alert.body
    assert "Deep hole by the bus stop." in alert.body
    assert "Friday 03 April 2026, 21:30" in alert.body


def test_the_alert_goes_to_the_agency_the_request_was_routed_to(
    pothole, django_capture_on_commit_callbacks
):
    # given
    forestry = AgencyFactory(code="FOREST", notification_email="trees@example.org")
    list_question(service_type=pothole, code="cause", keys=["roots", "traffic"])
    pothole.routing_rules.create(
        attribute_code="cause", attribute_value="roots", agency=forestry, order=1
    )
    # when
    create(django_capture_on_commit_callbacks, service_type=pothole, answers={"cause": "roots"})
    # then
    assert [m.to for m in mail.outbox] == [["trees@example.org"]]


def test_requester_and_agency_each_get_their_own_email(pothole, django_capture_on_commit_callbacks):
    # given
    pothole.agency.notification_email = "dispatch@cdot.example.org"
    pothole.agency.save()
    # when
    create(
        django_capture_on_commit_callbacks,
        service_type=pothole,
        requester=RequesterDetails(email="ada@example.org"),
    )
    # then
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "dispatch@cdot.example.org"]
    alert = next(m for m in mail.outbox if m.to == ["dispatch@cdot.example.org"])
    assert "ada@example.org" not in alert.body


def test_no_email_is_sent_when_neither_requester_nor_agency_has_an_address(
    pothole, django_capture_on_commit_callbacks
):
    # when
    create(
        django_capture_on_commit_callbacks,
        service_type=pothole,
        requester=RequesterDetails(first_name="Ada", phone="312-555-0100"),
    )
    # then
    assert mail.outbox == []
    assert OutboxMessage.objects.get(topic="request.created").delivered_at is not None


def test_a_receipt_without_a_due_time_makes_no_promise(django_capture_on_commit_callbacks):
    # given
    service_type = ServiceTypeFactory(name="Compliment", sla_policy=None)
    # when
    create(
        django_capture_on_commit_callbacks,
        service_type=service_type,
        requester=RequesterDetails(email="ada@example.org"),
    )
    # then
    assert len(mail.outbox) == 1
    assert "aims to respond" not in mail.outbox[0].body


def test_nothing_is_sent_before_the_request_is_committed(pothole):
    # when: the test's transaction never commits
    make_request(service_type=pothole, requester=RequesterDetails(email="ada@example.org"))
    # then
    assert mail.outbox == []
    assert OutboxMessage.objects.get(topic="request.created").delivered_at is None
