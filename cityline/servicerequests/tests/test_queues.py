from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import UserFactory, user_with_role
from cityline.catalog.tests.factories import AgencyFactory
from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory, square
from cityline.servicerequests import access
from cityline.servicerequests.models import Channel, Resolution, Status
from cityline.servicerequests.queues import (
    PAGE_SIZE,
    AssigneeFilter,
    Origin,
    QueueFilters,
    Risk,
    queue_counts,
    queue_counts_by_agency,
    queue_page,
    queue_rows_for_export,
)
from cityline.servicerequests.services.lifecycle import service_request_close
from cityline.servicerequests.tests.queue_helpers import (
    NOW,
    filed,
    proactive,
    type_with_target,
)

pytestmark = pytest.mark.django_db

H = timedelta(hours=1)


@pytest.fixture
def dot():
    return AgencyFactory.create(code="DOT", name="Transportation")


@pytest.fixture
def dot_queue(dot):
    return access.Queue(dot.code, dot.name, dot, frozenset())


def _page(queue, filters=None, *, user_id=None, page=1):
    return queue_page(
        requests=access.queue_requests(queue=queue),
        filters=filters or QueueFilters(),
        user_id=user_id,
        page=page,
        now=NOW,
    )


def _numbers(queue, filters=None, **kwargs):
    return [row.tracking_number for row in _page(queue, filters, **kwargs).rows]


def test_overdue_first_then_share_of_target_left_then_paused_then_no_due_time(dot, dot_queue):
    # given
    overdue_2h = filed(type_with_target(agency=dot, hours=8), ago=10 * H)
    overdue_6h = filed(type_with_target(agency=dot, hours=24), ago=30 * H)
    three_of_four_left = filed(type_with_target(agency=dot, hours=4), ago=1 * H)
    half_left = filed(type_with_target(agency=dot, hours=40), ago=20 * H)
    paused = filed(
        type_with_target(agency=dot, hours=10),
        ago=5 * H,
        status=Status.WAITING_ON_REQUESTER,
        status_ago=4 * H,
    )
    no_due_time = filed(type_with_target(agency=dot, hours=None), ago=100 * H)
    # when
    rows = _page(dot_queue).rows
    # then
    assert [row.tracking_number for row in rows] == [
        overdue_6h.tracking_number,
        overdue_2h.tracking_number,
        half_left.tracking_number,
        three_of_four_left.tracking_number,
        paused.tracking_number,
        no_due_time.tracking_number,
    ]
    assert [row.risk for row in rows] == [
        Risk.OVERDUE,
        Risk.OVERDUE,
        Risk.RUNNING,
        Risk.RUNNING,
        Risk.PAUSED,
        Risk.NO_DUE_TIME,
    ]
    assert rows[0].overdue_by == 6 * H
    assert rows[2].time_left == 20 * H
    assert rows[2].share_left == pytest.approx(0.5, abs=1e-5)


def test_a_paused_request_shows_its_clock_stopped_when_the_wait_began(dot, dot_queue):
    # given: filed with a 10-hour target, waiting since an hour after it was filed
    filed(
        type_with_target(agency=dot, hours=10),
        ago=50 * H,
        status=Status.WAITING_ON_THIRD_PARTY,
        status_ago=49 * H,
    )
    # when
    (row,) = _page(dot_queue).rows
    # then: nine hours were left when it began to wait, however long ago that was
    assert row.paused
    assert row.clock_at == NOW - 49 * H
    assert row.time_left == 9 * H
    assert row.overdue_by is None
    assert row.share_left == pytest.approx(0.9, abs=1e-5)


def test_a_request_paused_after_its_due_time_comes_first_among_the_paused(dot, dot_queue):
    # given
    sla = type_with_target(agency=dot, hours=10)
    in_time = filed(sla, ago=5 * H, status=Status.WAITING_ON_REQUESTER, status_ago=4 * H)
    late = filed(sla, ago=30 * H, status=Status.WAITING_ON_REQUESTER, status_ago=12 * H)
    # when
    numbers = _numbers(dot_queue)
    # then
    assert numbers == [late.tracking_number, in_time.tracking_number]


def test_the_order_follows_the_clock(dot, dot_queue):
    # given: a long target half used, and a short one with less of it used
    long_half_used = filed(type_with_target(agency=dot, hours=100), ago=50 * H)
    short_quarter_used = filed(type_with_target(agency=dot, hours=4), ago=1 * H)
    # when: ranked now, and three hours later
    now = _numbers(dot_queue)
    with time_machine.travel(NOW + 3 * H, tick=False):
        later = [
            row.tracking_number
            for row in queue_page(
                requests=access.queue_requests(queue=dot_queue),
                filters=QueueFilters(),
                user_id=None,
                page=1,
                now=NOW + 3 * H,
            ).rows
        ]
    # then: the short one has overtaken
    assert now == [long_half_used.tracking_number, short_quarter_used.tracking_number]
    assert later == [long_half_used.tracking_number, short_quarter_used.tracking_number][::-1]


