"""Server time and query count of the partnership pages, small vs large.

Seeds two partnerships into a scratch database (a temporary SQLite file, or a
throw-away PostgreSQL database when DATABASE_URL points at a server): a small
one and a large one (300 partners, 2,000 members, 20,000 audit entries), then
requests each page N times through Django's test client (the whole stack
except the network) and reports the median and p95 time and the queries.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsbp.settings")
os.environ.setdefault("HSBP_DATA_DIR", tempfile.mkdtemp(prefix="hsbp-bench-"))
os.environ["HSBP_TASK_BACKEND"] = "immediate"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
PAGES = ["", "steps/", "partners/", "members/", "record/"]


def seed(size: str) -> tuple[str, object, object]:
    from accounts.models import User
    from partnerships import services
    from partnerships.models import AuditAction, AuditEntry, Member, Partner, PartnerType, Role

    rng = random.Random(20261123)
    n_partners, n_members, n_audit = (5, 10, 50) if size == "small" else (300, 2000, 20000)
    facilitator = User.objects.create_user(email=f"bench-fac-{size}@example.test", password="x")
    participant = User.objects.create_user(email=f"bench-par-{size}@example.test", password="x")
    p = services.create_partnership(
        creator=facilitator,
        name=f"Bench {size}",
        country="CO",
        locality_name="Bench",
        description="Benchmark",
    )
    types = list(PartnerType.values)
    Partner.objects.bulk_create(
        Partner(partnership=p, name=f"Partner {i}", partner_type=rng.choice(types))
        for i in range(n_partners)
    )
    users = User.objects.bulk_create(
        User(email=f"bench-{size}-{i}@example.test", display_name=f"Person {i}")
        for i in range(n_members)
    )
    roles = [Role.PARTICIPANT, Role.OBSERVER]
    Member.objects.bulk_create(Member(partnership=p, user=u, role=rng.choice(roles)) for u in users)
    Member.objects.create(partnership=p, user=participant, role=Role.PARTICIPANT)
    # Seeding writes the trail directly: the benchmark is of reading it.
    AuditEntry.objects.bulk_create(
        AuditEntry(
            partnership=p,
            actor=facilitator,
            actor_label="Bench",
            action=rng.choice(AuditAction.values),
            kind=rng.choice(["partner", "member", "step"]),
            object_id=str(i),
            object_label=f"Object {i}",
            changes={"name": [None, f"v{i}"]},
        )
        for i in range(n_audit)
    )
    return p.slug, facilitator, participant


def measure(client: object, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 403), (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def main() -> None:
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import get_runner  # noqa: F401

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.test.utils import setup_databases, teardown_databases

    old = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("migrate", verbosity=0)
        from accounts.totp import activate

        results = {}
        for size in ("small", "large"):
            slug, facilitator, participant = seed(size)
            activate(facilitator, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
            for persona, user in (("facilitator", facilitator), ("participant", participant)):
                client = Client()
                client.force_login(user)
                for page in PAGES:
                    results[(size, persona, page)] = measure(client, f"/p/{slug}/{page}")
        engine = connection.vendor
        print(f"\nHSBP page benchmark on {engine}, {REQUESTS} requests each (ms; queries)\n")
        print(
            f"{'page':<12}{'persona':<13}{'small med':>10}{'large med':>10}{'large p95':>10}"
            f"{'ratio':>7}{'q small':>9}{'q large':>9}"
        )
        for persona in ("facilitator", "participant"):
            for page in PAGES:
                s, lg = results[("small", persona, page)], results[("large", persona, page)]
                print(
                    f"{'/' + page:<12}{persona:<13}{s[0]:>10.1f}{lg[0]:>10.1f}{lg[1]:>10.1f}"
                    f"{lg[0] / s[0]:>7.2f}{s[2]:>9}{lg[2]:>9}"
                )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
