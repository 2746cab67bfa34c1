"""The benchmark: fill a database, serve it with gunicorn (2 workers), load it with wrk.

    python -m bench.run [--tenants 1000] [--per-tenant 1000] [--backends sqlite,postgresql]
                        [--duration 10] [--connections 8]

For each backend it measures p50/p95 latency and throughput over HTTP for: creating an
inquiry, the inquiry list with each filter (status, overdue, date, q), the day's ledger as
XLSX and the monthly report; and the same for a bare Flask + SQLAlchemy endpoint reading one
inquiry by primary key, in the same run, on the same data. It prints each figure and its ratio
to the bare endpoint. For comparison it also measures bare endpoints doing the work of a create
(insert one row and commit) and of a list (a page of 50 inquiries), and GET /me (authentication
alone), and prints from these the best any authenticated create or list could do
(bench/bare_app.py). This is not a test: it prints figures and never fails on them.
Needs wrk (Debian package) and, for PostgreSQL, a server (TEST_DATABASE_URL or the local one).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench import bare_app

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "wrk_report.lua"
PG_BASE = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


BARE = "bare: one row by primary key"
BARE_WRITE = "bare write: insert one row, commit"
BARE_LIST = "bare list: a page of 50, no auth"
ME = "me (authentication alone)"
LIGHT_CONNECTIONS = 2  # one request at a time per worker (and wrk's -t2 needs two)
# What each kind of scenario is compared with, like for like (the first word of its name)
LIKE = {"create": BARE_WRITE, "list": BARE_LIST}


def run(cmd, env, **kw):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kw)


def database(backend: str, work: Path):
    """(url, cleanup) of an empty database of the backend."""
    if backend == "sqlite":
        return f"sqlite:///{work / 'bench.db'}", lambda: None
    from core.config import normalise_database_url

    base = normalise_database_url(PG_BASE)
    name = f"consultdesk_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop():
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False), drop


class Server:
    """gunicorn with 2 sync workers on the given port."""

    def __init__(self, app: str, env: dict, port: int):
        self.port, self.url = port, f"http://127.0.0.1:{port}"
        cmd = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level",
               "warning", app]
        if "--no-control-socket" in subprocess.run([sys.executable, "-m", "gunicorn", "--help"],
                                                  capture_output=True, text=True).stdout:
            cmd.insert(-1, "--no-control-socket")
        # a session of its own, so that kill() reaches the master and its workers at once
        self.process = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{self.url}/healthz" if "wsgi" in app else self.url, timeout=1)
                return
            except OSError as error:
                if getattr(error, "code", None):  # an HTTP answer: the server is up
                    return
                time.sleep(0.2)
        raise RuntimeError(f"{app} did not start")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)

    def kill(self):
        """SIGKILL to the master and every worker, as a crash would (bench/crash.py)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)


def wrk(url: str, *, duration: int, connections: int, token=None, method=None, body=None) -> dict:
    env = {**os.environ}
    for key, value in (("WRK_TOKEN", token), ("WRK_METHOD", method), ("WRK_BODY", body)):
        if value:
            env[key] = value
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(LUA), url],
                         env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    requests, errors, seconds, p50, p95 = line.split()[1:]
    return {"requests": int(requests), "errors": int(errors), "rps": int(requests) / float(seconds),
            "p50": float(p50), "p95": float(p95)}


