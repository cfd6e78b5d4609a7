"""The store's folders and files: where each partition lives, and how one is replaced whole.

A partition is replaced by writing a new file beside it and renaming it over the old one, so a
reader (DuckDB, Spark, Trino) opens either the old file or the new one, never half of one. The
temporary name starts with a dot and does not end in `.parquet`, so no reader's glob takes it.
"""

import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings

from cityline.analytics.schema import CONTACT_SCHEMA, EVENT_SCHEMA, PARTITION, REQUEST_SCHEMA

REQUESTS = "requests"
EVENTS = "events"
CONTACTS = "contacts"
SCHEMAS = {REQUESTS: REQUEST_SCHEMA, EVENTS: EVENT_SCHEMA, CONTACTS: CONTACT_SCHEMA}
# The column that ties a row to its request (a contact's rows: to the contact), and the order
# rows are written in.
REQUEST_KEY = {REQUESTS: "id", EVENTS: "request_id", CONTACTS: "id"}
SORT_KEYS = {
    REQUESTS: [("requested_at", "ascending"), ("id", "ascending")],
    EVENTS: [("request_id", "ascending"), ("occurred_at", "ascending"), ("id", "ascending")],
    CONTACTS: [("queued_at", "ascending"), ("id", "ascending")],
}
DATA_FILE = "data.parquet"
STAGING = "staging"


def store_root() -> Path:
    return Path(settings.CITYLINE_ANALYTICS_DIR)


def table_glob(table: str, root: Path | None = None) -> str:
    """What DuckDB, Spark or Trino reads for a table: every month's file."""
    return str((root or store_root()) / table / f"{PARTITION}=*" / DATA_FILE)


def partition_path(table: str, month: str, root: Path | None = None) -> Path:
    return (root or store_root()) / table / f"{PARTITION}={month}" / DATA_FILE


def months_stored(table: str, root: Path | None = None) -> set[str]:
    folder = (root or store_root()) / table
    prefix = f"{PARTITION}="
    return {
        path.parent.name.removeprefix(prefix)
        for path in folder.glob(f"{prefix}*/{DATA_FILE}")
        if path.is_file()
    }


def partition_replace(table: str, month: str, data: pa.Table, root: Path | None = None) -> None:
    """Make `data` the month's partition at once; an empty table removes the partition."""
    path = partition_path(table, month, root)
    if data.num_rows == 0:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{DATA_FILE}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(data.sort_by(SORT_KEYS[table]), temporary, compression="zstd")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def partition_read_without(
    table: str, month: str, request_ids: pa.Array, root: Path | None = None
) -> pa.Table:
    """The month's rows less those of `request_ids`; empty if the month has no partition."""
    path = partition_path(table, month, root)
    if not path.is_file():
        return SCHEMAS[table].empty_table()
    stored = pq.read_table(path, schema=SCHEMAS[table])
    keep = pc.invert(pc.is_in(stored[REQUEST_KEY[table]], value_set=request_ids))
    return stored.filter(keep)


def months_holding(
    request_ids: pa.Array, root: Path | None = None, table: str = REQUESTS
) -> set[str]:
    """The months whose stored requests (or `table`'s rows) include any of `request_ids`."""
    if len(request_ids) == 0 or not months_stored(table, root):
        return set()
    wanted = pa.table({"id": request_ids})
    with duckdb.connect() as connection:
        connection.register("wanted", wanted)
        rows = connection.execute(
            f"SELECT DISTINCT {PARTITION} FROM read_parquet(?, hive_partitioning = true,"
            f" hive_types = {{'{PARTITION}': VARCHAR}}) WHERE id IN (SELECT id FROM wanted)",
            [table_glob(table, root)],
        ).fetchall()
    return {row[0] for row in rows}


class Staging:
    """Chunks of changed rows parked on disk by table and month until the partitions they go
    into are rewritten, so a refresh holds one chunk in memory however much changed."""

    def __init__(self, root: Path, name: str) -> None:
        self.folder = root / STAGING / name
        self._parts = 0

    @staticmethod
    def clear_all(root: Path) -> None:
        """Remove every refresh's staging: only while holding the store's lease, when any left
        is a dead refresh's."""
        shutil.rmtree(root / STAGING, ignore_errors=True)

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def add(self, table: str, by_month: dict[str, pa.Table]) -> None:
        for month, data in by_month.items():
            folder = self.folder / table / month
            folder.mkdir(parents=True, exist_ok=True)
            self._parts += 1
            pq.write_table(data, folder / f"part-{self._parts:08d}.parquet")

    def months(self, table: str) -> set[str]:
        folder = self.folder / table
        return {path.name for path in folder.iterdir()} if folder.is_dir() else set()

    def read(self, table: str, month: str) -> pa.Table:
        parts: Iterable[Path] = sorted((self.folder / table / month).glob("part-*.parquet"))
        tables = [pq.read_table(part, schema=SCHEMAS[table]) for part in parts]
        return pa.concat_tables(tables) if tables else SCHEMAS[table].empty_table()
