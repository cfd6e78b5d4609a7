import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityline.core.memo import SharedMemo, memo_request_finished, memo_request_started

pytestmark = pytest.mark.django_db


def _counting_loader(answers):
    calls = []

    def load(key):
        calls.append(key)
        return answers.get(key)

    return load, calls


def test_an_answer_is_kept_while_nothing_changes():
    # given
    load, calls = _counting_loader({"a": 1})
    memo = SharedMemo(name="test", loader=load)
    # when
    first, second = memo.get("a"), memo.get("a")
    # then
    assert (first, second) == (1, 1)
    assert calls == ["a"]


def test_a_miss_is_never_kept():
    # given
    load, calls = _counting_loader({})
    memo = SharedMemo(name="test", loader=load)
    # when
    memo.get("unknown")
    memo.get("unknown")
    # then
    assert calls == ["unknown", "unknown"]


def test_a_change_forgotten_in_one_worker_is_reloaded_by_every_worker():
    # given two workers' copies of the same memo, both holding the answer
    answers = {"a": 1}
    load, calls = _counting_loader(answers)
    this_worker = SharedMemo(name="test", loader=load)
    other_worker = SharedMemo(name="test", loader=load)
    this_worker.get("a")
    other_worker.get("a")
    # when
    answers["a"] = 2
    this_worker.forget(sender=None)
    # then
    assert (this_worker.get("a"), other_worker.get("a")) == (2, 2)
    assert calls == ["a", "a", "a", "a"]


def test_memos_of_different_names_are_forgotten_apart():
    # given
    load, calls = _counting_loader({"a": 1})
    keys, types = SharedMemo(name="keys", loader=load), SharedMemo(name="types", loader=load)
    keys.get("a")
    types.get("a")
    # when
    keys.forget(sender=None)
    types.get("a")
    # then
    assert calls == ["a", "a"]


def test_an_answer_loaded_before_a_change_is_not_kept_after_it():
    # given a load overtaken by a change that another thread makes and reads back
    answers = {"a": 1}
    overtaken = []

    def load(key):
        value = answers[key]
        if not overtaken:
            overtaken.append(key)
            answers[key] = 2
            memo.forget(sender=None)
            assert memo.get(key) == 2
        return value

    memo = SharedMemo(name="test", loader=load)
    # when
    stale = memo.get("a")
    # then
    assert stale == 1
    assert memo.get("a") == 2


def _cache_reads(queries):
    return [q["sql"] for q in queries if "cityline_cache" in q["sql"]]


@pytest.fixture
def database_cache(settings):
    """The shared cache as the web workers have it: each read is a query."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cityline_cache",
        }
    }
    call_command("createcachetable", verbosity=0)


def test_a_request_reads_every_memos_generation_in_one_query(database_cache):
    # given three memos that one request consults
    memos = [SharedMemo(name=name, loader=lambda key: key) for name in ("one", "two", "three")]
    for memo in memos:
        memo.get("a")
    # when
    memo_request_started()
    try:
        with CaptureQueriesContext(connection) as during:
            answers = [memo.get("a") for memo in memos for _ in range(2)]
    finally:
        memo_request_finished()
    # then
    assert answers == ["a"] * 6
    assert len(_cache_reads(during.captured_queries)) == 1


def test_a_change_made_by_the_request_itself_is_seen_within_it():
    # given a request that has read the memo once
    answers = {"a": 1}
    load, calls = _counting_loader(answers)
    memo = SharedMemo(name="test", loader=load)
    memo_request_started()
    try:
        memo.get("a")
        # when
        answers["a"] = 2
        memo.forget(sender=None)
        # then
        assert memo.get("a") == 2
    finally:
        memo_request_finished()
    assert calls == ["a", "a"]


def test_the_next_request_sees_a_change_another_worker_made_during_this_one():
    # given a request under way in this worker, and another worker's copy of the memo
    answers = {"a": 1}
    load, _ = _counting_loader(answers)
    this_worker = SharedMemo(name="test", loader=load)
    other_worker = SharedMemo(name="test", loader=load)
    memo_request_started()
    try:
        this_worker.get("a")
        # when the other worker changes it
        answers["a"] = 2
        other_worker.forget(sender=None)
    finally:
        memo_request_finished()
    memo_request_started()
    try:
        # then
        assert this_worker.get("a") == 2
    finally:
        memo_request_finished()


def test_outside_a_request_every_get_reads_the_generations(database_cache):
    # given
    memo = SharedMemo(name="test", loader=lambda key: key)
    memo.get("a")
    # when
    with CaptureQueriesContext(connection) as outside:
        memo.get("a")
        memo.get("a")
    # then
    assert len(_cache_reads(outside.captured_queries)) == 2
