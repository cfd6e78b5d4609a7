"""Every public change of a request: one message to each subscriber, in their language, once."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_sweep
from cityline.notifications.models import EmailDelivery, MessageEvent, MessageTemplate
from cityline.servicerequests.models import (
    Channel,
    Follower,
    Requester,
    Resolution,
    Status,
    Visibility,
)
from cityline.servicerequests.services.following import follower_confirm, service_request_follow
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.services.lifecycle import (
    service_request_add_note,
    service_request_change_status,
    service_request_close,
    service_request_mark_duplicate,
    service_request_reopen,
)
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.models import SlaUnit
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture(autouse=True)
def wednesday_morning():
    with time_machine.travel(datetime(2026, 4, 1, 9, 30, tzinfo=CHICAGO), tick=False):
        yield


@pytest.fixture
def pothole():
    return ServiceTypeFactory(
        name="Pothole",
        agency=AgencyFactory(notification_email=""),
        sla_policy=SlaPolicyFactory(amount=2, unit=SlaUnit.CALENDAR_DAYS),
    )


@pytest.fixture
def followed(pothole):
    """A request whose reporter opted in (in Spanish), with a confirmed follower (in Arabic), an
    unconfirmed one, and the receipt already out of the way."""
    request = make_request(
        service_type=pothole,
        requester=RequesterDetails(email="rosa@example.org", wants_updates=True, language="es"),
    )
    follower_confirm(
        follower=service_request_follow(request=request, email="amal@example.org", language="ar")
    )
    service_request_follow(request=request, email="unsure@example.org", language="en")
    outbox_sweep()
    mail.outbox.clear()
    return request


def by_address() -> dict[str, mail.EmailMessage]:
    messages: dict[str, mail.EmailMessage] = {}
    for message in mail.outbox:
        (to,) = message.to
        assert to not in messages, f"{to} was written to twice"
        messages[to] = message
    return messages


def test_an_acknowledgement_tells_each_subscriber_once_in_their_language(followed):
    # when
    service_request_change_status(
        request=followed, status=Status.ACKNOWLEDGED, by=None, via=Channel.STAFF
    )
    outbox_sweep()
    # then
    sent = by_address()
    assert set(sent) == {"rosa@example.org", "amal@example.org"}
    spanish, arabic = sent["rosa@example.org"], sent["amal@example.org"]
    assert spanish.subject == f"Solicitud {followed.tracking_number}: la ciudad ya se ocupa"
    assert "Fecha prevista: 3 de abril de 2026" in spanish.body
    assert arabic.subject == f"الطلب {followed.tracking_number}: المدينة تعمل عليه"
    assert "الموعد المتوقع" in arabic.body
    assert OutboxMessage.objects.get(topic="request.acknowledged").delivered_at is not None


def test_a_public_note_is_told_with_its_words(followed):
    # when
    service_request_add_note(
        request=followed,
        note="A crew is booked for Friday.",
        by=None,
        via=Channel.STAFF,
        visibility=Visibility.PUBLIC,
    )
    outbox_sweep()
    # then
    sent = by_address()
    assert set(sent) == {"rosa@example.org", "amal@example.org"}
    assert sent["rosa@example.org"].subject == f"Solicitud {followed.tracking_number}: novedades"
    assert "A crew is booked for Friday." in sent["rosa@example.org"].body
    assert "A crew is booked for Friday." in sent["amal@example.org"].body


def test_internal_notes_and_internal_status_changes_tell_nobody(followed):
    # when
    service_request_add_note(
        request=followed,
        note="Crew lead is out sick.",
        by=None,
        via=Channel.STAFF,
        visibility=Visibility.INTERNAL,
    )
    service_request_change_status(
        request=followed,
        status=Status.IN_PROGRESS,
        by=None,
        via=Channel.STAFF,
        note="Moved to the night shift.",
        visibility=Visibility.INTERNAL,
    )
    outbox_sweep()
    # then
    assert mail.outbox == []


def test_a_public_status_change_gives_the_status_in_the_readers_words(followed):
    # when
    service_request_change_status(
        request=followed, status=Status.IN_PROGRESS, by=None, via=Channel.STAFF
    )
    outbox_sweep()
    # then
    sent = by_address()
    assert "Estado: en curso" in sent["rosa@example.org"].body
    assert "الحالة: قيد التنفيذ" in sent["amal@example.org"].body


def test_closing_and_reopening_each_tell_every_subscriber_once(followed):
    # when
    service_request_close(
        request=followed,
        resolution=Resolution.COMPLETED,
        by=None,
        via=Channel.STAFF,
        public_note="Filled and sealed.",
    )
    outbox_sweep()
    closed = by_address()
    mail.outbox.clear()
    service_request_reopen(request=followed, by=None, via=Channel.STAFF, note="It opened again.")
    outbox_sweep()
    reopened = by_address()
    # then
    assert closed["rosa@example.org"].subject == f"Solicitud {followed.tracking_number} cerrada"
    assert "está cerrada: el trabajo está hecho." in closed["rosa@example.org"].body
    assert "اكتمل العمل" in closed["amal@example.org"].body
    assert set(reopened) == {"rosa@example.org", "amal@example.org"}
    assert "It opened again." in reopened["amal@example.org"].body


def test_the_person_who_made_the_change_is_not_told_of_it(followed):
    # given: a member of staff who also follows the request
    clerk = UserFactory(email="clerk@example.org")
    follower_confirm(
        follower=service_request_follow(request=followed, email="clerk@example.org", language="en")
    )
    outbox_sweep()
    mail.outbox.clear()
    # when
    service_request_add_note(
        request=followed, note="Cones placed.", by=clerk, via=Channel.STAFF, visibility="public"
    )
    outbox_sweep()
    # then
    assert set(by_address()) == {"rosa@example.org", "amal@example.org"}


def test_reporters_of_merged_duplicates_hear_of_the_request_that_carries_the_work(
    followed, pothole
):
    # given
    duplicate = make_request(
        service_type=pothole,
        requester=RequesterDetails(email="dup@example.org", wants_updates=True, language="en"),
    )
    outbox_sweep()
    mail.outbox.clear()
    service_request_mark_duplicate(request=duplicate, parent=followed, by=None, via="staff")
    outbox_sweep()
    assert "This is a duplicate of" in by_address()["dup@example.org"].body
    mail.outbox.clear()
    # when
    service_request_add_note(
        request=followed, note="Done soon.", by=None, via=Channel.STAFF, visibility="public"
    )
    outbox_sweep()
    # then
    assert set(by_address()) == {"rosa@example.org", "amal@example.org", "dup@example.org"}


def test_a_retry_after_a_crash_sends_no_message_twice(followed):
    # given: the worker sent every message, then died before marking the outbox message done
    service_request_add_note(
        request=followed, note="Soon.", by=None, via=Channel.STAFF, visibility="public"
    )
    outbox_sweep()
    message = OutboxMessage.objects.get(topic="request.public_note")
    OutboxMessage.objects.filter(pk=message.pk).update(delivered_at=None, claimed_at=None)
    # when
    outbox_sweep()
    # then
    assert len(mail.outbox) == 2
    parts = EmailDelivery.objects.filter(outbox_message_id=message.pk)
    assert parts.count() == 2
    assert all(p.part.startswith("public_update:") and "@" not in p.part for p in parts)


def test_every_message_can_be_stopped_in_one_click(followed, settings):
    # given
    settings.CITYLINE_SITE_URL = "https://311.example.org"
    # when
    service_request_add_note(
        request=followed, note="Soon.", by=None, via=Channel.STAFF, visibility="public"
    )
    outbox_sweep()
    # then
    sent = by_address()
    token = Follower.objects.get(email="amal@example.org").token
    follower_stop_url = f"https://311.example.org/follow/{token}/stop/"
    assert sent["amal@example.org"].extra_headers["List-Unsubscribe"] == f"<{follower_stop_url}>"
    assert follower_stop_url in sent["amal@example.org"].body
    reporter_token = Requester.objects.get(request=followed).updates_token
    reporter_stop_url = f"https://311.example.org/follow/{reporter_token}/stop/"
    assert sent["rosa@example.org"].extra_headers["List-Unsubscribe"] == f"<{reporter_stop_url}>"
    for message in sent.values():
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert f"https://311.example.org/track/{followed.tracking_number}/" in message.body


def test_a_language_without_its_template_gets_the_english_one(followed):
    # given
    MessageTemplate.objects.filter(event=MessageEvent.PUBLIC_UPDATE, language="ar").delete()
    # when
    service_request_add_note(
        request=followed, note="Soon.", by=None, via=Channel.STAFF, visibility="public"
    )
    outbox_sweep()
    # then
    sent = by_address()
    assert sent["amal@example.org"].subject == f"Request {followed.tracking_number}: an update"
    # the words that fill it in are still the reader's
    assert "Status: تم الاستلام" in sent["amal@example.org"].body


def test_a_language_the_site_does_not_speak_gets_the_sites_own(followed):
    # given
    follower_confirm(
        follower=service_request_follow(request=followed, email="zoe@example.org", language="en")
    )
    Follower.objects.filter(email="zoe@example.org").update(language="fr")
    outbox_sweep()
    mail.outbox.clear()
    # when
    service_request_change_status(
        request=followed, status=Status.IN_PROGRESS, by=None, via=Channel.STAFF
    )
    outbox_sweep()
    # then
    french = by_address()["zoe@example.org"]
    assert french.extra_headers["Content-Language"] == "en"
    assert "Status: being worked on" in french.body
    assert "April 3, 2026" in french.body
