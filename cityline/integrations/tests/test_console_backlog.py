import pytest
from django.urls import reverse

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import UserFactory, user_with_role
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.outbox import outbox_sweep
from cityline.integrations.models import DeliveryStatus, WorkOrderEvent
from cityline.integrations.tests.factories import AgencyIntegrationFactory
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_event():
    integration = AgencyIntegrationFactory()
    make_request(service_type=ServiceTypeFactory(agency=integration.agency))
    outbox_sweep()
    WorkOrderEvent.objects.update(status=DeliveryStatus.DEAD, attempts=30, last_error="HTTP 503")
    return WorkOrderEvent.objects.get()


@pytest.fixture(params=[Role.ADMINISTRATOR, Role.SUPERVISOR_311])
def admin_client(client, request):
    client.force_login(user_with_role(request.param))
    return client


def test_the_page_lists_dead_events_with_a_replay_button(admin_client, dead_event):
    # when
    page = admin_client.get(reverse("integrations:backlog"))
    # then
    assert page.status_code == 200
    html = page.content.decode()
    assert dead_event.request.tracking_number in html and "HTTP 503" in html
    assert reverse("integrations:replay", args=[dead_event.pk]) in html


def test_replay_requeues_a_dead_event_from_its_first_attempt_and_is_audited(
    admin_client, dead_event
):
    # when
    answer = admin_client.post(reverse("integrations:replay", args=[dead_event.pk]))
    # then
    assert answer.status_code == 302
    dead_event.refresh_from_db()
    assert (dead_event.status, dead_event.attempts) == (DeliveryStatus.PENDING, 0)
    entry = AuditEntry.objects.get(action="work_order.replayed")
    assert entry.target_id == str(dead_event.pk)
    assert entry.details["idempotency_key"] == dead_event.idempotency_key


def test_replaying_an_event_that_is_not_dead_is_refused(admin_client, dead_event):
    # given
    WorkOrderEvent.objects.update(status=DeliveryStatus.DELIVERED)
    # when
    answer = admin_client.post(reverse("integrations:replay", args=[dead_event.pk]))
    # then
    assert answer.status_code == 409
    dead_event.refresh_from_db()
    assert dead_event.status == DeliveryStatus.DELIVERED


def test_replay_is_refused_without_csrf_token(dead_event):
    # given
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    # when
    answer = client.post(reverse("integrations:replay", args=[dead_event.pk]))
    # then
    assert answer.status_code == 403
    dead_event.refresh_from_db()
    assert dead_event.status == DeliveryStatus.DEAD


@pytest.mark.parametrize("role", [Role.CALL_TAKER, Role.AUDITOR, None])
def test_staff_without_the_role_cannot_see_or_replay(client, dead_event, role):
    # given
    client.force_login(user_with_role(role) if role else UserFactory(is_staff=True))
    # when
    page = client.get(reverse("integrations:backlog"))
    replay = client.post(reverse("integrations:replay", args=[dead_event.pk]))
    # then
    assert (page.status_code, replay.status_code) == (403, 403)
    dead_event.refresh_from_db()
    assert dead_event.status == DeliveryStatus.DEAD
    assert not AuditEntry.objects.filter(action="work_order.replayed").exists()


def test_a_visitor_is_sent_to_sign_in(client, dead_event):
    # when
    page = client.get(reverse("integrations:backlog"))
    # then
    assert page.status_code == 302 and "login" in page["Location"]
