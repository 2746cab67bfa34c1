"""SQLite as consultdesk uses it: WAL, synchronous=FULL, foreign keys, and writers that queue.

Writes take SQLite's write lock at BEGIN (BEGIN IMMEDIATE) so that a transaction never fails
half-way because another process wrote first. A writer that finds the lock taken waits in
SQLite's busy handler, which sleeps 1, 2, 5, 10 ... 100 ms between tries: with two gunicorn
workers creating inquiries, that sleeping made the tail 200-300 ms while the lock was free most
of the time. So writers first queue on an advisory file lock next to the database (flock), which
they hold from BEGIN until the connection goes back to the pool: the next writer tries again
within half a millisecond of the lock coming free. The file lock only orders writers; SQLite's
own lock still guards the data, and a writer that waits longer than busy_timeout for the file
lock goes on to BEGIN IMMEDIATE as before.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

BUSY_TIMEOUT_MS = 5000
_POLL_SECONDS = 0.0005


def configure(may_write) -> None:
    """Install the listeners (once per process); ``may_write()`` says whether a transaction
    that is beginning may write (then it takes the write lock at BEGIN)."""
    if getattr(configure, "done", False):
        return

    @event.listens_for(Engine, "connect")
    def _pragmas(dbapi_connection, record):
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        # The driver's own transaction handling defers BEGIN and breaks SAVEPOINTs; let
        # SQLAlchemy emit BEGIN itself (SQLAlchemy's documented pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        path = next((row[2] for row in cursor.execute("PRAGMA database_list") if row[1] == "main"), "")
        cursor.close()
        if path:  # not for in-memory databases
            record.info["writer_lock"] = _WriterLock(path + "-writer.lock")

    @event.listens_for(Engine, "begin")
    def _begin(connection):
        if connection.dialect.name != "sqlite":
            return
        if may_write():
            lock = connection.connection.info.get("writer_lock") if connection.connection else None
            if lock is not None:
                lock.acquire(BUSY_TIMEOUT_MS / 1000)
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    @event.listens_for(Pool, "checkin")
    def _release(dbapi_connection, record):
        lock = record.info.get("writer_lock") if record is not None else None
        if lock is not None:
            lock.release()

    @event.listens_for(Pool, "close")
    def _close(dbapi_connection, record):
        lock = record.info.pop("writer_lock", None) if record is not None else None
        if lock is not None:
            lock.close()

    configure.done = True


class _WriterLock:
    """An exclusive flock on a file beside the database, one open file per connection."""

    def __init__(self, path: str):
        self.path, self.fd, self.held = path, None, False

    def acquire(self, timeout: float) -> bool:
        if self.held:
            return True
        if self.fd is None:
            try:
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                return False  # e.g. a read-only directory: SQLite's busy handler still works
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self.held = True
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(_POLL_SECONDS)

    def release(self) -> None:
        if self.held:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            self.held = False

    def close(self) -> None:
        self.release()
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
