"""Filing a request from the desk within the contact: suggested types, the place with the open
requests nearby to follow instead, the questions, the caller's details with consent, the script."""

import pytest

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.tests.factories import (
    AgencyFactory,
    ServiceTypeFactory,
    ServiceTypeKeywordFactory,
    list_question,
)
from cityline.contacts.models import ContactChannel, ContactKind, ContactRequest, RequestLink
from cityline.contacts.services import CallerDetails, contact_end, contact_start
from cityline.core.models import OutboxMessage
from cityline.geo.tests.factories import (
    AddressPointFactory,
    BoundaryAreaFactory,
    BoundaryLayerFactory,
    square,
)
from cityline.knowledge.indexing import search_index_service_types
from cityline.portal.words import day_in_words
from cityline.servicerequests.models import (
    Channel,
    Follower,
    Requester,
    Resolution,
    ServiceRequest,
)
from cityline.servicerequests.services.lifecycle import service_request_close
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

HERE = {"lat": "41.85", "long": "-87.65"}


@pytest.fixture
def pothole():
    service_type = ServiceTypeFactory.create(
        code="pothole", name="Pothole", agency=AgencyFactory(code="DOT")
    )
    ServiceTypeKeywordFactory(service_type=service_type, term="hole in the road")
    list_question(service_type=service_type, code="depth", keys=["shallow", "deep"], required=True)
    return service_type


@pytest.fixture
def board_up():
    return ServiceTypeFactory.create(
        code="board-up", name="Emergency Board-Up", is_public=False, agency=AgencyFactory()
    )


@pytest.fixture
def agent(client):
    user = user_with_role(Role.CALL_TAKER, is_staff=True, username="agent")
    client.force_login(user)
    return user


@pytest.fixture
def call(agent):
    return contact_start(
        channel=ContactChannel.PHONE,
        agent=agent,
        language="en",
        caller=CallerDetails(
            name="Ana María López", phone="(212) 555-0100", email="ana@example.org"
        ),
    )


def _reported(service_type, **place):
    return make_request(service_type=service_type, answers={"depth": "deep"}, **place)


def _closed(service_type):
    return service_request_close(
        request=_reported(service_type),
        resolution=Resolution.COMPLETED,
        by=None,
        via=Channel.STAFF,
    )


def _filing(**fields):
    return {
        "service": "pothole",
        "filing_key": "k1",
        "address": "",
        **HERE,
        "description": "A deep hole in the bus lane.",
        "attribute[depth]": "deep",
        **fields,
    }


def _file(client, contact, **fields):
    return client.post(f"/console/desk/{contact.pk}/file/submit/", _filing(**fields))


def test_what_the_caller_says_suggests_the_service_type_and_offers_staff_only_types(
    client, call, pothole, board_up
):
    # given
    search_index_service_types()
    # when
    response = client.get(f"/console/desk/{call.pk}/file/", {"said": "a hole in the road"})
    # then
    assert response.status_code == 200
    assert response.context["suggestions"][0].code == "pothole"
    assert {t.code for t in response.context["types"]} == {"pothole", "board-up"}


def test_a_chosen_type_gives_its_questions_with_the_callers_words_and_details_filled_in(
    client, call, pothole
):
    # when
    response = client.get(
        f"/console/desk/{call.pk}/file/", {"service": "pothole", "said": "deep hole"}
    )
    # then
    form = response.context["form"]
    assert response.status_code == 200
    assert "attribute[depth]" in form.fields
    assert form.initial["description"] == "deep hole"
    assert (form.initial["caller_name"], form.initial["caller_email"]) == (
        "Ana María López",
        "ana@example.org",
    )
    assert form.initial["filing_key"]


def test_an_unknown_type_is_a_400_naming_it(client, call):
    # when
    response = client.get(f"/console/desk/{call.pk}/file/", {"service": "no-such-type"})
    # then
    assert response.status_code == 400
    assert response.context["unknown_service"] == "no-such-type"


def test_filing_stores_the_request_on_the_contacts_channel_by_the_agent_and_reads_the_script(
    client, agent, call, pothole
):
    # when
    response = _file(
        client,
        call,
        consent="on",
        caller_name="Ana María López",
        caller_phone="212 555 0100",
        caller_email="ana@example.org",
        wants_updates="on",
    )
    # then
    assert response.status_code == 200
    filed = ServiceRequest.objects.get()
    assert (filed.channel, filed.created_by, filed.service_type) == (Channel.PHONE, agent, pothole)
    assert filed.answers.get().value == "deep"
    requester = Requester.objects.get(request=filed)
    assert (requester.first_name, requester.last_name, requester.email) == (
        "Ana María",
        "López",
        "ana@example.org",
    )
    assert requester.wants_updates
    assert ContactRequest.objects.filter(
        contact=call, request=filed, link=RequestLink.CREATED
    ).exists()
    page = response.content.decode()
    assert filed.tracking_number in page
    assert day_in_words(filed.expected_at) in page


