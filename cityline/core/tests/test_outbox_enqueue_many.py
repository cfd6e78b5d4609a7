import pytest
from django.db import transaction

from cityline.core import outbox
from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_enqueue_many

pytestmark = pytest.mark.django_db(transaction=True)


def test_many_messages_are_written_in_the_callers_transaction_and_wake_the_worker(
    monkeypatch, settings
):
    # given
    settings.CITYLINE_OUTBOX_WAKE_SECONDS = 0
    wakes = []
    monkeypatch.setattr(outbox, "_wake_worker", lambda: wakes.append("sweep"))
    # when
    with transaction.atomic():
        outbox_enqueue_many(topic="test.many", payloads=[{"n": 1}, {"n": 2}])
        outbox_enqueue_many(topic="test.many", payloads=[])
    # then
    assert sorted(m.payload["n"] for m in OutboxMessage.objects.filter(topic="test.many")) == [1, 2]
    assert wakes == ["sweep"]


def test_a_rolled_back_change_leaves_no_message():
    # when
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue_many(topic="test.many", payloads=[{"n": 1}])
        raise RuntimeError
    # then
    assert not OutboxMessage.objects.filter(topic="test.many").exists()
