"""Secondary indexes set aside for a large load and built again after it.

Kept up to date row by row, an index larger than the database's cache has a page written for
nearly every row of a batch at every commit; built over the rows once they are stored, it is one
sort. `indexes_deferred` drops the named indexes, lets the load run, and builds them again from
their models' definitions (the statements migrations run), also when the load fails. A load that
dies before that (a killed process, a lost machine) leaves them missing: `indexes_restore`, run
before every load, builds whatever of them the database lacks (docs/adr/0006-bulk-loading.md).
"""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from django.db import connection, models


def _declared(model: type[models.Model], names: Sequence[str]) -> list[models.Index]:
    indexes = {index.name: index for index in model._meta.indexes}
    unknown = [name for name in names if name not in indexes]
    if unknown:
        raise ValueError(f"{model.__name__} declares no index {', '.join(unknown)}")
    return [indexes[name] for name in names]


def _present(model: type[models.Model]) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name for name, details in constraints.items() if details["index"]}


def _run(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def indexes_restore(indexes: Mapping[type[models.Model], Sequence[str]]) -> list[str]:
    """Build each named index its model declares and the database lacks; return their names."""
    built = []
    # Not entered: on SQLite, leaving it checks every foreign key of the database, and these
    # statements need nothing that entering it prepares.
    editor = connection.schema_editor()
    for model, names in indexes.items():
        present = _present(model)
        for index in _declared(model, names):
            if index.name not in present:
                _run([str(index.create_sql(model, editor))])
                built.append(index.name)
    return built


@contextmanager
def indexes_deferred(indexes: Mapping[type[models.Model], Sequence[str]]) -> Iterator[None]:
    """Drop the named indexes of each model for the block, then build them again.

    Outside a transaction only: each statement commits on its own, so the indexes are gone
    before the block's first commit and back once it has ended, however it ended."""
    if connection.in_atomic_block:
        raise RuntimeError("indexes are deferred outside a transaction")
    quote = connection.ops.quote_name
    try:
        for model, names in indexes.items():
            present = _present(model)
            _run(
                [
                    f"DROP INDEX {quote(index.name)}"
                    for index in _declared(model, names)
                    if index.name in present
                ]
            )
        yield
    finally:
        indexes_restore(indexes)
