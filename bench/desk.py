"""The desk's server time, every action, with 1,000,000 requests and 5,000,000 contacts stored.

    .venv/bin/python bench/desk.py [--db sqlite|postgres|both] [--requests 1000000]
                                   [--contacts 5000000] [--runs 3] [--samples 40] [--explain]

For each database it builds the demo city with --requests requests on a fresh database (with its
contact center's history), then writes contacts straight into the table until --contacts are
stored: three years of them, by fifty call-takers, from callers who come back about four times
each (a phone number each, an e-mail address for three in ten, names from a short list, so a
name finds many), one in five linked to a request. Half of the requests then get a requester,
written straight into the table too, as intake stores one (the phone's digits, the e-mail address,
a stop link's token): four in five are those callers (one in ten of them files, about three
requests each, half of them with their e-mail address), the rest residents who never called. The
statistics are refreshed (ANALYZE), as a running city's are.

It then times every desk action through Django's test client (the view, the queries, the
template; no network), signed in as one of those call-takers: --runs runs of --samples calls
each after five warm-up calls, printing p50 and p95 per run and the median of the runs' p95s.
Actions that change something work on fresh contacts and requests each time, as a real shift
would. The caller looked up (by phone, e-mail and name) is one who filed requests with their
e-mail address, so each lookup reads both their contacts and their requests. --explain prints
the plans of the caller lookups (the contacts; the requests filed with the e-mail address, those
linked to the contacts found, and the newest of them all), of an agent's open contacts and of the
nearby requests.
"""

import json
import subprocess
import time

from common import (
    VENV_BIN,
    cityline_shell,
    database,
    database_version,
    median,
    on_each_database,
    options,
)

