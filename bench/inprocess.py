"""Per-request cost of the benchmark's endpoints inside one process, without HTTP or wrk.

    python -m bench.inprocess [--tenants 5] [--per-tenant 1000] [--requests 300] [--profile NAME]

Fills a small SQLite database the way bench.fill does, then calls each endpoint of bench.run's
scenarios through Flask's test client and prints the mean milliseconds per request next to the
bare endpoint's. ``--profile NAME`` (a scenario name such as "list status=open") prints the
cProfile of that scenario instead, sorted by cumulative time. This is the loop to work in when
making an endpoint cheaper; bench.run is the measurement that counts.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def timed(call, count: int, rounds: int = 5) -> float:
    """Milliseconds per call: the best of ``rounds`` rounds (as timeit does), so that another
    process taking the CPU for a moment does not count."""
    for _ in range(max(3, count // 10)):  # warm caches (policy, plugin hook callers, statements)
        call()
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(max(1, count // rounds)):
            call()
        best = min(best, (time.perf_counter() - started) / max(1, count // rounds))
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--tenants", type=int, default=5)
    parser.add_argument("--per-tenant", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", help="print the cProfile of this scenario")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="consultdesk-inprocess-"))
    try:
        from bench.run import migrate_and_fill, scenarios

        os.environ.update(migrate_and_fill(f"sqlite:///{work / 'bench.db'}", work, args.tenants,
                                           args.per_tenant))
        from core import create_app

        app = create_app()
        client = app.test_client()
        slug = "t0001"
        token = client.post(f"/t/{slug}/api/v1/auth/token", json={
            "email": "admin@bench.test", "password": "bench-pass-2026"}).get_json()["token"]
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        today = date.today()

        import bench.bare_app as bare

        with bare.engine().connect() as conn:
            tenant_id, inquiry_id = conn.exec_driver_sql(
                "SELECT t.id, i.id FROM tenants t JOIN inquiries i ON i.tenant_id = t.id "
                "WHERE t.slug = ? LIMIT 1", (slug,)).one()
        bare_client = bare.app.test_client()
        calls = {"bare": lambda: bare_client.get(f"/bare/{tenant_id}/{inquiry_id}"),
                 "bare list": lambda: bare_client.get(f"/bare/{tenant_id}/inquiries?status=open"),
                 "me": lambda: client.get(f"/t/{slug}/api/v1/me", headers=headers)}
        for name, path, extra in scenarios(slug, today - timedelta(days=1), today.strftime("%Y-%m")):
            method = extra.get("method", "GET").lower()
            body = json.loads(extra["body"]) if "body" in extra else None

            def call(path=path, method=method, body=body):
                response = getattr(client, method)(path, headers=headers, json=body)
                assert response.status_code < 300, (path, response.status_code, response.data[:300])
            calls[name] = call

        if args.profile:
            profiler = cProfile.Profile()
            timed(calls[args.profile], 20)
            profiler.enable()
            timed(calls[args.profile], args.requests, rounds=1)
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative"))
            stats.print_stats(45)
            if os.environ.get("CALLERS"):  # who calls these functions (a regular expression)
                stats.print_callers(os.environ["CALLERS"])
            return
        base = timed(calls["bare"], args.requests)
        print(f"{'endpoint':<24} {'ms/request':>10} {'vs bare':>8}")
        for name, call in calls.items():
            cost = base if name == "bare" else timed(call, args.requests)
            print(f"{name:<24} {cost:>10.2f} {cost / base:>7.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
