"""How psycopg writes the values of `values.py` in PostgreSQL's binary form, for binary COPY.

They are registered by type only, on `RowWriter`'s own cursor: every `str` bound to a `uuid` or
`jsonb` column of a COPY is such a value, and no Python object is made per value.
"""

from typing import Any

from psycopg import postgres
from psycopg.adapt import Dumper
from psycopg.pq import Format


class UuidHexBinaryDumper(Dumper):
    """A UUID given as 32 hex digits (`uuids_hex`), in PostgreSQL's binary form: its 16 bytes."""

    format = Format.BINARY
    oid = postgres.types["uuid"].oid

    def dump(self, obj: str) -> bytes:
        return bytes.fromhex(obj)


class JsonTextBinaryDumper(Dumper):
    """JSON text (`json_text_adapter`) in `jsonb`'s binary form: a version byte, then the text."""

    format = Format.BINARY
    oid = postgres.types["jsonb"].oid

    def dump(self, obj: str) -> bytes:
        return b"\x01" + obj.encode()


def binary_dumpers_register(cursor: Any) -> None:
    """Register the dumpers on one psycopg cursor, by type only (`set_types` of a COPY)."""
    for dumper in (UuidHexBinaryDumper, JsonTextBinaryDumper):
        cursor.adapters.register_dumper(None, dumper)