PREPARE = """
import random
from datetime import timedelta
from django.db import connection, transaction
from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.services import role_grant
from cityline.contacts.models import Contact, ContactChannel, ContactKind, ContactRequest
from cityline.core import clock
from cityline.core.inserts.rows import RowWriter
from cityline.core.inserts.values import datetime_adapter, uuids_hex
from cityline.core.phones import phone_digits
from cityline.servicerequests.models import Requester, ServiceRequest

TARGET = {contacts}
rng = random.Random(311)
now = clock.now()
agents = []
for n in range(50):
    agent = User.objects.create(username=f"bench-agent-{{n}}", is_staff=True)
    role_grant(user=agent, role=Role.CALL_TAKER, by=None)
    agents.append(agent.pk)
first_id = ServiceRequest.objects.order_by("pk").values_list("pk", flat=True).first()
last_id = ServiceRequest.objects.order_by("-pk").values_list("pk", flat=True).first()
missing = max(0, TARGET - Contact.objects.count())
callers = max(1, missing // 4)
FIRST = ["Ana", "Luis", "Mary", "John", "Wei", "Fatima", "José", "Olga", "Sam", "Priya"]
LAST = ["Lopez", "Smith", "Chen", "Okafor", "Garcia", "Kowalski", "Nguyen", "Brown"]
kinds = [k for k in ContactKind.values if k != ContactKind.SERVICE_REQUEST]
channels = [ContactChannel.PHONE] * 8 + [ContactChannel.EMAIL, ContactChannel.WALK_IN]
span = 3 * 365 * 86400


def caller(number):
    return (
        f"{{FIRST[number % len(FIRST)]}} {{LAST[number // len(FIRST) % len(LAST)]}}",
        f"312{{number:07d}}",
        f"caller{{number}}@example.org" if number % 10 < 3 else "",
    )


def resident(number):
    # Residents who file without ever calling: their own numbers and addresses.
    return (
        f"{{FIRST[number % len(FIRST)]}} {{LAST[number // len(FIRST) % len(LAST)]}}",
        f"313{{number:07d}}",
        f"resident{{number}}@example.org" if number % 10 < 5 else "",
    )


# One caller in ten files requests (half of them with an e-mail address: numbers ending in 0
# have one, in 5 not), four in five requesters are such callers.
filers = max(1, callers // 10)


def filer(number):
    return number * 10 if number % 2 == 0 else number * 10 + 5


def requesters_store(sql, rows):
    tokens = uuids_hex(len(rows))
    with transaction.atomic():
        sql.insert(
            Requester,
            ["request", "first_name", "last_name", "email", "phone", "phone_digits", "language",
             "created_at", "updated_at", "updates_token"],
            [(*row, token) for row, token in zip(rows, tokens, strict=True)],
        )


started = Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
CHUNK = 100_000
with RowWriter() as sql:
    when = datetime_adapter(sql.connection)
    for chunk_start in range(0, missing, CHUNK):
        rows = []
        for _ in range(min(CHUNK, missing - chunk_start)):
            queued = now - timedelta(seconds=rng.uniform(300, span))
            answered = queued + timedelta(seconds=rng.uniform(0, 120))
            ended = answered + timedelta(seconds=rng.uniform(60, 600))
            name, phone, email = caller(rng.randrange(callers))
            rows.append(
                (
                    rng.choice(channels), rng.choice(kinds), "en", rng.choice(agents),
                    "general", when(queued), when(answered), when(ended), name, phone, email,
                )
            )
        with transaction.atomic():
            sql.insert(
                Contact,
                ["channel", "kind", "language", "agent", "queue", "queued_at", "answered_at",
                 "ended_at", "caller_name", "caller_phone", "caller_email"],
                rows,
            )
    ids = Contact.objects.filter(pk__gt=started).order_by("pk").values_list("pk", flat=True)
    links = []
    for contact_id in ids.iterator(chunk_size=50_000):
        if rng.random() < 0.2:
            links.append((contact_id, rng.randint(first_id, last_id), "asked_about"))
        if len(links) >= CHUNK:
            with transaction.atomic():
                sql.insert(ContactRequest, ["contact", "request", "link"], links)
            links = []
    with transaction.atomic():
        sql.insert(ContactRequest, ["contact", "request", "link"], links)
    # Half of the requests carry a requester, as intake stores one: the phone (its digits, as
    # typed and as looked up), the e-mail address as typed, a stop link's token each.
    has_requester = set(Requester.objects.values_list("request_id", flat=True))
    request_ids = ServiceRequest.objects.order_by("pk").values_list("pk", flat=True)
    rows = []
    stamp = when(now)
    for request_id in request_ids.iterator(chunk_size=50_000):
        if request_id in has_requester or rng.random() >= 0.5:
            continue
        if rng.random() < 0.8:
            name, phone, email = caller(filer(rng.randrange(filers)))
        else:
            name, phone, email = resident(rng.randrange(callers))
        first, last = name.split(" ")
        digits = phone_digits(phone)
        rows.append((request_id, first, last, email, digits, digits, "en", stamp, stamp))
        if len(rows) >= CHUNK:
            requesters_store(sql, rows)
            rows = []
    requesters_store(sql, rows)
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(Contact.objects.count(), ContactRequest.objects.count(), Requester.objects.count())
"""

