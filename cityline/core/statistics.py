"""The planner's statistics after a bulk load, on PostgreSQL.

PostgreSQL plans every query by statistics that autovacuum gathers a minute or more after a table
changes; right after a load it plans for the table it knew before (a few rows, or none) and may
read a whole table where an index would serve. SQLite keeps no statistics unless asked, and its
plans without them are the ones measured, so nothing is done there.
"""

from collections.abc import Mapping, Sequence
from typing import cast

from django.db import connection, models


def statistics_refresh(columns: Mapping[type[models.Model], Sequence[str]]) -> None:
    """ANALYZE the given columns of each model's table (field names): those queries filter,
    join and sort by. The others, often most of what a whole-table ANALYZE reads, are left to
    autovacuum, which still analyses the whole table soon after, in the background (an ANALYZE of
    some columns does not reset its count of changes)."""
    if connection.vendor != "postgresql" or not columns:
        return
    quote = connection.ops.quote_name

    def column(model: type[models.Model], name: str) -> str:
        return quote(cast(str, cast(models.Field, model._meta.get_field(name)).column))

    tables = ", ".join(
        f"{quote(model._meta.db_table)} ({', '.join(column(model, name) for name in names)})"
        for model, names in columns.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
