import random
from datetime import timedelta

import pytest
import time_machine

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core import clock
from cityline.core.outbox import outbox_sweep
from cityline.integrations.delivery import work_order_sweep
from cityline.integrations.models import DeliveryStatus, WorkOrderEvent
from cityline.integrations.signing import signature_valid
from cityline.integrations.tests.conftest import point_at
from cityline.integrations.tests.factories import AgencyIntegrationFactory
from cityline.servicerequests.models import Channel, Status
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.services.lifecycle import service_request_change_status
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(receiver):
    return point_at(receiver, AgencyIntegrationFactory())


def _request_for(integration, **kwargs):
    return make_request(service_type=ServiceTypeFactory(agency=integration.agency), **kwargs)


def test_a_new_request_of_an_integrated_agency_is_sent_as_a_signed_work_order(
    integration, receiver
):
    # given
    request = _request_for(integration, requester=RequesterDetails(email="ann@example.org"))
    outbox_sweep()
    # when
    acknowledged = work_order_sweep()
    # then
    assert acknowledged == 1
    [received] = receiver.received
    event = WorkOrderEvent.objects.get()
    assert received.idempotency_key == event.idempotency_key
    assert received.body["event"] == {
        "id": event.idempotency_key,
        "type": "request.created",
        "sequence": 1,
        "occurred_at": received.body["event"]["occurred_at"],
    }
    assert received.body["request"]["tracking_number"] == request.tracking_number
    assert received.body["agency"] == {"code": integration.agency.code}
    assert "ann@example.org" not in str(received.body)
    event.refresh_from_db()
    assert event.status == DeliveryStatus.DELIVERED and event.attempts == 1


def test_a_request_of_an_agency_without_integration_owes_no_work_order():
    # given
    make_request()
    # when
    outbox_sweep()
    # then
    assert not WorkOrderEvent.objects.exists()


def test_the_outbox_handler_run_twice_records_one_event(integration):
    # given
    _request_for(integration)
    outbox_sweep()
    from cityline.core.models import OutboxMessage
    from cityline.integrations.services import work_order_event_record

    message = OutboxMessage.objects.get(topic="request.created")
    # when
    again = work_order_event_record(outbox_message=message, kind="request.created")
    # then
    assert WorkOrderEvent.objects.count() == 1
    assert again == WorkOrderEvent.objects.get()


def test_a_status_change_follows_only_after_the_creation_is_acknowledged(integration, receiver):
    # given: the agency's system is down when the request is made and then acknowledged
    receiver.down.set()
    request = _request_for(integration)
    service_request_change_status(
        request=request, status=Status.ACKNOWLEDGED, by=None, via=Channel.STAFF
    )
    outbox_sweep()
    # when: a sweep while it is down, then one after it is back
    work_order_sweep(rng=random.Random(0))
    first, second = WorkOrderEvent.objects.order_by("sequence")
    assert (first.attempts, second.attempts) == (1, 0)
    receiver.down.clear()
    with time_machine.travel(clock.now() + timedelta(hours=2)):
        work_order_sweep()
    # then: both, in order
    assert [r.body["event"]["sequence"] for r in receiver.received] == [1, 2]
    assert receiver.received[1].body["request"]["status"] == "acknowledged"


def test_a_failure_backs_off_and_after_the_last_attempt_the_event_is_dead(
    integration, receiver, settings
):
    # given
    settings.CITYLINE_WORKORDER_MAX_ATTEMPTS = 3
    receiver.down.set()
    _request_for(integration)
    outbox_sweep()
    event = WorkOrderEvent.objects.get()
    # when: three sweeps, each after the backoff
    moment = clock.now()
    for _ in range(3):
        with time_machine.travel(moment):
            work_order_sweep(rng=random.Random(3))
        event.refresh_from_db()
        moment = max(moment, event.next_attempt_at) + timedelta(seconds=1)
    # then
    assert event.status == DeliveryStatus.DEAD
    assert event.attempts == 3
    assert "503" in event.last_error


def test_an_event_older_than_the_maximum_age_is_dead_after_its_next_failure(
    integration, receiver, settings
):
    # given
    settings.CITYLINE_WORKORDER_MAX_AGE_HOURS = 1
    receiver.down.set()
    _request_for(integration)
    outbox_sweep()
    # when
    with time_machine.travel(clock.now() + timedelta(hours=2)):
        work_order_sweep()
    # then
    assert WorkOrderEvent.objects.get().status == DeliveryStatus.DEAD


def test_a_dead_event_holds_back_the_later_events_of_its_request(integration, receiver, settings):
    # given: the creation is dead-lettered, then the request changes
    settings.CITYLINE_WORKORDER_MAX_ATTEMPTS = 1
    receiver.down.set()
    request = _request_for(integration)
    outbox_sweep()
    work_order_sweep()
    receiver.down.clear()
    service_request_change_status(
        request=request, status=Status.IN_PROGRESS, by=None, via=Channel.STAFF
    )
    outbox_sweep()
    # when
    work_order_sweep()
    # then
    assert receiver.received == []
    assert WorkOrderEvent.objects.get(sequence=2).status == DeliveryStatus.PENDING


def test_a_wrong_secret_is_refused_by_the_receiver_and_retried(integration, receiver):
    # given
    receiver.secrets[integration.agency.code] = "not the secret"
    _request_for(integration)
    outbox_sweep()
    # when
    work_order_sweep()
    # then
    event = WorkOrderEvent.objects.get()
    assert event.status == DeliveryStatus.PENDING and "401" in event.last_error


def test_a_disabled_integration_is_not_sent_to(integration, receiver):
    # given
    _request_for(integration)
    outbox_sweep()
    integration.enabled = False
    integration.save()
    # when
    work_order_sweep()
    # then
    assert receiver.received == []


def test_an_agency_that_fails_is_tried_once_per_sweep_and_others_still_get_theirs(receiver):
    # given
    down = point_at(receiver, AgencyIntegrationFactory())
    up = AgencyIntegrationFactory()
    point_at(receiver, up)
    receiver.secrets[down.agency.code] = "wrong"
    for _ in range(3):
        _request_for(down)
    _request_for(up)
    outbox_sweep()
    # when
    acknowledged = work_order_sweep()
    # then
    assert acknowledged == 1
    attempts = sorted(
        WorkOrderEvent.objects.filter(integration=down).values_list("attempts", flat=True)
    )
    assert attempts == [0, 0, 1]


def test_the_receiver_checks_what_cityline_signs(integration):
    # given
    from cityline.integrations.delivery import _post  # the sending step, on its own

    _request_for(integration)
    outbox_sweep()
    event = WorkOrderEvent.objects.select_related("integration").get()
    seen = {}

    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            seen["body"] = self.rfile.read(int(self.headers["Content-Length"]))
            seen["headers"] = dict(self.headers)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    event.integration.endpoint_url = f"http://127.0.0.1:{server.server_address[1]}/"
    # when
    error = _post(event)
    thread.join(timeout=10)
    server.server_close()
    # then
    headers = seen["headers"]
    assert error == ""
    assert headers["Idempotency-Key"] == event.idempotency_key
    assert signature_valid(
        secret=integration.signing_secret,
        timestamp=headers["X-Cityline-Timestamp"],
        body=seen["body"],
        header=headers["X-Cityline-Signature"],
        now=float(headers["X-Cityline-Timestamp"]),
    )