TIMED = """
import json, random, time, uuid
from django.test import Client
from cityline.accounts.models import User
from cityline.catalog.models import AttributeDatatype, ServiceType
from cityline.contacts.models import Contact
from cityline.contacts.services import contact_start
from cityline.geo.models import AddressPoint
from cityline.knowledge.models import KnowledgeArticle
from cityline.knowledge.selectors import article_live_get
from cityline.servicerequests.models import Requester, ServiceRequest

WARM = 5
SAMPLES, RUNS = {samples}, {runs}
CALLS = WARM + SAMPLES * RUNS
agent = User.objects.get(username="bench-agent-0")
client = Client()
client.force_login(agent)
# A caller with an e-mail address who also filed requests: each lookup reads both histories.
filed_with = Requester.objects.exclude(email="").values("email")
known = Contact.objects.filter(caller_email__in=filed_with[:100], agent_id__isnull=False).first()
article = next(
    live
    for slug in KnowledgeArticle.objects.order_by("pk").values_list("slug", flat=True)
    if (live := article_live_get(slug=slug)) is not None
)
words = article.title.split()[:3]


def fileable(service_type):
    questions = [a for a in service_type.attributes.all() if a.variable and a.required]
    return all(a.values.exists() or a.datatype != AttributeDatatype.DATETIME for a in questions)


open_requests = ServiceRequest.objects.filter(closed_at__isnull=True, latitude__isnull=False)
sample = open_requests.order_by("-requested_at").select_related("service_type")[:200]
chosen = next(r for r in sample if r.service_type.is_active and fileable(r.service_type))
service_type = chosen.service_type
answers = {{}}
for attribute in service_type.attributes.all():
    if attribute.variable and attribute.required:
        value = attribute.values.first()
        answers[f"attribute[{{attribute.code}}]"] = value.key if value else "2"
address = AddressPoint.objects.order_by("pk").first().address
followable = list(
    open_requests.order_by("pk").values_list("tracking_number", flat=True)[: CALLS * 2]
)


def fresh():
    return contact_start(channel="phone", agent=agent, language="en")


contact = fresh()
base = f"/console/desk/{{contact.pk}}/"
filing = {{
    "service": service_type.code, "lat": chosen.latitude, "long": chosen.longitude,
    "description": "Bench: the same again.", **answers,
}}
follows = iter(followable)
wraps = iter([fresh() for _ in range(CALLS)])
informations = iter([fresh() for _ in range(CALLS)])
slug = article.slug
actions = {{
    "desk": lambda: ("get", "/console/desk/", {{}}, 200),
    "start a contact": lambda: (
        "post", "/console/desk/start/",
        {{"channel": "phone", "language": "en", "caller_phone": known.caller_phone}}, 302,
    ),
    "contact page": lambda: ("get", base, {{}}, 200),
    "answers search": lambda: ("get", base, {{"q": " ".join(words)}}, 200),
    "caller by phone": lambda: ("get", base, {{"caller": known.caller_phone}}, 200),
    "caller by e-mail": lambda: ("get", base, {{"caller": known.caller_email}}, 200),
    "caller by name": lambda: ("get", base, {{"caller": known.caller_name}}, 200),
    "status inquiry": lambda: (
        "post", base + "status/", {{"tracking_number": chosen.tracking_number}}, 302,
    ),
    "answer used": lambda: ("post", base + f"answers/{{slug}}/", {{}}, 302),
    "information in two keystrokes": lambda: (
        "post",
        f"/console/desk/{{next(informations).pk}}/answers/{{slug}}/",
        {{"finish": "1"}},
        302,
    ),
    "suggest types": lambda: (
        "get", base + "file/", {{"said": chosen.description[:200] or service_type.name}}, 200,
    ),
    "filing form": lambda: ("get", base + "file/", {{"service": service_type.code}}, 200),
    "address suggestions": lambda: (
        "get", base + "file/addresses/", {{"address": address[:6]}}, 200,
    ),
    "nearby requests": lambda: (
        "get", base + "file/nearby/",
        {{"service": service_type.code, "lat": chosen.latitude, "long": chosen.longitude}}, 200,
    ),
    "file a request": lambda: (
        "post", base + "file/submit/", {{**filing, "filing_key": uuid.uuid4().hex}}, 200,
    ),
    "follow instead": lambda: ("post", base + f"follow/{{next(follows)}}/", {{}}, 200),
    "wrap up": lambda: (
        "post", f"/console/desk/{{next(wraps).pk}}/wrap-up/", {{"kind": "complaint"}}, 302,
    ),
}}
results = {{}}
for name, make in actions.items():

    def timed():
        method, url, data, expected = make()
        started = time.perf_counter()
        response = getattr(client, method)(url, data, secure=True)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == expected, (name, url, response.status_code)
        return elapsed

    for _ in range(WARM):
        timed()
    results[name] = [[timed() for _ in range(SAMPLES)] for _ in range(RUNS)]
print(json.dumps(results))
"""

