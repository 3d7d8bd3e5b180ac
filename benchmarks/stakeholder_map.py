"""Server time and queries of the stakeholder map's pages, small map vs large.

Seeds ``stakeholders_seed.seed_large_map()`` twice into a scratch database (a
throw-away SQLite database, or PostgreSQL when DATABASE_URL points at a
server): a small map (200 actors, 600 relations) and a large one (20,000 actors
and 60,000 relations by default, plus four small partnerships each time), then
requests each page BENCH_REQUESTS times through Django's test client (the whole
stack but the network) as the facilitator and as a participant, and reports the
median and p95 in ms, the ratio large/small, and the queries per request.

    .venv/bin/python benchmarks/stakeholder_map.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/stakeholder_map.py
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
PAGES = {
    "register": "map/",
    "register p.50": "map/?page=50",
    "filtered": "map/?kind=organisation&segment=women&engagement=consult",
    "searched": "map/?q=Large+7",
    "grid": "map/grid/",
    "inclusion": "map/inclusion/",
    "actor page": "map/actors/{actor}/",
}


def measure(client: object, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)], len(queries)


def run_size(
    seed: int, actors: int, relations: int
) -> dict[tuple[str, str], tuple[float, float, int]]:
    from django.db.models import Count
    from django.test import Client
    from stakeholders_seed import seed_large_map

    from accounts.models import User
    from accounts.totp import activate
    from stakeholders.models import Actor

    started = time.perf_counter()
    partnership = seed_large_map(actors=actors, relations=relations, seed=seed)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would have gathered on a live server.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"  seeded {actors} actors / {relations} relations in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    # The busiest actor: the heaviest actor page.
    actor = (
        Actor.objects.filter(partnership=partnership, at_risk=False)
        .annotate(n=Count("relations_out"))
        .order_by("-n")
        .first()
    )
    results = {}
    for persona in ("facilitator", "participant"):
        user = User.objects.get(email=f"bench-{persona}-{seed}@example.test")
        if persona == "facilitator":
            activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        client = Client()
        client.force_login(user)
        for label, page in PAGES.items():
            url = f"/p/{partnership.slug}/" + page.format(actor=actor.public_id)
            results[(persona, label)] = measure(client, url)
    return results


def main() -> None:
    from django.test.utils import setup_databases, teardown_databases

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        small = run_size(1, 200, 600)
        large = run_size(2, ACTORS, RELATIONS)
        print(
            f"\nStakeholder map on {connection.vendor}: {REQUESTS} requests each; "
            f"small = 200 actors, large = {ACTORS} actors / {RELATIONS} relations (ms; queries)\n"
        )
        print(
            f"{'page':<15}{'persona':<13}{'small med':>10}{'large med':>10}{'large p95':>10}"
            f"{'ratio':>7}{'q small':>9}{'q large':>9}"
        )
        for persona in ("facilitator", "participant"):
            for label in PAGES:
                s, lg = small[(persona, label)], large[(persona, label)]
                print(
                    f"{label:<15}{persona:<13}{s[0]:>10.1f}{lg[0]:>10.1f}{lg[1]:>10.1f}"
                    f"{lg[0] / s[0]:>7.2f}{s[2]:>9}{lg[2]:>9}"
                )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
