import pytest

from cityline.accounts.tests.factories import CrewFactory, UserFactory
from cityline.catalog.tests.factories import AgencyFactory
from cityline.core.errors import InvalidInput
from cityline.servicerequests.models import Channel, RequestUpdate, UpdateKind, Visibility
from cityline.servicerequests.services.lifecycle import service_request_assign
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_a_request_given_to_a_crew_of_its_agency_names_the_crew_in_its_history():
    # given
    request = make_request()
    crew = CrewFactory.create(name="Pothole crew 3", agency=request.agency)
    # when
    service_request_assign(request=request, assignee=None, crew=crew, by=None, via=Channel.STAFF)
    # then
    request.refresh_from_db()
    assert (request.crew, request.assignee) == (crew, None)
    entry = RequestUpdate.objects.get(request=request, kind=UpdateKind.ASSIGNED)
    assert (entry.note, entry.visibility) == (
        "Assigned to crew Pothole crew 3",
        Visibility.INTERNAL,
    )


def test_a_crew_and_its_lead_hold_a_request_together():
    # given
    request = make_request()
    crew = CrewFactory.create(name="North", agency=request.agency)
    lead = UserFactory.create(username="lee", is_staff=True)
    # when
    service_request_assign(request=request, assignee=lead, crew=crew, by=None, via=Channel.STAFF)
    # then
    entry = RequestUpdate.objects.get(request=request, kind=UpdateKind.ASSIGNED)
    assert entry.note == "Assigned to lee and crew North"


def test_a_request_is_not_given_to_another_agencys_crew():
    # given
    request = make_request()
    crew = CrewFactory.create(agency=AgencyFactory.create())
    # when
    with pytest.raises(InvalidInput) as refused:
        service_request_assign(
            request=request, assignee=None, crew=crew, by=None, via=Channel.STAFF
        )
    # then
    assert refused.value.field == "crew"
    request.refresh_from_db()
    assert request.crew is None
    assert not RequestUpdate.objects.filter(request=request, kind=UpdateKind.ASSIGNED).exists()


def test_assigning_to_a_person_takes_the_request_from_its_crew():
    # given
    request = make_request()
    service_request_assign(
        request=request,
        assignee=None,
        crew=CrewFactory.create(agency=request.agency),
        by=None,
        via=Channel.STAFF,
    )
    worker = UserFactory.create(is_staff=True)
    # when
    service_request_assign(request=request, assignee=worker, by=None, via=Channel.STAFF)
    # then
    request.refresh_from_db()
    assert (request.assignee, request.crew) == (worker, None)
