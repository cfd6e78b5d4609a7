"""The contacts in the store: published by month without personal data, refreshed with what
changed, and the contact center's figures read from them agree with the database's."""

from datetime import UTC, datetime, timedelta

import pyarrow.parquet as pq
import pytest
import time_machine

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.analytics.contact_queries import contact_center_figures_from_store
from cityline.analytics.services import analytics_refresh
from cityline.analytics.store import CONTACTS, months_stored, partition_path
from cityline.contacts.models import Contact, ContactChannel, ContactKind, RequestLink
from cityline.contacts.selectors import contact_center_figures
from cityline.contacts.services import (
    CallerDetails,
    CallRecord,
    calls_import,
    contact_end,
    contact_request_link,
    contact_start,
)
from cityline.contacts.tests.factories import make_contact
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

MARCH = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
COMMON = (
    "contacts",
    "calls_offered",
    "calls_answered",
    "calls_abandoned",
    "service_level",
    "average_speed_of_answer",
    "average_handle_time",
    "by_kind",
    "by_channel",
    "information_share",
)


def _call(call_id: str, at: datetime, *, wait: int, talk: int | None, agent: str, queue="main"):
    answered = at + wait * SECOND if talk is not None else None
    return CallRecord(
        call_id=call_id,
        queue=queue,
        offered_at=at,
        answered_at=answered,
        abandoned_at=None if answered else at + wait * SECOND,
        ended_at=answered + talk * SECOND if answered and talk is not None else None,
        agent=agent if answered else "",
    )


@pytest.fixture
def center(db):
    """Calls answered fast and slowly, abandoned, in two queues and two months; e-mails and
    counter visits wrapped up as different kinds; one contact linked to a request."""
    agent = user_with_role(Role.CALL_TAKER, username="agent1")
    calls_import(
        calls=[
            _call("c1", MARCH, wait=10, talk=120, agent="agent1"),
            _call("c2", MARCH + 5 * SECOND, wait=45, talk=300, agent="agent1"),
            _call("c3", MARCH + 60 * SECOND, wait=20, talk=None, agent="agent1"),
            _call("c4", MARCH + timedelta(days=1), wait=30, talk=60, agent="agent1", queue="es"),
            _call("c5", MARCH - timedelta(days=5), wait=5, talk=30, agent="agent1"),
        ]
    )
    make_contact(agent=agent, at=MARCH, kind=ContactKind.INFORMATION, channel=ContactChannel.EMAIL)
    make_contact(agent=agent, at=MARCH + timedelta(hours=2), kind=ContactKind.COMPLAINT)
    visit = make_contact(
        agent=agent,
        at=MARCH + timedelta(hours=3),
        channel=ContactChannel.WALK_IN,
        caller=CallerDetails(name="Perpetua Wolstenholme", phone="312 555 0161"),
    )
    request = make_request()
    contact_request_link(contact=visit, request=request, link=RequestLink.CREATED)
    contact_end(
        contact=visit, kind=ContactKind.SERVICE_REQUEST, at=MARCH + timedelta(hours=3, minutes=4)
    )
    return {"agent": agent, "visit": visit, "request": request}


def _agree(start: datetime, end: datetime, queue: str = "") -> None:
    from_store = contact_center_figures_from_store(start=start, end=end, queue=queue)
    from_database = contact_center_figures(start=start, end=end, queue=queue)
    for figure in COMMON:
        assert getattr(from_store, figure) == getattr(from_database, figure), figure


@pytest.mark.parametrize("queue", ["", "main", "es"])
def test_the_stores_figures_agree_with_the_databases(center, queue):
    # given
    analytics_refresh()
    # when / then
    _agree(MARCH - timedelta(days=1), MARCH + timedelta(days=7), queue)
    _agree(MARCH - timedelta(days=30), MARCH + timedelta(days=30), queue)


def test_the_hand_computed_figures_of_march(center):
    # given
    analytics_refresh()
    # when
    figures = contact_center_figures_from_store(
        start=datetime(2026, 3, 1, 6, tzinfo=UTC), end=datetime(2026, 4, 1, 5, tzinfo=UTC)
    )
    # then: calls c1 (10 s), c2 (45 s), c3 abandoned, c4 (30 s) and the complaint taken at once
    # (0 s, 3 min): 3 of 5 within 30 s
    assert (figures.calls_offered, figures.calls_answered, figures.calls_abandoned) == (5, 4, 1)
    assert figures.service_level == 0.6
    assert figures.average_speed_of_answer == timedelta(seconds=(10 + 45 + 30 + 0) / 4)
    assert figures.average_handle_time == timedelta(seconds=(120 + 300 + 60 + 180) / 4)
    assert figures.contacts == 7
    assert figures.by_kind == {"information": 1, "complaint": 1, "service_request": 1}
    assert figures.information_share == pytest.approx(1 / 3)


def test_contacts_are_stored_by_month_with_their_requests_and_no_personal_data(center):
    # when
    analytics_refresh()
    # then
    assert months_stored(CONTACTS) == {"2026-02", "2026-03"}
    march = pq.read_table(partition_path(CONTACTS, "2026-03"))
    assert march.schema.names == [
        "id",
        "channel",
        "kind",
        "language",
        "queue",
        "queued_at",
        "queued_on",
        "answered_at",
        "ended_at",
        "request_ids",
    ]
    rows = {row["id"]: row for row in march.to_pylist()}
    assert rows[center["visit"].pk]["request_ids"] == [center["request"].pk]
    text = str(march.to_pylist())
    assert "Perpetua" not in text and "0161" not in text


def test_a_refresh_writes_a_contacts_later_changes(center):
    # given: a call in progress when the store was refreshed
    with time_machine.travel(MARCH + timedelta(days=2), tick=False):
        ongoing = contact_start(channel=ContactChannel.PHONE, agent=center["agent"])
        analytics_refresh()
    # when: it is wrapped up, and a new one comes in
    with time_machine.travel(MARCH + timedelta(days=2, minutes=5), tick=False):
        contact_end(contact=ongoing, kind=ContactKind.INFORMATION)
        contact_start(channel=ContactChannel.EMAIL, agent=center["agent"])
    with time_machine.travel(MARCH + timedelta(days=2, minutes=30), tick=False):
        analytics_refresh()
    # then
    march = pq.read_table(partition_path(CONTACTS, "2026-03")).to_pylist()
    stored = {row["id"]: row for row in march}
    assert stored[ongoing.pk]["kind"] == "information"
    assert stored[ongoing.pk]["ended_at"] == MARCH + timedelta(days=2, minutes=5)
    _agree(MARCH - timedelta(days=1), MARCH + timedelta(days=7))


def test_a_calls_queued_time_from_the_phone_system_moves_it_between_months(center):
    # given
    analytics_refresh()
    first_call = Contact.objects.get(call_id="c1").pk
    # when: the phone system says c1 was in fact offered in February
    calls_import(calls=[_call("c1", MARCH - timedelta(days=3), wait=10, talk=120, agent="agent1")])
    analytics_refresh()
    # then
    assert first_call in _stored_ids("2026-02")
    assert first_call not in _stored_ids("2026-03")
    _agree(MARCH - timedelta(days=30), MARCH + timedelta(days=30))


def _stored_ids(month: str) -> set[int]:
    return {row["id"] for row in pq.read_table(partition_path(CONTACTS, month)).to_pylist()}


def test_an_empty_store_has_no_contact_figures(db):
    # when
    figures = contact_center_figures_from_store(start=MARCH, end=MARCH + timedelta(days=1))
    # then
    assert figures.contacts == 0 and figures.service_level is None
