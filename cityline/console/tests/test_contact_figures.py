import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.contacts.models import ContactKind
from cityline.contacts.services import CallRecord, calls_import
from cityline.contacts.tests.factories import make_contact

pytestmark = pytest.mark.django_db

# Monday 2 March 2026, 09:00 in Chicago.
MONDAY = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def supervisor(client):
    user = user_with_role(Role.SUPERVISOR_311, is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def week():
    agent = user_with_role(Role.CALL_TAKER, username="agent")
    make_contact(agent=agent, at=MONDAY, kind=ContactKind.INFORMATION)
    calls_import(
        calls=[
            CallRecord(
                call_id="gave-up",
                queue="general",
                offered_at=MONDAY + timedelta(hours=1),
                answered_at=None,
                abandoned_at=MONDAY + timedelta(hours=1, seconds=50),
                ended_at=None,
                agent="",
            )
        ]
    )


def test_the_page_shows_the_weeks_figures(client, supervisor, week):
    # when
    with time_machine.travel(MONDAY + timedelta(days=2), tick=False):
        response = client.get("/console/contacts/figures/")
    # then
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.offered, figures.answered, figures.abandoned) == (2, 1, 1)
    assert "50 %" in response.content.decode()


def test_a_period_without_the_contacts_shows_none(client, supervisor, week):
    # when
    response = client.get("/console/contacts/figures/?date_from=2026-02-01&date_to=2026-02-28")
    # then
    assert response.context["figures"].offered == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_from=2026-03-05&date_to=2026-03-01", "date_to"),
        ("date_from=yesterday", "date_from"),
        ("target=0", "target"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(client, supervisor, query, field):
    # when
    response = client.get(f"/console/contacts/figures/?{query}")
    # then
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_the_csv_holds_the_figures_and_its_download_is_audited(client, supervisor, week):
    # when
    response = client.get(
        "/console/contacts/figures.csv?date_from=2026-03-01&date_to=2026-03-07&queue=general"
    )
    # then
    assert response.status_code == 200
    rows = dict(csv.reader(io.StringIO(response.content.decode())))
    assert (rows["offered"], rows["abandoned"], rows["service_level"]) == ("1", "1", "0.000")
    entry = AuditEntry.objects.get(action="contacts.figures_exported")
    assert entry.actor == supervisor
    assert entry.details == {"from": "2026-03-01", "to": "2026-03-07", "queue": "general"}
