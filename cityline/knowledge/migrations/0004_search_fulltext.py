"""The database's own full-text index over the search documents, kept in step by the database.

SQLite: an FTS5 table that reads its text from `knowledge_searchdocument` (external content) and
is filled and emptied by triggers. PostgreSQL: a generated `tsvector` column, the title part
weighted A and the body part D, with a GIN index. Both use the terms as `searchterms` normalised
them ('simple' configuration, unicode61 tokenizer without further folding).
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE knowledge_search_fts USING fts5(
        title_terms, body_terms,
        content='knowledge_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER knowledge_search_fts_insert AFTER INSERT ON knowledge_searchdocument BEGIN
        INSERT INTO knowledge_search_fts (rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END
    """,
    """
    CREATE TRIGGER knowledge_search_fts_delete AFTER DELETE ON knowledge_searchdocument BEGIN
        INSERT INTO knowledge_search_fts (knowledge_search_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
    END
    """,
    """
    CREATE TRIGGER knowledge_search_fts_update
    AFTER UPDATE OF title_terms, body_terms ON knowledge_searchdocument BEGIN
        INSERT INTO knowledge_search_fts (knowledge_search_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
        INSERT INTO knowledge_search_fts (rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END
    """,
    "INSERT INTO knowledge_search_fts (knowledge_search_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER knowledge_search_fts_update",
    "DROP TRIGGER knowledge_search_fts_delete",
    "DROP TRIGGER knowledge_search_fts_insert",
    "DROP TABLE knowledge_search_fts",
]
POSTGRESQL_FORWARD = [
    """
    ALTER TABLE knowledge_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, body_terms), 'D')
    ) STORED
    """,
    # Full-text matching of the search documents.
    "CREATE INDEX knowledge_searchdocument_vector_idx ON knowledge_searchdocument USING gin (vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX knowledge_searchdocument_vector_idx",
    "ALTER TABLE knowledge_searchdocument DROP COLUMN vector",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements[schema_editor.connection.vendor]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0003_search_documents_and_spellings"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
