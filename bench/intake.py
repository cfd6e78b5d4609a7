"""Open311 intake throughput: POST requests.json against the server the run command starts.

    .venv/bin/python bench/intake.py [--db sqlite|postgres|both] [--runs 3] [--duration 20]

For each database it starts ./script/demo on a fresh database (demo city loaded), then drives
POST /open311/v2/requests.json with wrk (Debian's package) at 32 concurrent connections, and
prints requests/s, latency percentiles and errors per run, and their medians. Every request asks
for an e-mail receipt; the worker (which the run command starts at a lower CPU priority) delivers
them, and the script also prints how many were still waiting when the last run ended and how long
the worker took to deliver them all. Each run also prints the web processes' CPU time per request,
which moves less with whatever else the machine runs than the rates do, and the CPU time the host
withheld from the machine during the run (see bench/host.py: a host that throttles a machine
running flat out pauses it, and every request in flight waits the pause out). SQLite runs with the
server's `synchronous` setting (FULL unless CITYLINE_SQLITE_SYNCHRONOUS says otherwise), which
the summary names.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from common import (
    cityline_shell,
    database,
    database_version,
    demo_server,
    host_steal_seconds,
    machine,
    median,
)

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def _answer(attribute: dict) -> list[str]:
    datatype = attribute["datatype"]
    if datatype in ("singlevaluelist", "multivaluelist"):
        return [attribute["values"][0]["key"]]
    return {
        "number": ["3"],
        "datetime": ["2026-01-05T10:00:00-05:00"],
    }.get(datatype, ["Reported during a load test"])


def request_bodies(base: str, key: str, count: int = 200) -> list[str]:
    """Valid form bodies across the public catalog, at places where requests already are."""
    services = [s for s in _get(f"{base}/open311/v2/services.json") if s["type"] == "realtime"]
    definitions = {
        s["service_code"]: _get(f"{base}/open311/v2/services/{s['service_code']}.json")
        if s["metadata"]
        else {"attributes": []}
        for s in services
    }
    places = [
        (r["lat"], r["long"])
        for r in _get(f"{base}/open311/v2/requests.json")
        if r.get("lat") is not None
    ] or [(None, None)]
    rng = random.Random(311)
    bodies = []
    for _ in range(count):
        code = rng.choice(list(definitions))
        lat, lon = rng.choice(places)
        fields = [
            ("api_key", key),
            ("service_code", code),
            ("description", "Load test report: please ignore."),
            ("lat", str(lat)),
            ("long", str(lon)),
            ("email", "loadtest@example.org"),
        ]
        for attribute in definitions[code]["attributes"]:
            if attribute.get("variable", True) and attribute["required"]:
                fields += [(f"attribute[{attribute['code']}]", v) for v in _answer(attribute)]
        bodies.append(urllib.parse.urlencode(fields))
    return bodies


def lua_script(bodies: list[str], folder: Path) -> Path:
    quoted = ",\n".join(json.dumps(body) for body in bodies)
    path = folder / "post.lua"
    path.write_text(
        f"""
local bodies = {{{quoted}}}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  i = i % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
"""
    )
    return path


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def run_wrk(url: str, script: Path, *, connections: int, seconds: int) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(percentiles["50"]),
        "p99": _ms(percentiles["99"]),
        "errors": (int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
    }


def _processes() -> Iterator[tuple[int, str, float]]:
    """Each process's session, command line and CPU seconds (user and system) so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # it ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        yield int(fields[3]), command, (int(fields[11]) + int(fields[12])) / ticks


def web_cpu_seconds(port: str) -> float:
    """CPU seconds used so far by the Granian processes serving `port` (its main process and its
    workers, which share its session)."""
    processes = [p for p in _processes() if "granian" in p[1]]
    sessions = {session for session, command, _ in processes if f"--port {port}" in command}
    return sum(seconds for session, _, seconds in processes if session in sessions)


def outbox_pending(env: dict[str, str]) -> int:
    return int(
        cityline_shell(
            env,
            "from cityline.core.models import OutboxMessage;"
            "print(OutboxMessage.objects.filter(delivered_at=None).count())",
        )
    )


def wait_for_deliveries(env: dict[str, str], *, timeout: float = 900) -> tuple[int, float]:
    """Messages still undelivered now, and the seconds until the worker had delivered them."""
    started = time.monotonic()
    pending = first = outbox_pending(env)
    while pending and time.monotonic() - started < timeout:
        time.sleep(2)
        pending = outbox_pending(env)
    if pending:
        raise RuntimeError(f"{pending} outbox messages still undelivered after {timeout:.0f} s")
    return first, time.monotonic() - started


def bench(kind: str, *, runs: int, seconds: int, connections: int) -> None:
    with database(kind) as env:
        with demo_server(env) as (base, key):
            version = database_version(env)
            if kind == "sqlite":
                synchronous = cityline_shell(
                    env, "from django.conf import settings; print(settings.SQLITE_SYNCHRONOUS)"
                )
                version += f", synchronous={synchronous}"
            folder = Path(tempfile.mkdtemp(prefix="cityline-wrk-"))
            script = lua_script(request_bodies(base, key), folder)
            url = f"{base}/open311/v2/requests.json"
            run_wrk(url, script, connections=connections, seconds=3)  # warm-up
            results = []
            port = urllib.parse.urlsplit(base).port
            for number in range(1, runs + 1):
                cpu_before = web_cpu_seconds(str(port))
                steal_before = host_steal_seconds()
                result = run_wrk(url, script, connections=connections, seconds=seconds)
                cpu_per_request = (web_cpu_seconds(str(port)) - cpu_before) / (
                    result["rps"] * seconds
                )
                steal = host_steal_seconds() - steal_before
                results.append(result)
                print(
                    f"  {kind} run {number}: {result['rps']:.0f} req/s, p50 {result['p50']:.1f} ms,"
                    f" p99 {result['p99']:.1f} ms, errors {result['errors']:.0f},"
                    f" web processes' CPU {cpu_per_request * 1000:.2f} ms a request,"
                    f" CPU withheld by the host {steal:.2f} s"
                    f" (load average {os.getloadavg()[0]:.1f} after it)"
                )
            shutil.rmtree(folder, ignore_errors=True)
            waiting, seconds_to_deliver = wait_for_deliveries(env)
        print(
            f"{kind} ({version}): median {median([r['rps'] for r in results]):.0f} req/s, "
            f"p99 {median([r['p99'] for r in results]):.1f} ms, "
            f"errors {sum(r['errors'] for r in results):.0f} "
            f"over {runs} runs of {seconds} s at {connections} connections"
        )
        print(
            f"{kind}: {waiting} receipts waited in the outbox when the last run ended; "
            f"the worker had delivered them all {seconds_to_deliver:.0f} s later"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    print(f"machine: {machine()}")
    for kind in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        bench(kind, runs=args.runs, seconds=args.duration, connections=args.connections)


if __name__ == "__main__":
    main()
