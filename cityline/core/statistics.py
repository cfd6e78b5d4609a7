"""The planner's statistics after a bulk load, on PostgreSQL.

PostgreSQL plans every query by statistics that autovacuum gathers a minute or more after a table
changes; right after a load it plans for the table it knew before (a few rows, or none) and may
read a whole table where an index would serve. SQLite keeps no statistics unless asked, and its
plans without them are the ones measured, so nothing is done there.
"""

from collections.abc import Sequence

from django.db import connection, models


def statistics_refresh(models_loaded: Sequence[type[models.Model]]) -> None:
    """ANALYZE the tables of the given models. Columns no query plans by are given no statistics
    (`ALTER COLUMN … SET STATISTICS 0`, in migrations), so this reads only what the planner
    uses."""
    if connection.vendor != "postgresql" or not models_loaded:
        return
    quote = connection.ops.quote_name
    tables = ", ".join(quote(model._meta.db_table) for model in models_loaded)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
