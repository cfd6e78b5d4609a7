"""PostgreSQL: the search documents' GIN index takes new entries straight into its main structure.

With GIN's default `fastupdate`, entries written since the last vacuum wait in an unsorted pending
list that every search reads from end to end: a few thousand freshly published documents doubled
the time of a search. Search documents are written far less often than they are searched, so
each write pays to file its entries at once. The entries already pending are filed now. SQLite's
FTS5 table has no such list; nothing changes there.
"""

from django.db import migrations

INDEX = "knowledge_searchdocument_vector_idx"


def _postgresql(*statements: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0005_article_expiry_index"),
    ]

    operations = [
        migrations.RunPython(
            _postgresql(
                f"ALTER INDEX {INDEX} SET (fastupdate = off)",
                f"SELECT gin_clean_pending_list('{INDEX}'::regclass)",
            ),
            _postgresql(f"ALTER INDEX {INDEX} RESET (fastupdate)"),
        ),
    ]