def test_only_the_queues_open_requests_are_listed_and_counted(dot, dot_queue):
    # given
    sla = type_with_target(agency=dot, hours=10)
    kept = filed(sla, ago=H)
    closed = filed(sla, ago=H)
    with time_machine.travel(NOW, tick=False):
        service_request_close(
            request=closed, resolution=Resolution.COMPLETED, by=None, via=Channel.STAFF
        )
    filed(type_with_target(agency=AgencyFactory.create(code="PARKS"), hours=10), ago=H)
    # when
    page = _page(dot_queue)
    # then
    assert [row.tracking_number for row in page.rows] == [kept.tracking_number]
    assert page.total == 1


def test_each_filter_narrows_the_queue(dot, dot_queue):
    # given
    me, colleague = UserFactory.create(is_staff=True), UserFactory.create(is_staff=True)
    potholes = type_with_target(agency=dot, hours=10)
    signs = type_with_target(agency=dot, hours=10)
    layer = BoundaryLayerFactory.create(slug="council")
    district = BoundaryAreaFactory.create(
        layer=layer, code="1", geometry=square(west=-87.7, south=41.8, size=0.1)
    )
    mine = filed(potholes, ago=H, assignee=me)
    theirs = filed(potholes, ago=2 * H, assignee=colleague)
    old_sign = filed(signs, ago=100 * H, longitude=-87.45)
    started = filed(signs, ago=H, status=Status.IN_PROGRESS, longitude=-87.45)
    city_found = proactive(filed(signs, ago=3 * H, longitude=-87.45))
    everything = {mine, theirs, old_sign, started, city_found}

    def matching(**filters):
        return set(_numbers(dot_queue, QueueFilters(**filters), user_id=me.pk))

    def numbers(*requests):
        return {r.tracking_number for r in requests}

    # when / then
    assert matching() == numbers(*everything)
    assert matching(service_type_id=potholes.pk) == numbers(mine, theirs)
    assert matching(area_id=district.pk) == numbers(mine, theirs)
    assert matching(status=Status.IN_PROGRESS) == numbers(started)
    assert matching(assignee=AssigneeFilter.ME) == numbers(mine)
    assert matching(assignee=str(colleague.pk)) == numbers(theirs)
    assert matching(assignee=AssigneeFilter.UNASSIGNED) == numbers(old_sign, started, city_found)
    assert matching(older_than_days=2) == numbers(old_sign)
    assert matching(origin=Origin.PROACTIVE) == numbers(city_found)
    assert matching(origin=Origin.REPORTED) == numbers(*(everything - {city_found}))


def test_pages_hold_page_size_rows_and_the_count_holds_them_all(dot, dot_queue):
    # given
    sla = type_with_target(agency=dot, hours=1000)
    requests = [filed(sla, ago=n * H) for n in range(PAGE_SIZE + 3)]
    proactive(requests[-1])
    # when
    first, second = _page(dot_queue), _page(dot_queue, page=2)
    # then: the oldest (most of its target used) first
    assert first.total == second.total == PAGE_SIZE + 3
    assert first.proactive == second.proactive == 1
    assert [r.tracking_number for r in first.rows + second.rows] == [
        r.tracking_number for r in reversed(requests)
    ]
    assert first.has_next and not second.has_next and second.has_previous


def test_a_first_page_holding_every_match_counts_them_and_the_proactive_ones(dot, dot_queue):
    # given
    sla = type_with_target(agency=dot, hours=10)
    filed(sla, ago=H)
    proactive(filed(sla, ago=2 * H))
    # when
    page = _page(dot_queue)
    # then
    assert (page.total, page.proactive, len(page.rows)) == (2, 1, 2)
    assert not page.has_next


def test_a_page_past_the_last_has_no_row_and_still_counts_the_matches(dot, dot_queue):
    # given
    sla = type_with_target(agency=dot, hours=10)
    filed(sla, ago=H)
    proactive(filed(sla, ago=2 * H))
    # when
    page = _page(dot_queue, page=3)
    # then
    assert (page.total, page.proactive, page.rows) == (2, 1, [])


def test_the_counts_of_a_filtered_page_are_those_of_its_matches(dot, dot_queue):
    # given: three requests in a district, two of them proactive, and two proactive outside it
    district = BoundaryAreaFactory.create(
        layer=BoundaryLayerFactory.create(slug="council"),
        code="1",
        geometry=square(west=-87.7, south=41.8, size=0.1),
    )
    sla = type_with_target(agency=dot, hours=100)
    inside = [filed(sla, ago=n * H) for n in range(1, 4)]
    proactive(inside[0])
    proactive(inside[1])
    for n in range(2):
        proactive(filed(sla, ago=n * H, longitude=-87.45))
    # when
    page = _page(dot_queue, QueueFilters(area_id=district.pk))
    # then
    assert (page.total, page.proactive) == (3, 2)
    assert {r.tracking_number for r in page.rows} == {r.tracking_number for r in inside}


