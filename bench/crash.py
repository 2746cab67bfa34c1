"""kill -9 under load, then count the acknowledged writes that are gone.

    python -m bench.crash [--backends sqlite,postgresql] [--rounds 5] [--clients 8] [--seconds 3]

For each backend: a new database with one tenant, served by gunicorn (2 sync workers) while
--clients clients create inquiries as fast as they are answered. At a random moment within
--seconds, the whole server (master and workers) gets SIGKILL, in the middle of writes; then it
starts again on the same database, --rounds times. Every 201 a client received is an
acknowledged write: at the end each one must be in the database with the subject it was sent
with. Requests cut off by the kill were never acknowledged and may or may not have been kept.

Prints, per backend: acknowledged writes, lost writes, requests cut off, SQLite's integrity
check. Exits with status 1 when an acknowledged write is lost. tests/test_crash_durability.py
runs a short version of the same on every backend.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from bench.run import Server, database, migrate_and_fill, token_for

SLUG = "t0001"


@dataclass
class Tally:
    acknowledged: dict[str, str] = field(default_factory=dict)  # inquiry id -> subject sent
    cut_off: int = 0  # no answer: the server died with the request in flight, or was down
    refused: dict[int, int] = field(default_factory=dict)  # any other status -> count
    lock: threading.Lock = field(default_factory=threading.Lock)


def _client(port: int, token: str, name: str, stop: threading.Event, tally: Tally) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    number = 0
    while not stop.is_set():
        number += 1
        subject = f"crash {name}-{number}"
        body = json.dumps({"channel": "phone", "requester": {"name": "张先生", "phone": "13800000000"},
                           "subject": subject, "answer": "已答复"})
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("POST", f"/t/{SLUG}/api/v1/inquiries", body=body, headers=headers)
            response = connection.getresponse()
            status, answer = response.status, response.read()
        except (OSError, http.client.HTTPException):
            with tally.lock:
                tally.cut_off += 1
            time.sleep(0.01)  # the server is down until the next round starts it
            continue
        finally:
            connection.close()
        with tally.lock:
            if status == 201:
                tally.acknowledged[json.loads(answer)["id"]] = subject
            else:
                tally.refused[status] = tally.refused.get(status, 0) + 1


def kill_under_load(env: dict, port: int, *, rounds: int, clients: int, seconds: float,
                    rng: random.Random) -> Tally:
    """Run the rounds against the database in ``env``; what the clients were told."""
    tally, token = Tally(), None
    for round_number in range(rounds):
        server = Server("wsgi:app", env, port)
        token = token or token_for(server.url, SLUG)
        stop = threading.Event()
        threads = [threading.Thread(target=_client, args=(port, token, f"{round_number}.{n}", stop, tally))
                   for n in range(clients)]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.3, seconds))
        server.kill()  # SIGKILL to master and workers: no shutdown, no flush, no goodbye
        stop.set()
        for thread in threads:
            thread.join()
    return tally


def lost_writes(url: str, tally: Tally) -> list[str]:
    """The acknowledged inquiries that are not in the database with the subject they were sent with."""
    engine = sa.create_engine(url)
    stored = {}
    ids = list(tally.acknowledged)
    with engine.connect() as conn:
        for start in range(0, len(ids), 500):
            stored.update(conn.execute(sa.text("SELECT id, subject FROM inquiries WHERE id IN :ids")
                                       .bindparams(sa.bindparam("ids", expanding=True)),
                                       {"ids": ids[start:start + 500]}).all())
    engine.dispose()
    return [i for i, subject in tally.acknowledged.items() if stored.get(i) != subject]


def integrity(url: str) -> str:
    """SQLite's own check of the database file after the crashes ("ok"), or "-" elsewhere."""
    if not url.startswith("sqlite"):
        return "-"
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        result = conn.exec_driver_sql("PRAGMA integrity_check").scalar_one()
    engine.dispose()
    return result


def crash_backend(backend: str, args) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"consultdesk-crash-{backend}-"))
    url, drop = database(backend, work)
    try:
        env = migrate_and_fill(url, work, 1, 10)
        tally = kill_under_load(env, args.port, rounds=args.rounds, clients=args.clients,
                                seconds=args.seconds, rng=random.Random(args.seed))
        return {"backend": backend, "acknowledged": len(tally.acknowledged),
                "lost": len(lost_writes(url, tally)), "cut_off": tally.cut_off,
                "refused": tally.refused, "integrity": integrity(url)}
    finally:
        drop()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--port", type=int, default=8880)
    args = parser.parse_args()
    results = [crash_backend(backend.strip(), args) for backend in args.backends.split(",")]
    print(f"kill -9 under load: {args.rounds} rounds, {args.clients} clients, gunicorn 2 workers\n")
    print("| backend | acknowledged writes | lost | cut off by the kill | other answers | integrity |")
    print("|---|---:|---:|---:|---|---|")
    for r in results:
        print(f"| {r['backend']} | {r['acknowledged']} | {r['lost']} | {r['cut_off']} | "
              f"{r['refused'] or '-'} | {r['integrity']} |")
    sys.exit(1 if any(r["lost"] for r in results) else 0)


if __name__ == "__main__":
    main()
