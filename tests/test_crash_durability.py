"""kill -9 under load loses no acknowledged write (a short run of bench/crash.py per backend)."""

import random
import socket

import pytest
import sqlalchemy as sa

from bench.crash import Tally, kill_under_load, lost_writes
from bench.run import migrate_and_fill

pytestmark = pytest.mark.no_transaction


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_no_acknowledged_write_is_lost_when_the_server_is_killed(empty_database_url, tmp_path):
    env = migrate_and_fill(empty_database_url, tmp_path, 1, 10)
    tally = kill_under_load(env, _free_port(), rounds=2, clients=4, seconds=1.5, rng=random.Random(7))
    assert len(tally.acknowledged) > 20 and not tally.refused
    assert lost_writes(empty_database_url, tally) == []


def test_the_check_notices_a_missing_or_changed_write(empty_database_url, tmp_path):
    migrate_and_fill(empty_database_url, tmp_path, 1, 10)
    engine = sa.create_engine(empty_database_url)
    with engine.connect() as conn:
        stored_id, subject = conn.execute(sa.text("SELECT id, subject FROM inquiries LIMIT 1")).one()
    engine.dispose()
    tally = Tally(acknowledged={"01JNOTSTORED0000000000000A": "crash 0.0-1", stored_id: subject})
    assert lost_writes(empty_database_url, tally) == ["01JNOTSTORED0000000000000A"]
    tally.acknowledged[stored_id] = subject + " (not what was stored)"
    assert lost_writes(empty_database_url, tally) == ["01JNOTSTORED0000000000000A", stored_id]
