"""Knowledge search latency: knowledge_search over ≥10,000 published articles.

    .venv/bin/python bench/knowledge_search.py [--db sqlite|postgres|both] [--articles 10000]
                                               [--runs 5]

For each database it migrates a fresh, empty database, publishes the articles through the
knowledge services (draft, submit, approve, publish, so every search document, full-text entry
and vocabulary word is what an editor would have made; the catalog indexes itself as it is
saved), then times knowledge_search over a fixed set of resident phrasings,
including misspellings and synonyms. Each run calls every phrasing once; it prints p50/p95 per
run, the median p95 of the runs, and how many phrasings found their expected answer first.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time

from common import REPO, VENV_BIN, database, machine, median

from cityline.knowledge.tests.phrasings import RESIDENT_PHRASINGS

# What residents type and the answer that should come first (the suite's relevance set), plus
# phrasings with no article, which still have to be searched.
PHRASINGS: list[tuple[str, str | None]] = [
    *RESIDENT_PHRASINGS,
    ("graffiti on my building", None),
    ("broken streetlight", None),
    ("rat problem in the park", None),
    ("heat not working in apartment", None),
]

SERVICE_TYPES = [
    ("pothole", "Pothole", ["sinkhole", "cave-in", "hole in road"]),
    ("dead-animal", "Dead Animal Removal", ["roadkill", "dead raccoon"]),
    ("missed-collection", "Missed Garbage Collection", ["trash not picked up", "missed pickup"]),
    ("noise-party", "Loud Party", ["noise", "music"]),
]

ANSWERS = [
    (
        "tree-removal",
        "How do I get a tree removed?",
        "Trees",
        "Parks inspects the tree and removes it if it is dead or dangerous.",
    ),
    (
        "alternate-side-parking",
        "Is alternate side parking in effect today?",
        "Parking",
        "Street cleaning rules are suspended on holidays.",
    ),
    (
        "bulk-pickup",
        "How do I throw out a couch or mattress?",
        "Garbage",
        "Schedule a bulk item pickup with Sanitation.",
    ),
]

# Words for the generated articles: city words residents use, and made-up words so the index
# holds as many different terms as a real knowledge base.
CITY_WORDS = [
    "permit",
    "license",
    "inspection",
    "complaint",
    "street",
    "sidewalk",
    "park",
    "tree",
    "water",
    "sewer",
    "noise",
    "building",
    "parking",
    "meter",
    "ticket",
    "tax",
    "property",
    "school",
    "bus",
    "subway",
    "bridge",
    "traffic",
    "signal",
    "light",
    "lamp",
    "snow",
    "ice",
    "flood",
    "heat",
    "rent",
    "landlord",
    "tenant",
    "apartment",
    "restaurant",
    "food",
    "health",
    "vaccine",
    "clinic",
    "senior",
    "youth",
    "library",
    "pool",
    "beach",
    "dog",
    "cat",
    "animal",
    "rodent",
    "rat",
    "pest",
    "graffiti",
    "litter",
    "recycling",
    "compost",
    "garbage",
    "trash",
    "bulk",
    "appliance",
    "vehicle",
    "abandoned",
    "tow",
    "bike",
    "lane",
    "curb",
    "ramp",
    "hydrant",
    "fire",
    "smoke",
    "asbestos",
    "lead",
    "paint",
    "mold",
    "elevator",
    "boiler",
    "plumbing",
    "electrical",
    "construction",
    "scaffold",
    "crane",
    "demolition",
    "zoning",
    "variance",
    "marriage",
    "birth",
    "death",
    "certificate",
    "record",
    "voter",
    "election",
    "jury",
    "court",
    "fine",
    "payment",
    "refund",
    "account",
    "benefit",
    "housing",
    "shelter",
    "homeless",
    "outreach",
    "sanitation",
    "transportation",
    "environment",
    "emergency",
    "preparedness",
    "storm",
    "tree",
    "pruning",
    "stump",
    "planting",
]
QUESTION_STARTS = [
    "How do I",
    "Where can I",
    "What should I do to",
    "Can I",
    "Who do I ask to",
    "When can I",
]
VERBS = [
    "apply",
    "renew",
    "report",
    "request",
    "replace",
    "repair",
    "pay",
    "appeal",
    "cancel",
    "schedule",
    "check",
    "find",
]


def made_up_words(rng: random.Random, count: int) -> list[str]:
    syllables = "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne "
    syllables += "ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo"
    parts = syllables.split()
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(parts) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def generate(articles: int) -> float:
    """Build the catalog and publish `articles` articles; returns the seconds it took."""
    from django.db import transaction

    from cityline.catalog.tests.factories import (
        AgencyFactory,
        ServiceTypeFactory,
        ServiceTypeKeywordFactory,
    )
    from cityline.knowledge.models import KnowledgeArticle
    from cityline.knowledge.services import (
        article_create,
        revision_approve,
        revision_publish,
        revision_submit,
    )
    from cityline.knowledge.tests.factories import editor_of

    started = time.perf_counter()
    rng = random.Random(311)
    agencies = [AgencyFactory(code=code) for code in ["DOT", "DSNY", "PARKS", "NYPD", "HPD"]]
    for code, name, keywords in SERVICE_TYPES:
        service_type = ServiceTypeFactory(code=code, name=name, agency=agencies[0])
        for keyword in keywords:
            ServiceTypeKeywordFactory(service_type=service_type, term=keyword)
    editors = {agency.pk: editor_of(agency) for agency in agencies}
    vocabulary = CITY_WORDS + made_up_words(rng, 20_000)

    def publish_one(agency, slug, title, topic, body):
        editor = editors[agency.pk]
        article = article_create(
            agency=agency,
            slug=slug,
            title=title,
            topic=topic,
            body=body,
            internal_notes="Staff only: " + " ".join(rng.choices(vocabulary, k=20)),
            call_script="Say: " + " ".join(rng.choices(vocabulary, k=20)),
            by=editor,
        )
        revision = article.revisions.get()
        revision_submit(revision=revision, by=editor)
        revision_approve(revision=revision, by=editor)
        revision_publish(revision=revision, by=editor)

    with transaction.atomic():
        for slug, title, topic, body in ANSWERS:
            publish_one(agencies[2], slug, title, topic, body)
    for start in range(len(ANSWERS), articles, 500):
        with transaction.atomic():
            for number in range(start, min(start + 500, articles)):
                words = rng.sample(vocabulary, 3)
                title = (
                    f"{rng.choice(QUESTION_STARTS)} {rng.choice(VERBS)} a {words[0]} "
                    f"{rng.choice(CITY_WORDS)} {words[1]}?"
                )
                body = ". ".join(
                    " ".join(rng.choices(vocabulary, k=rng.randint(6, 14))).capitalize()
                    for _ in range(rng.randint(3, 6))
                )
                publish_one(
                    rng.choice(agencies),
                    f"generated-{number}",
                    title,
                    rng.choice(CITY_WORDS).title(),
                    body,
                )
    assert KnowledgeArticle.objects.filter(status="published").count() == articles
    return time.perf_counter() - started


def measure(articles: int, runs: int) -> None:
    """In a process set up for the database: generate, then time the searches."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F

    from cityline.knowledge.models import SearchDocument, SearchSpelling
    from cityline.knowledge.ranking import knowledge_search

    call_command("migrate", verbosity=0)
    seconds = generate(articles)
    vendor = connection.vendor
    print(
        f"  {vendor}: {articles:,} articles published in {seconds:.0f} s, "
        f"{SearchDocument.objects.count():,} search documents, "
        f"{SearchSpelling.objects.filter(spelling=F('word')).count():,} distinct words"
    )
    for query, _ in PHRASINGS:  # warm caches
        knowledge_search(query=query, language="en")
    first = {query: knowledge_search(query=query, language="en") for query, _ in PHRASINGS}
    expected = [(query, key) for query, key in PHRASINGS if key is not None]
    found = sum(1 for query, key in expected if first[query] and first[query][0].key == key)
    print(f"  {vendor}: {found} of {len(expected)} phrasings found their expected answer first")
    p95s = []
    for number in range(1, runs + 1):
        timings = []
        for query, _ in PHRASINGS:
            started = time.perf_counter()
            knowledge_search(query=query, language="en")
            timings.append((time.perf_counter() - started) * 1000)
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[-1]
        p95s.append(p95)
        print(
            f"  {vendor} run {number}: {len(timings)} searches, p50 {p50:.1f} ms, "
            f"p95 {p95:.1f} ms, slowest {max(timings):.1f} ms"
        )
    print(
        f"{vendor}: median p95 {median(p95s):.1f} ms over {runs} runs of {len(PHRASINGS)} "
        f"phrasings, {articles:,} articles (target ≤ 30 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.articles, args.runs)
        return
    print(f"machine: {machine()}")
    for kind in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        with database(kind) as env:
            env = {**env, "DJANGO_SETTINGS_MODULE": "cityline.settings"}
            subprocess.run(
                [
                    str(VENV_BIN / "python"),
                    os.path.abspath(__file__),
                    "--measure",
                    "--articles",
                    str(args.articles),
                    "--runs",
                    str(args.runs),
                ],
                env=env,
                cwd=REPO,
                check=True,
            )


if __name__ == "__main__":
    sys.exit(main())
