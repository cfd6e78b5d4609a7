"""PostgreSQL gathers no statistics for columns no query filters or sorts by.

Free text (descriptions, notes, addresses, a source's own fields) and unique keys (tracking
numbers, tokens, source ids, whose unique indexes tell the planner all it needs) were most of what
ANALYZE read and sorted after every bulk load: about 130 of 235 ms for 22,504 imported requests.
SQLite gathers statistics only when asked, so nothing is done there.
"""

from django.db import migrations

UNPLANNED = {
    "servicerequests_servicerequest": [
        "description",
        "status_notes",
        "address",
        "address_id",
        "source_fields",
        "tracking_number",
        "token",
        "source_id",
    ],
    "servicerequests_requestupdate": ["note", "media_url", "public_id"],
}


def _set_statistics(target: int):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        quote = connection.ops.quote_name
        for table, columns in UNPLANNED.items():
            changes = ", ".join(
                f"ALTER COLUMN {quote(column)} SET STATISTICS {target}" for column in columns
            )
            schema_editor.execute(f"ALTER TABLE {quote(table)} {changes}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("servicerequests", "0003_listing_indexes_end_with_id"),
    ]

    operations = [
        migrations.RunPython(_set_statistics(0), _set_statistics(-1), elidable=False),
    ]
