import fcntl
import threading
import types

import pytest

from cityline.core.dbbackends.sqlite3 import base
from cityline.core.dbbackends.sqlite3.base import DatabaseWrapper

# The suite's database guard must let these private connections through.
pytestmark = pytest.mark.django_db


def _wrapper(path):
    return DatabaseWrapper(
        {
            "NAME": str(path),
            "ENGINE": "cityline.core.dbbackends.sqlite3",
            # No busy timeout: without the file lock, a second writer would fail at once.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 0},
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        }
    )


@pytest.fixture
def queued(monkeypatch) -> threading.Event:
    """Set when a connection finds the write lock held and starts waiting for it."""
    blocked = threading.Event()

    def flock(fd: int, operation: int) -> None:
        if operation == fcntl.LOCK_EX:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                blocked.set()
        fcntl.flock(fd, operation)

    monkeypatch.setattr(
        base,
        "fcntl",
        types.SimpleNamespace(LOCK_EX=fcntl.LOCK_EX, LOCK_UN=fcntl.LOCK_UN, flock=flock),
    )
    return blocked


def _writer_in_a_transaction(path, *, journal_mode: str = "DELETE") -> DatabaseWrapper:
    """A connection to a new database whose table `t` holds one row (n = 1), that has begun a
    write transaction setting it to 2."""
    writer = _wrapper(path)
    writer.cursor().execute(f"PRAGMA journal_mode={journal_mode}")
    writer.cursor().execute("CREATE TABLE t (n INTEGER)")
    writer.cursor().execute("INSERT INTO t VALUES (1)")
    writer.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    writer.cursor().execute("UPDATE t SET n = 2")
    return writer


def test_a_second_writer_waits_on_the_file_lock_until_the_first_commits(tmp_path, queued):
    # given: one connection holds a write transaction
    path = tmp_path / "queue.sqlite3"
    first = _writer_in_a_transaction(path)
    events: list[str] = []

    def write_from_second() -> None:
        second = _wrapper(path)  # a connection belongs to the thread that made it
        second.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        events.append("second began")
        second.cursor().execute("INSERT INTO t VALUES (2)")
        second.commit()
        second.close()

    # when
    thread = threading.Thread(target=write_from_second)
    thread.start()
    waited = queued.wait(timeout=30)
    events.append("first commits")
    first.commit()
    thread.join(timeout=30)
    # then
    assert waited
    assert events == ["first commits", "second began"]
    assert first.cursor().execute("SELECT count(*) FROM t").fetchone() == (2,)
    first.close()


def test_a_write_outside_a_transaction_waits_on_the_file_lock_too(tmp_path, queued):
    # given: one connection holds a write transaction
    path = tmp_path / "queue.sqlite3"
    first = _writer_in_a_transaction(path)
    outcome: list[object] = []
    done = threading.Event()

    def update_in_autocommit() -> None:
        second = _wrapper(path)
        try:
            second.cursor().execute("UPDATE t SET n = n + 10")
            outcome.append("updated")
        except Exception as exc:  # without the queue: "database is locked" at once
            outcome.append(exc)
        finally:
            second.close()
            done.set()

    # when
    thread = threading.Thread(target=update_in_autocommit)
    thread.start()
    waited = queued.wait(timeout=30)
    still_waiting = not done.is_set()
    first.commit()
    thread.join(timeout=30)
    # then: the update queued behind the transaction and ran after it
    assert waited and still_waiting
    assert outcome == ["updated"]
    assert first.cursor().execute("SELECT n FROM t").fetchone() == (12,)
    first.close()


def test_a_read_outside_a_transaction_does_not_wait(tmp_path):
    # given: a writer in WAL mode, where readers see the last commit meanwhile
    path = tmp_path / "queue.sqlite3"
    first = _writer_in_a_transaction(path, journal_mode="WAL")
    read: list[tuple] = []

    def read_in_autocommit() -> None:
        second = _wrapper(path)
        read.append(second.cursor().execute("SELECT n FROM t").fetchone())
        second.close()

    # when
    thread = threading.Thread(target=read_in_autocommit)
    thread.start()
    thread.join(timeout=5)
    # then: the committed row, read while the writer still holds the lock
    assert read == [(1,)]
    first.rollback()
    first.close()


def test_an_in_memory_database_takes_no_file_lock():
    # given
    wrapper = _wrapper(":memory:")
    # when
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    # then
    assert wrapper._write_lock_fd is None
    wrapper.rollback()
    wrapper.close()
