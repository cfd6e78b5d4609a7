import pytest

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.outbox import outbox_sweep
from cityline.integrations.delivery import work_order_sweep
from cityline.integrations.models import DeliveryStatus, WorkOrderEvent
from cityline.integrations.tests.conftest import point_at
from cityline.integrations.tests.factories import AgencyIntegrationFactory
from cityline.servicerequests.models import Channel
from cityline.servicerequests.services.lifecycle import service_request_reassign
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_a_moved_request_is_sent_to_the_new_agency_and_withdrawn_from_the_old(receiver):
    # given
    old = point_at(receiver, AgencyIntegrationFactory())
    new = point_at(receiver, AgencyIntegrationFactory())
    request = make_request(service_type=ServiceTypeFactory(agency=old.agency))
    outbox_sweep()
    work_order_sweep()
    # when
    service_request_reassign(
        request=request, agency=new.agency, reason="A tree is a tree.", by=None, via=Channel.STAFF
    )
    outbox_sweep()
    work_order_sweep()
    # then
    bodies = [(r.body["event"]["type"], r.body["agency"]["code"]) for r in receiver.received]
    assert bodies[0] == ("request.created", old.agency.code)
    assert sorted(bodies[1:]) == [
        ("request.created", new.agency.code),
        ("request.withdrawn", old.agency.code),
    ]
    assert all(
        r.body["request"]["tracking_number"] == request.tracking_number for r in receiver.received
    )
    assert set(WorkOrderEvent.objects.values_list("status", flat=True)) == {
        DeliveryStatus.DELIVERED
    }


def test_the_new_agencys_work_order_is_not_held_back_by_the_old_agencys_outage(receiver):
    # given
    old = AgencyIntegrationFactory()  # its endpoint refuses every connection
    new = point_at(receiver, AgencyIntegrationFactory())
    request = make_request(service_type=ServiceTypeFactory(agency=old.agency))
    outbox_sweep()
    work_order_sweep()
    # when
    service_request_reassign(
        request=request, agency=new.agency, reason="Not ours.", by=None, via=Channel.STAFF
    )
    outbox_sweep()
    work_order_sweep()
    # then
    assert [(r.body["event"]["type"], r.body["agency"]["code"]) for r in receiver.received] == [
        ("request.created", new.agency.code)
    ]


def test_a_request_moved_from_an_agency_without_integration_owes_it_nothing(receiver):
    # given
    new = point_at(receiver, AgencyIntegrationFactory())
    request = make_request()
    outbox_sweep()
    # when
    service_request_reassign(
        request=request, agency=new.agency, reason="Not ours.", by=None, via=Channel.STAFF
    )
    outbox_sweep()
    # then
    assert list(WorkOrderEvent.objects.values_list("kind", "integration")) == [
        ("request.created", new.pk)
    ]
