"""Writing rows without a model instance's per-row cost, the same way on SQLite and PostgreSQL.

- `instances`: plain INSERTs of the few new instances of one change (a request's intake), each
  value prepared by its field as the ORM would; `<what>_prepare` now, `prepared_<what>_insert`
  in the transaction.
- `rows`: `RowWriter`, the SQL of a bulk load over the ORM's table and column names: multi-row
  `INSERT … VALUES` on SQLite, binary `COPY` on PostgreSQL (docs/adr/0006-bulk-loading.md).
- `values`: values adapted once per distinct value for `RowWriter` (UUIDs, JSON, datetimes).
- `dumpers`: how psycopg writes those adapted values in PostgreSQL's binary form.
- `indexes`: secondary indexes dropped for a large load and built again after it.
"""
