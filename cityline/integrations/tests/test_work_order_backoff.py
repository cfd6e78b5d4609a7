import random

import pytest

from cityline.integrations.delivery import work_order_backoff


def test_the_wait_is_a_random_time_up_to_a_doubling_bound_capped(settings):
    # given
    settings.CITYLINE_WORKORDER_BACKOFF_BASE_SECONDS = 5
    settings.CITYLINE_WORKORDER_BACKOFF_CAP_SECONDS = 60
    # when
    waits = [
        work_order_backoff(attempts=n, rng=random.Random(7)).total_seconds() for n in range(1, 7)
    ]
    # then: the same draw scaled by 5, 10, 20, 40, then the cap of 60
    draw = random.Random(7).random()
    assert waits == pytest.approx([draw * bound for bound in (5, 10, 20, 40, 60, 60)], abs=1e-6)


def test_the_jitter_spreads_retries_between_zero_and_the_bound(settings):
    # given
    settings.CITYLINE_WORKORDER_BACKOFF_BASE_SECONDS = 1
    settings.CITYLINE_WORKORDER_BACKOFF_CAP_SECONDS = 3600
    rng = random.Random(1)
    # when
    waits = [work_order_backoff(attempts=4, rng=rng).total_seconds() for _ in range(200)]
    # then
    assert all(0 <= wait <= 8 for wait in waits)
    assert min(waits) < 2 and max(waits) > 6
