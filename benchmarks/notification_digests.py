"""Daily digests for 3,000 members in one background run: time, queries and
peak memory; and the notifications page of a member with many notifications.

Seeds (fixed random seed) five partnerships into a scratch database (a
temporary SQLite file, or a throw-away PostgreSQL database when DATABASE_URL
points at a server): one with 3,000 members, each with some notifications
waiting for the daily digest (BENCH_PER_MEMBER, 5 by default: 15,000) and a
fifth of them weekly, four small ones beside it. Then runs
``digests.send_digests(frequency="daily")`` once, measuring wall time, the
queries (``CaptureQueriesContext``) and the peak of Python memory
(``tracemalloc``), with Django's in-memory mail backend (the emails are
composed, rendered and handed over; no SMTP). A second run for the same day
must send nothing. Finally the notifications page (``/notifications/``) of a
member with 1,000 notifications against one with 10, N requests each.

    .venv/bin/python benchmarks/notification_digests.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_notify \
        .venv/bin/python benchmarks/notification_digests.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

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

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "3000"))
PER_MEMBER = int(os.environ.get("BENCH_PER_MEMBER", "5"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
# The share of members who chose the weekly digest (0: everyone gets a daily one).
WEEKLY = float(os.environ.get("BENCH_WEEKLY", "0"))


def seed() -> tuple[Any, Any, Any]:
    from accounts.models import User
    from notifications.models import Notification, Preference
    from partnerships import services
    from partnerships.models import Member, Role

    rng = random.Random(20261207)
    facilitator = User.objects.create_user(email="bench-fac@example.test", password="x")
    partnerships = [
        services.create_partnership(
            creator=facilitator,
            name=f"Bench {i}",
            country="CO",
            locality_name="Bench",
            languages=["es", "en"],
        )
        for i in range(5)
    ]
    big = partnerships[0]
    users = User.objects.bulk_create(
        User(
            email=f"bench-{i}@example.test",
            display_name=f"Persona {i}",
            language=rng.choice(["", "es", "en"]),
        )
        for i in range(MEMBERS)
    )
    Member.objects.bulk_create(
        Member(partnership=big, user=u, role=rng.choice([Role.PARTICIPANT, Role.OBSERVER]))
        for u in users
    )
    for small in partnerships[1:]:
        Member.objects.bulk_create(
            Member(partnership=small, user=u, role=Role.PARTICIPANT) for u in users[:20]
        )
    weekly = {u.pk for u in users if rng.random() < WEEKLY}
    Preference.objects.bulk_create(
        Preference(user_id=pk, kind="announcement", frequency="weekly") for pk in weekly
    )
    rows = []
    for u in users:
        for n in range(PER_MEMBER):
            rows.append(
                Notification(
                    partnership=big if n else rng.choice(partnerships),
                    recipient=u,
                    kind=rng.choice(["announcement", "reply", "mention"]),
                    params={"title": f"Tema {rng.randrange(500)}"},
                    url="/notifications/",
                    delivery="weekly" if u.pk in weekly else "daily",
                )
            )
    Notification.objects.bulk_create(rows, batch_size=2000)
    heavy, light = users[0], users[1]
    Notification.objects.bulk_create(
        (
            Notification(
                partnership=big,
                recipient=heavy,
                kind="announcement",
                params={"title": f"Aviso {i}"},
                delivery="never",
            )
            for i in range(1000 - PER_MEMBER)
        ),
        batch_size=2000,
    )
    return big, heavy, light


def page_times(client: Any, url: str) -> tuple[float, float, int]:
    client.get(url)
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], len(queries)


def main() -> None:
    from django.core import mail
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    setup_test_environment()  # the in-memory mail backend
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from notifications.digests import send_digests
        from notifications.models import Notification

        start = time.perf_counter()
        _big, heavy, light = seed()
        seeded = time.perf_counter() - start
        waiting = Notification.objects.filter(delivery="daily").count()
        mail.outbox = []
        tracemalloc.start()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            if os.environ.get("BENCH_PROFILE"):
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                run = profiler.runcall(send_digests, frequency="daily")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            else:
                run = send_digests(frequency="daily")
        elapsed = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert run.sent == len(mail.outbox)
        start = time.perf_counter()
        again = send_digests(frequency="daily")
        second = time.perf_counter() - start
        assert again.sent == 0
        print(f"\nNotification digests on {connection.vendor} (seeded in {seeded:.1f} s)\n")
        print(f"members with a daily digest    {run.sent}")
        print(f"notifications in them          {run.notifications} (of {waiting} daily)")
        print(f"time                           {elapsed:.2f} s")
        print(f"queries                        {len(queries)}")
        print(f"peak Python memory             {peak / 1e6:.1f} MB")
        print(f"second run, same day           {again.sent} sent in {second:.2f} s")
        print(f"\n/notifications/, {REQUESTS} requests (ms; queries)")
        for label, user in (("1,000 notifications", heavy), (f"{PER_MEMBER} notifications", light)):
            client = Client()
            client.force_login(user)
            median, p95, n = page_times(client, "/notifications/")
            print(f"{label:<22} median {median:6.1f}  p95 {p95:6.1f}  queries {n}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
