"""Each e-mail of an outbox message is sent once in effect, whatever fails or is retried."""

import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.core import clock
from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_sweep
from cityline.notifications.models import EmailDelivery
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


class RefusingBackend(EmailBackend):
    """The test outbox, behind a mail server that refuses the addresses in `refused`."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.refused:
                raise smtplib.SMTPRecipientsRefused(
                    {to: (550, b"no such user") for to in message.to}
                )
        return super().send_messages(messages)


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.refused = set()
    yield RefusingBackend.refused
    RefusingBackend.refused = set()


@pytest.fixture
def new_request():
    """A committed-in-effect request whose receipt and alert are due: the outbox message is
    written, and the sweep is left to the test."""
    service_type = ServiceTypeFactory(
        agency=AgencyFactory(notification_email="dispatch@cdot.example.org")
    )
    make_request(service_type=service_type, requester=RequesterDetails(email="ada@example.org"))
    return OutboxMessage.objects.get(topic="request.created")


def sent_to(address: str) -> list[str]:
    """The Message-IDs of what the test outbox received for an address."""
    return [m.extra_headers["Message-ID"] for m in mail.outbox if m.to == [address]]


def test_each_email_carries_a_message_id_of_its_own_and_is_recorded_as_sent(new_request):
    # when
    outbox_sweep()
    # then
    receipt, alert = sent_to("ada@example.org"), sent_to("dispatch@cdot.example.org")
    deliveries = {d.part: d for d in EmailDelivery.objects.all()}
    assert receipt == [deliveries["receipt"].message_id]
    assert alert == [deliveries["agency_alert"].message_id]
    assert receipt != alert
    assert receipt[0].startswith("<") and receipt[0].endswith(
        f".{new_request.pk}.receipt@cityline.invalid>"
    )
    assert all(d.sent_at is not None and d.attempts == 1 for d in deliveries.values())
    assert not any("example.org" in d.message_id for d in deliveries.values())


def test_a_refused_agency_address_does_not_send_the_receipt_again(new_request, refusing):
    # given: the agency's server refuses its alert on the first attempt
    refusing.add("dispatch@cdot.example.org")
    outbox_sweep()
    new_request.refresh_from_db()
    assert new_request.delivered_at is None
    assert "agency_alert" in new_request.last_error
    assert "example.org" not in new_request.last_error
    refusing.clear()
    # when: the retry, once the backoff has passed
    with time_machine.travel(clock.now() + timedelta(minutes=2)):
        outbox_sweep()
    # then
    assert len(sent_to("ada@example.org")) == 1
    assert len(sent_to("dispatch@cdot.example.org")) == 1
    new_request.refresh_from_db()
    assert new_request.delivered_at is not None


def test_a_refused_receipt_still_lets_the_agency_alert_go(new_request, refusing):
    # given
    refusing.add("ada@example.org")
    # when
    outbox_sweep()
    # then
    assert sent_to("ada@example.org") == []
    assert len(sent_to("dispatch@cdot.example.org")) == 1
    assert EmailDelivery.objects.get(part="receipt").sent_at is None


def test_a_message_run_again_after_its_emails_went_out_sends_nothing(new_request):
    # given: a worker sent both e-mails and died before marking the message delivered
    outbox_sweep()
    OutboxMessage.objects.filter(pk=new_request.pk).update(delivered_at=None, claimed_at=None)
    # when
    outbox_sweep()
    # then
    assert len(mail.outbox) == 2
    new_request.refresh_from_db()
    assert (new_request.delivered_at is not None, new_request.attempts) == (True, 2)


def test_an_email_whose_sending_was_cut_off_is_sent_with_the_same_message_id(new_request):
    # given: a worker recorded that it was sending the receipt, then died before the record
    # said sent; whether the mail server had accepted it is unknown
    OutboxMessage.objects.filter(pk=new_request.pk).update(attempts=1)
    EmailDelivery.objects.create(
        outbox_message_id=new_request.pk,
        part="receipt",
        message_id="<cut-off@cityline.invalid>",
        attempts=1,
        last_tried_at=clock.now(),
    )
    # when
    outbox_sweep()
    # then: a second copy, if the first got through, is recognisably the same message
    assert sent_to("ada@example.org") == ["<cut-off@cityline.invalid>"]
    delivery = EmailDelivery.objects.get(part="receipt")
    assert (delivery.attempts, delivery.sent_at is not None) == (2, True)
