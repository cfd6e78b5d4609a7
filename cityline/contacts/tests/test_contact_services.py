from datetime import UTC, datetime

import pytest
import time_machine

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.contacts.models import Contact, ContactChannel, ContactKind, RequestLink
from cityline.contacts.services import (
    CallerDetails,
    contact_answer,
    contact_article_record,
    contact_end,
    contact_log_information,
    contact_request_link,
    contact_start,
)
from cityline.core.errors import InvalidInput, InvalidTransition
from cityline.knowledge.tests.factories import make_article
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


@pytest.fixture
def agent():
    return user_with_role(Role.CALL_TAKER, username="agent")


def test_a_contact_taken_on_the_desk_is_offered_and_answered_at_once(agent):
    # given / when
    with time_machine.travel(NOON, tick=False):
        contact = contact_start(
            channel=ContactChannel.PHONE,
            agent=agent,
            language="es",
            caller=CallerDetails(
                name=" Ana Ruiz ", phone="(212) 555-0100", email="Ana@Example.org"
            ),
        )
    # then
    assert (contact.queued_at, contact.answered_at, contact.ended_at) == (NOON, NOON, None)
    assert (contact.caller_name, contact.caller_phone, contact.caller_email) == (
        "Ana Ruiz",
        "2125550100",
        "ana@example.org",
    )
    assert contact.kind == ""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"caller": CallerDetails(email="not an address")}, "caller_email"),
        ({"caller": CallerDetails(phone="12")}, "caller_phone"),
    ],
)
def test_bad_contact_details_are_refused_and_nothing_is_stored(agent, fields, field):
    # given
    given = {"channel": ContactChannel.PHONE, "agent": agent, **fields}
    # when
    with pytest.raises(InvalidInput) as refused:
        contact_start(**given)
    # then
    assert refused.value.field == field
    assert not Contact.objects.exists()


def test_an_information_contact_is_logged_in_one_step_with_its_article(agent):
    # given
    article = make_article()
    # when
    contact = contact_log_information(
        agent=agent, channel=ContactChannel.PHONE, language="en", article=article
    )
    # then
    assert contact.kind == ContactKind.INFORMATION
    assert contact.ended_at is not None
    assert list(contact.articles.all()) == [article]


def test_reading_an_article_twice_records_it_once(agent):
    # given
    article = make_article()
    contact = contact_start(channel=ContactChannel.WALK_IN, agent=agent)
    # when
    contact_article_record(contact=contact, article=article)
    contact_article_record(contact=contact, article=article)
    # then
    assert contact.articles.count() == 1


def test_a_referral_must_say_where_to(agent):
    # given
    contact = contact_start(channel=ContactChannel.PHONE, agent=agent)
    # when
    with pytest.raises(InvalidInput) as refused:
        contact_end(contact=contact, kind=ContactKind.REFERRAL, referred_to="  ")
    # then
    assert refused.value.field == "referred_to"
    contact.refresh_from_db()
    assert (contact.kind, contact.ended_at) == ("", None)
    # when
    contact_end(contact=contact, kind=ContactKind.REFERRAL, referred_to="State DMV")
    # then
    contact.refresh_from_db()
    assert (contact.kind, contact.referred_to) == (ContactKind.REFERRAL, "State DMV")


@pytest.mark.parametrize(
    ("kind", "link"),
    [
        (ContactKind.SERVICE_REQUEST, RequestLink.CREATED),
        (ContactKind.STATUS_INQUIRY, RequestLink.ASKED_ABOUT),
    ],
)
def test_a_contact_about_a_request_names_the_request(agent, kind, link):
    # given
    contact = contact_start(channel=ContactChannel.PHONE, agent=agent)
    # when
    with pytest.raises(InvalidInput):
        contact_end(contact=contact, kind=kind)
    contact_request_link(contact=contact, request=make_request(), link=link)
    contact_end(contact=contact, kind=kind)
    # then
    contact.refresh_from_db()
    assert contact.kind == kind


def test_a_wrapped_up_contact_cannot_be_wrapped_up_again(agent):
    # given
    contact = contact_log_information(
        agent=agent, channel=ContactChannel.PHONE, language="en", article=None
    )
    # when / then
    with pytest.raises(InvalidTransition):
        contact_end(contact=contact, kind=ContactKind.COMPLAINT)


def test_a_contact_that_arrived_on_its_own_is_answered_by_the_agent_who_takes_it(agent):
    # given: an e-mail, offered at noon with no agent
    with time_machine.travel(NOON, tick=False):
        contact = contact_start(channel=ContactChannel.EMAIL, agent=None)
    # when: a call-taker takes it an hour later
    with time_machine.travel(NOON.replace(hour=18), tick=False):
        answered = contact_answer(contact=contact, agent=agent)
    # then
    assert answered.agent == agent
    assert answered.answered_at - answered.queued_at == NOON.replace(hour=18) - NOON


def test_a_contact_is_answered_once(agent):
    # given
    contact = contact_start(channel=ContactChannel.PHONE, agent=agent)
    # when / then
    with pytest.raises(InvalidTransition):
        contact_answer(contact=contact, agent=user_with_role(Role.CALL_TAKER))
    contact.refresh_from_db()
    assert contact.agent == agent
