"""Work-queue page latency: /console/queue/ with 1,000,000 requests stored and 50,000 open.

    .venv/bin/python bench/queue_page.py [--db sqlite|postgres|both] [--requests 1000000]
                                         [--open 50000] [--runs 3] [--samples 40] [--explain]

For each database it builds the demo city with --requests requests on a fresh database (its
eleven agencies receive very different shares: the largest holds about a third of the requests),
then leaves exactly --open of them open, each with a due time from a target of one to ten days
(filed over the last twenty days, so a good part is overdue), statuses from new to waiting, two
in three assigned to one of the agency's ten workers, one in twenty proactive and one in twenty
without a due time. The statistics are refreshed (ANALYZE), as a running city's are.

It then renders the whole page through Django's test client (the view, the queries, the
template; no network), signed in as a worker of the agency with the most open requests: the
default view and each filter, --runs runs of --samples pages each after five warm-up pages,
printing p50 and p95 per run and the medians of the runs' p50s and p95s. The console's home
("My work", every agency's counts) is timed for an auditor, who may open every queue. --explain
prints the ranking query's plan on each database.
"""

import json

from common import BENCH, LEAVE_OPEN, cityline_shell, demo_city, on_each_database, options, report

PREPARE = (
    LEAVE_OPEN
    + """
import json
from datetime import timedelta
from django.db import connection
from django.db.models import Count
from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.services import role_grant
from cityline.catalog.models import Agency

workers = {{}}
for agency in Agency.objects.all():
    workers[agency.pk] = []
    for n in range(10):
        user = User.objects.create(username=f"bench-{{agency.code}}-{{n}}", is_staff=True)
        role_grant(user=user, role=Role.AGENCY_WORKER, agency=agency, by=None)
        workers[agency.pk].append(user)
auditor = User.objects.create(username="bench-auditor", is_staff=True)
role_grant(user=auditor, role=Role.AUDITOR, by=None)
statuses = [
    (Status.NEW, 0.2),
    (Status.ACKNOWLEDGED, 0.15),
    (Status.IN_PROGRESS, 0.5),
    (Status.WAITING_ON_REQUESTER, 0.1),
    (Status.WAITING_ON_THIRD_PARTY, 0.05),
]
rows = []
for request in ServiceRequest.objects.filter(pk__in=chosen).only("pk", "agency_id"):
    received = now - timedelta(seconds=rng.uniform(0, 20 * 86400))
    target = timedelta(days=rng.randint(1, 10))
    request.status = rng.choices([s for s, _ in statuses], [w for _, w in statuses])[0]
    request.resolution = ""
    request.closed_at = None
    request.requested_at = received
    due = None if rng.random() < 0.05 else received + target
    request.acknowledge_due_at = None if due is None else received + timedelta(days=1)
    request.resolve_target_at = request.expected_at = due
    request.waiting_since = (
        received + (now - received) * rng.random()
        if request.status in (Status.WAITING_ON_REQUESTER, Status.WAITING_ON_THIRD_PARTY)
        else None
    )
    request.assignee = rng.choice(workers[request.agency_id]) if rng.random() < 0.67 else None
    request.proactive = rng.random() < 0.05
    rows.append(request)
ServiceRequest.objects.bulk_update(
    rows,
    ["status", "resolution", "closed_at", "requested_at", "acknowledge_due_at",
     "resolve_target_at", "expected_at", "waiting_since", "assignee", "proactive"],
    # Small batches: each UPDATE's CASE holds a branch per row, read in order for every row.
    batch_size=250,
)
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
by_agency = (
    ServiceRequest.objects.filter(closed_at__isnull=True)
    .values("agency__code").annotate(n=Count("pk")).order_by("-n")
)
print(json.dumps([[row["agency__code"], row["n"]] for row in by_agency]))
"""
)

TIMED = """
import json, sys
from django.test import Client
from cityline.accounts.models import User
from cityline.servicerequests.models import RequestArea, ServiceRequest

sys.path.insert(0, {bench!r})
from common import timed_runs

AGENCY = {agency!r}
worker = User.objects.get(username=f"bench-{{AGENCY}}-0")
auditor = User.objects.get(username="bench-auditor")
open_requests = ServiceRequest.objects.filter(agency__code=AGENCY, closed_at__isnull=True)
some = open_requests.order_by("pk").first()
area = RequestArea.objects.filter(request=some).select_related("area").first().area
base = f"/console/queue/?queue={{AGENCY}}"
pages = {{
    "default": (worker, base),
    "service type": (worker, f"{{base}}&service_type={{some.service_type.code}}"),
    "area": (worker, f"{{base}}&area={{area.pk}}"),
    "status": (worker, f"{{base}}&status=in_progress"),
    "assignee me": (worker, f"{{base}}&assignee=me"),
    "unassigned": (worker, f"{{base}}&assignee=unassigned"),
    "older than 7 days": (worker, f"{{base}}&older_than=7"),
    "proactive": (worker, f"{{base}}&origin=proactive"),
    "page 10": (worker, f"{{base}}&page=10"),
    "home, My work (auditor, every agency)": (auditor, "/console/"),
}}
results = {{}}
for name, (user, url) in pages.items():
    client = Client()
    client.force_login(user)

    def page_got(_, client=client, url=url):
        response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)

    results[name] = timed_runs(page_got, runs={runs}, samples={samples}, warm_up=5)
print(json.dumps(results))
"""

EXPLAIN = """
from cityline.catalog.models import Agency
from cityline.core import clock
from cityline.servicerequests import access
from cityline.servicerequests.models import RequestArea
from cityline.servicerequests.queues import QueueFilters, _filtered, ranked_and_counted

agency = Agency.objects.get(code={agency!r})
queue = access.Queue(agency.code, agency.name, agency, frozenset())
now = clock.now()
everything = QueueFilters()
matching = _filtered(access.queue_requests(queue=queue), filters=everything, user_id=None, now=now)
print("ranking:", ranked_and_counted(matching, now=now)[:50].explain())
area = RequestArea.objects.filter(request__in=matching.values("pk")[:1]).first().area_id
in_area = _filtered(
    access.queue_requests(queue=queue), filters=QueueFilters(area_id=area), user_id=None, now=now
)
print("area:", ranked_and_counted(in_area, now=now)[:50].explain())
"""


def bench(kind: str, *, requests: int, open_requests: int, runs: int, samples: int, explain: bool):
    with demo_city(kind, requests=requests) as (env, version):
        by_agency = json.loads(cityline_shell(env, PREPARE.format(open=open_requests)))
        largest, largest_open = by_agency[0]
        print(
            f"  {kind}: {requests:,} requests, {sum(n for _, n in by_agency):,} open in "
            f"{len(by_agency)} agencies ({', '.join(f'{a} {n:,}' for a, n in by_agency)})"
        )
        if explain:
            print(cityline_shell(env, EXPLAIN.format(agency=largest)))
        timed = TIMED.format(bench=str(BENCH), agency=largest, runs=runs, samples=samples)
        for name, timings in json.loads(cityline_shell(env, timed)).items():
            report(
                f"{kind} ({version}) {name}",
                timings,
                of=f"pages; {largest} queue, {largest_open:,} open",
            )


def main() -> None:
    parser = options(__doc__, samples=40)
    parser.add_argument("--open", type=int, default=50_000, dest="open_requests")
    parser.add_argument("--explain", action="store_true")
    on_each_database(parser, bench)


if __name__ == "__main__":
    main()
