"""The survey's public page over HTTP: answered once through its signed link, in the resident's
language; "not fixed" follows the service type's not-fixed rule; bad, altered and old links get
a page that says so, and change nothing."""

from datetime import timedelta

import pytest
import time_machine

from cityline.catalog.models import NotFixedAction
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core import clock
from cityline.servicerequests.models import ServiceRequest, Status
from cityline.surveys.links import survey_sign
from cityline.surveys.models import Survey, SurveyKind, SurveyOptOut
from cityline.surveys.tests.factories import closed_request, served_contact, surveying

pytestmark = pytest.mark.django_db


@pytest.fixture
def service_survey() -> Survey:
    surveying(service_percent=100)
    closed_request(email="ana@example.org", language="es")
    return Survey.objects.get()


@pytest.fixture
def contact_survey() -> Survey:
    surveying(contact_percent=100)
    served_contact(email="bo@example.org", language="en")
    return Survey.objects.get(kind=SurveyKind.CONTACT)


def _url(survey: Survey, suffix: str = "") -> str:
    return f"/survey/{survey_sign(survey_id=survey.pk)}/{suffix}"


def test_the_page_asks_in_the_residents_language_without_personal_data(client, service_survey):
    # when
    page = client.get(_url(service_survey))
    # then
    assert page.status_code == 200
    text = page.content.decode()
    assert "¿Se resolvió?" in text
    assert service_survey.request.tracking_number in text
    assert "ana@example.org" not in text


def test_a_score_after_a_contact_is_recorded_once(client, contact_survey):
    # when
    first = client.post(_url(contact_survey), {"score": "4", "comment": "Quick and kind."})
    second = client.post(_url(contact_survey), {"score": "1"})
    # then
    assert first.status_code == 200
    assert "Thank you" in first.content.decode()
    assert second.status_code == 409
    assert "answered already" in second.content.decode()
    contact_survey.refresh_from_db()
    assert (contact_survey.score, contact_survey.comment) == (4, "Quick and kind.")


@pytest.mark.parametrize("score", ["", "0", "6", "five"])
def test_a_score_out_of_range_is_refused_naming_the_question(client, contact_survey, score):
    # when
    page = client.post(_url(contact_survey), {"score": score})
    # then
    assert page.status_code == 400
    assert "How well were you served?" in page.content.decode()
    contact_survey.refresh_from_db()
    assert contact_survey.answered_at is None


def test_a_comment_too_long_is_refused(client, contact_survey):
    # when
    page = client.post(_url(contact_survey), {"score": "3", "comment": "x" * 2001})
    # then
    assert page.status_code == 400
    contact_survey.refresh_from_db()
    assert contact_survey.answered_at is None


def test_yes_it_was_fixed_leaves_the_request_closed(client, service_survey):
    # when
    page = client.post(_url(service_survey), {"fixed": "yes"})
    # then
    assert page.status_code == 200
    service_survey.refresh_from_db()
    assert service_survey.fixed is True
    assert service_survey.request.status == Status.CLOSED


def test_not_fixed_reopens_the_request_when_its_type_says_so(client, service_survey):
    # when
    page = client.post(_url(service_survey), {"fixed": "no"})
    # then
    assert page.status_code == 200
    assert "reabierto" in page.content.decode()
    service_survey.refresh_from_db()
    assert service_survey.fixed is False
    assert service_survey.not_fixed_outcome == NotFixedAction.REOPEN
    assert service_survey.request.status != Status.CLOSED


def test_not_fixed_opens_a_linked_request_when_its_type_says_so(client):
    # given
    surveying(service_percent=100)
    closed = closed_request(
        email="ana@example.org",
        service_type=ServiceTypeFactory.create(not_fixed_action=NotFixedAction.NEW_LINKED),
    )
    survey = Survey.objects.get()
    # when
    client.post(_url(survey), {"fixed": "no"})
    # then
    follow_up = ServiceRequest.objects.get(follow_up_of=closed)
    assert follow_up.status != Status.CLOSED
    closed.refresh_from_db()
    assert closed.status == Status.CLOSED


def test_not_fixed_after_the_window_is_kept_and_the_resident_told_to_report_again(client):
    # given
    surveying(service_percent=100)
    closed_request(
        email="ana@example.org", service_type=ServiceTypeFactory.create(not_fixed_window_days=0)
    )
    survey = Survey.objects.get()
    # when
    page = client.post(_url(survey), {"fixed": "no"})
    # then
    assert page.status_code == 200
    assert "report it again" in page.content.decode()
    survey.refresh_from_db()
    assert survey.fixed is False
    assert survey.not_fixed_outcome.startswith("refused")
    assert survey.request.status == Status.CLOSED


@pytest.mark.parametrize("signed", ["1:abc:def", "nonsense", "x" * 300])
def test_a_made_up_link_says_it_does_not_work(client, signed, service_survey):
    # when
    page = client.get(f"/survey/{signed}/")
    # then
    assert page.status_code == 404
    assert "This survey link does not work" in page.content.decode()


def test_an_altered_link_says_it_does_not_work_and_changes_nothing(client, service_survey):
    # given
    signed = survey_sign(survey_id=service_survey.pk)
    altered = signed[:-1] + ("A" if signed[-1] != "A" else "B")
    # when
    page = client.post(f"/survey/{altered}/", {"fixed": "no"})
    # then
    assert page.status_code == 404
    service_survey.refresh_from_db()
    assert service_survey.answered_at is None


def test_an_old_link_says_it_is_too_old(client, service_survey):
    # given
    url = _url(service_survey)
    # when
    with time_machine.travel(clock.now() + timedelta(days=31)):
        page = client.post(url, {"fixed": "no"})
    # then
    assert page.status_code == 410
    assert "too old" in page.content.decode()
    service_survey.refresh_from_db()
    assert service_survey.answered_at is None


def test_the_stop_link_asks_first_then_stops_every_later_survey(client, service_survey):
    # when
    shown = client.get(_url(service_survey, "stop/"))
    stopped = client.post(_url(service_survey, "stop/"))
    closed_request(email="ANA@example.org")
    # then
    assert shown.status_code == 200
    assert SurveyOptOut.objects.count() == 1
    assert stopped.status_code == 200
    assert Survey.objects.count() == 1


def test_a_reader_who_chose_a_language_gets_the_page_in_it(client, service_survey):
    # given
    client.cookies["django_language"] = "ar"
    # when
    page = client.get(_url(service_survey))
    # then
    assert "هل حُلّت المشكلة؟" in page.content.decode()