EXPLAIN = """
from cityline.contacts.models import Contact, ContactRequest
from cityline.servicerequests.models import Requester, ServiceRequest
from cityline.geo.cells import h3_neighbourhood
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Upper


def plan(queryset):
    # Django prints only the step numbers of some SQLite plans: read the plan's details directly.
    if connection.vendor != "sqlite":
        return queryset.explain()
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "; ".join(detail for *_, detail in cursor.fetchall())


# The caller the timed lookups look up: one with contacts and requests filed with their e-mail.
filed_with = Requester.objects.exclude(email="").values("email")
known = Contact.objects.filter(caller_email__in=filed_with[:100], agent_id__isnull=False).first()
by_name = Contact.objects.alias(k=Upper("caller_name")).filter(k=Upper(Value(known.caller_name)))
print("by name:", plan(by_name.order_by("-queued_at", "-id").values("pk")[:20]))
by_phone = Contact.objects.filter(caller_phone=known.caller_phone)
print("by phone:", plan(by_phone.order_by("-queued_at", "-id").values("pk")[:20]))
by_email = Contact.objects.filter(caller_email=known.caller_email)
print("by e-mail:", plan(by_email.order_by("-queued_at", "-id").values("pk")[:20]))
requested = Requester.objects.filter(email__in=[known.caller_email]).exclude(email="")
print("requests filed with an e-mail:", plan(requested.values_list("request_id")))
for lookup, contacts in (("name", by_name), ("phone", by_phone), ("e-mail", by_email)):
    ids = list(contacts.order_by("-queued_at", "-id").values_list("pk", flat=True)[:20])
    linked = ContactRequest.objects.filter(contact_id__in=ids).values_list("request_id")
    print(f"requests of contacts by {lookup}:", plan(linked.distinct()))
    request_ids = set(linked.values_list("request_id", flat=True))
    if lookup == "e-mail":
        request_ids.update(requested.values_list("request_id", flat=True))
    print(f"  {len(ids)} contacts, {len(request_ids)} requests")
    newest = ServiceRequest.objects.filter(pk__in=request_ids).order_by("-requested_at", "-id")
    print(f"the caller's requests by {lookup}:", plan(newest.values("pk")[:20]))
agent = Contact.objects.filter(agent__username="bench-agent-0", ended_at__isnull=True, kind="")
print("open for agent:", plan(agent.order_by("queued_at", "id").values("pk")[:20]))
some = ServiceRequest.objects.filter(closed_at__isnull=True, latitude__isnull=False).first()
# The desk lists the open requests within two rings of the place's cell (the selector's default).
cells = h3_neighbourhood(cell=some.h3_cell, rings=2)
nearby = ServiceRequest.objects.filter(
    service_type=some.service_type, h3_cell__in=cells, closed_at__isnull=True
)
print("nearby:", plan(nearby.order_by("-requested_at", "-id").values("pk")[:200]))
"""


def bench(kind: str, *, requests: int, contacts: int, runs: int, samples: int, explain: bool):
    with database(kind) as env:
        for setup in (
            ["migrate", "-v0"],
            ["createcachetable", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run([str(VENV_BIN / "cityline"), *setup], env=env, check=True)
        started = time.perf_counter()
        subprocess.run(
            [str(VENV_BIN / "cityline"), "demo", "--requests", str(requests)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        stored, links, requesters = cityline_shell(env, PREPARE.format(contacts=contacts)).split()
        print(
            f"  {kind}: {requests:,} requests ({int(requesters):,} with a requester), "
            f"{int(stored):,} contacts ({int(links):,} linked to requests), "
            f"built in {time.perf_counter() - started:.0f} s"
        )
        version = database_version(env)
        if explain:
            print(cityline_shell(env, EXPLAIN))
        results = json.loads(cityline_shell(env, TIMED.format(runs=runs, samples=samples)))
        for name, run_timings in results.items():
            p95s = []
            for number, timings in enumerate(run_timings, 1):
                p50, p95 = median(timings), sorted(timings)[int(0.95 * (len(timings) - 1))]
                p95s.append(p95)
                print(f"  {kind} {name} run {number}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
            print(
                f"{kind} ({version}) {name}: median p95 {median(p95s):.1f} ms over {runs} runs "
                f"of {samples} calls"
            )


def main() -> None:
    parser = options(__doc__, samples=40)
    parser.add_argument("--contacts", type=int, default=5_000_000)
    parser.add_argument("--explain", action="store_true")
    on_each_database(parser, bench)


if __name__ == "__main__":
    main()
