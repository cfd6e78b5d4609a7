"""Django's SQLite backend, with writers queued on an OS file lock.

SQLite lets one writer in at a time. A writer that finds the database locked waits in SQLite's busy
handler, which sleeps in growing steps (up to 100 ms) and so oversleeps the moment the lock frees:
with several web workers writing at once, throughput collapses and latency soars. Here every write
transaction (BEGIN IMMEDIATE) first takes an exclusive `flock` on a file beside the database; the
kernel wakes the next waiter as soon as the holder commits, so writers take turns without sleeping.
"""

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock_fd: int | None = None

    def _write_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}-writelock"

    def _acquire_write_lock(self) -> None:
        path = self._write_lock_path()
        if path is None or self._write_lock_fd is not None:
            return
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        self._write_lock_fd = fd

    def _release_write_lock(self) -> None:
        fd, self._write_lock_fd = self._write_lock_fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

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
