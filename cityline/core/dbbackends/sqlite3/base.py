"""Django's SQLite backend, with writers queued on an OS file lock.

SQLite lets one writer in at a time. A writer that finds the database locked waits in SQLite's busy
handler, which sleeps in growing steps (up to 100 ms) and so oversleeps the moment the lock frees:
with several web workers writing at once, throughput collapses and latency soars. Here every write
transaction (BEGIN IMMEDIATE) first takes an exclusive `flock` on a file beside the database; the
kernel wakes the next waiter as soon as the holder commits, so writers take turns without sleeping.

The database, its WAL and its shared-memory index hold requesters' details, password hashes and
session keys: every connection leaves them readable by their owner only, whatever the umask was when
they were made (SQLite gives a new WAL the database file's mode).

Django's cursor rewrites every statement's `%s` placeholders into SQLite's `?` with a regular
expression, which costs more than running a short INSERT; the rewritten text of statements of
ordinary length is kept, so a statement run again (the same INSERTs every intake POST makes) is
rewritten once per process.

A write outside a transaction (an `update()` or `save()` in autocommit mode, as the task worker and
the outbox make) is a transaction of its own to SQLite, so it queues on the same lock: otherwise a
queued writer would meet SQLite's lock, sleep in the busy handler, and hold up the queue behind it.
"""

import fcntl
import functools
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from django.db.backends.sqlite3 import base

_WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _write_lock_take(database_path: str) -> int:
    fd = os.open(f"{database_path}-writelock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _write_lock_give(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


# Longer statements (a bulk load's thousands of parameters) are rare and not worth the memory.
_KEPT_QUERY_MAX = 4000


@functools.lru_cache(maxsize=1024)
def _qmark_query(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


def _writes(sql: str) -> bool:
    return sql.lstrip()[:7].upper().startswith(_WRITE_STATEMENTS)


class QueuedWriteCursor(base.SQLiteCursorWrapper):
    """Runs a writing statement made outside a transaction under the write lock."""

    database: "DatabaseWrapper"

    def _queued(self, query: str) -> AbstractContextManager[None]:
        if self.connection.in_transaction or not _writes(query):
            return nullcontext()
        return self.database.write_lock_held()

    def convert_query(self, query, *, param_names=None):
        if param_names is None and len(query) <= _KEPT_QUERY_MAX:
            return _qmark_query(query)
        return super().convert_query(query, param_names=param_names)

    def execute(self, query, params=None):
        with self._queued(query):
            return super().execute(query, params)

    def executemany(self, query, param_list):
        with self._queued(query):
            return super().executemany(query, param_list)


def _make_private(database_path: str) -> None:
    for path in (database_path, f"{database_path}-wal", f"{database_path}-shm"):
        try:
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, 0o600)
        except FileNotFoundError:
            pass


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock_fd: int | None = None

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            _make_private(self.settings_dict["NAME"])
        return connection

    def _acquire_write_lock(self) -> None:
        if self.is_in_memory_db() or self._write_lock_fd is not None:
            return
        self._write_lock_fd = _write_lock_take(self.settings_dict["NAME"])

    def _release_write_lock(self) -> None:
        fd, self._write_lock_fd = self._write_lock_fd, None
        if fd is not None:
            _write_lock_give(fd)

    @contextmanager
    def write_lock_held(self) -> Iterator[None]:
        """Hold the write lock for one statement made outside a transaction."""
        self._acquire_write_lock()
        try:
            yield
        finally:
            self._release_write_lock()

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=QueuedWriteCursor)
        cursor.database = self
        return cursor

    def _start_transaction_under_autocommit(self) -> None:
        self._acquire_write_lock()
        try:
            # Django's SQLite backend defines it; django-stubs does not declare it.
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
