"""The survey answers' page and its CSV: what residents wrote, newest first, filtered; every
answer for the city-wide roles, their agencies' for agency supervisors, none for the others;
a filter the page cannot read is refused naming it; no resident's address or number shown."""

import csv
import io
from datetime import datetime, timedelta

import pytest

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.core import clock
from cityline.servicerequests.models import ServiceRequest
from cityline.surveys.models import SurveyKind
from cityline.surveys.tests.factories import agency, answered_survey

pytestmark = pytest.mark.django_db

PAGE = "/console/survey-answers/"
CSV = "/console/survey-answers.csv"


def _signed_in(client, role: Role, **scope):
    client.force_login(user_with_role(role, is_staff=True, **scope))
    return client


def _csv_rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_a_311_supervisor_reads_every_answer_newest_first_with_its_comment_and_request(client):
    # given
    now = clock.now()
    older = answered_survey(
        agency_code="DOT", comment="Took three weeks.", answered_at=now - timedelta(days=2)
    )
    newer = answered_survey(
        agency_code="PARKS", fixed=False, comment="The tree is still down.", answered_at=now
    )
    contact = answered_survey(
        agency_code=None,
        kind=SurveyKind.CONTACT,
        score=5,
        comment="Kind and quick.",
        team="general",
        answered_at=now - timedelta(days=1),
    )
    _signed_in(client, Role.SUPERVISOR_311)
    # when
    response = client.get(PAGE)
    # then
    assert response.status_code == 200
    page = response.content.decode()
    positions = [page.index(c) for c in ("The tree is still down.", "Kind and quick.", "Took")]
    assert positions == sorted(positions)
    assert f"/console/requests/{newer.request.tracking_number}/" in page
    assert f"/console/requests/{older.request.tracking_number}/" in page
    assert "Served: 5 of 5" in page
    assert "Not fixed" in page
    assert contact.request is None


def test_an_agency_supervisor_reads_their_agencys_answers_only(client):
    # given
    answered_survey(agency_code="DOT", comment="Pothole filled, thanks.")
    answered_survey(agency_code="PARKS", comment="Parks never came.")
    answered_survey(agency_code=None, kind=SurveyKind.CONTACT, score=2, comment="Long wait.")
    _signed_in(client, Role.AGENCY_SUPERVISOR, agency=agency("DOT"))
    # when
    page = client.get(PAGE).content.decode()
    rows = _csv_rows(client.get(CSV))
    # then
    assert "Pothole filled, thanks." in page
    assert "Parks never came." not in page
    assert "Long wait." not in page
    assert [row["comment"] for row in rows] == ["Pothole filled, thanks."]


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_an_agency_supervisor_asking_for_another_agencys_answers_is_refused_naming_the_field(
    client, url
):
    # given
    answered_survey(agency_code="PARKS", comment="Parks never came.")
    agency("DOT")
    _signed_in(client, Role.AGENCY_SUPERVISOR, agency=agency("DOT"))
    # when
    response = client.get(url, {"agency": "PARKS"})
    # then
    assert response.status_code == 400
    page = response.content.decode()
    assert "your own agencies only: DOT" in page
    assert "Parks never came." not in page


def test_an_answer_whose_request_moved_to_another_agency_is_shown_without_its_link(client):
    # given
    survey = answered_survey(agency_code="DOT", comment="Still broken.")
    ServiceRequest.objects.filter(pk=survey.request_id).update(agency=agency("PARKS"))
    _signed_in(client, Role.AGENCY_SUPERVISOR, agency=agency("DOT"))
    # when
    page = client.get(PAGE).content.decode()
    rows = _csv_rows(client.get(CSV))
    # then
    assert "Still broken." in page
    assert survey.request.tracking_number not in page
    assert rows[0]["tracking_number"] == ""


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.CALL_TAKER, {}),
        (Role.AGENCY_WORKER, {"agency": "DOT"}),
        (Role.KNOWLEDGE_EDITOR, {"agency": "DOT"}),
    ],
)
@pytest.mark.parametrize("url", [PAGE, CSV])
def test_call_takers_workers_and_editors_may_not_read_the_answers(client, role, scope, url):
    # given
    answered_survey(comment="Took three weeks.")
    scope = {key: agency(value) for key, value in scope.items()}
    _signed_in(client, role, **scope)
    # when
    response = client.get(url)
    # then
    assert response.status_code == 403
    assert b"Took three weeks." not in response.content


