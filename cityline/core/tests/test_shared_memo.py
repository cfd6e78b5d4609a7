import pytest

from cityline.core.memo import SharedMemo

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
