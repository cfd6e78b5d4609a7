from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_sweep
from cityline.notifications.models import EmailDelivery
from cityline.servicerequests.models import Channel
from cityline.servicerequests.services.lifecycle import service_request_assign
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.escalation import sla_scan
from cityline.sla.handlers import send_escalation_email
from cityline.sla.models import SlaUnit
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 4, 1, 14, 0, tzinfo=UTC)


def escalate_to(user):
    service_type = ServiceTypeFactory(
        name="Pothole", sla_policy=SlaPolicyFactory(amount=100, unit=SlaUnit.HOURS)
    )
    with time_machine.travel(T0, tick=False):
        request = make_request(service_type=service_type)
        service_request_assign(request=request, assignee=user, by=None, via=Channel.STAFF)
    sla_scan(now=T0 + timedelta(hours=80))
    return request


def test_the_escalation_email_is_sent_once_even_when_its_message_is_handled_again():
    # given
    request = escalate_to(UserFactory(is_staff=True, email="dana@example.org"))
    outbox_sweep()
    message = OutboxMessage.objects.get(topic="sla.escalated")
    # when: a worker whose lease ran out handles the message again
    message.attempts = 2
    send_escalation_email(message)
    # then
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["dana@example.org"]
    assert f"{request.tracking_number} at risk" in sent.subject
    assert "Pothole" in sent.body
    assert EmailDelivery.objects.get(outbox_message_id=message.pk).sent_at is not None


def test_a_recipient_without_an_address_still_has_the_console_notice():
    # given
    escalate_to(UserFactory(is_staff=True, email=""))
    # when
    outbox_sweep()
    # then
    assert mail.outbox == []
    assert OutboxMessage.objects.get(topic="sla.escalated").delivered_at is not None
