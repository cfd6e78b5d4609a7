import pytest

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.contacts.models import Contact, ContactChannel, ContactKind, RequestLink
from cityline.contacts.services import CallerDetails, contact_request_link
from cityline.contacts.tests.factories import make_contact
from cityline.core import clock
from cityline.geo.tests.factories import BoundaryAreaFactory
from cityline.knowledge.tests.factories import make_article
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(client):
    user = user_with_role(Role.CALL_TAKER, is_staff=True, username="agent")
    client.force_login(user)
    return user


def _start(client, **fields) -> Contact:
    data = {"channel": ContactChannel.PHONE, "language": "en", **fields}
    response = client.post("/console/desk/start/", data)
    assert response.status_code == 302
    return Contact.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def test_starting_a_contact_records_its_channel_language_and_caller(client, agent):
    # when
    contact = _start(client, language="es", caller_phone="(212) 555-0100", caller_name="Ana")
    # then
    assert (contact.agent, contact.channel, contact.language) == (agent, "phone", "es")
    assert (contact.caller_phone, contact.caller_name) == ("2125550100", "Ana")
    assert client.get(f"/console/desk/{contact.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"caller_email": "not an address"}, "caller_email"), ({"channel": "pigeon"}, "channel")],
)
def test_a_bad_start_is_a_400_naming_the_field_and_stores_nothing(client, agent, fields, field):
    # when
    response = client.post("/console/desk/start/", {"channel": "phone", "language": "en", **fields})
    # then
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Contact.objects.exists()


def test_an_information_call_is_logged_in_two_keystrokes(client, agent):
    # given: the agent searched and the answer is the first result
    article = make_article(slug="bulk-pickup", title="How do I get a couch picked up?")
    contact = _start(client)
    page = client.get(f"/console/desk/{contact.pk}/", {"q": "couch picked up"})
    assert 'accesskey="1"' in page.content.decode()
    # when: the key of the first answer
    response = client.post(
        f"/console/desk/{contact.pk}/answers/bulk-pickup/", {"finish": "1"}, follow=True
    )
    # then
    contact.refresh_from_db()
    assert contact.kind == ContactKind.INFORMATION
    assert list(contact.articles.all()) == [article]
    assert response.redirect_chain[-1][0] == "/console/desk/"
    assert "Logged as information" in response.content.decode()


def test_a_status_inquiry_links_the_request_and_shows_its_status(client, agent):
    # given
    request = make_request()
    contact = _start(client)
    # when
    client.post(f"/console/desk/{contact.pk}/status/", {"tracking_number": request.tracking_number})
    # then
    page = client.get(f"/console/desk/{contact.pk}/")
    assert [r.tracking_number for r in page.context["linked_requests"]] == [request.tracking_number]
    assert contact.request_links.get().link == RequestLink.ASKED_ABOUT


def test_an_unknown_tracking_number_is_said_so_and_links_nothing(client, agent):
    # given
    contact = _start(client)
    # when
    response = client.post(
        f"/console/desk/{contact.pk}/status/", {"tracking_number": "NOPE-1"}, follow=True
    )
    # then
    assert "No request has this tracking number." in response.content.decode()
    assert not contact.request_links.exists()


def test_finding_the_caller_shows_their_earlier_contacts_and_requests_and_is_audited(client, agent):
    # given: Ana called last month about a request she had filed online
    ana = CallerDetails(email="ana@example.org")
    filed = make_request(requester=RequesterDetails(email="ana@example.org"))
    asked = make_request()
    earlier = make_contact(agent=agent, at=clock.now(), caller=ana)
    contact_request_link(contact=earlier, request=asked, link=RequestLink.ASKED_ABOUT)
    contact = _start(client)
    # when
    page = client.get(f"/console/desk/{contact.pk}/", {"caller": "Ana@example.org"})
    # then
    assert [c.id for c in page.context["caller_contacts"]] == [earlier.pk]
    assert {r.tracking_number for r in page.context["caller_requests"]} == {
        filed.tracking_number,
        asked.tracking_number,
    }
    entry = AuditEntry.objects.get(action="caller.looked_up")
    assert (entry.actor, entry.target_id, entry.details) == (
        agent,
        str(contact.pk),
        {"by": "email"},
    )