def test_the_counts_tell_overdue_at_risk_unassigned_and_proactive_apart(dot, dot_queue, settings):
    # given: at risk past three quarters of the target used
    settings.CITYLINE_SLA_AT_RISK_SHARE = 0.75
    worker = UserFactory.create(is_staff=True)
    filed(type_with_target(agency=dot, hours=10), ago=11 * H)  # overdue
    filed(type_with_target(agency=dot, hours=10), ago=8 * H, assignee=worker)  # at risk
    proactive(filed(type_with_target(agency=dot, hours=10), ago=H, assignee=worker))
    # when
    counts = queue_counts(requests=access.queue_requests(queue=dot_queue), now=NOW)
    # then
    assert counts == (3, 1, 1, 1, 1)


def test_every_agencys_counts_in_one_query_are_each_queues_own(
    dot, dot_queue, settings, django_assert_num_queries
):
    # given
    settings.CITYLINE_SLA_AT_RISK_SHARE = 0.75
    worker = UserFactory.create(is_staff=True)
    parks = AgencyFactory.create(code="PARKS")
    parks_queue = access.Queue(parks.code, parks.name, parks, frozenset())
    empty = AgencyFactory.create(code="EMPTY")
    empty_queue = access.Queue(empty.code, empty.name, empty, frozenset())
    filed(type_with_target(agency=dot, hours=10), ago=11 * H)
    filed(type_with_target(agency=dot, hours=10), ago=8 * H, assignee=worker)
    proactive(filed(type_with_target(agency=parks, hours=10), ago=H, assignee=worker))
    closed = filed(type_with_target(agency=parks, hours=10), ago=H)
    with time_machine.travel(NOW, tick=False):
        service_request_close(
            request=closed, resolution=Resolution.COMPLETED, by=None, via=Channel.STAFF
        )
    queues = [dot_queue, parks_queue, empty_queue]
    # when
    with django_assert_num_queries(1):
        by_agency = queue_counts_by_agency(
            requests=access.agency_queues_requests(queues=queues), now=NOW
        )
    # then
    assert by_agency == {
        queue.agency.pk: queue_counts(requests=access.queue_requests(queue=queue), now=NOW)
        for queue in (dot_queue, parks_queue)
    }
    assert by_agency[dot.pk] == (2, 1, 1, 1, 0)


def test_the_export_lists_the_filtered_queue_in_its_order(dot, dot_queue):
    # given
    sla = type_with_target(agency=dot, hours=10)
    newer, older = filed(sla, ago=H), filed(sla, ago=5 * H)
    proactive(filed(sla, ago=2 * H))
    # when
    rows = list(
        queue_rows_for_export(
            requests=access.queue_requests(queue=dot_queue),
            filters=QueueFilters(origin=Origin.REPORTED),
            user_id=None,
            now=NOW,
        )
    )
    # then
    assert [row.tracking_number for row in rows] == [older.tracking_number, newer.tracking_number]


def test_a_partners_queue_holds_the_open_requests_of_their_areas_whatever_the_agency(dot):
    # given
    layer = BoundaryLayerFactory.create(slug="council")
    district_1 = BoundaryAreaFactory.create(
        layer=layer, code="1", geometry=square(west=-87.7, south=41.8, size=0.1)
    )
    BoundaryAreaFactory.create(
        layer=layer, code="2", geometry=square(west=-87.5, south=41.8, size=0.1)
    )
    partner = user_with_role(Role.PARTNER, area=district_1)
    parks = AgencyFactory.create(code="PARKS")
    inside_dot = filed(type_with_target(agency=dot, hours=10), ago=H)
    inside_parks = filed(type_with_target(agency=parks, hours=10), ago=2 * H)
    filed(type_with_target(agency=dot, hours=10), ago=H, longitude=-87.45)
    # when
    queue = access.queue_get_for_user(user=partner, key=access.AREAS_QUEUE)
    numbers = _numbers(queue)
    # then
    assert numbers == [inside_parks.tracking_number, inside_dot.tracking_number]


def test_filters_are_named_in_an_audit_entry_only_when_they_narrow():
    # given
    filters = QueueFilters(status=Status.NEW, older_than_days=0)
    # when
    details = filters.as_details()
    # then
    assert details == {"status": "new", "older_than_days": 0}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="extended statistics are PostgreSQL's; SQLite plans without them",
)
def test_postgresql_gathers_the_status_and_closing_time_of_requests_together():
    # when
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(a.attname ORDER BY a.attname), s.stxkind FROM pg_statistic_ext s"
            " JOIN pg_attribute a ON a.attrelid = s.stxrelid AND a.attnum = ANY (s.stxkeys)"
            " WHERE s.stxname = 'sr_open_status_closed_stats' GROUP BY s.stxkind"
        )
        found = cursor.fetchall()
    # then: a list of their most common pairs, which the open requests' share is read from
    assert found == [(["closed_at", "status"], ["m"])]
