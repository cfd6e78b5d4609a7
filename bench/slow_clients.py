"""Normal requests while slow clients trickle their headers, against the server the run command
starts.

    .venv/bin/python bench/slow_clients.py [--slow 40] [--samples 50] [--body]

It starts ./script/demo on a fresh SQLite database (demo city loaded), then times GET
/open311/v2/services.json one after another: first alone, then while `--slow` connections each send
their request's headers one byte every half second (with `--body`: send whole headers of a POST and
trickle its body). It prints the median, the p99 and the slowest answer of each, and how many
requests got no answer within 10 s. The goal: every request answered, within 1 s, while 40 slow
connections trickle their headers.
"""

import argparse
import statistics
import time
import urllib.request

from common import database, demo_server, machine

from cityline.testing.slowclients import Tricklers


def timings(url: str, samples: int) -> tuple[list[float], int]:
    """Milliseconds of each answered GET, and how many went unanswered."""
    answered, unanswered = [], 0
    for _ in range(samples):
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                response.read()
            answered.append((time.monotonic() - started) * 1000)
        except OSError:
            unanswered += 1
    return answered, unanswered


def report(label: str, answered: list[float], unanswered: int) -> None:
    if not answered:
        print(f"{label}: no answers, {unanswered} unanswered")
        return
    p99 = statistics.quantiles(answered, n=100)[98] if len(answered) > 1 else answered[0]
    print(
        f"{label}: median {statistics.median(answered):.1f} ms, p99 {p99:.1f} ms, "
        f"slowest {max(answered):.1f} ms, {unanswered} unanswered of {len(answered) + unanswered}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slow", type=int, default=40)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--body", action="store_true", help="trickle bodies instead of headers")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with database("sqlite") as env, demo_server(env) as (base, _key):
        url = f"{base}/open311/v2/services.json"
        timings(url, 5)  # warm-up
        report("alone", *timings(url, args.samples))
        port = int(base.rsplit(":", 1)[1])
        with Tricklers(port, args.slow, body=args.body) as slow:
            answered, unanswered = timings(url, args.samples)
            dropped = not slow.still_trickling()
        trickling = "bodies" if args.body else "headers"
        report(f"with {args.slow} slow clients trickling {trickling}", answered, unanswered)
        if dropped:
            print("the server closed some slow connections before the samples ended")


if __name__ == "__main__":
    main()