def test_someone_signed_out_is_sent_to_sign_in(client):
    # when
    response = client.get(PAGE)
    # then
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_menu_offers_the_page_to_those_who_read_it_only(client):
    # given
    supervisor = _signed_in(client, Role.AGENCY_SUPERVISOR, agency=agency("DOT"))
    # when
    seen = supervisor.get("/console/sla/").content.decode()
    _signed_in(client, Role.CALL_TAKER)
    unseen = client.get("/console/sla/").content.decode()
    # then
    assert f'href="{PAGE}"' in seen
    assert f'href="{PAGE}"' not in unseen


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ({"score": "2"}, ["Rude."]),
        ({"not_fixed": "on"}, ["Still a hole."]),
        ({"channel": "sms"}, ["Still a hole."]),
        ({"team": "spanish"}, ["Rude."]),
        ({"service_type": "tree-down"}, ["Fixed fast."]),
        ({"agency": "PARKS"}, ["Fixed fast."]),
        ({"date_from": "2026-11-10", "date_to": "2026-11-10"}, ["Rude."]),
        ({"with_comment": "on", "score": "4"}, []),
    ],
)
def test_the_filters_keep_the_answers_asked_for_on_the_page_and_in_the_csv(client, query, kept):
    # given
    day = datetime(2026, 11, 10, 12, tzinfo=clock.city_timezone())
    answered_survey(agency_code="DOT", fixed=False, channel="sms", comment="Still a hole.")
    answered_survey(
        agency_code="PARKS", service_type_code="tree-down", comment="Fixed fast.", channel="web"
    )
    answered_survey(
        agency_code=None,
        kind=SurveyKind.CONTACT,
        score=2,
        team="spanish",
        channel="phone",
        comment="Rude.",
        answered_at=day,
    )
    answered_survey(agency_code=None, kind=SurveyKind.CONTACT, score=4, channel="phone")
    _signed_in(client, Role.SUPERVISOR_311)
    # when
    page = client.get(PAGE, query)
    rows = _csv_rows(client.get(CSV, query))
    # then
    assert page.status_code == 200
    shown = [c for c in ("Still a hole.", "Fixed fast.", "Rude.") if c in page.content.decode()]
    assert shown == kept
    assert [row["comment"] for row in rows] == kept


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"score": "9"}, "score"),
        ({"score": "one"}, "score"),
        ({"channel": "pigeon"}, "channel"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_from": "2026-11-10", "date_to": "2026-11-01"}, "date_to"),
        ({"page": "0"}, "page"),
        ({"team": "x" * 65}, "team"),
    ],
)
@pytest.mark.parametrize("url", [PAGE, CSV])
def test_a_filter_it_cannot_read_is_refused_naming_the_field(client, query, field, url):
    # given
    _signed_in(client, Role.SUPERVISOR_311)
    # when
    response = client.get(url, query)
    # then
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]


def test_the_answers_are_paged_fifty_at_a_time(client):
    # given
    start = clock.now() - timedelta(days=1)
    for n in range(51):
        answered_survey(comment=f"answer {n:02d}.", answered_at=start + timedelta(minutes=n))
    _signed_in(client, Role.SUPERVISOR_311)
    # when
    first = client.get(PAGE).content.decode()
    second = client.get(PAGE, {"page": "2"}).content.decode()
    # then
    assert "answer 50." in first
    assert "answer 00." not in first
    assert "answer 00." in second
    assert "Page 2 of 2" in second


def test_the_export_is_recorded_in_the_audit_log_with_its_filters(client):
    # given
    answered_survey(fixed=False, comment="Still a hole.")
    _signed_in(client, Role.SUPERVISOR_311)
    # when
    rows = _csv_rows(client.get(CSV, {"not_fixed": "on"}))
    # then
    assert rows[0]["fixed"] == "no"
    entry = AuditEntry.objects.get(action="surveys.answers_exported")
    assert entry.details == {"filters": {"not_fixed": "True"}, "rows": 1}


def test_no_residents_address_is_shown(client):
    # given
    answered_survey(comment="Thanks.", requester_email="ana.private@example.org")
    _signed_in(client, Role.SUPERVISOR_311)
    # when
    page = client.get(PAGE).content
    export = b"".join(client.get(CSV).streaming_content)
    # then
    assert b"ana.private" not in page
    assert b"ana.private" not in export


@pytest.mark.parametrize(
    ("language", "title", "not_fixed"),
    [
        ("es", "Respuestas a las encuestas", "No se resolvió"),
        ("ar", "إجابات الاستبيانات", "لم تُحل"),
    ],
)
def test_the_page_reads_in_the_chosen_language(client, settings, language, title, not_fixed):
    # given
    answered_survey(fixed=False, comment="Sigue roto.")
    _signed_in(client, Role.SUPERVISOR_311)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    # when
    page = client.get(PAGE).content.decode()
    # then
    assert title in page
    assert not_fixed in page


def test_a_comment_a_spreadsheet_would_run_as_a_formula_is_exported_as_text(client):
    # given
    answered_survey(comment='=HYPERLINK("http://example.com","fixed")')
    _signed_in(client, Role.SUPERVISOR_311)
    # when
    rows = _csv_rows(client.get(CSV))
    # then
    assert [row["comment"] for row in rows] == ['\'=HYPERLINK("http://example.com","fixed")']


def test_a_comment_that_is_a_signed_number_is_exported_as_written(client):
    # given
    answered_survey(comment="-1")
    _signed_in(client, Role.SUPERVISOR_311)
    # when
    rows = _csv_rows(client.get(CSV))
    # then
    assert [row["comment"] for row in rows] == ["-1"]
