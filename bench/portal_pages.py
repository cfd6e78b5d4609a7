"""The resident portal's pages on one demo city per database, with ≥1,000,000 requests stored:
the tracking page, a district's page, the map's data, the report page, the open requests
nearby and the confirmation.

    .venv/bin/python bench/portal_pages.py [--db sqlite|postgres|both] [--requests 1000000]
        [--runs 3] [--samples 100]

It builds the demo city once per database (the longest part of each page benchmark) and starts
the README's run command once (with the report form's per-client limit lifted), then measures as
`track_page.py`, `neighborhood.py` and `report_page.py` each do on their own, in that order (the
report form files requests, so it comes last). Each prints p50/p95 per run and the medians of
the runs' p50 and p95; the goals are p95 ≤ 50 ms for the report and tracking pages and ≤ 100 ms
for district pages and map data.
"""

import neighborhood
import report_page
import track_page
from common import on_each_database, options, served_city_bench


def main() -> None:
    bench = served_city_bench(
        track_page.measure,
        neighborhood.measure,
        report_page.measure,
        server_env=report_page.SERVER_ENV,
    )
    on_each_database(options(__doc__, samples=100), bench)


if __name__ == "__main__":
    main()
