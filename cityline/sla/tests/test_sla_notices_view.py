from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.models import Channel
from cityline.servicerequests.services.lifecycle import service_request_assign
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.escalation import sla_scan
from cityline.sla.models import SlaNotice, SlaUnit
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 4, 1, 14, 0, tzinfo=UTC)
PAGE = "/console/sla/"


def notice_for(user, *, hours_later: int = 80):
    """A request assigned to `user` scanned at risk: one notice for them."""
    service_type = ServiceTypeFactory.create(
        sla_policy=SlaPolicyFactory(amount=100, unit=SlaUnit.HOURS)
    )
    with time_machine.travel(T0, tick=False):
        request = make_request(service_type=service_type)
        service_request_assign(request=request, assignee=user, by=None, via=Channel.STAFF)
    sla_scan(now=T0 + timedelta(hours=hours_later))
    return SlaNotice.objects.get(escalation__request=request)


@pytest.fixture
def worker(client):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    return user


def test_the_page_lists_the_users_own_notices_newest_first(client, worker):
    # given
    older = notice_for(worker, hours_later=80)
    newer = notice_for(worker, hours_later=90)
    someone_elses = notice_for(UserFactory(is_staff=True))
    # when
    response = client.get(PAGE)
    # then
    assert response.status_code == 200
    text = response.text
    number = lambda notice: notice.escalation.request.tracking_number  # noqa: E731
    assert text.index(number(newer)) < text.index(number(older))
    assert number(someone_elses) not in text
    assert "at risk" in text


def test_marking_a_notice_read_records_when(client, worker):
    # given
    notice = notice_for(worker)
    # when
    response = client.post(f"{PAGE}{notice.pk}/read/")
    # then
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_no_one_marks_another_users_notice_read(client, worker):
    # given
    notice = notice_for(UserFactory(is_staff=True))
    # when
    response = client.post(f"{PAGE}{notice.pk}/read/")
    # then
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_page_is_for_signed_in_staff(client):
    # when
    anonymous = client.get(PAGE)
    client.force_login(UserFactory(is_staff=False))
    resident = client.get(PAGE)
    # then
    assert anonymous.status_code == 302
    assert resident.status_code == 403


def test_marking_read_takes_a_post_only(client, worker):
    # given
    notice = notice_for(worker)
    # when
    response = client.get(f"{PAGE}{notice.pk}/read/")
    # then
    assert response.status_code == 405
