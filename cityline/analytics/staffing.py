"""Erlang C: the call-takers a half hour needs to answer a share of its calls within a target wait.

The model (A. K. Erlang, 1917; the contact-center industry's standard): calls arrive at random
(Poisson) at `calls` per interval, each takes `handle_seconds` on average, callers wait in one
queue and do not hang up. The offered traffic is A = calls x handle / interval (erlangs). With
N > A agents:

- the probability that a call waits, Erlang C(N, A) = (A^N / N! · N / (N - A)) /
  (Σ_{k<N} A^k / k! + A^N / N! · N / (N - A));
- the service level, the share answered within t seconds, 1 - C(N, A) · e^{-(N - A) t / handle};
- the average speed of answer, C(N, A) · handle / (N - A).

The sums are computed with Erlang B's recurrence (B(0) = 1, B(k) = A·B(k-1) / (k + A·B(k-1)),
C = N·B / (N - A·(1 - B))), which stays exact where A^N / N! would overflow a float at big
centers' hundreds of agents.
"""

import math
from typing import NamedTuple

HALF_HOUR = 1800


class Staffing(NamedTuple):
    calls: float
    agents: int
    traffic: float  # erlangs
    service_level: float  # share answered within the target, 0 to 1
    average_speed_of_answer: float  # seconds
    occupancy: float  # share of the agents' time on calls, 0 to 1


def erlang_c(*, agents: int, traffic: float) -> float:
    """The probability that a call waits; 1 when the agents cannot keep up (N ≤ A)."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return agents * blocking / (agents - traffic * (1 - blocking))


def service_level(
    *, agents: int, traffic: float, handle_seconds: float, target_seconds: float
) -> float:
    if traffic <= 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    waits = erlang_c(agents=agents, traffic=traffic)
    return 1 - waits * math.exp(-(agents - traffic) * target_seconds / handle_seconds)


def staffing_for(
    *,
    calls: float,
    handle_seconds: float,
    target_seconds: float = 30,
    level: float = 0.8,
    interval_seconds: int = HALF_HOUR,
) -> Staffing:
    """The fewest agents who answer `level` of `calls` (arriving over the interval) within
    `target_seconds`, with the figures they reach."""
    traffic = calls * handle_seconds / interval_seconds
    agents = math.floor(traffic) + 1 if calls > 0 else 0
    while calls > 0 and (
        service_level(
            agents=agents,
            traffic=traffic,
            handle_seconds=handle_seconds,
            target_seconds=target_seconds,
        )
        < level
    ):
        agents += 1
    if agents == 0:
        return Staffing(calls, 0, 0.0, 1.0, 0.0, 0.0)
    waits = erlang_c(agents=agents, traffic=traffic)
    return Staffing(
        calls=calls,
        agents=agents,
        traffic=traffic,
        service_level=service_level(
            agents=agents,
            traffic=traffic,
            handle_seconds=handle_seconds,
            target_seconds=target_seconds,
        ),
        average_speed_of_answer=waits * handle_seconds / (agents - traffic),
        occupancy=traffic / agents,
    )
