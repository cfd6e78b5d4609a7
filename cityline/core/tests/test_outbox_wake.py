import pytest
from django.db import transaction

from cityline.core import outbox
from cityline.core.outbox import outbox_enqueue

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def wakes(monkeypatch, transactional_db):
    calls = []
    monkeypatch.setattr(outbox, "_last_wake", float("-inf"))
    from cityline.core import tasks

    class CountingTask:
        def enqueue(self) -> None:
            calls.append("sweep")

    monkeypatch.setattr(tasks, "outbox_sweep_task", CountingTask())
    return calls


def test_commits_within_the_wake_interval_wake_the_worker_once(settings, wakes):
    # given
    settings.CITYLINE_OUTBOX_WAKE_SECONDS = 60
    # when
    for number in range(3):
        with transaction.atomic():
            outbox_enqueue(topic="test.wake", payload={"n": number})
    # then
    assert wakes == ["sweep"]


def test_a_rolled_back_change_wakes_nobody(settings, wakes):
    # given
    settings.CITYLINE_OUTBOX_WAKE_SECONDS = 0
    # when
    with transaction.atomic():
        outbox_enqueue(topic="test.wake", payload={})
        transaction.set_rollback(True)
    # then
    assert wakes == []
