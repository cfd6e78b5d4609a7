"""Service-type suggestions: how often the right type comes first and among the first three, for
residents' own phrasings, before and after the classifier; and how long a suggestion takes.

    .venv/bin/python bench/suggest.py [--var-dir DIR] [--runs 3]

Without --var-dir it builds the demo city in a fresh SQLite database (`cityline demo`, which
also trains the classifier on the demo history); with it, it reads the demo city already in DIR
(its database and its classifier file). The phrasings are in `suggest-phrasings.json` beside this
script: written for this benchmark in English, Spanish and Arabic, none of them in the demo
history (the test suite checks it). "Before" is the catalog's words and the knowledge base
alone; "after" adds the classifier.

A second set, `suggest-heldout.json`, is scored the same way but its misses are never printed:
the method is tuned on the first set's misses only, so the held-out figure says how well the
tuning carries over to wording nobody tuned for.
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import REPO, VENV_BIN, machine

PHRASINGS = Path(__file__).with_name("suggest-phrasings.json")
HELD_OUT = Path(__file__).with_name("suggest-heldout.json")


def phrasings(path: Path = PHRASINGS) -> dict[str, list[tuple[str, str]]]:
    return {
        language: [(text, expected) for text, expected in rows]
        for language, rows in json.loads(path.read_text()).items()
    }


def _build_demo(var_dir: str) -> None:
    env = {**os.environ, "CITYLINE_VAR_DIR": var_dir}
    env.pop("DATABASE_URL", None)
    for command in (["migrate", "--no-input"], ["createcachetable"], ["demo"]):
        subprocess.run(
            [str(VENV_BIN / "cityline"), *command, "-v", "0"], env=env, check=True, cwd=REPO
        )


def _accuracy(rows: list[tuple[str, str]], language: str, use_classifier: bool):
    from cityline.catalog.suggestions import service_type_suggest

    top_1 = top_3 = 0
    misses = []
    for text, expected in rows:
        codes = [
            s.code
            for s in service_type_suggest(
                text=text, language=language, limit=3, use_classifier=use_classifier
            )
        ]
        top_1 += bool(codes) and codes[0] == expected
        top_3 += expected in codes
        if expected not in codes:
            misses.append(f"{text!r}: expected {expected}, got {codes}")
    return top_1, top_3, misses


def _report(title: str, sets: dict[str, list[tuple[str, str]]], *, show_misses: bool) -> None:
    count = sum(len(rows) for rows in sets.values())
    print(f"\n{title}: {count} phrasings")
    print(f"{'':6}{'before: top-1':>15}{'top-3':>8}{'after: top-1':>15}{'top-3':>8}")
    totals = {False: [0, 0], True: [0, 0]}
    all_misses = []
    for language, rows in sets.items():
        line = f"{language:6}"
        for use_classifier in (False, True):
            top_1, top_3, misses = _accuracy(rows, language, use_classifier)
            totals[use_classifier][0] += top_1
            totals[use_classifier][1] += top_3
            line += f"{top_1 / len(rows):15.3f}{top_3 / len(rows):8.3f}"
            if use_classifier:
                all_misses += [f"  {language} {miss}" for miss in misses]
        print(f"{line}   ({len(rows)})")
    line = f"{'all':6}"
    for use_classifier in (False, True):
        line += f"{totals[use_classifier][0] / count:15.3f}{totals[use_classifier][1] / count:8.3f}"
    print(line)
    if show_misses and all_misses:
        print("not among the first three, after:")
        print("\n".join(all_misses))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", help="a folder holding a demo city already built")
    parser.add_argument("--runs", type=int, default=3, help="timed passes over the phrasings")
    args = parser.parse_args()

    var_dir = args.var_dir or tempfile.mkdtemp(prefix="cityline-bench-suggest-")
    if not args.var_dir:
        started = time.perf_counter()
        _build_demo(var_dir)
        print(f"demo city built (and classifier trained) in {time.perf_counter() - started:.1f} s")
    os.environ["CITYLINE_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityline.settings")
    import django

    django.setup()
    from cityline.catalog.classifier import classifier_get
    from cityline.catalog.suggestions import service_type_suggest

    classifier = classifier_get()
    print(machine())
    print(
        f"classifier: {classifier.rows:,} descriptions, {len(classifier.codes)} types"
        if classifier
        else "classifier: none trained"
    )
    sets = phrasings()
    for title, path, show_misses in (
        ("tuning set", PHRASINGS, True),
        ("held-out set", HELD_OUT, False),
    ):
        _report(title, phrasings(path), show_misses=show_misses)

    timings = []
    for _ in range(args.runs):
        for language, rows in sets.items():
            for text, _expected in rows:
                started = time.perf_counter()
                service_type_suggest(text=text, language=language)
                timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    print(
        f"latency over {len(timings)} suggestions (with the classifier): "
        f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms"
    )


if __name__ == "__main__":
    main()
