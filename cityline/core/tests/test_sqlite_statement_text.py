"""The SQLite backend's placeholders: each statement's text is rewritten as Django rewrites it,
and a statement run again is rewritten from what was kept."""

import pytest

from cityline.core.dbbackends.sqlite3 import base
from cityline.core.tests.test_sqlite_write_queue import _wrapper

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection(tmp_path):
    wrapper = _wrapper(tmp_path / "statements.sqlite3")
    yield wrapper
    wrapper.close()


def test_a_statement_run_again_is_rewritten_once(connection):
    # given
    base._qmark_query.cache_clear()
    sql = "SELECT %s || 'x%%'"
    # when
    with connection.cursor() as cursor:
        answers = [cursor.execute(sql, [str(n)]).fetchone()[0] for n in range(3)]
    # then
    assert answers == ["0x%", "1x%", "2x%"]
    assert base._qmark_query.cache_info().misses == 1


def test_a_long_statement_is_rewritten_without_being_kept(connection):
    # given
    base._qmark_query.cache_clear()
    count = base._KEPT_QUERY_MAX // 4
    sql = f"SELECT {' + '.join(['%s'] * count)}"
    # when
    with connection.cursor() as cursor:
        total = cursor.execute(sql, [1] * count).fetchone()[0]
    # then
    assert total == count
    assert base._qmark_query.cache_info().currsize == 0


def test_named_parameters_are_rewritten_as_django_does(connection):
    # when
    with connection.cursor() as cursor:
        found = cursor.execute("SELECT %(a)s + %(b)s", {"a": 2, "b": 3}).fetchone()[0]
    # then
    assert found == 5
