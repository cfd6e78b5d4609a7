from cityline.core.memo import RecentAnswers


def _counting_loader(answers):
    calls = []

    def load(key):
        calls.append(key)
        return answers.get(key)

    return load, calls


def test_an_answer_is_kept_until_it_is_older_than_the_limit():
    # given
    load, calls = _counting_loader({"a": 1})
    now = [100.0]
    memo = RecentAnswers(seconds=5, loader=load, clock=lambda: now[0])
    # when
    first, second = memo.get("a"), memo.get("a")
    now[0] += 6
    third = memo.get("a")
    # then
    assert (first, second, third) == (1, 1, 1)
    assert calls == ["a", "a"]


def test_a_miss_is_never_kept():
    # given
    load, calls = _counting_loader({})
    memo = RecentAnswers(seconds=5, loader=load)
    # when
    memo.get("unknown")
    memo.get("unknown")
    # then
    assert calls == ["unknown", "unknown"]


def test_clearing_forgets_everything():
    # given
    load, calls = _counting_loader({"a": 1})
    memo = RecentAnswers(seconds=5, loader=load)
    memo.get("a")
    # when
    memo.clear(sender=None)
    memo.get("a")
    # then
    assert calls == ["a", "a"]
