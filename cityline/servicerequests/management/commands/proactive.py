import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityline.accounts.models import User
from cityline.core.errors import DomainError, InvalidInput
from cityline.servicerequests.services.proactive import (
    BatchReport,
    Outcome,
    ProactiveRow,
    proactive_batch_file,
    proactive_row_from_mapping,
)

ATTRIBUTE_PREFIX, ATTRIBUTE_SUFFIX = "attribute[", "]"


def _csv_rows(text: str) -> list[ProactiveRow | InvalidInput]:
    """CSV with a header; an intake answer per `attribute[CODE]` column."""
    rows: list[ProactiveRow | InvalidInput] = []
    for record in csv.DictReader(io.StringIO(text)):
        answers = {
            name[len(ATTRIBUTE_PREFIX) : -len(ATTRIBUTE_SUFFIX)]: value
            for name, value in record.items()
            if name
            and name.startswith(ATTRIBUTE_PREFIX)
            and name.endswith(ATTRIBUTE_SUFFIX)
            and value
        }
        fields = {k: v for k, v in record.items() if k and not k.startswith(ATTRIBUTE_PREFIX)}
        rows.append(_row({**fields, "answers": answers}))
    return rows


def _json_lines_rows(text: str) -> list[ProactiveRow | InvalidInput]:
    """One JSON object a line; blank lines are skipped."""
    rows: list[ProactiveRow | InvalidInput] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            rows.append(InvalidInput(f"not JSON: {error.msg}", field="line"))
            continue
        if not isinstance(record, dict):
            rows.append(InvalidInput("not a JSON object", field="line"))
            continue
        rows.append(_row(record))
    return rows


def _row(record: dict[str, Any]) -> ProactiveRow | InvalidInput:
    try:
        return proactive_row_from_mapping(record)
    except InvalidInput as refused:
        return refused


def _report_lines(report: BatchReport) -> list[str]:
    lines = []
    for row in report.rows:
        label = f"row {row.number}" + (f" ({row.external_id})" if row.external_id else "")
        if row.outcome == Outcome.REFUSED:
            field = f"{row.field}: " if row.field else ""
            lines.append(f"{label}: refused: {field}{row.reason}")
        else:
            number = f" {row.tracking_number}" if row.tracking_number else ""
            lines.append(f"{label}: {row.outcome}{number}")
    counts = ", ".join(f"{count} {outcome}" for outcome, count in report.counts().items() if count)
    prefix = "Dry run, nothing stored: " if report.dry_run else ""
    lines.append(f"{prefix}{counts or 'no rows'} (source {report.source!r}).")
    return lines


class Command(BaseCommand):
    help = (
        "File a batch of proactive requests (an inspection sweep, a model's output) from a CSV "
        "or JSON-lines file; see docs/proactive.md. Rows with an external id are filed once per "
        "source. Exits 1 when a row was refused, after filing the others."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        batch = actions.add_parser("import", help="File the rows of a CSV or JSON-lines file.")
        batch.add_argument("path", type=Path)
        batch.add_argument(
            "--source", help="The sweep or model the file comes from (default: the file's name)."
        )
        batch.add_argument(
            "--format", choices=["csv", "jsonl"], help="Default: from the file's extension."
        )
        batch.add_argument(
            "--as",
            dest="username",
            help="File as this member of staff, with their roles (default: the operator).",
        )
        batch.add_argument("--dry-run", action="store_true", help="Check every row; store nothing.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        path: Path = options["path"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {path}: {error}") from None
        kind = options["format"] or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
        rows = _csv_rows(text) if kind == "csv" else _json_lines_rows(text)
        by = None
        if options["username"]:
            by = User.objects.filter(username=options["username"], is_active=True).first()
            if by is None:
                raise CommandError(f"no active user {options['username']!r}")
        try:
            report = proactive_batch_file(
                source=options["source"] or path.stem,
                rows=rows,
                by=by,
                dry_run=options["dry_run"],
            )
        except DomainError as refused:
            raise CommandError(f"{refused.field}: {refused.message}") from None
        for line in _report_lines(report):
            self.stdout.write(line)
        if report.count(Outcome.REFUSED):
            raise CommandError(f"{report.count(Outcome.REFUSED)} rows refused")
