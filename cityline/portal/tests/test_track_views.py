import pytest
from django.urls import reverse
from django.utils import translation

from cityline.catalog.models import RequestVisibility
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.models import Channel, Visibility
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.services.lifecycle import (
    service_request_add_note,
    service_request_change_status,
)
from cityline.servicerequests.tests.factories import make_request, make_request_in_status

pytestmark = pytest.mark.django_db


def _page(number: str) -> str:
    return reverse("track:request", args=[number])


def test_the_page_shows_status_service_agency_and_place(client):
    # given
    service_type = ServiceTypeFactory.create(name="Pothole", agency__name="Streets Department")
    request = make_request(service_type=service_type, address="12 Main St")
    # when
    response = client.get(_page(request.tracking_number))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pothole" in html
    assert "Streets Department" in html
    assert "Received" in html
    assert "12 Main St" in html
    assert 'data-lat="41.850000"' in html


def test_a_number_no_request_has_answers_404_with_the_form(client):
    # when
    response = client.get(_page("311-NOPE"))
    # then
    assert response.status_code == 404
    assert "No request has this number" in response.content.decode()
    assert 'value="311-NOPE"' in response.content.decode()


def test_a_number_no_request_has_is_said_in_the_readers_language(client):
    # when
    response = client.get(_page("311-NOPE"), headers={"accept-language": "es"})
    # then
    assert response.status_code == 404
    assert "Ninguna solicitud tiene este número" in response.content.decode()


def test_a_request_of_a_hidden_type_answers_as_one_that_does_not_exist(client):
    # given
    hidden = ServiceTypeFactory.create(request_visibility=RequestVisibility.HIDDEN)
    request = make_request(service_type=hidden)
    # when
    response = client.get(_page(request.tracking_number))
    # then
    assert response.status_code == 404
    assert "No request has this number" in response.content.decode()


def test_the_form_sends_a_known_number_to_its_page(client):
    # given
    request = make_request()
    # when
    response = client.get(reverse("track:search"), {"number": f"  {request.tracking_number} "})
    # then
    assert response.status_code == 302
    assert response["Location"] == _page(request.tracking_number)


def test_the_form_finds_a_number_typed_in_small_letters(client):
    # given
    request = make_request()
    # when
    response = client.get(reverse("track:search"), {"number": request.tracking_number.lower()})
    # then
    assert response.status_code == 302
    assert response["Location"] == _page(request.tracking_number)


def test_the_form_says_an_unknown_number_was_not_found(client):
    # when
    response = client.get(reverse("track:search"), {"number": "311-ZZZZ"})
    # then
    assert response.status_code == 404
    assert "We could not find a request numbered" in response.content.decode()


def test_the_form_refuses_an_empty_or_overlong_number_naming_the_field(client):
    # when
    empty = client.get(reverse("track:search"), {"number": ""})
    long = client.get(reverse("track:search"), {"number": "9" * 100})
    # then
    assert empty.status_code == 400
    assert long.status_code == 400
    assert 'href="#id_number"' in long.content.decode()


def test_the_short_link_leads_to_the_page(client):
    # given
    request = make_request()
    # when
    response = client.get(f"/r/{request.tracking_number}")
    # then
    assert response.status_code == 301
    assert response["Location"] == _page(request.tracking_number)


def test_no_personal_data_of_the_requester_is_on_the_page(client):
    # given
    request = make_request(
        requester=RequesterDetails(
            first_name="Wilhelmina",
            last_name="Quartermaine",
            email="wilhelmina@example.org",
            phone="555-0199-4242",
        ),
        description="Big hole; the caller is Wilhelmina",
    )
    # when
    html = client.get(_page(request.tracking_number)).content.decode()
    # then
    for personal in ("Wilhelmina", "Quartermaine", "wilhelmina@example.org", "555-0199-4242"):
        assert personal not in html


def test_internal_notes_never_appear_but_public_ones_do(client):
    # given
    request = make_request()
    service_request_add_note(
        request=request,
        note="Crew lead says the contractor is slow",
        by=None,
        via=Channel.STAFF,
        visibility=Visibility.INTERNAL,
    )
    service_request_change_status(
        request=request,
        status="in_progress",
        by=None,
        via=Channel.STAFF,
        note="A crew is on the way.",
    )
    # when
    html = client.get(_page(request.tracking_number)).content.decode()
    # then
    assert "contractor is slow" not in html
    assert "A crew is on the way." in html
    assert "Work in progress" in html


def test_the_page_says_how_many_residents_asked(client):
    # given
    request = make_request()
    request.demand = 12
    request.save(update_fields=["demand"])
    # when
    html = client.get(_page(request.tracking_number)).content.decode()
    # then
    assert "12 residents reported or follow this." in html


def test_a_closed_request_says_how_it_was_resolved(client):
    # given
    request = make_request_in_status("closed")
    # when
    html = client.get(_page(request.tracking_number)).content.decode()
    # then
    assert "The work was done." in html
    assert "Get updates by e-mail" not in html


def test_the_page_is_read_in_two_queries_and_revalidated_by_its_etag(
    client, django_assert_max_num_queries
):
    # given
    request = make_request(media_urls=("https://photos.example.org/hole.jpg",))
    client.get(_page(request.tracking_number))  # the hidden types are remembered
    # when
    with django_assert_max_num_queries(2):
        first = client.get(_page(request.tracking_number))
    again = client.get(_page(request.tracking_number), headers={"if-none-match": first["ETag"]})
    # then
    assert "https://photos.example.org/hole.jpg" in first.content.decode()
    assert again.status_code == 304
    assert "private" in first["Cache-Control"]
    assert "no-cache" in first["Cache-Control"]


def test_a_reader_with_a_new_csrf_cookie_gets_the_page_again(client):
    # given: the page is kept with the forms' token of the reader's first CSRF cookie
    request = make_request()
    first = client.get(_page(request.tracking_number))
    # when
    client.cookies["csrftoken"] = "x" * 32
    again = client.get(_page(request.tracking_number), headers={"if-none-match": first["ETag"]})
    # then
    assert again.status_code == 200


def test_every_page_is_in_arabic_right_to_left(client):
    # given
    request = make_request()
    # when
    with translation.override("ar"):
        response = client.get(_page(request.tracking_number), headers={"accept-language": "ar"})
    # then
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html
