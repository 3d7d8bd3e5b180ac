"""The relations network of a large map: the background layout, then the pages.

Seeds ``stakeholders_seed.seed_large_map()`` (20,000 actors and 60,000
relations by default; BENCH_ACTORS / BENCH_RELATIONS to change) into a scratch
database (a throw-away SQLite database, or PostgreSQL when DATABASE_URL points
at a server), runs the layout task once and reports its seconds, phase by
phase, then requests the cached picture and the page N times (BENCH_REQUESTS)
through Django's test client and reports the median and p95 in ms and the
queries per request.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsbp.settings")
os.environ.setdefault("HSBP_DATA_DIR", tempfile.mkdtemp(prefix="hsbp-bench-"))
os.environ["HSBP_TASK_BACKEND"] = "immediate"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
ACTORS = int(os.environ.get("BENCH_ACTORS", "20000"))
RELATIONS = int(os.environ.get("BENCH_RELATIONS", "60000"))


def measure(client: object, url: str, expect: int = 200) -> tuple[float, float, int, int]:
    client.get(url)  # warm
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == expect, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        size = len(client.get(url).content)
    times.sort()
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)], len(queries), size


def main() -> None:
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("migrate", verbosity=0)
        from stakeholders_seed import seed_large_map

        from accounts.totp import activate
        from partnerships.models import Member, Role
        from stakeholders import network
        from stakeholders.tasks import layout_network

        start = time.perf_counter()
        partnership = seed_large_map(actors=ACTORS, relations=RELATIONS, seed=1)
        seeded = time.perf_counter() - start
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would have gathered on a live server.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        version = network.data_version(partnership.pk)

        phases: list[tuple[float, str]] = []
        record = network.set_progress

        def timed(pid: int, key: str, state: str, percent: int, phase: str) -> None:
            if not phases or phases[-1][1] != phase:
                phases.append((time.perf_counter(), phase))
            record(pid, key, state, percent, phase)

        network.set_progress = timed  # type: ignore[assignment]
        start = time.perf_counter()
        result = layout_network.enqueue(partnership.pk)  # the immediate backend runs it here
        laid_out = time.perf_counter() - start
        network.set_progress = record  # type: ignore[assignment]
        assert result.status == "SUCCESSFUL", result.status
        layout = network.cached_layout(partnership.pk, version)
        assert layout is not None

        members = Member.objects.filter(partnership=partnership).select_related("user")
        facilitator = members.get(role=Role.FACILITATOR).user
        participant = members.get(role=Role.PARTICIPANT).user
        activate(facilitator, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        rows = []
        for persona, user in (("facilitator", facilitator), ("participant", participant)):
            client = Client()
            client.force_login(user)
            base = f"/p/{partnership.slug}/map/"
            rows.append((persona, "network.svg", *measure(client, base + "network.svg")))
            rows.append((persona, "network/", *measure(client, base + "network/")))
            rows.append(
                (persona, "network/?page=300", *measure(client, base + "network/?page=300"))
            )

        print(f"\nHSBP relations network on {connection.vendor}: {ACTORS:,} actors, "
              f"{RELATIONS:,} relations (+4 small maps)\n")  # fmt: skip
        print(f"seeding                     {seeded:8.1f} s")
        print(f"background layout, in all   {laid_out:8.1f} s "
              f"(betweenness from {layout.sampled} of {len(layout.ids)} actors, "
              f"{len(layout.clusters)} clusters, {len(layout.isolated)} isolated)")  # fmt: skip
        ends = [t for t, _p in phases[1:]] + [start + laid_out]
        for (began, phase), end in zip(phases, ends, strict=True):
            print(f"  {phase:<26}{end - began:8.1f} s")
        print(f"\n{REQUESTS} requests each, cached (ms; queries; bytes)\n")
        print(f"{'persona':<13}{'url':<20}{'median':>8}{'p95':>8}{'queries':>9}{'bytes':>11}")
        for persona, url, median, p95, queries, size in rows:
            print(f"{persona:<13}{url:<20}{median:>8.1f}{p95:>8.1f}{queries:>9}{size:>11,}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
