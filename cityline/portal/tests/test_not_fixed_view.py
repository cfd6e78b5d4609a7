import pytest
import time_machine
from django.urls import reverse

from cityline.catalog.models import NotFixedAction
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.portal.access import NOT_FIXED_RATE
from cityline.servicerequests.models import (
    Attachment,
    RequestUpdate,
    ServiceRequest,
    Status,
    UpdateKind,
)
from cityline.servicerequests.tests.factories import make_request, make_request_in_status
from cityline.servicerequests.tests.photos import jpeg_upload, pdf_upload

pytestmark = pytest.mark.django_db


def _closed(action: str = NotFixedAction.REOPEN, window_days: int = 14) -> ServiceRequest:
    service_type = ServiceTypeFactory.create(
        not_fixed_action=action, not_fixed_window_days=window_days
    )
    return make_request_in_status(Status.CLOSED, service_type=service_type)


def _report(client, number: str, **data):
    return client.post(reverse("track:not-fixed", args=[number]), data)


def test_the_tracking_page_of_a_closed_request_offers_the_form_until_the_window_ends(client):
    # given
    request = _closed()
    # when
    html = client.get(reverse("track:request", args=[request.tracking_number])).content.decode()
    form = client.get(reverse("track:not-fixed", args=[request.tracking_number]))
    # then
    assert "If the problem is still there, you can tell us until" in html
    assert reverse("track:not-fixed", args=[request.tracking_number]) in html
    assert form.status_code == 200
    assert 'name="note"' in form.content.decode()


def test_reopening_sends_the_resident_back_to_the_reopened_request(client):
    # given
    request = _closed(NotFixedAction.REOPEN)
    # when
    response = _report(client, request.tracking_number, note="Still there")
    # then
    url = reverse("track:request", args=[request.tracking_number])
    assert response.status_code == 302
    assert response["Location"] == f"{url}?not_fixed=reopened"
    request.refresh_from_db()
    assert request.status == Status.ACKNOWLEDGED
    page = client.get(response["Location"]).content.decode()
    assert "The request has been reopened" in page
    assert "Still there" in page


def test_a_fresh_due_time_policy_reopens_too(client):
    # given
    request = _closed(NotFixedAction.REOPEN_FRESH_SLA)
    # when
    response = _report(client, request.tracking_number, note="Still there")
    # then
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.ACKNOWLEDGED


def test_a_new_linked_request_is_shown_with_a_link_to_the_first(client):
    # given
    request = _closed(NotFixedAction.NEW_LINKED)
    # when
    response = _report(client, request.tracking_number, note="Back again", photo=jpeg_upload())
    # then
    follow_up = ServiceRequest.objects.get(follow_up_of=request)
    url = reverse("track:request", args=[follow_up.tracking_number])
    assert response["Location"] == f"{url}?not_fixed=new"
    page = client.get(response["Location"]).content.decode()
    assert request.tracking_number in page
    photo = Attachment.objects.get(request=follow_up)
    assert reverse("servicerequests:photo_thumbnail", args=[photo.pk]) in page
    first = client.get(reverse("track:request", args=[request.tracking_number])).content.decode()
    assert follow_up.tracking_number in first


def test_outside_the_window_the_page_says_so_and_nothing_changes(client):
    # given
    with time_machine.travel("2026-03-02 15:00Z", tick=False):
        request = _closed(window_days=3)
    # when
    with time_machine.travel("2026-03-06 15:00Z", tick=False):
        response = _report(client, request.tracking_number, note="Still there")
        page = client.get(reverse("track:request", args=[request.tracking_number]))
    # then
    assert response.status_code == 409
    assert "The time to say this request is not fixed ended on" in response.content.decode()
    assert 'name="note"' not in response.content.decode()
    assert "ended on Thursday 5 March" in page.content.decode()
    request.refresh_from_db()
    assert request.status == Status.CLOSED


def test_an_empty_note_is_refused_naming_the_field(client):
    # given
    request = _closed()
    # when
    response = _report(client, request.tracking_number, note="")
    # then
    assert response.status_code == 400
    assert 'href="#id_note"' in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.CLOSED


def test_a_file_that_is_no_photo_is_refused_in_the_readers_language(client):
    # given
    request = _closed()
    # when
    response = client.post(
        reverse("track:not-fixed", args=[request.tracking_number]),
        {"note": "Still there", "photo": pdf_upload()},
        headers={"accept-language": "es"},
    )
    # then
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_photo"' in html
    assert "No pudimos aceptar este archivo como foto" in html
    request.refresh_from_db()
    assert request.status == Status.CLOSED
    assert not Attachment.objects.exists()


def test_an_open_request_takes_no_report(client):
    # given
    request = make_request()
    # when
    response = _report(client, request.tracking_number, note="Still there")
    # then
    assert response.status_code == 409
    assert not RequestUpdate.objects.filter(kind=UpdateKind.CITIZEN_UPDATE).exists()


def test_one_address_reporting_too_often_is_refused(client):
    # given
    allowed = int(NOT_FIXED_RATE.split("/")[0])
    requests = [_closed() for _ in range(allowed + 1)]
    for request in requests[:allowed]:
        _report(client, request.tracking_number, note="Still there")
    # when
    response = _report(client, requests[-1].tracking_number, note="Still there")
    # then
    assert response.status_code == 429
    requests[-1].refresh_from_db()
    assert requests[-1].status == Status.CLOSED


def test_reporting_an_unknown_number_answers_not_found(client):
    # when
    response = _report(client, "311-NOPE", note="Still there")
    # then
    assert response.status_code == 404
