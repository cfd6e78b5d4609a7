"""Two refreshes never write the store at once: the second finds the lease taken and leaves the
store to the first, whose files come out whole."""

import threading
import uuid
from datetime import timedelta

import pytest
import time_machine

from cityline.analytics import refresh
from cityline.analytics.models import StoreState
from cityline.analytics.services import StoreBusy, analytics_refresh, store_lease_take
from cityline.analytics.store import REQUESTS, months_stored, partition_path
from cityline.analytics.tests.conftest import AS_OF, build_city
from cityline.servicerequests.models import ServiceRequest

WAIT = 30  # seconds: a bound on each wait, never a pause


@pytest.mark.django_db
def test_a_refresh_while_another_holds_the_lease_is_refused_and_writes_nothing(city):
    # given
    store_lease_take(token=uuid.uuid4())
    # when / then
    with pytest.raises(StoreBusy):
        analytics_refresh(full=True)
    assert months_stored(REQUESTS) == set()
    assert StoreState.objects.get().last_id == 0


@pytest.mark.django_db
def test_the_lease_of_a_refresh_that_died_runs_out(city, settings):
    # given: a refresh that took the lease and never gave it back
    with time_machine.travel(AS_OF, tick=False):
        store_lease_take(token=uuid.uuid4())
    # when
    later = AS_OF + timedelta(seconds=settings.CITYLINE_ANALYTICS_LEASE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        result = analytics_refresh(full=True)
    # then
    assert result.requests == ServiceRequest.objects.count()
    assert StoreState.objects.get().lease_token is None


@pytest.mark.django_db
def test_the_lease_is_given_back_when_a_refresh_fails(city, monkeypatch):
    # given
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(refresh, "partition_replace", broken)
    with pytest.raises(OSError):
        analytics_refresh(full=True)
    monkeypatch.undo()
    # when
    result = analytics_refresh(full=True)
    # then
    assert result.requests == ServiceRequest.objects.count()


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_at_once_in_two_threads_leave_one_whole_store(monkeypatch):
    # given: a refresh in another thread, stopped after it took the lease and wrote one file
    build_city()
    wrote_one, go_on = threading.Event(), threading.Event()
    replace = refresh.partition_replace

    def pausing(*args, **kwargs):
        replace(*args, **kwargs)
        if not wrote_one.is_set():
            wrote_one.set()
            go_on.wait(WAIT)

    monkeypatch.setattr(refresh, "partition_replace", pausing)
    results, errors = [], []

    def first_refresh():
        try:
            results.append(analytics_refresh(full=True))
        except Exception as error:  # the assertion below reports it
            errors.append(error)
        finally:
            from django.db import connection

            connection.close()

    thread = threading.Thread(target=first_refresh)
    thread.start()
    assert wrote_one.wait(WAIT)
    # when
    with pytest.raises(StoreBusy):
        analytics_refresh(full=True)
    go_on.set()
    thread.join(WAIT)
    # then
    assert errors == []
    assert results[0].requests == ServiceRequest.objects.count()
    assert sorted(months_stored(REQUESTS)) == ["2025-03", "2026-02", "2026-03"]
    assert all(partition_path(REQUESTS, m).stat().st_size for m in months_stored(REQUESTS))
