"""The console's spikes: listed for 311 supervisors and administrators, acknowledged by them,
refused to everyone else, and announced on the console's home page until acknowledged."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.analytics.models import Spike
from cityline.analytics.tests.factories import SpikeFactory
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory

pytestmark = pytest.mark.django_db

LIST = "/console/spikes/"


def acknowledge_url(spike: Spike) -> str:
    return reverse("console:spike_acknowledge", args=[spike.pk])


@pytest.fixture
def spike() -> Spike:
    service_type = ServiceTypeFactory.create(
        code="basement", name="Water in basement", agency=AgencyFactory.create(code="DEP")
    )
    return SpikeFactory.create(service_type=service_type, observed=14)


@pytest.mark.parametrize("role", [Role.SUPERVISOR_311, Role.ADMINISTRATOR])
def test_supervisors_see_the_spike_with_a_link_to_its_requests(client, spike, role):
    # given a 311 supervisor or an administrator
    client.force_login(user_with_role(role))
    # when they open the page
    response = client.get(LIST)
    # then the spike is listed, linked to the work queue of its type and district
    assert response.status_code == 200
    text = response.content.decode()
    assert "Water in basement" in text
    assert f"?queue=DEP&amp;service_type=basement&amp;area={spike.area.pk}" in text
    assert "14 requests" in text


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.CALL_TAKER])
def test_others_are_refused_the_page_and_the_acknowledgement(client, spike, role):
    # given someone who is not a 311 supervisor
    client.force_login(user_with_role(role))
    # when they open the page or acknowledge
    page = client.get(LIST)
    acknowledged = client.post(acknowledge_url(spike))
    # then both are refused and the spike stays unacknowledged
    assert (page.status_code, acknowledged.status_code) == (403, 403)
    spike.refresh_from_db()
    assert spike.acknowledged_at is None


def test_anonymous_people_are_sent_to_sign_in(client, spike):
    # when someone signed out opens the page
    response = client.get(LIST)
    # then they are asked to sign in
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_supervisor_acknowledges_a_spike_once(client, spike):
    # given a 311 supervisor
    supervisor = user_with_role(Role.SUPERVISOR_311)
    client.force_login(supervisor)
    # when they acknowledge the spike, and an administrator does after them
    response = client.post(acknowledge_url(spike))
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    again = client.post(acknowledge_url(spike), follow=True)
    # then the first acknowledgement is kept, recorded in the audit log, and the second is told
    assert response.status_code == 302
    spike.refresh_from_db()
    assert spike.acknowledged_by == supervisor
    assert spike.acknowledged_at is not None
    assert AuditEntry.objects.filter(action="analytics.spike_acknowledged").count() == 1
    assert "acknowledged already" in again.content.decode()


def test_acknowledging_needs_a_post_and_a_spike_that_exists(client, spike):
    # given a 311 supervisor
    client.force_login(user_with_role(Role.SUPERVISOR_311))
    # when they acknowledge by GET, or a spike that does not exist
    by_get = client.get(acknowledge_url(spike))
    unknown = client.post(reverse("console:spike_acknowledge", args=[spike.pk + 1]))
    # then the first is not allowed, the second not found, and nothing changes
    assert (by_get.status_code, unknown.status_code) == (405, 404)
    spike.refresh_from_db()
    assert spike.acknowledged_at is None


def test_acknowledging_needs_the_csrf_token(spike):
    # given a 311 supervisor's browser that checks CSRF
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_with_role(Role.SUPERVISOR_311))
    # when a form posts without the token
    response = client.post(acknowledge_url(spike))
    # then it is refused
    assert response.status_code == 403
    spike.refresh_from_db()
    assert spike.acknowledged_at is None


def test_the_home_page_announces_spikes_until_acknowledged(client, spike):
    # given a 311 supervisor and an open spike
    supervisor = user_with_role(Role.SUPERVISOR_311)
    client.force_login(supervisor)
    # when they open the console's home page before and after acknowledging it
    before = client.get(reverse("console:home")).content.decode()
    client.post(acknowledge_url(spike))
    after = client.get(reverse("console:home")).content.decode()
    # then the banner shows before only
    assert "1 spike in intake is waiting to be acknowledged" in before
    assert "waiting to be acknowledged" not in after


def test_the_home_page_shows_no_banner_to_call_takers(client, spike):
    # given a call-taker and an open spike
    client.force_login(user_with_role(Role.CALL_TAKER))
    # when they open the console's home page
    page = client.get(reverse("console:home")).content.decode()
    # then no spike is mentioned
    assert "spike" not in page.lower()


def test_the_list_reads_the_same_queries_however_many_spikes_it_shows(client):
    # given a supervisor, and the list with one open spike, then with three open and three past
    client.force_login(user_with_role(Role.SUPERVISOR_311))
    supervisor = user_with_role(Role.SUPERVISOR_311, username="acknowledger")
    SpikeFactory.create()
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    SpikeFactory.create_batch(2)
    SpikeFactory.create_batch(
        3, ended_at=timezone.now(), acknowledged_at=timezone.now(), acknowledged_by=supervisor
    )
    # when
    with CaptureQueriesContext(connection) as six:
        response = client.get(LIST)
    # then
    assert response.content.decode().count("14 requests") == 6
    assert len(six.captured_queries) == len(one.captured_queries)
