"""What the host lets this machine do when every core runs flat out.

    .venv/bin/python bench/host.py [--seconds 30]

Runs a busy loop on every core and, beside them at the highest priority it may take, a thread that
sleeps a millisecond at a time. An oversleep of 50 ms or more with the machine's own scheduler
able to run that thread at once is a pause of the whole virtual machine by its host; the CPU time
the host withheld (steal) is read from /proc/stat. Prints both for an idle machine and for a
busy one, so a benchmark's tail latency can be read against what the host does at full load.
"""

import argparse
import contextlib
import multiprocessing
import os
import time
from multiprocessing.synchronize import Event

from common import host_steal_seconds, machine

PAUSE = 0.05


def _spin(stop: Event) -> None:
    # The loops yield to the probe at once, so its oversleeps are the host's, not theirs.
    os.setpriority(os.PRIO_PROCESS, 0, 19)
    while not stop.is_set():
        for _ in range(100_000):
            pass


def pauses(seconds: float) -> tuple[list[float], float]:
    """Oversleeps of at least PAUSE seconds of a 1 ms sleep loop over `seconds`, and the steal."""
    found = []
    steal_before = host_steal_seconds()
    end = time.monotonic() + seconds
    last = time.monotonic()
    while last < end:
        time.sleep(0.001)
        now = time.monotonic()
        if now - last >= PAUSE:
            found.append(now - last)
        last = now
    return found, host_steal_seconds() - steal_before


def report(label: str, seconds: float) -> None:
    found, steal = pauses(seconds)
    longest = f", longest {max(found) * 1000:.0f} ms" if found else ""
    print(
        f"{label}: {len(found)} pauses of {PAUSE * 1000:.0f} ms or more in {seconds:.0f} s"
        f"{longest}; CPU withheld by the host {steal:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    with contextlib.suppress(PermissionError):
        os.nice(-20)
    print(f"machine: {machine()}; this probe at nice {os.nice(0)}")
    report("idle", args.seconds)
    stop = multiprocessing.Event()
    spinners = [
        multiprocessing.Process(target=_spin, args=(stop,)) for _ in range(os.cpu_count() or 1)
    ]
    for spinner in spinners:
        spinner.start()
    try:
        report(f"{len(spinners)} busy loops", args.seconds)
    finally:
        stop.set()
        for spinner in spinners:
            spinner.join()


if __name__ == "__main__":
    main()