def test_a_caller_is_found_by_phone_with_the_requests_filed_under_it_and_is_audited(client, agent):
    # given: Ana filed a request online with her phone as she types it, and has never called
    filed = make_request(requester=RequesterDetails(first_name="Ana", phone="(212) 555-0142"))
    make_request(requester=RequesterDetails(first_name="Bo", phone="(212) 555-0199"))
    contact = _start(client)
    # when: the agent types her number another way
    page = client.get(f"/console/desk/{contact.pk}/", {"caller": "212-555-0142"})
    # then
    assert [r.tracking_number for r in page.context["caller_requests"]] == [filed.tracking_number]
    assert filed.tracking_number in page.content.decode()
    entry = AuditEntry.objects.get(action="caller.looked_up")
    assert (entry.actor, entry.target_id, entry.details) == (
        agent,
        str(contact.pk),
        {"by": "phone"},
    )


def test_a_caller_whose_phone_filed_no_request_finds_none(client, agent):
    # given: requests filed with another phone, and one with no requester at all
    make_request(requester=RequesterDetails(phone="(212) 555-0199"))
    make_request()
    contact = _start(client)
    # when
    page = client.get(f"/console/desk/{contact.pk}/", {"caller": "212-555-0142"})
    # then
    assert page.context["caller_requests"] == []
    assert AuditEntry.objects.filter(action="caller.looked_up").count() == 1


def test_a_caller_is_found_by_name_whatever_its_case(client, agent):
    # given
    earlier = make_contact(agent=agent, at=clock.now(), caller=CallerDetails(name="Ana López"))
    make_contact(agent=agent, at=clock.now(), caller=CallerDetails(name="Ana Lopez Jr"))
    contact = _start(client)
    # when
    page = client.get(f"/console/desk/{contact.pk}/", {"caller": "ana lópez"})
    # then
    assert [c.id for c in page.context["caller_contacts"]] == [earlier.pk]


def test_a_partner_records_contacts_but_does_not_look_callers_up(client):
    # given
    partner = user_with_role(Role.PARTNER, area=BoundaryAreaFactory.create(), username="liaison")
    client.force_login(partner)
    contact = _start(client)
    # when
    page = client.get(f"/console/desk/{contact.pk}/", {"caller": "2125550100"})
    # then
    assert page.context["caller_refused"] is True
    assert "caller_contacts" not in page.context
    assert not AuditEntry.objects.filter(action="caller.looked_up").exists()


def test_a_referral_needs_where_to_before_it_wraps_up(client, agent):
    # given
    contact = _start(client)
    # when
    refused = client.post(f"/console/desk/{contact.pk}/wrap-up/", {"kind": "referral"})
    done = client.post(
        f"/console/desk/{contact.pk}/wrap-up/", {"kind": "referral", "referred_to": "State DMV"}
    )
    # then
    assert refused.status_code == 400
    assert "referred_to" in refused.context["wrap_up"].errors
    assert done.status_code == 302
    contact.refresh_from_db()
    assert (contact.kind, contact.referred_to) == ("referral", "State DMV")


def test_another_agents_contact_does_not_exist_for_me(client, agent):
    # given
    colleague = user_with_role(Role.CALL_TAKER, username="colleague")
    theirs = make_contact(agent=colleague, at=clock.now())
    # when / then
    assert client.get(f"/console/desk/{theirs.pk}/").status_code == 404
    assert (
        client.post(f"/console/desk/{theirs.pk}/wrap-up/", {"kind": "compliment"}).status_code
        == 404
    )
