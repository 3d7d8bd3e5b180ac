"""The decision pages at scale (issue 12, §4): p95 of the decision log, a
decision with its tally and thread, the notifications page and the charter
page, and their query counts for a small and the big partnership (which must
be equal: constant in data size).

Seeds (fixed random seed) five partnerships into a scratch database (a
temporary SQLite file, or a throw-away PostgreSQL database when DATABASE_URL
points at a server). The big one holds 3,000 members, 2,000 decisions, 50,000
ballots (with their participations) and 20,000 comments; the measured decision
is an open vote of members carrying 3,000 of those ballots and 1,000 of those
comments. Four small ones hold ten decisions each. A charter is in force in
each (its versions written in bulk: the benchmark measures pages, not the
adoption). Rows are written in bulk, then read exactly as live ones are.

    /work/main/.venv/bin/python benchmarks/decision_pages.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_decisions \
        /work/main/.venv/bin/python benchmarks/decision_pages.py

BENCH_REQUESTS (default 30) requests per page, after one warm-up.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
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
DECISIONS = int(os.environ.get("BENCH_DECISIONS", "2000"))
BALLOTS = int(os.environ.get("BENCH_BALLOTS", "50000"))
COMMENTS = int(os.environ.get("BENCH_COMMENTS", "20000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
PARTNERS = 40
TYPES = ["company", "community", "government", "civil_society"]


def _charter(partnership: Any, facilitator: Any) -> None:
    from django.utils import timezone

    from charter import services as charter
    from charter.models import CharterStatus, CharterVersion

    version = charter.start_from_starter(by=facilitator, partnership=partnership, starter="consent")
    CharterVersion.objects.filter(pk=version.pk).update(
        status=CharterStatus.IN_FORCE, in_force_from=timezone.now()
    )


def _partnership(
    index: int, facilitator: Any, viewer: Any, members: int, decisions: int, ballots: int,
    comments: int, measured_ballots: int, measured_comments: int, rng: random.Random,
) -> tuple[Any, Any]:  # fmt: skip
    """One partnership with its people, charter, decisions, ballots and
    comments; returns it and the decision whose page is measured."""
    from django.utils import timezone

    from accounts.models import User
    from charter.rules import DecisionRule, Method, Voters
    from decisions import display
    from decisions.models import Ballot, Decision, DecisionStatus, Participation
    from decisions.tally import Ballot as Counted
    from decisions.tally import tally
    from discussion.models import Comment
    from notifications.models import Notification
    from partnerships import services
    from partnerships.models import Member, Partner, Role

    partnership = services.create_partnership(
        creator=facilitator,
        name=f"Bench decisions {index}",
        country="CO",
        locality_name="Bench",
        languages=["es", "en"],
    )
    partners = Partner.objects.bulk_create(
        Partner(partnership=partnership, name=f"Socio {index}-{n}", partner_type=TYPES[n % 4])
        for n in range(PARTNERS if members > 100 else 4)
    )
    users = User.objects.bulk_create(
        User(email=f"bench-{index}-{i}@example.test", display_name=f"Persona {index}-{i}")
        for i in range(members)
    )
    rows = [
        Member(
            partnership=partnership,
            user=u,
            role=Role.PARTNER_REPRESENTATIVE if i < len(partners) else Role.PARTICIPANT,
            partner=partners[i] if i < len(partners) else None,
        )
        for i, u in enumerate(users)
    ]
    rows.append(
        Member(partnership=partnership, user=viewer, role=Role.PARTNER_REPRESENTATIVE, partner=partners[0])
    )  # fmt: skip
    members_ = Member.objects.bulk_create(rows)
    _charter(partnership, facilitator)
    now = timezone.now()
    members_rule = DecisionRule(method=Method.MAJORITY, voters=Voters.MEMBERS, quorum_percent=10)
    partners_rule = DecisionRule(method=Method.CONSENT, voters=Voters.PARTNERS, secret=True)
    electorate = {
        f"member:{m.public_id}": (m.partner.partner_type if m.partner else "") for m in members_
    }
    statuses = [DecisionStatus.PASSED, DecisionStatus.NOT_PASSED, DecisionStatus.QUORUM_NOT_MET]
    made = []
    for n in range(decisions):
        rule = members_rule if n % 3 else partners_rule
        closed = n > 0 and n % 10 != 1
        made.append(
            Decision(
                partnership=partnership,
                title={"es": f"Decisión {n}", "en": f"Decision {n}"},
                body={"es": "Texto de la propuesta " * 10},
                kind="general",
                status=rng.choice(statuses) if closed else DecisionStatus.VOTING,
                proposed_at=now - timedelta(days=decisions - n),
                rule=rule.as_data(),
                voters=rule.voters,
                secret=rule.secret,
                public=True,
                opened_at=now - timedelta(days=decisions - n),
                closes_at=now + timedelta(days=7) if not closed else now - timedelta(days=1),
                closed_at=now - timedelta(days=1) if closed else None,
            )
        )
    made = Decision.objects.bulk_create(made, batch_size=500)
    measured = made[0]
    keys = list(electorate)
    ballot_rows, taken = [], []
    share = max(1, (ballots - measured_ballots) // max(1, len(made) - 1))
    for decision in made:
        count = min(measured_ballots if decision is measured else share, len(keys))
        voters = keys[:count] if decision is measured else rng.sample(keys, count)
        counted = []
        for key in voters:
            choice = rng.choice(["agree", "agree", "disagree", "abstain"])
            ballot_rows.append(
                Ballot(partnership=partnership, decision=decision, voter=key,
                       partner_type=electorate[key], choice=choice)
            )  # fmt: skip
            taken.append(
                Participation(partnership=partnership, decision=decision, voter=key,
                              partner_type=electorate[key])
            )  # fmt: skip
            counted.append(Counted(key, electorate[key], choice))
        if decision.status != DecisionStatus.VOTING:
            decision.result, decision.public_tally = display.with_shown(
                tally(members_rule, counted, electorate).as_data(),
                voters=decision.voters,
                secret=decision.secret,
            )
    Ballot.objects.bulk_create(ballot_rows, batch_size=2000)
    Participation.objects.bulk_create(taken, batch_size=2000)
    Decision.objects.bulk_update(
        [d for d in made if d.result], ["result", "public_tally"], batch_size=500
    )
    authors = members_[: min(len(members_), 200)]
    comment_rows = []
    for n in range(comments):
        decision = measured if n < measured_comments else rng.choice(made)
        comment_rows.append(
            Comment(
                partnership=partnership,
                target_type="decision",
                target_pk=decision.pk,
                author=rng.choice(authors),
                body=f"Comentario {n}: " + "palabras " * 12,
            )
        )
    Comment.objects.bulk_create(comment_rows, batch_size=2000)
    Notification.objects.bulk_create(
        (
            Notification(
                partnership=partnership,
                recipient=viewer,
                kind="decision_opened",
                params={"title": f"Decisión {n}"},
                url="/",
                delivery="daily",
            )
            for n in range(1000 if members > 100 else 10)
        ),
        batch_size=2000,
    )
    return partnership, measured


def page_times(client: Any, url: str) -> tuple[float, float, int]:
    assert client.get(url).status_code == 200, url
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
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.models import User

        rng = random.Random(20261207)
        start = time.perf_counter()
        facilitator = User.objects.create_user(email="bench-fac@example.test", password="x")
        # One viewer, a representative in every partnership, with notifications in each.
        viewer = User.objects.create_user(email="bench-viewer@example.test", password="x")
        big, big_decision = _partnership(
            0, facilitator, viewer, MEMBERS, DECISIONS, BALLOTS, COMMENTS, 3000, 1000, rng
        )
        small = [
            _partnership(i, facilitator, viewer, 20, 10, 40, 20, 10, 5, rng) for i in range(1, 5)
        ]
        seeded = time.perf_counter() - start
        client = Client()
        client.force_login(viewer)
        print(f"\nDecision pages on {connection.vendor} (seeded in {seeded:.1f} s)")
        print(
            f"big partnership: {MEMBERS} members, {DECISIONS} decisions, {BALLOTS} ballots, "
            f"{COMMENTS} comments; measured decision: 3,000 ballots, 1,000 comments\n"
        )
        print(f"{'page':<34}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'small q':>9}")
        small_p, small_decision = small[0]
        pages = [
            ("decision log", "/p/{slug}/decisions/", None),
            ("decision (tally + thread)", "/p/{slug}/decisions/{id}/", "decision"),
            ("notifications", "/notifications/", None),
            ("charter", "/p/{slug}/charter/", None),
        ]
        from partnerships.models import Partnership

        Partnership.objects.filter(pk__in=[big.pk, small_p.pk]).update(is_published=True)
        pages.append(("public decision log (portal)", "/portal/{slug}/decisions/", "public"))
        for label, pattern, kind in pages:
            urls = [
                pattern.format(slug=p.slug, id=d.public_id)
                for p, d in ((big, big_decision), (small_p, small_decision))
            ]
            reader = Client() if kind == "public" else client
            median, p95, queries = page_times(reader, urls[0])
            _m, _p, small_queries = page_times(reader, urls[1])
            flag = "" if queries == small_queries else "  <- differs"
            print(f"{label:<34}{median:>10.1f}{p95:>9.1f}{queries:>9}{small_queries:>9}{flag}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
