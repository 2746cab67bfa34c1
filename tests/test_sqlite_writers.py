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


@pytest.fixture
def solo(empty_database_url, monkeypatch):
    """An app on a database of its own with one tenant: (client, bearer headers, database path).

    For tests in which another connection holds the database's write lock for real. Writers
    give up after 0.3 s instead of 5 here."""
    if not empty_database_url.startswith("sqlite"):
        pytest.skip("SQLite only: one writer at a time")
    from core import sqlite
    from tests.fixtures import ADMIN_PASSWORD, app_of_its_own

    monkeypatch.setattr(sqlite, "BUSY_TIMEOUT_MS", 300)
    with app_of_its_own(empty_database_url, "solo") as app:
        client = app.test_client()
        token = client.post("/t/solo/api/v1/auth/token", json={
            "email": "admin@solo.test", "password": ADMIN_PASSWORD}).get_json()["token"]
        yield client, {"Authorization": f"Bearer {token}"}, empty_database_url.removeprefix("sqlite:///")


@pytest.fixture
def other_writer(solo):
    """Another process's connection, holding the write lock while the test runs."""
    import sqlite3

    other = sqlite3.connect(solo[2], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield other
    other.execute("ROLLBACK")
    other.close()


INQUIRY = {"channel": "phone", "requester": {"name": "张先生"}, "subject": "电梯", "answer": "已报修"}


@pytest.mark.no_transaction
def test_a_writing_api_request_authenticates_without_the_write_lock(solo, other_writer):
    """A POST reads its token outside the write lock (web._read_credentials): while another
    writer holds the lock, a create that its arguments refuse is answered 422 at once instead of
    waiting for the lock just to read its token."""
    client, headers, _ = solo
    refused = client.post("/t/solo/api/v1/inquiries", json={"channel": "fax"}, headers=headers)
    assert refused.status_code == 422, refused.get_json()
    assert client.get("/t/solo/api/v1/me", headers=headers).status_code == 200  # reads go on


@pytest.mark.no_transaction
def test_a_write_that_cannot_get_the_lock_is_a_503_and_leaves_nothing(solo, other_writer):
    client, headers, _ = solo
    busy = client.post("/t/solo/api/v1/inquiries", json=INQUIRY, headers=headers)
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "1"
    assert busy.get_json()["error"]["code"] == "unavailable"
    other_writer.execute("ROLLBACK")
    other_writer.execute("BEGIN")  # (the fixture's ROLLBACK ends this one)
    assert client.post("/t/solo/api/v1/inquiries", json=INQUIRY, headers=headers).status_code == 201
    listed = client.get("/t/solo/api/v1/inquiries", headers=headers).get_json()["items"]
    assert len(listed) == 1  # the refused write left nothing behind


@pytest.mark.no_transaction
def test_a_read_is_answered_when_its_last_seen_time_cannot_be_written(solo):
    """Once a minute a request records its token's last use; when another process holds the
    write lock, that record is skipped and the request is answered all the same."""
    import sqlite3

    client, headers, path = solo
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("UPDATE api_tokens SET last_seen_at = '2026-01-01 00:00:00.000000'")
        other.execute("BEGIN IMMEDIATE")
        assert client.get("/t/solo/api/v1/me", headers=headers).status_code == 200
        other.execute("ROLLBACK")
        assert client.get("/t/solo/api/v1/me", headers=headers).status_code == 200
        last_seen = other.execute("SELECT last_seen_at FROM api_tokens").fetchone()[0]
        assert last_seen > "2026-01-01 00:00:00.000000"
    finally:
        other.close()


@pytest.mark.no_transaction
def test_an_audited_read_holds_the_write_lock_so_another_writer_cannot_refuse_it(solo, monkeypatch):
    """An audited read (web.audited_read) writes its audit event after reading. In a plain read
    transaction that write fails at once when another process wrote in between; so the read
    takes the write lock at BEGIN, and the other process waits instead."""
    import sqlite3

    from core.records import service

    client, headers, path = solo
    created = client.post("/t/solo/api/v1/records", headers=headers,
                          json={"title": "个案记录", "kind": "case_notes", "confidentiality": "normal"})
    assert created.status_code == 201, created.get_json()
    other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    decide, meanwhile = service.read_decision, {}

    def another_process_writes_meanwhile(*args, **kwargs):  # between reading and auditing
        try:
            other.execute("UPDATE tenants SET name = name || '·'")  # a real change
            meanwhile["other writer"] = "wrote"
        except sqlite3.OperationalError:
            meanwhile["other writer"] = "waited for the lock"
        return decide(*args, **kwargs)

    monkeypatch.setattr(service, "read_decision", another_process_writes_meanwhile)
    try:
        read = client.get(f"/t/solo/api/v1/records/{created.get_json()['id']}", headers=headers)
    finally:
        other.close()
    assert read.status_code == 200, read.get_json()
    assert meanwhile == {"other writer": "waited for the lock"}