def measure(url: str, load: dict, **request) -> dict:
    """wrk after a 2 s warm-up: throughput and latency at ``load`` (8 connections on 2 workers:
    saturated, so a request mostly waits for those ahead of it), then the latency at
    LIGHT_CONNECTIONS, what a user sees when the server is not saturated (p50_light, p95_light)."""
    wrk(url, duration=2, connections=load["connections"], **request)
    figures = wrk(url, **load, **request)
    light = wrk(url, duration=max(3, load["duration"] // 2), connections=LIGHT_CONNECTIONS, **request)
    return {**figures, "p50_light": light["p50"], "p95_light": light["p95"],
            "errors": figures["errors"] + light["errors"]}


def token_for(base: str, slug: str) -> str:
    request = urllib.request.Request(
        f"{base}/t/{slug}/api/v1/auth/token", method="POST",
        data=json.dumps({"email": "admin@bench.test", "password": "bench-pass-2026"}).encode(),
        headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))["token"]


def scenarios(slug: str, day: date, month: str) -> list[tuple[str, str, dict]]:
    api = f"/t/{slug}/api/v1"
    create = json.dumps({"channel": "phone", "requester": {"name": "张先生", "phone": "13800000000"},
                         "subject": "电梯故障报修", "category": "repair", "answer": "已通知工程部，今日修复"})
    return [
        ("create inquiry", f"{api}/inquiries", {"method": "POST", "body": create}),
        ("list status=open", f"{api}/inquiries?status=open", {}),
        ("list overdue=true", f"{api}/inquiries?overdue=true", {}),
        (f"list date={day}", f"{api}/inquiries?date={day}", {}),
        ("list q=电梯", f"{api}/inquiries?q=%E7%94%B5%E6%A2%AF", {}),
        ("ledger xlsx", f"{api}/ledger?date={day}&format=xlsx", {}),
        ("monthly report", f"{api}/reports/monthly?month={month}", {}),
    ]


def migrate_and_fill(url: str, work: Path, tenants: int, per_tenant: int) -> dict:
    """Migrate the empty database at ``url`` and fill it (bench.fill); the app's environment."""
    env = {**os.environ, "DATABASE_URL": url, "CONSULTDESK_INSTANCE": str(work),
           "CONSULTDESK_ENV": "development", "SECRET_KEY": "bench-" + "s" * 40}
    env.pop("REDIS_URL", None)
    run([sys.executable, "-m", "core.cli", "db", "upgrade"], env, capture_output=True)
    run([sys.executable, "-m", "bench.fill", "--tenants", str(tenants), "--per-tenant", str(per_tenant)], env)
    return env


def _against(figures: dict, baseline: dict) -> dict:
    return {"rps_ratio": figures["rps"] / baseline["rps"], "p95_ratio": figures["p95"] / baseline["p95"]}


def bench_backend(backend: str, args) -> list[dict]:
    work = Path(tempfile.mkdtemp(prefix=f"consultdesk-bench-{backend}-"))
    url, drop = database(backend, work)
    results = []
    try:
        started = time.time()
        env = migrate_and_fill(url, work, args.tenants, args.per_tenant)
        print(f"[{backend}] filled in {time.time() - started:.0f} s", file=sys.stderr)
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect() as conn:
            slug = f"t{max(1, args.tenants // 2):04d}"
            tenant_id, inquiry_id = conn.execute(sa.text(
                "SELECT t.id, i.id FROM tenants t JOIN inquiries i ON i.tenant_id = t.id "
                "WHERE t.slug = :s LIMIT 1"), {"s": slug}).one()
        bare_app.WRITES.create(engine)
        engine.dispose()
        load = {"duration": args.duration, "connections": args.connections}

        bare = Server("bench.bare_app:app", env, args.port + 1)
        try:
            write = {"method": "POST", "body": json.dumps({"subject": "电梯故障报修"})}
            bares = {BARE: measure(f"{bare.url}/bare/{tenant_id}/{inquiry_id}", load),
                     BARE_WRITE: measure(f"{bare.url}/bare/{tenant_id}/writes", load, **write),
                     BARE_LIST: measure(f"{bare.url}/bare/{tenant_id}/inquiries?status=open", load)}
        finally:
            bare.stop()
        baseline = bares[BARE]
        results.append({"backend": backend, "name": BARE, **baseline})
        for name in (BARE_WRITE, BARE_LIST):
            figures = bares[name]
            results.append({"backend": backend, "name": name, **figures, **_against(figures, baseline)})

        app = Server("wsgi:app", env, args.port)
        try:
            token = token_for(app.url, slug)
            today = date.today()
            measured = [(ME, f"/t/{slug}/api/v1/me", {}),
                        *scenarios(slug, today - timedelta(days=1), today.strftime("%Y-%m"))]
            for name, path, extra in measured:
                figures = measure(app.url + path, load, token=token, **extra)
                like = LIKE.get(name.split()[0])
                results.append({"backend": backend, "name": name, **figures, **_against(figures, baseline),
                                **({"like": like, "rps_vs_like": figures["rps"] / bares[like]["rps"]}
                                   if like else {})})
        finally:
            app.stop()
    finally:
        drop()
        shutil.rmtree(work, ignore_errors=True)
    return results


def report(results: list[dict], args) -> str:
    lines = [f"consultdesk benchmark: {args.tenants} tenants x {args.per_tenant} inquiries "
             f"({args.tenants * args.per_tenant:,} rows), gunicorn 2 workers, wrk "
             f"{args.connections} connections x {args.duration} s, {os.cpu_count()} CPUs",
             f"p50 and p95 \"at {LIGHT_CONNECTIONS}\": {LIGHT_CONNECTIONS} connections, the latency when the "
             "server is not saturated",
             "", "| backend | endpoint | req/s | p50 ms | p95 ms | errors | req/s vs bare | p95 vs bare "
             f"| p50 ms at {LIGHT_CONNECTIONS} | p95 ms at {LIGHT_CONNECTIONS} |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        ratio = (f"{r['rps_ratio']:.2f}", f"{r['p95_ratio']:.1f}x") if "rps_ratio" in r else ("1.00", "1.0x")
        lines.append(f"| {r['backend']} | {r['name']} | {r['rps']:.0f} | {r['p50']:.1f} | "
                     f"{r['p95']:.1f} | {r['errors']} | {ratio[0]} | {ratio[1]} | "
                     f"{r['p50_light']:.1f} | {r['p95_light']:.1f} |")
    like = [f"- {r['backend']}: {r['name']} at {r['rps_vs_like']:.2f} of the "
            f"{r['like'].split(':')[0]}'s req/s" for r in results if "like" in r]
    if like:
        lines += ["", "Against the bare endpoint doing the same work (create: the bare write; lists: the "
                  "bare list):", *like]
    lines += ["", "Ceiling of any authenticated create or list, as a share of the bare read's req/s "
              "(time per request at least /me's plus the bare write's or bare list's extra over the "
              "bare read):", *ceilings(results)]
    return "\n".join(lines)


def ceilings(results: list[dict]) -> list[str]:
    """What an authenticated create or list could reach at best: it authenticates (at least GET
    /me's time per request) and does the bare write's or bare list's work (their time beyond the
    bare read's, which /me already includes once)."""
    lines = []
    for backend in dict.fromkeys(r["backend"] for r in results):
        rps = {r["name"]: r["rps"] for r in results if r["backend"] == backend}
        if not {BARE, BARE_WRITE, BARE_LIST, ME} <= rps.keys():
            continue
        base = 1 / rps[BARE]
        for kind, bare in (("create", BARE_WRITE), ("list", BARE_LIST)):
            ceiling = 1 / (1 / rps[ME] + 1 / rps[bare] - base)
            lines.append(f"- {backend}: {kind} at most {ceiling / rps[BARE]:.2f} of the bare read "
                         f"({ceiling:.0f} req/s)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--per-tenant", type=int, default=1000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8870)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench: needs wrk (apt-get install wrk)")
    results = []
    for backend in args.backends.split(","):
        results += bench_backend(backend.strip(), args)
    print(report(results, args))


if __name__ == "__main__":
    main()
