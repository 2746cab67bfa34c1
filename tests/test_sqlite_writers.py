"""SQLite writers queue on a file lock beside the database (core/sqlite.py)."""

import fcntl
import os
import threading
import time

import pytest
import sqlalchemy as sa


@pytest.fixture
def engines(app, tmp_path):  # app: the listeners are installed with the application
    url = f"sqlite:///{tmp_path / 'w.db'}"
    first, second = sa.create_engine(url), sa.create_engine(url)
    with first.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER)")
    yield first, second, str(tmp_path / "w.db-writer.lock")
    first.dispose()
    second.dispose()


def _lock_is_free(path: str) -> bool:
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_a_writer_holds_the_lock_until_its_connection_returns(engines):
    first, _, lock_path = engines
    with first.begin() as conn:
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        assert not _lock_is_free(lock_path)
    assert _lock_is_free(lock_path)


def test_the_next_writer_goes_as_soon_as_the_first_commits(engines):
    first, second, _ = engines
    done = {}

    def write_second():
        with second.begin() as conn:
            conn.exec_driver_sql("INSERT INTO t VALUES (2)")
        done["at"] = time.monotonic()

    with first.begin() as conn:
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        waiter = threading.Thread(target=write_second)
        waiter.start()
        time.sleep(0.2)
        assert "at" not in done  # queued behind the first writer
        committed = time.monotonic()
    waiter.join(5)
    assert done["at"] >= committed  # (how soon after is the benchmark's business: bench/run.py)
    with first.connect() as conn:
        assert conn.exec_driver_sql("SELECT n FROM t ORDER BY n").scalars().all() == [1, 2]
