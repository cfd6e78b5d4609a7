"""The figures against a small day worked out by hand."""

from datetime import UTC, datetime, timedelta

import pytest

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.contacts.models import ContactChannel, ContactKind
from cityline.contacts.selectors import contact_center_figures
from cityline.contacts.services import (
    CallerDetails,
    CallRecord,
    calls_import,
    contact_article_record,
)
from cityline.contacts.tests.factories import make_contact
from cityline.knowledge.tests.factories import make_article

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
S = timedelta(seconds=1)


def _call(call_id: str, offered: datetime, wait: int, handle: int | None, agent: str) -> CallRecord:
    answered = offered + wait * S if handle is not None else None
    return CallRecord(
        call_id=call_id,
        queue="general",
        offered_at=offered,
        answered_at=answered,
        abandoned_at=None if answered else offered + wait * S,
        ended_at=answered + handle * S if answered and handle is not None else None,
        agent=agent if answered else "",
    )


def test_the_days_figures_are_those_worked_out_by_hand():
    # given: four calls (waits 10 s, 20 s, 60 s answered; one abandoned after 45 s), a walk-in,
    # and an e-mail that came back within the week from the same caller
    agent = user_with_role(Role.CALL_TAKER, username="agent")
    article = make_article()
    calls_import(
        calls=[
            _call("A", DAY, 10, 120, "agent"),
            _call("B", DAY + 600 * S, 20, 240, "agent"),
            _call("C", DAY + 1200 * S, 60, 300, "agent"),
            _call("D", DAY + 1800 * S, 45, None, ""),
        ]
    )
    ana = CallerDetails(email="ana@example.org")
    walk_in = make_contact(
        agent=agent,
        at=DAY + 3600 * S,
        kind=ContactKind.INFORMATION,
        channel=ContactChannel.WALK_IN,
        caller=ana,
        handled_for=timedelta(minutes=6),
    )
    contact_article_record(contact=walk_in, article=article)
    make_contact(
        agent=agent,
        at=DAY + 7200 * S,
        kind=ContactKind.COMPLAINT,
        channel=ContactChannel.EMAIL,
        caller=ana,
        handled_for=timedelta(minutes=2),
    )
    make_contact(
        agent=agent,
        at=DAY + 9000 * S,
        kind=ContactKind.INFORMATION,
        channel=ContactChannel.PHONE,
        caller=CallerDetails(phone="212 555 0100"),
        handled_for=timedelta(minutes=4),
    )
    # when
    figures = contact_center_figures(start=DAY, end=DAY + timedelta(days=1))
    # then
    assert (figures.offered, figures.answered, figures.abandoned) == (7, 6, 1)
    # answered within 30 s: A, B and the three desk contacts (no wait); C waited 60 s, D gave up
    assert figures.service_level == pytest.approx(5 / 7)
    assert figures.average_speed_of_answer == (10 + 20 + 60) * S / 6
    # handle times: 120, 240, 300 s, then 6, 2 and 4 minutes
    assert figures.average_handle_time == (120 + 240 + 300 + 360 + 120 + 240) * S / 6
    assert figures.by_kind == {"information": 2, "complaint": 1}
    assert figures.by_channel == {"phone": 5, "walk_in": 1, "email": 1}
    assert figures.information_share == pytest.approx(2 / 3)
    assert figures.top_articles == [(article.title, 1)]
    # of three wrapped-up contacts with a known caller, Ana came back after her walk-in
    assert figures.first_contact_resolution == pytest.approx(2 / 3)


def test_a_queue_and_a_quiet_period_have_their_own_figures():
    # given
    calls_import(calls=[_call("A", DAY, 45, None, "")])
    # when
    quiet = contact_center_figures(start=DAY - timedelta(days=1), end=DAY)
    other_queue = contact_center_figures(start=DAY, end=DAY + timedelta(days=1), queue="spanish")
    general = contact_center_figures(start=DAY, end=DAY + timedelta(days=1), queue="general")
    # then
    assert quiet.offered == other_queue.offered == 0
    assert quiet.service_level is None and quiet.average_speed_of_answer is None
    assert (general.offered, general.abandoned, general.service_level) == (1, 1, 0.0)
