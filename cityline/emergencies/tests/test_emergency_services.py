from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.contacts.models import ContactChannel, RequestLink
from cityline.contacts.services import contact_request_link
from cityline.contacts.tests.factories import make_contact
from cityline.core.errors import Conflict, InvalidInput, InvalidTransition
from cityline.emergencies.selectors import (
    emergency_banner,
    emergency_contacts,
    emergency_desk_briefing,
)
from cityline.emergencies.services import emergency_end
from cityline.emergencies.tests.factories import FLOOD_BANNERS, flood_words, make_emergency
from cityline.knowledge.tests.factories import make_article
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_switching_on_shows_the_banner_in_each_readers_language():
    # given
    supervisor = user_with_role(Role.SUPERVISOR_311)
    # when
    make_emergency(by=supervisor)
    # then
    for code in ("en", "es", "ar"):
        banner = emergency_banner(language=code)
        assert banner is not None
        assert (banner.text, banner.language) == (FLOOD_BANNERS[code], code)


def test_a_language_the_city_has_no_words_in_reads_the_citys_own():
    # given
    make_emergency()
    # when
    banner = emergency_banner(language="fr")
    # then
    assert banner is not None and banner.language == "en"


def test_switching_off_takes_the_banner_and_the_desk_briefing_away():
    # given
    supervisor = user_with_role(Role.SUPERVISOR_311)
    emergency = make_emergency(by=supervisor)
    # when
    emergency_end(emergency=emergency, by=supervisor)
    # then
    assert emergency_banner(language="es") is None
    assert emergency_desk_briefing(language="en") is None
    emergency.refresh_from_db()
    assert (emergency.ongoing, emergency.ended_by) == (False, supervisor)


def test_each_switch_is_in_the_audit_log_with_who_did_it():
    # given
    supervisor = user_with_role(Role.SUPERVISOR_311)
    # when
    emergency = make_emergency(by=supervisor)
    emergency_end(emergency=emergency, by=supervisor)
    # then
    entries = AuditEntry.objects.filter(action__startswith="emergency.").order_by("id")
    assert [(e.action, e.actor) for e in entries] == [
        ("emergency.started", supervisor),
        ("emergency.ended", supervisor),
    ]


def test_a_second_emergency_is_refused_while_one_is_on():
    # given
    make_emergency()
    # when / then
    with pytest.raises(Conflict):
        make_emergency()


def test_switching_off_twice_is_refused():
    # given
    emergency = make_emergency()
    emergency_end(emergency=emergency, by=None)
    # when / then
    with pytest.raises(InvalidTransition):
        emergency_end(emergency=emergency, by=None)


@pytest.mark.parametrize(
    ("words", "field"),
    [
        (flood_words(titles={"en": "Flood", "es": "Inundación"}), "title_ar"),
        (flood_words(banners={**FLOOD_BANNERS, "es": "  "}), "banner_es"),
        (flood_words(banners={**FLOOD_BANNERS, "en": "x" * 401}), "banner_en"),
    ],
)
def test_words_missing_in_a_language_are_refused_naming_the_field(words, field):
    # when / then
    with pytest.raises(InvalidInput) as refused:
        make_emergency(words=words)
    assert refused.value.field == field


def test_the_service_type_is_offered_to_residents_only_while_the_emergency_lasts():
    # given
    sandbags = ServiceTypeFactory.create(code="sandbags", is_public=False)
    # when
    emergency = make_emergency(service_type_id=sandbags.pk)
    sandbags.refresh_from_db()
    offered_while_on = sandbags.is_public
    emergency_end(emergency=emergency, by=None)
    sandbags.refresh_from_db()
    # then
    assert (offered_while_on, sandbags.is_public) == (True, False)


def test_a_public_type_is_refused_as_the_emergencys_type():
    # given
    pothole = ServiceTypeFactory.create(code="pothole", is_public=True)
    # when / then
    with pytest.raises(InvalidInput) as refused:
        make_emergency(service_type_id=pothole.pk)
    assert refused.value.field == "service_type"


def test_the_desk_shows_the_script_and_the_pinned_answers_in_the_agents_language():
    # given
    article = make_article(slug="sandbags", title="Where do I get sandbags?")
    # when
    make_emergency(pinned_slugs=["sandbags"])
    briefing = emergency_desk_briefing(language="es")
    # then
    assert briefing is not None
    assert briefing.title == "Inundación del río"
    assert briefing.call_script.startswith("Ask whether anyone is in danger")
    assert briefing.pinned == [(article.slug, "Where do I get sandbags?")]


def test_only_published_answers_may_be_pinned():
    # given
    make_article(slug="draft", published=False)
    # when / then
    with pytest.raises(InvalidInput) as refused:
        make_emergency(pinned_slugs=["draft"])
    assert refused.value.field == "pinned_articles"


def test_the_emergency_counts_the_contacts_of_its_window_and_of_its_type():
    # given: a call before, two during (one filing a request of the emergency's type), an
    # e-mail after about a request of its type, and a call after about something else
    sandbags = ServiceTypeFactory.create(code="sandbags", is_public=False)
    make_contact(agent=None, at=START - timedelta(hours=1), kind="information")
    with time_machine.travel(START, tick=False):
        emergency = make_emergency(service_type_id=sandbags.pk)
    make_contact(agent=None, at=START + timedelta(minutes=5), kind="information")
    filing = make_contact(agent=None, at=START + timedelta(minutes=10))
    request = make_request(service_type=sandbags)
    contact_request_link(contact=filing, request=request, link=RequestLink.CREATED)
    with time_machine.travel(START + timedelta(hours=2), tick=False):
        emergency_end(emergency=emergency, by=None)
    later = make_contact(agent=None, at=START + timedelta(hours=3), channel=ContactChannel.EMAIL)
    contact_request_link(contact=later, request=request, link=RequestLink.ASKED_ABOUT)
    make_contact(agent=None, at=START + timedelta(hours=4))
    emergency.refresh_from_db()
    # when
    counts = emergency_contacts(emergency=emergency)
    # then
    assert counts.contacts == 3
    assert counts.by_channel == {"phone": 2, "email": 1}
    assert counts.by_kind == {"": 2, "information": 1}
    assert counts.requests_filed == 1
