from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from cityline.accounts.audit import AuditTarget, audit_record
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import UserFactory, user_with_role
from cityline.catalog.tests.factories import AgencyFactory
from cityline.console.audit_views import PAGE_SIZE

pytestmark = pytest.mark.django_db

URL = "/console/audit/"
CHICAGO = ZoneInfo("America/Chicago")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("no_role", 403),
        ("call_taker", 403),
        ("agency_worker", 403),
        ("agency_supervisor", 200),
        ("supervisor_311", 200),
        ("auditor", 200),
        ("administrator", 200),
        ("superuser", 200),
    ],
)
def test_the_audit_log_is_read_by_supervisors_auditors_and_administrators(client, who, status):
    # given
    people = {
        "anonymous": lambda: AnonymousUser(),
        "no_role": lambda: UserFactory(is_staff=True),
        "call_taker": lambda: user_with_role(Role.CALL_TAKER),
        "agency_worker": lambda: user_with_role(Role.AGENCY_WORKER, agency=AgencyFactory.create()),
        "agency_supervisor": lambda: user_with_role(
            Role.AGENCY_SUPERVISOR, agency=AgencyFactory.create()
        ),
        "supervisor_311": lambda: user_with_role(Role.SUPERVISOR_311),
        "auditor": lambda: user_with_role(Role.AUDITOR),
        "administrator": lambda: user_with_role(Role.ADMINISTRATOR),
        "superuser": lambda: UserFactory(is_superuser=True),
    }
    user = people[who]()
    if user.is_authenticated:
        client.force_login(user)
    # when
    response = client.get(URL)
    # then
    assert response.status_code == status


def _entry(*, actor, action, target_id="1", at):
    with time_machine.travel(at, tick=False):
        return audit_record(
            actor=actor, action=action, target=AuditTarget("queue", target_id), details={}, ip=None
        )


def test_entries_are_filtered_by_actor_action_target_and_city_dates(client):
    # given
    auditor = user_with_role(Role.AUDITOR, username="audrey")
    dana, lee = UserFactory(username="dana"), UserFactory(username="lee")
    _entry(actor=dana, action="request.close", at=datetime(2026, 3, 2, 23, 30, tzinfo=CHICAGO))
    _entry(actor=dana, action="request.note", at=datetime(2026, 3, 3, 9, tzinfo=CHICAGO))
    _entry(actor=dana, action="requester.viewed", at=datetime(2026, 3, 3, 10, tzinfo=CHICAGO))
    _entry(actor=lee, action="request.close", at=datetime(2026, 3, 3, 11, tzinfo=CHICAGO))
    _entry(
        actor=dana,
        action="request.close",
        target_id="2",
        at=datetime(2026, 3, 3, 12, tzinfo=CHICAGO),
    )
    client.force_login(auditor)
    # when
    page = client.get(
        URL,
        {
            "actor": "dana",
            "action": "request.",
            "target_type": "queue",
            "target_id": "1",
            "date_from": "2026-03-03",
            "date_to": "2026-03-03",
        },
    )
    # then
    assert page.status_code == 200
    rows = [row for row in page.text.split("<tr>") if "<td>" in row]
    assert len(rows) == 1
    assert "request.note" in rows[0]
    assert "2026-03-03" in rows[0]


def test_an_agency_supervisor_reads_only_what_their_agencys_staff_did(client):
    # given
    dot, parks = AgencyFactory.create(code="DOT"), AgencyFactory.create(code="PARKS")
    supervisor = user_with_role(Role.AGENCY_SUPERVISOR, agency=dot)
    dot_worker = user_with_role(Role.AGENCY_WORKER, agency=dot, username="dev")
    parks_worker = user_with_role(Role.AGENCY_WORKER, agency=parks, username="pia")
    at = datetime(2026, 3, 3, 9, tzinfo=CHICAGO)
    _entry(actor=dot_worker, action="request.note", at=at)
    _entry(actor=parks_worker, action="request.close", at=at)
    _entry(actor=None, action="role.granted", at=at)
    client.force_login(supervisor)
    # when
    page = client.get(URL)
    # then
    rows = [row for row in page.text.split("<tr>") if "<td>" in row]
    assert len(rows) == 1
    assert "request.note" in rows[0]
    assert "dev" in rows[0]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_from": "2026-03-04", "date_to": "2026-03-03"}, "date_to"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(client, query, field):
    # given
    client.force_login(user_with_role(Role.SUPERVISOR_311))
    # when
    response = client.get(URL, query)
    # then
    assert response.status_code == 400
    assert f'href="#id_{field}"' in response.text


def test_entries_are_paged_newest_first(client):
    # given
    for n in range(PAGE_SIZE + 1):
        _entry(
            actor=None,
            action=f"export.{n:03d}",
            at=datetime(2026, 3, 1, tzinfo=CHICAGO).replace(minute=n % 60, hour=n // 60),
        )
    client.force_login(user_with_role(Role.AUDITOR))
    # when
    first = client.get(URL)
    second = client.get(URL, {"page": 2})
    # then
    assert f"export.{PAGE_SIZE:03d}" in first.text
    assert "export.000" not in first.text
    assert "export.000" in second.text


def test_the_page_costs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    # given
    for _ in range(20):
        _entry(actor=UserFactory(), action="request.close", at=datetime(2026, 3, 1, tzinfo=CHICAGO))
    client.force_login(user_with_role(Role.AUDITOR))
    # when / then: the page's own queries, and the shared parts' first read (the city's
    # identity, the emergency banner), whatever the number of entries
    with django_assert_max_num_queries(9):
        response = client.get(URL)
    assert response.status_code == 200
