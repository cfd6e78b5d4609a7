"""A contact center whose every day of five weeks took ten calls from 9:00 (Chicago), answered at
once and handled in 180 s: a flat history, so its forecast, backtest error and staffing are
worked out by hand."""

from datetime import UTC, date, datetime, timedelta

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.contacts.services import CallRecord, calls_import

TODAY = date(2026, 2, 20)
NOW = datetime(2026, 2, 20, 18, 0, tzinfo=UTC)
FIRST_CALL_DAY = TODAY - timedelta(days=35)
CALLS_A_DAY = 10
HANDLE = timedelta(seconds=180)


def ten_calls_a_day_for_five_weeks() -> None:
    user_with_role(Role.CALL_TAKER, username="agent")
    calls = []
    for day in range(35):
        # 9:00 in Chicago is 15:00 UTC all winter.
        morning = datetime.combine(FIRST_CALL_DAY + timedelta(days=day), datetime.min.time(), UTC)
        for i in range(CALLS_A_DAY):
            offered = morning + timedelta(hours=15, minutes=2 * i)
            calls.append(
                CallRecord(
                    call_id=f"{day}-{i}",
                    queue="general",
                    offered_at=offered,
                    answered_at=offered,
                    abandoned_at=None,
                    ended_at=offered + HANDLE,
                    agent="agent",
                )
            )
    calls_import(calls=calls)
