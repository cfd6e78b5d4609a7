"""The scores by team, channel, agency and service type, checked against hand-computed ones,
on the contact center's page and CSV and on the performance page."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.surveys.models import Survey, SurveyKind
from cityline.surveys.selectors import ScoreRow, survey_scores

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
START, END = datetime(2026, 4, 1, tzinfo=CHICAGO), datetime(2026, 4, 8, tzinfo=CHICAGO)
IN_PERIOD, BEFORE = datetime(2026, 4, 3, 10, tzinfo=CHICAGO), datetime(2026, 3, 30, tzinfo=CHICAGO)


def _survey(kind: str, *, sent_at=IN_PERIOD, answered: bool = True, **fields) -> Survey:
    return Survey.objects.create(
        kind=kind,
        channel="email",
        language="en",
        outbox_message_id=1,
        recipient_digest="x",
        sent_at=sent_at,
        answered_at=sent_at if answered else None,
        **fields,
    )


@pytest.fixture
def surveys():
    dot, parks = AgencyFactory.create(code="DOT"), AgencyFactory.create(code="PARKS")
    pothole = ServiceTypeFactory.create(code="pothole", agency=dot)
    tree = ServiceTypeFactory.create(code="tree", agency=parks)
    # After contacts: team "general" asked 3 (scores 4 and 5, one unanswered), "spanish" 1 (2).
    _survey(SurveyKind.CONTACT, team="general", contact_channel="phone", score=4)
    _survey(SurveyKind.CONTACT, team="general", contact_channel="phone", score=5)
    _survey(SurveyKind.CONTACT, team="general", contact_channel="email", answered=False)
    _survey(SurveyKind.CONTACT, team="spanish", contact_channel="phone", score=2)
    _survey(SurveyKind.CONTACT, team="general", contact_channel="phone", score=1, sent_at=BEFORE)
    # After closes: DOT's potholes asked 4 (fixed, fixed, not fixed, unanswered); PARKS 1 (no).
    for fixed in (True, True, False):
        _survey(SurveyKind.SERVICE, agency=dot, service_type=pothole, fixed=fixed)
    _survey(SurveyKind.SERVICE, agency=dot, service_type=pothole, answered=False)
    _survey(SurveyKind.SERVICE, agency=parks, service_type=tree, fixed=False)


def test_scores_after_contacts_by_team_match_hand_computed_ones(surveys):
    # when
    rows = survey_scores(start=START, end=END, by="team", kind=SurveyKind.CONTACT)
    # then
    assert rows == [
        ScoreRow(group="general", asked=3, answered=2, average_score=4.5, fixed_share=None),
        ScoreRow(group="spanish", asked=1, answered=1, average_score=2.0, fixed_share=None),
    ]
    assert rows[0].response_rate == pytest.approx(2 / 3)


def test_scores_after_contacts_by_channel_match_hand_computed_ones(surveys):
    # when
    rows = survey_scores(start=START, end=END, by="channel", kind=SurveyKind.CONTACT)
    # then
    assert rows == [
        ScoreRow(group="phone", asked=3, answered=3, average_score=11 / 3, fixed_share=None),
        ScoreRow(group="email", asked=1, answered=0, average_score=None, fixed_share=None),
    ]


def test_fixed_shares_by_agency_and_service_type_match_hand_computed_ones(surveys):
    # when
    by_agency = survey_scores(start=START, end=END, by="agency", kind=SurveyKind.SERVICE)
    by_type = survey_scores(
        start=START, end=END, by="service_type", kind=SurveyKind.SERVICE, agency_code="PARKS"
    )
    # then
    assert by_agency == [
        ScoreRow(group="DOT", asked=4, answered=3, average_score=None, fixed_share=2 / 3),
        ScoreRow(group="PARKS", asked=1, answered=1, average_score=None, fixed_share=0.0),
    ]
    assert by_type == [
        ScoreRow(group="tree", asked=1, answered=1, average_score=None, fixed_share=0.0)
    ]


@pytest.fixture
def supervisor(client):
    client.force_login(user_with_role(Role.SUPERVISOR_311, username="sup"))


def test_the_contact_centers_page_and_csv_show_the_scores(client, supervisor, surveys):
    # given
    query = "date_from=2026-04-01&date_to=2026-04-07"
    # when
    with time_machine.travel(datetime(2026, 4, 8, 9, tzinfo=CHICAGO), tick=False):
        page = client.get(f"/console/contacts/figures/?{query}")
        csv = client.get(f"/console/contacts/figures.csv?{query}")
    # then
    assert page.status_code == 200
    assert "survey-scores-heading" in page.content.decode()
    assert "4.5" in page.content.decode()
    lines = csv.content.decode().splitlines()
    assert "survey_asked:team:general,3" in lines
    assert "survey_average_score:team:general,4.50" in lines
    assert "survey_fixed_share:agency:DOT,0.667" in lines


def test_the_performance_page_shows_the_agencys_scores(client, supervisor, surveys):
    # when
    with time_machine.travel(datetime(2026, 4, 8, 9, tzinfo=CHICAGO), tick=False):
        page = client.get(
            "/console/performance/?date_from=2026-04-01&date_to=2026-04-07&agency=DOT"
        )
    # then
    assert page.status_code == 200
    text = page.content.decode()
    assert "survey-scores-heading" in text
    assert '<th scope="row">pothole</th>' in text
    assert '<th scope="row">tree</th>' not in text
