from datetime import timedelta

import pytest

from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.core.errors import InvalidInput, InvalidTransition
from cityline.servicerequests.models import Channel, RequestUpdate, Status, UpdateKind, Visibility
from cityline.servicerequests.services.lifecycle import (
    service_request_assign,
    service_request_reassign,
)
from cityline.servicerequests.tests.factories import make_request, make_request_in_status

pytestmark = pytest.mark.django_db


def test_a_reassigned_request_moves_to_the_other_agencys_queue_with_its_history():
    # given
    dot, parks = AgencyFactory.create(code="DOT"), AgencyFactory.create(code="PARKS")
    supervisor = UserFactory.create(username="sue", is_staff=True)
    request = make_request(service_type=ServiceTypeFactory.create(agency=dot))
    request.resolve_target_at = request.expected_at = request.requested_at + timedelta(days=3)
    request.save(update_fields=["resolve_target_at", "expected_at"])
    service_request_assign(request=request, assignee=supervisor, by=supervisor, via=Channel.STAFF)
    history_before = list(
        RequestUpdate.objects.filter(request=request).values_list("pk", flat=True)
    )
    # when
    service_request_reassign(
        request=request, agency=parks, reason="A tree is a tree.", by=supervisor, via=Channel.STAFF
    )
    # then
    request.refresh_from_db()
    assert (request.agency, request.assignee) == (parks, None)
    assert request.expected_at == request.requested_at + timedelta(days=3)
    history = list(RequestUpdate.objects.filter(request=request).order_by("id"))
    assert [update.pk for update in history[:-1]] == history_before
    assert (history[-1].kind, history[-1].visibility, history[-1].author) == (
        UpdateKind.REASSIGNED,
        Visibility.INTERNAL,
        supervisor,
    )
    assert "A tree is a tree." in history[-1].note


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reassignment_needs_a_reason(reason):
    # given
    request = make_request()
    # when
    with pytest.raises(InvalidInput) as refused:
        service_request_reassign(
            request=request, agency=AgencyFactory.create(), reason=reason, by=None, via="staff"
        )
    # then
    assert refused.value.field == "reason"


def test_a_request_is_not_reassigned_to_its_own_agency():
    # given
    request = make_request()
    # when
    with pytest.raises(InvalidInput) as refused:
        service_request_reassign(
            request=request, agency=request.agency, reason="why", by=None, via="staff"
        )
    # then
    assert refused.value.field == "agency"


def test_a_closed_request_is_not_reassigned():
    # given
    request = make_request_in_status(Status.CLOSED)
    # when
    with pytest.raises(InvalidTransition):
        service_request_reassign(
            request=request, agency=AgencyFactory.create(), reason="why", by=None, via="staff"
        )
    # then
    request.refresh_from_db()
    assert not RequestUpdate.objects.filter(request=request, kind=UpdateKind.REASSIGNED).exists()