def test_without_the_callers_consent_no_contact_details_are_kept(client, call, pothole):
    # when: the details are on the form, the consent box is not ticked
    response = _file(client, call, caller_name="Ana", caller_email="ana@example.org")
    # then
    assert response.status_code == 200
    assert not Requester.objects.exists()


def test_sending_the_same_form_twice_files_one_request(client, call, pothole):
    # given
    first = _file(client, call)
    # when
    second = _file(client, call)
    # then
    filed = ServiceRequest.objects.get()
    assert second.status_code == 200
    assert second.context["again"]
    assert filed.tracking_number in first.content.decode()
    assert filed.tracking_number in second.content.decode()


def test_a_walk_in_contact_files_a_walk_in_request(client, agent, pothole):
    # given
    visit = contact_start(channel=ContactChannel.WALK_IN, agent=agent, language="en")
    # when
    _file(client, visit)
    # then
    assert ServiceRequest.objects.get().channel == Channel.WALK_IN


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"attribute[depth]": ""}, "attribute[depth]"),
        ({"lat": "", "long": "", "address": ""}, "address"),
        ({"lat": "91"}, "lat"),
        ({"description": ""}, "description"),
        ({"caller_email": "not an address", "consent": "on"}, "caller_email"),
        ({"wants_updates": "on"}, "wants_updates"),
        ({"filing_key": ""}, "filing_key"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_files_nothing(
    client, call, pothole, fields, field
):
    # when
    response = _file(client, call, **fields)
    # then
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ServiceRequest.objects.exists()


def test_an_unknown_type_on_filing_is_a_400_and_files_nothing(client, call):
    # when
    response = _file(client, call, service="no-such-type")
    # then
    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


def test_a_wrapped_up_contact_files_nothing(client, call, pothole):
    # given
    contact_end(contact=call, kind=ContactKind.INFORMATION)
    # when
    response = _file(client, call)
    # then
    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


@pytest.fixture
def partner_in_district_1(client):
    council = BoundaryLayerFactory.create(slug="council")
    district_1 = BoundaryAreaFactory.create(
        layer=council, code="1", geometry=square(west=-87.7, south=41.8, size=0.1)
    )
    BoundaryAreaFactory.create(
        layer=council, code="2", geometry=square(west=-87.5, south=41.8, size=0.1)
    )
    partner = user_with_role(Role.PARTNER, area=district_1, username="council-office")
    client.force_login(partner)
    return contact_start(channel=ContactChannel.PARTNER, agent=partner, language="en")


def test_a_partner_files_in_their_areas_attributed_to_them(client, partner_in_district_1, pothole):
    # when
    response = _file(client, partner_in_district_1)
    # then
    assert response.status_code == 200
    filed = ServiceRequest.objects.get()
    assert (filed.created_by, filed.channel) == (partner_in_district_1.agent, Channel.WALK_IN)


def test_a_partner_files_nothing_outside_their_areas(client, partner_in_district_1, pothole):
    # when: a point in district 2
    response = _file(client, partner_in_district_1, long="-87.45")
    # then
    assert response.status_code == 400
    assert "address" in response.context["form"].errors
    assert not ServiceRequest.objects.exists()


def test_a_partner_is_not_offered_staff_only_types(
    client, partner_in_district_1, pothole, board_up
):
    # when
    choose = client.get(f"/console/desk/{partner_in_district_1.pk}/file/")
    chosen = client.get(f"/console/desk/{partner_in_district_1.pk}/file/", {"service": "board-up"})
    # then
    assert [t.code for t in choose.context["types"]] == ["pothole"]
    assert chosen.status_code == 400


def test_open_requests_of_the_type_nearby_are_offered_first(client, call, pothole):
    # given
    nearby = _reported(pothole, latitude=41.8501, longitude=-87.6501)
    _closed(pothole)
    make_request(service_type=ServiceTypeFactory.create(code="graffiti"))
    _reported(pothole, latitude=41.95, longitude=-87.65)
    # when
    response = client.get(f"/console/desk/{call.pk}/file/nearby/", {"service": "pothole", **HERE})
    # then
    assert response.status_code == 200
    assert [r.tracking_number for r in response.context["nearby"]] == [nearby.tracking_number]
    assert "data-map" in response.content.decode()


def test_nearby_requests_are_found_from_a_known_address(client, call, pothole):
    # given
    AddressPointFactory(address="100 Main St", latitude=41.85, longitude=-87.65)
    nearby = _reported(pothole)
    # when
    response = client.get(
        f"/console/desk/{call.pk}/file/nearby/",
        {"service": "pothole", "address": "100 main street"},
    )
    # then
    assert [r.tracking_number for r in response.context["nearby"]] == [nearby.tracking_number]


@pytest.mark.parametrize(
    "query",
    [{"service": "pothole", "lat": "north", "long": "-87.65"}, {"service": "nothing", **HERE}],
)
def test_nearby_with_bad_input_is_a_400(client, call, pothole, query):
    # when
    response = client.get(f"/console/desk/{call.pk}/file/nearby/", query)
    # then
    assert response.status_code == 400
    assert response.context["place"].errors


def test_addresses_are_suggested_as_they_are_typed(client, call):
    # given
    AddressPointFactory(address="100 Main St")
    AddressPointFactory(address="1000 Main St")
    AddressPointFactory(address="200 Oak Ave")
    # when
    response = client.get(f"/console/desk/{call.pk}/file/addresses/", {"address": "100"})
    # then
    assert [found.address for found in response.context["addresses"]] == [
        "100 Main St",
        "1000 Main St",
    ]


def test_following_instead_with_an_email_asks_the_caller_to_confirm_and_files_nothing(
    client, call, pothole
):
    # given
    existing = _reported(pothole)
    # when
    response = client.post(
        f"/console/desk/{call.pk}/follow/{existing.tracking_number}/",
        {"consent": "on", "caller_email": "ana@example.org"},
    )
    # then
    assert response.status_code == 200
    assert ServiceRequest.objects.count() == 1
    follower = Follower.objects.get(request=existing)
    assert follower.email == "ana@example.org"
    assert OutboxMessage.objects.filter(topic="follower.confirm").exists()
    assert ContactRequest.objects.filter(
        contact=call, request=existing, link=RequestLink.FOLLOWED
    ).exists()
    assert existing.tracking_number in response.content.decode()


def test_following_instead_without_an_email_counts_the_caller_once(client, call, pothole):
    # given
    existing = _reported(pothole)
    url = f"/console/desk/{call.pk}/follow/{existing.tracking_number}/"
    # when: sent twice, without consent to keep the e-mail
    client.post(url, {"caller_email": "ana@example.org"})
    client.post(url, {"caller_email": "ana@example.org"})
    # then
    existing.refresh_from_db()
    assert existing.demand == 2
    assert not Follower.objects.exists()


def test_a_contact_that_followed_instead_wraps_up_as_a_service_request(client, call, pothole):
    # given
    existing = _reported(pothole)
    client.post(f"/console/desk/{call.pk}/follow/{existing.tracking_number}/", {})
    # when
    response = client.post(f"/console/desk/{call.pk}/wrap-up/", {"kind": "service_request"})
    # then
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.kind == ContactKind.SERVICE_REQUEST


def test_a_closed_request_is_not_followed(client, call, pothole):
    # given
    closed = _closed(pothole)
    # when
    response = client.post(f"/console/desk/{call.pk}/follow/{closed.tracking_number}/", {})
    # then
    assert response.status_code == 400
    assert not ContactRequest.objects.exists()


def test_following_with_a_bad_email_is_a_400(client, call, pothole):
    # given
    existing = _reported(pothole)
    # when
    response = client.post(
        f"/console/desk/{call.pk}/follow/{existing.tracking_number}/",
        {"consent": "on", "caller_email": "nope"},
    )
    # then
    assert response.status_code == 400
    assert not ContactRequest.objects.exists()


def test_a_partner_cannot_follow_a_request_outside_their_areas(
    client, partner_in_district_1, pothole
):
    # given
    outside = _reported(pothole, longitude=-87.45)
    # when
    response = client.post(
        f"/console/desk/{partner_in_district_1.pk}/follow/{outside.tracking_number}/", {}
    )
    # then
    assert response.status_code == 404
    outside.refresh_from_db()
    assert outside.demand == 1


def test_with_htmx_only_the_filing_panel_is_sent(client, call, pothole):
    # when
    response = client.get(
        f"/console/desk/{call.pk}/file/", {"service": "pothole"}, headers={"HX-Request": "true"}
    )
    # then
    page = response.content.decode()
    assert "<html" not in page
    assert 'id="filing-heading"' in page
