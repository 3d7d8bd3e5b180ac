"""Common ground on the platform, at size: the analysis of a stored
conversation end to end, and the pages people use while voting.

Seeds, into a scratch database (SQLite, or PostgreSQL when DATABASE_URL points
at a server), one conversation of BENCH_PARTICIPANTS participants (default
20,000) and 300 statements with planted opinion groups
(``commonground_seed.synthetic``: sparse, skewed participation like Pol.is's
real conversations), plus four small conversations in other partnerships so
that a leak would show. Then reports:

- ``analysis.analyse``: votes read from the database, the engine, the make-up
  of the groups (suppressed), the bridging statements, stored — median of
  BENCH_RUNS (default 3), with the engine's own share, and the adjusted Rand
  index of the groups found against the planted ones;
- median and p95 (ms) and queries of BENCH_REQUESTS requests (default 30) of
  the opinion-groups page, the voting page (routing over 300 statements) and a
  vote (POST, then the redirect's next statement), as a participant.

    .venv/bin/python benchmarks/commonground_platform.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/commonground_platform.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsbp.settings")
os.environ.setdefault("HSBP_DATA_DIR", tempfile.mkdtemp(prefix="hsbp-bench-"))
os.environ["HSBP_TASK_BACKEND"] = "database"  # as in production: votes queue the analysis

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "20000"))
STATEMENTS = 300
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def _seed(partnership: Any, facilitator: Any, participants: int, *, seed: int) -> Any:
    from commonground_seed import synthetic
    from django.db.models import Count, Q

    from commonground import services
    from commonground.models import Conversation, Participant, Statement, Vote
    from partnerships.models import PartnerType

    c = services.create_conversation(
        by=facilitator, partnership=partnership, title={"en": f"Bench {participants}"}
    )
    Statement.objects.bulk_create(
        Statement(
            partnership=partnership,
            conversation=c,
            number=i + 1,
            text={"en": f"Bench statement {i + 1}"},
            status="accepted",
            seed=True,
        )
        for i in range(STATEMENTS)
    )
    services.set_status(by=facilitator, conversation=c, status="open")
    data = synthetic(participants, STATEMENTS, groups=4, seed=seed)
    types = [
        PartnerType.COMMUNITY,
        PartnerType.COMPANY,
        PartnerType.GOVERNMENT,
        PartnerType.CIVIL_SOCIETY,
    ]
    people = Participant.objects.bulk_create(
        (
            Participant(
                partnership=partnership,
                conversation=c,
                key=f"bench-{i}",
                partner_type=types[int(data.planted[i])],
            )
            for i in range(participants)
        ),
        batch_size=5000,
    )
    statements = list(Statement.objects.filter(conversation=c).order_by("number"))
    person_ids = [p.pk for p in people]
    statement_ids = [s.pk for s in statements]
    batch: list[Any] = []
    for row, column, vote in zip(
        data.rows.tolist(), data.columns.tolist(), data.votes.tolist(), strict=True
    ):
        batch.append(
            Vote(
                conversation_id=c.pk,
                participant_id=person_ids[row],
                statement_id=statement_ids[column],
                choice=vote,
                partner_type=types[int(data.planted[row])],
            )
        )
        if len(batch) == 20000:
            Vote.objects.bulk_create(batch)
            batch = []
    Vote.objects.bulk_create(batch)
    counts = (
        Vote.objects.filter(conversation=c)
        .values("statement")
        .annotate(
            a=Count("pk", filter=Q(choice=1)),
            d=Count("pk", filter=Q(choice=-1)),
            p=Count("pk", filter=Q(choice=0)),
        )
    )
    for row_ in counts:
        Statement.objects.filter(pk=row_["statement"]).update(
            agree_count=row_["a"], disagree_count=row_["d"], pass_count=row_["p"]
        )
    Conversation.objects.filter(pk=c.pk).update(
        vote_count=int(data.votes.size), participant_count=participants
    )
    c.refresh_from_db()
    return c, data


def _measure(fn: Any) -> tuple[float, float, int]:
    fn()  # warm
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        fn()
    times.sort()
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)], len(queries)


def main() -> None:
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases
    from sklearn.metrics import adjusted_rand_score

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.models import User
        from commonground import analysis
        from commonground.models import Participant, Vote
        from partnerships.models import Member, Role
        from partnerships.services import create_partnership

        facilitator = User.objects.create_user(email="bench-fac@example.test", password="x-bench-x")
        voter = User.objects.create_user(email="bench-voter@example.test", password="x-bench-x")
        made = []
        started = time.perf_counter()
        for i, size in enumerate((PARTICIPANTS, 500, 500, 500, 500)):
            partnership = create_partnership(
                creator=facilitator, name=f"Bench common ground {i}", country="CO",
                locality_name="Bench", description="Benchmark",
            )  # fmt: skip
            Member.objects.create(partnership=partnership, user=voter, role=Role.PARTICIPANT)
            made.append((partnership, *_seed(partnership, facilitator, size, seed=i)))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        partnership, conversation, data = made[0]
        votes = Vote.objects.filter(conversation=conversation).count()
        print(
            f"seeded {PARTICIPANTS} participants × {STATEMENTS} statements ({votes} votes) "
            f"and four small conversations in {time.perf_counter() - started:.0f} s "
            f"on {connection.vendor}",
            flush=True,
        )

        totals, engines = [], []
        found: Any = None
        for _ in range(RUNS):
            start = time.perf_counter()
            found = analysis.analyse(conversation.pk, force=True)  # a rerun changes nothing
            totals.append(time.perf_counter() - start)
            engines.append(found.elapsed_ms / 1000)
        assert found is not None
        placed = {int(k): g for k, g in found.membership["groups"].items()}
        index = {
            p.pk: i
            for i, p in enumerate(
                Participant.objects.filter(conversation=conversation).order_by("pk")
            )
        }
        keys = sorted(placed)
        ari = adjusted_rand_score(
            [int(data.planted[index[k]]) for k in keys], [placed[k] for k in keys]
        )
        print(
            f"\nanalyse (read votes, engine, make-up, bridging, store), median of {RUNS}: "
            f"{statistics.median(totals):.2f} s, of which the engine {statistics.median(engines):.2f} s; "
            f"{found.data['engine']['group_count']} groups, ARI against the planted groups {ari:.3f}",
            flush=True,
        )

        import hsbp.wsgi  # noqa: F401  (serve as a web process does)

        client = Client()
        client.force_login(voter)
        base = f"/p/{partnership.slug}/common-ground/{conversation.public_id}/"
        client.get(base + "groups/")
        statements = iter(range(1, STATEMENTS + 1))

        def vote() -> None:
            response = client.post(base + "vote/", {"statement": next(statements), "choice": "1"})
            assert response.status_code == 302, response.status_code
            client.get(response["Location"])

        print(f"\nPages on {connection.vendor}, {REQUESTS} requests each, as a participant\n")
        print(f"{'page':<34}{'median':>9}{'p95':>9}{'queries':>9}")
        for label, fn in (
            ("opinion groups", lambda: client.get(base + "groups/")),
            ("voting page (next statement)", lambda: client.get(base + "vote/")),
            ("vote, then the next statement", vote),
        ):
            med, p95, queries = _measure(fn)
            print(f"{label:<34}{med:>9.1f}{p95:>9.1f}{queries:>9}", flush=True)
        size = len(client.get(base + "vote/").content)
        print(f"\nvoting page: {size / 1000:.1f} KB; opinion groups page: "
              f"{len(client.get(base + 'groups/').content) / 1000:.1f} KB")  # fmt: skip
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
