"""Idempotency keys: one answer per key and API key for a day, even for retries that race."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections

from cityline.accounts.idempotency import (
    IdempotencyKeyReused,
    idempotency_key_answer,
    idempotency_key_sweep,
)
from cityline.accounts.models import IdempotencyKey
from cityline.accounts.services import api_key_create

KEY = "3a1c4f7e-0d2b-4c8a-9e6f-5b7d8c9a0e1f"


@pytest.fixture
def api_key(db):
    api_key, _ = api_key_create(name="FixMyStreet")
    return api_key


def _answer(made: list[str], label: str):
    def answer() -> dict:
        made.append(label)
        return {"request": label}

    return answer


@pytest.mark.django_db
class TestAnswers:
    def test_the_first_answer_is_given_again_for_the_same_request(self, api_key):
        # given
        made: list[str] = []
        first = idempotency_key_answer(
            api_key=api_key, key=KEY, fingerprint="f", answer=_answer(made, "first")
        )
        # when
        retry = idempotency_key_answer(
            api_key=api_key, key=KEY, fingerprint="f", answer=_answer(made, "second")
        )
        # then
        assert first == ({"request": "first"}, False)
        assert retry == ({"request": "first"}, True)
        assert made == ["first"]

    def test_the_same_key_for_another_request_is_refused(self, api_key):
        # given
        idempotency_key_answer(api_key=api_key, key=KEY, fingerprint="f", answer=_answer([], "a"))
        # when / then
        with pytest.raises(IdempotencyKeyReused) as refused:
            idempotency_key_answer(
                api_key=api_key, key=KEY, fingerprint="g", answer=_answer([], "b")
            )
        assert refused.value.field == "Idempotency-Key"

    def test_a_failed_answer_leaves_nothing_behind(self, api_key):
        # given
        def failing() -> dict:
            raise ValueError("the request was refused")

        # when
        with pytest.raises(ValueError):
            idempotency_key_answer(api_key=api_key, key=KEY, fingerprint="f", answer=failing)
        # then
        assert not IdempotencyKey.objects.exists()

    def test_keys_without_an_api_key_share_one_space(self, db):
        # given
        made: list[str] = []
        idempotency_key_answer(api_key=None, key=KEY, fingerprint="f", answer=_answer(made, "a"))
        # when
        retry = idempotency_key_answer(
            api_key=None, key=KEY, fingerprint="f", answer=_answer(made, "b")
        )
        # then
        assert retry == ({"request": "a"}, True)
        assert made == ["a"]


@pytest.mark.django_db
class TestSweep:
    def test_keys_older_than_a_day_are_forgotten(self, api_key):
        # given
        idempotency_key_answer(api_key=api_key, key="old", fingerprint="f", answer=dict)
        with time_machine.travel(timedelta(hours=23)):
            idempotency_key_answer(api_key=api_key, key="recent", fingerprint="f", answer=dict)
        # when
        with time_machine.travel(timedelta(days=1, minutes=1)):
            forgotten = idempotency_key_sweep()
        # then
        assert forgotten == 1
        assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]

    def test_the_command_sweeps_and_says_how_many(self, api_key):
        # given
        idempotency_key_answer(api_key=api_key, key="old", fingerprint="f", answer=dict)
        out = StringIO()
        # when
        with time_machine.travel(timedelta(days=2)):
            call_command("idempotency_sweep", stdout=out)
        # then
        assert out.getvalue().strip() == "forgot 1 keys"
        assert not IdempotencyKey.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's test database is in memory, where threads share one cache and its table "
    "locks; on a file, SQLite's writers take turns (core/tests/test_sqlite_write_queue.py)",
)
@pytest.mark.django_db(transaction=True)
def test_a_retry_racing_the_first_post_waits_for_it_and_gets_its_answer(api_key):
    # given: the first POST has claimed its key and is still making its request
    made: list[str] = []
    inside, release, second_done = threading.Event(), threading.Event(), threading.Event()
    answers: dict[str, tuple] = {}

    def first_answer() -> dict:
        inside.set()
        release.wait(timeout=30)
        made.append("first")
        return {"request": "first"}

    def run(label: str, answer, done: threading.Event | None = None) -> None:
        try:
            answers[label] = idempotency_key_answer(
                api_key=api_key, key=KEY, fingerprint="f", answer=answer
            )
        finally:
            connections.close_all()
            if done is not None:
                done.set()

    first = threading.Thread(target=run, args=("first", first_answer))
    first.start()
    assert inside.wait(timeout=30)
    # when: the retry arrives meanwhile
    second = threading.Thread(target=run, args=("second", _answer(made, "second"), second_done))
    second.start()
    finished_early = second_done.wait(timeout=0.5)
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)
    # then: it waited for the first to commit, and made no request of its own
    assert not finished_early
    assert made == ["first"]
    assert answers == {
        "first": ({"request": "first"}, False),
        "second": ({"request": "first"}, True),
    }
