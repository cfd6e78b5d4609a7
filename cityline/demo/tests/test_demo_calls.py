"""The demo's generated contact history keeps time in order across the clocks' changes."""

from datetime import datetime
from zoneinfo import ZoneInfo

from cityline.demo.calls import DemoRequest, calls_generate
from cityline.servicerequests.models import Channel

CHICAGO = ZoneInfo("America/Chicago")


def test_calls_filed_just_after_the_clocks_spring_forward_end_after_they_were_queued():
    # given: phone requests filed in the first minute after 2 am became 3 am, in the city's time
    requests = [
        DemoRequest(
            request_id=n,
            requested_at=datetime(2026, 3, 8, 3, 0, n % 60, tzinfo=CHICAGO),
            channel=Channel.PHONE,
        )
        for n in range(200)
    ]
    # when
    contacts = calls_generate(requests=requests, now=datetime(2026, 3, 9, tzinfo=CHICAGO), seed=1)
    # then
    assert contacts
    # as instants: Python compares two times of one zone by their wall clocks
    assert all(
        c.ended_at is None or c.ended_at.timestamp() >= c.queued_at.timestamp() for c in contacts
    )
    assert all(
        c.answered_at is None or c.queued_at.timestamp() <= c.answered_at.timestamp()
        for c in contacts
    )
