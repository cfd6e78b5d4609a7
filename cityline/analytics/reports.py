"""The Charter monthly report (NYC Charter §1075 style): for a month's requests, by service group,
service type and agency, how many were received, how many are still open, how many were closed and
how (their resolutions), and their average days to close; for the whole city and for each district
(`CITYLINE_DISTRICT_LAYER`). As CSV and PDF, made on demand or written by the worker into
`$CITYLINE_ANALYTICS_DIR/reports/`."""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from cityline.analytics.queries import ReportRow, Selection, month_bounds, resolution_report
from cityline.analytics.store import store_root
from cityline.servicerequests.models import Resolution

KINDS = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}
REPORTS = "reports"
# The printed page's layout; a file, as the strict Content-Security-Policy keeps inline styles
# out of every template.
REPORT_STYLESHEET = Path(__file__).parent / "static" / "analytics" / "monthly_report.css"
_STORED_NAME = re.compile(r"^charter-monthly-\d{4}-\d{2}\.(csv|pdf)$")

CSV_COLUMNS = [
    "month",
    "scope",
    "district",
    "service_group",
    "service_type",
    "service_name",
    "agency",
    "agency_name",
    "received",
    "open",
    "closed",
    *(f"closed_{value}" for value in Resolution.values),
    "average_days_to_close",
]


@dataclass(frozen=True)
class MonthlyReport:
    month: str
    layer: str
    citywide: list[ReportRow]
    by_district: list[ReportRow]

    @property
    def totals(self) -> tuple[int, int, int]:
        """Received, open and closed, citywide."""
        return (
            sum(row.received for row in self.citywide),
            sum(row.open for row in self.citywide),
            sum(row.closed for row in self.citywide),
        )


def monthly_report(*, month: str, layer: str | None = None) -> MonthlyReport:
    start, end = month_bounds(month)
    layer = layer or settings.CITYLINE_DISTRICT_LAYER
    return MonthlyReport(
        month=month,
        layer=layer,
        citywide=resolution_report(start=start, end=end),
        by_district=resolution_report(start=start, end=end, selection=Selection(layer=layer)),
    )


def _days(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else ""


def monthly_report_csv(*, report: MonthlyReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for scope, rows in (("citywide", report.citywide), ("district", report.by_district)):
        for row in rows:
            writer.writerow(
                [
                    report.month,
                    scope,
                    row.area or "",
                    row.service_group or "",
                    row.service_type,
                    row.service_name,
                    row.agency,
                    row.agency_name,
                    row.received,
                    row.open,
                    row.closed,
                    *(row.resolutions.get(value, 0) for value in Resolution.values),
                    _days(row.average_days_to_close),
                ]
            )
    return out.getvalue()


def monthly_report_html(*, report: MonthlyReport) -> str:
    districts: dict[str, list[ReportRow]] = {}
    for row in report.by_district:
        districts.setdefault(row.area or "", []).append(row)
    received, still_open, closed = report.totals
    # A report to the Council is in the city's language, whoever asked for it.
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "analytics/monthly_report.html",
            {
                "report": report,
                "districts": sorted(districts.items()),
                "received": received,
                "open": still_open,
                "closed": closed,
            },
        )


def monthly_report_pdf(*, report: MonthlyReport) -> bytes:
    # WeasyPrint loads pango when imported: only the processes that print pay for it.
    import weasyprint

    return weasyprint.HTML(string=monthly_report_html(report=report)).write_pdf(
        stylesheets=[weasyprint.CSS(filename=str(REPORT_STYLESHEET))]
    )


def monthly_report_render(*, report: MonthlyReport, kind: str) -> tuple[bytes, str]:
    if kind == "csv":
        return monthly_report_csv(report=report).encode(), KINDS[kind]
    return monthly_report_pdf(report=report), KINDS[kind]


def monthly_report_filename(*, month: str, kind: str) -> str:
    return f"charter-monthly-{month}.{kind}"


def _folder() -> Path:
    return store_root() / REPORTS


def monthly_report_write(*, month: str) -> list[Path]:
    """Write the month's report as CSV and PDF into the store's reports folder, each under a
    temporary name renamed over the old one, so a reader never gets half a file."""
    report = monthly_report(month=month)
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        body, _ = monthly_report_render(report=report, kind=kind)
        path = folder / monthly_report_filename(month=month, kind=kind)
        temporary = path.with_suffix(path.suffix + ".tmp")
        temporary.write_bytes(body)
        temporary.replace(path)
        written.append(path)
    return written


def monthly_report_write_missing(*, month: str) -> list[Path]:
    """The month's report written, unless both its files already are."""
    folder = _folder()
    if all((folder / monthly_report_filename(month=month, kind=k)).exists() for k in KINDS):
        return []
    return monthly_report_write(month=month)


def monthly_reports_stored() -> list[str]:
    """The stored reports' file names, newest month first."""
    folder = _folder()
    if not folder.is_dir():
        return []
    names = [path.name for path in folder.iterdir() if _STORED_NAME.match(path.name)]
    return sorted(names, reverse=True)


def monthly_report_stored_get(*, name: str) -> tuple[bytes, str] | None:
    """A stored report's bytes and type; None for a name that is not a stored report's (never
    a path outside the folder)."""
    if not _STORED_NAME.match(name):
        return None
    path = _folder() / name
    if not path.is_file():
        return None
    return path.read_bytes(), KINDS[path.suffix.lstrip(".")]
