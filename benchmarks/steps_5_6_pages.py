"""Steps 5 and 6 at scale (issue 13, §6): p95 and query counts of the action
checklist (plain and with each filter), an action, the sharing view, a
meeting, the meetings list and the portal pages (actions and commitments on
the partnership's portal page, meetings on its own), for a small and the big
partnership (the counts must be equal: constant in data size); then the
incremental progress roll-up of a goal with 500 actions against a full
recomputation of that goal.

Seeds (fixed random seed) five partnerships into a scratch database (a
temporary SQLite file, or a throw-away PostgreSQL database when DATABASE_URL
points at a server). The big one holds 5,000 actions (1,000 actions with four
sub-actions each), their milestones (two a sub-action, one an action),
budget lines (two an action), 20,000 commitments (promised, reported,
confirmed by another partner type, withdrawn), 2,000 meetings with nested
agendas and 100,000 named attendance records (a fifth of the meetings are
open assemblies counted at the door as well); four small ones hold 25
actions, 40 commitments, 5 meetings and 50 attendance records. A charter is
in force in each and publishes commitments and minutes on the portal. Rows
are written in bulk, progress is computed by the room's own recomputation,
then everything is read exactly as live rows are.

    /work/main/.venv/bin/python benchmarks/steps_5_6_pages.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_bench \
        /work/main/.venv/bin/python benchmarks/steps_5_6_pages.py

BENCH_REQUESTS (default 30) requests per page, after one warm-up; smaller
sizes while developing: BENCH_ACTIONS (5000), BENCH_COMMITMENTS (20000),
BENCH_MEETINGS (2000), BENCH_ATTENDANCE (100000), BENCH_GOAL_ACTIONS (500).
BENCH_SLOW=3 prints the three slowest queries of each page as it is counted.
"""

from __future__ import annotations

import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
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
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ACTIONS = int(os.environ.get("BENCH_ACTIONS", "5000"))
COMMITMENTS = int(os.environ.get("BENCH_COMMITMENTS", "20000"))
MEETINGS = int(os.environ.get("BENCH_MEETINGS", "2000"))
ATTENDANCE = int(os.environ.get("BENCH_ATTENDANCE", "100000"))
GOAL_ACTIONS = int(os.environ.get("BENCH_GOAL_ACTIONS", "500"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
# BENCH_SLOW=3: print the three slowest queries of each request counted.
SLOW = int(os.environ.get("BENCH_SLOW", "0"))
# "actions/" profiles the checklist (the last two parts of a measured page's address).
PROFILE = os.environ.get("BENCH_PROFILE", "")
SLOW_CHARS = 300
SUBS = 4  # sub-actions of each action
GOALS = 10
STRATEGIES = 8
LOCALITIES = 20
MEASURED_COMMITMENTS = 20  # on the measured action, in every partnership
TYPES = ["company", "community", "government", "civil_society"]
TODAY = date(2026, 12, 7)

try:
    from meetings.models import Meeting as _Meeting  # noqa: F401

    WITH_MEETINGS = True
except ImportError:  # the meetings room is not merged yet
    WITH_MEETINGS = False


def _charter(partnership: Any, facilitator: Any) -> None:
    """A charter in force whose plan publishes commitments and minutes on
    the portal (written in bulk: pages are measured, not the adoption)."""
    from django.utils import timezone

    from charter import services as charter
    from charter.models import Audience, CharterStatus, CharterVersion, PlanRow, Published

    version = charter.start_from_starter(by=facilitator, partnership=partnership, starter="consent")
    CharterVersion.objects.filter(pk=version.pk).update(
        status=CharterStatus.IN_FORCE, in_force_from=timezone.now()
    )
    PlanRow.objects.filter(
        version=version, what__in=[Published.COMMITMENTS, Published.MINUTES]
    ).delete()
    PlanRow.objects.bulk_create(
        PlanRow(
            partnership=partnership, version=version, what=what, audience=Audience.PUBLIC,
            languages=["es"], frequency="as_it_happens",
        )
        for what in (Published.COMMITMENTS, Published.MINUTES)
    )  # fmt: skip


class Seeded:
    """What one partnership's pages are measured with."""

    partnership: Any
    action: Any
    goal: Any
    partner: Any
    strategy: Any
    locality: Any
    meeting: Any = None
    rollup_goal: Any = None


def _partnership(
    index: int, facilitator: Any, actions: int, commitments: int, meetings: int,
    attendance: int, goal_actions: int, rng: random.Random,
) -> Seeded:  # fmt: skip
    from accounts.models import User
    from baseline.models import Locality
    from goals.models import CollectiveGoal, GoalStatus
    from partnerships import services
    from partnerships.models import Member, Partner, Role

    big = actions > 100
    seeded = Seeded()
    partnership = services.create_partnership(
        creator=facilitator,
        name=f"Bench actions {index}",
        country="CO",
        locality_name="Brumaverde",
        languages=["es", "en"],
    )
    seeded.partnership = partnership
    partners = Partner.objects.bulk_create(
        Partner(partnership=partnership, name=f"Socio {index}-{n:02d}", partner_type=TYPES[n % 4])
        for n in range(40 if big else 4)
    )
    people = 300 if big else 60
    users = User.objects.bulk_create(
        User(email=f"bench-{index}-{i}@example.test", display_name=f"Persona {index}-{i}")
        for i in range(people)
    )
    members = Member.objects.bulk_create(
        Member(
            partnership=partnership,
            user=u,
            role=Role.PARTNER_REPRESENTATIVE if i < len(partners) else Role.PARTICIPANT,
            partner=partners[i] if i < len(partners) else None,
        )
        for i, u in enumerate(users)
    )
    _charter(partnership, facilitator)
    goals = CollectiveGoal.objects.bulk_create(
        CollectiveGoal(
            partnership=partnership,
            title={"es": f"Objetivo colectivo {n}"},
            status=GoalStatus.ADOPTED,
        )
        for n in range(GOALS)
    )
    from actions.models import Strategy, StrategyKind

    strategies = Strategy.objects.bulk_create(
        Strategy(
            partnership=partnership,
            title={"es": f"Estrategia {n}"},
            kind=StrategyKind.PROTECTION if n % 2 else StrategyKind.EMPOWERMENT,
        )
        for n in range(STRATEGIES)
    )
    localities = Locality.objects.bulk_create(
        Locality(partnership=partnership, code=f"99{index}{n:03d}", name=f"Vereda {n}")
        for n in range(LOCALITIES)
    )
    seeded.goal, seeded.partner = goals[1], partners[1]
    seeded.strategy, seeded.locality = strategies[0], localities[0]
    seeded.rollup_goal = goals[0]
    seeded.action = _actions(
        partnership, partners, goals, strategies, localities, actions, commitments,
        goal_actions, rng,
    )  # fmt: skip
    if WITH_MEETINGS:
        seeded.meeting = _meetings(partnership, partners, members, localities, meetings,
                                   attendance, rng)  # fmt: skip
    return seeded


def _actions(
    partnership: Any, partners: list[Any], goals: list[Any], strategies: list[Any],
    localities: list[Any], total: int, commitments: int, goal_actions: int, rng: random.Random,
) -> Any:  # fmt: skip
    """``total`` actions (a fifth of them actions, each with four
    sub-actions), their links, milestones, budget lines and commitments;
    progress computed by the room; returns the measured action."""
    from actions import progress
    from actions.models import (
        Action,
        ActionKind,
        ActionStatus,
        BudgetLine,
        Commitment,
        CommitmentKind,
        CommitmentStatus,
        Milestone,
    )

    tops = max(1, total // (SUBS + 1))
    parents = []
    for n in range(tops):
        start = TODAY - timedelta(days=rng.randint(0, 700))
        parents.append(
            Action(
                partnership=partnership,
                title={"es": f"Acción {n}: mejorar la vía y el acueducto veredal"},
                description={"es": "Descripción de la acción " * 8},
                kind=ActionKind.LONG_TERM if n % 3 else ActionKind.QUICK_IMPACT,
                owner=partners[n % len(partners)],
                starts_on=start,
                due_on=start + timedelta(days=rng.randint(30, 500)),
                weight=rng.choice([50, 100]),
            )
        )
    parents = Action.objects.bulk_create(parents, batch_size=500)
    children = []
    weights = [ActionStatus.PLANNED] * 3 + [ActionStatus.UNDER_WAY] * 4 + [ActionStatus.DONE] * 2
    for parent in parents:
        for k in range(SUBS):
            status = rng.choice([*weights, ActionStatus.STALLED, ActionStatus.DROPPED])
            assert parent.starts_on and parent.due_on
            children.append(
                Action(
                    partnership=partnership,
                    title={"es": f"Subacción {k} de {parent.title['es'][:12]}"},
                    kind=parent.kind,
                    owner=rng.choice(partners),
                    starts_on=parent.starts_on,
                    due_on=parent.due_on - timedelta(days=rng.randint(0, 20)),
                    status=status,
                    status_reason="Falta el permiso ambiental"
                    if status in (ActionStatus.STALLED, ActionStatus.DROPPED)
                    else "",
                    parent=parent,
                    weight=100 // SUBS,
                    path=f"{parent.pk}.",
                    depth=1,
                )
            )
    children = Action.objects.bulk_create(children, batch_size=500)
    by_parent: dict[int, list[Any]] = {}
    for child in children:
        by_parent.setdefault(child.parent_id, []).append(child)
    for parent in parents:
        statuses = {c.status for c in by_parent[parent.pk]}
        if statuses <= {ActionStatus.DONE, ActionStatus.DROPPED}:
            parent.status = ActionStatus.DONE
        elif ActionStatus.UNDER_WAY in statuses or ActionStatus.DONE in statuses:
            parent.status = ActionStatus.UNDER_WAY
    for action in [*parents, *children]:
        action.set_tree()  # the checklist's order: each action before its sub-actions
    Action.objects.bulk_update(parents, ["status", "tree"], batch_size=500)
    Action.objects.bulk_update(children, ["tree"], batch_size=500)
    # Links: the roll-up goal is served by the first ``goal_actions`` actions,
    # the others by the rest; a few sub-actions serve their action's goal too
    # (counted once, through the action).
    through = Action.goals.through
    links = []
    for n, parent in enumerate(parents):
        goal = goals[0] if n < goal_actions else goals[1 + n % (len(goals) - 1)]
        links.append(through(action_id=parent.pk, collectivegoal_id=goal.pk))
        if n % 20 == 0:
            links.append(through(action_id=by_parent[parent.pk][0].pk, collectivegoal_id=goal.pk))
    through.objects.bulk_create(links, batch_size=2000)
    Action.contributors.through.objects.bulk_create(
        (
            Action.contributors.through(action_id=a.pk, partner_id=p.pk)
            for a in parents
            for p in rng.sample(partners, 2)
        ),
        batch_size=2000,
    )
    Action.strategies.through.objects.bulk_create(
        (
            Action.strategies.through(
                action_id=a.pk, strategy_id=strategies[n % len(strategies)].pk
            )
            for n, a in enumerate(parents)
        ),
        batch_size=2000,
    )
    Action.localities.through.objects.bulk_create(
        (
            Action.localities.through(action_id=a.pk, locality_id=rng.choice(localities).pk)
            for a in [*parents, *children]
        ),
        batch_size=2000,
    )
    milestones = []
    for action in [*parents, *children]:
        for m in range(2 if action.parent_id else 1):
            assert action.starts_on
            due = action.starts_on + timedelta(days=30 * (m + 1))
            reached = action.status == ActionStatus.DONE or (
                action.status == ActionStatus.UNDER_WAY and m == 0 and rng.random() < 0.7
            )
            milestones.append(
                Milestone(
                    partnership=partnership,
                    action=action,
                    title={"es": f"Hito {m + 1}"},
                    due_on=due,
                    reached_on=due if reached else None,
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=2000)
    BudgetLine.objects.bulk_create(
        (
            BudgetLine(
                partnership=partnership,
                action=a,
                partner=partner,
                code=code,
                name={"es": name},
                currency="COP",
                planned_minor=(planned := rng.randint(1, 500) * 100_000_00),
                spent_minor=int(planned * rng.uniform(0, 1.2)),
            )
            for a in parents
            for partner, code, name in (
                (a.owner, "materiales", "Materiales"),
                (rng.choice(partners), "transporte", "Transporte"),
            )
        ),
        batch_size=2000,
    )
    measured = parents[0]
    targets = [*parents, *children]
    kinds = list(CommitmentKind.values)
    statuses = (
        [CommitmentStatus.PROMISED] * 11
        + [CommitmentStatus.REPORTED] * 4
        + [CommitmentStatus.CONFIRMED] * 4
        + [CommitmentStatus.WITHDRAWN]
    )
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    rows = []
    for n in range(commitments):
        action = measured if n < MEASURED_COMMITMENTS else rng.choice(targets)
        partner = rng.choice(partners)
        kind = rng.choice(kinds)
        status = rng.choice(statuses)
        made = now - timedelta(days=rng.randint(0, 720))
        money = kind == CommitmentKind.MONEY
        other = next(t for t in TYPES if t != partner.partner_type)
        amount = rng.randint(1, 200) * 1_000_000_00 if money else None
        rows.append(
            Commitment(
                partnership=partnership,
                partner=partner,
                partner_type=partner.partner_type,
                action=action,
                kind=kind,
                description={"es": f"Compromiso {n}: aporte del socio"},
                amount_minor=amount,
                currency="COP" if money else "",
                quantity=None if money else rng.randint(1, 60),
                unit="" if money else "días",
                due_on=(made + timedelta(days=rng.randint(10, 200))).date(),
                status=status,
                made_at=made,
                reported_at=made + timedelta(days=5)
                if status in ("reported", "confirmed")
                else None,
                report="Entregado según lo acordado" if status in ("reported", "confirmed") else "",
                delivered_amount_minor=amount if status == "confirmed" else None,
                confirmed_at=made + timedelta(days=9) if status == "confirmed" else None,
                confirmed_by_type=other if status == "confirmed" else "",
                withdrawn_reason="Ya no es posible" if status == "withdrawn" else "",
            )
        )
    Commitment.objects.bulk_create(rows, batch_size=2000)
    with transaction.atomic():  # as the room runs them (they lock the goals' rows)
        progress.recompute_action_tree(partnership.pk)
        progress.recompute_goals([g.pk for g in goals])
    return measured


def _meetings(
    partnership: Any, partners: list[Any], members: list[Any], localities: list[Any],
    count: int, attendance: int, rng: random.Random,
) -> Any:  # fmt: skip
    """``count`` meetings (past ones held and public, with minutes), each
    with a nested agenda, ``attendance`` named attendees among them, and
    every fifth an open assembly with its counts at the door; returns the
    measured meeting (held, 50 named attendees, an agenda of five items)."""
    from baseline.models import AgeBand, GenderOption
    from meetings.models import AgendaItem, Attendance, Meeting, MeetingKind, MeetingStatus
    from stakeholders.models import Segment

    genders = list(
        GenderOption.objects.filter(partnership=partnership).values_list("code", flat=True)
    )
    ages = list(AgeBand.objects.filter(partnership=partnership).values_list("code", flat=True))
    segments = list(Segment.objects.filter(partnership=partnership))
    if not segments:
        segments = Segment.objects.bulk_create(
            Segment(partnership=partnership, code=code)
            for code in ("mujeres", "jovenes", "campesinos")
        )
    start = datetime(2026, 12, 7, 14, tzinfo=UTC)
    kinds = list(MeetingKind.values)
    rows = []
    ahead = max(1, count // 20)  # the last twentieth still to come
    for n in range(count):
        when = start + timedelta(days=n - (count - ahead), hours=rng.randint(0, 5))
        held = n < count - ahead
        rows.append(
            Meeting(
                partnership=partnership,
                kind=rng.choice(kinds),
                title={"es": f"Reunión {n} de la mesa"},
                purpose={"es": "Revisar los avances de la lista de acciones"},
                starts_at=when,
                ends_at=when + timedelta(hours=2),
                time_zone="America/Bogota",
                place="Salón comunal",
                locality=rng.choice(localities),
                status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                open_assembly=n % 5 == 0,
                minutes={"es": "Acta de la reunión. " * 30} if held else {},
                public=held,
            )
        )
    made = Meeting.objects.bulk_create(rows, batch_size=500)
    held = [m for m in made if m.status == MeetingStatus.HELD]
    measured = next(m for m in reversed(held) if not m.open_assembly)
    items = []
    for meeting in made:
        for k in range(4):
            items.append(
                AgendaItem(
                    partnership=partnership, meeting=meeting, position=k,
                    title={"es": f"Punto {k + 1}"}, duration_minutes=20,
                )
            )  # fmt: skip
    items = AgendaItem.objects.bulk_create(items, batch_size=2000)
    AgendaItem.objects.bulk_create(
        (
            AgendaItem(
                partnership=partnership, meeting_id=item.meeting_id, parent=item, position=0,
                title={"es": "Subpunto"}, duration_minutes=10,
            )
            for item in items[1::4]
        ),
        batch_size=2000,
    )  # fmt: skip
    share = max(1, min(len(members), attendance // max(1, len(held))))
    seats = []
    for meeting in held:
        for member in rng.sample(members, share):
            seats.append(
                Attendance(
                    partnership=partnership,
                    meeting=meeting,
                    member=member,
                    partner=member.partner,
                    partner_type=member.partner.partner_type if member.partner else "",
                    gender=rng.choice(genders) if genders else "",
                    age_band=rng.choice(ages) if ages else "",
                    segment=rng.choice(segments),
                )
            )
            if len(seats) >= attendance:
                break
    Attendance.objects.bulk_create(seats, batch_size=2000)
    doors = []
    for meeting in held:
        if meeting.open_assembly:
            named = share + rng.randint(10, 150)
            meeting.headcount = {
                "total": named,
                "gender": _split(named, genders, rng),
                "age_band": _split(named, ages, rng),
                "partner_type": _split(named, TYPES, rng),
            }
            doors.append(meeting)
    Meeting.objects.bulk_update(doors, ["headcount"], batch_size=500)
    return measured


def _split(total: int, codes: list[str], rng: random.Random) -> dict[str, int]:
    """``total`` split among ``codes`` (at least the named attendees' share
    of each is not checked: the benchmark reads, it does not validate)."""
    if not codes:
        return {}
    cuts = sorted(rng.randint(0, total) for _ in range(len(codes) - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    return dict(zip(codes, parts, strict=True))


def page_times(client: Any, url: str) -> tuple[float, float, int]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    if PROFILE and PROFILE == url.rsplit("/", 2)[-2] + "/" + url.rsplit("/", 1)[-1]:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            client.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    if SLOW:
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:SLOW]:
            print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:SLOW_CHARS]}")
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], len(queries)


def _pages(seeded: Seeded) -> list[tuple[str, str, bool]]:
    """(label, url, public) of each measured page of a partnership."""
    p = seeded.partnership
    base = f"/p/{p.slug}/actions/"
    pages = [
        ("checklist", base, False),
        ("checklist by goal", f"{base}?goal={seeded.goal.public_id}", False),
        ("checklist by partner", f"{base}?partner={seeded.partner.public_id}", False),
        ("checklist by strategy", f"{base}?strategy={seeded.strategy.public_id}", False),
        ("checklist by locality", f"{base}?locality={seeded.locality.public_id}", False),
        ("checklist by status", f"{base}?status=under_way", False),
        ("action", f"{base}{seeded.action.public_id}/", False),
        ("sharing view", f"{base}sharing/", False),
    ]
    if seeded.meeting is not None:
        pages += [
            ("meeting", f"/p/{p.slug}/meetings/{seeded.meeting.public_id}/", False),
            ("meetings list", f"/p/{p.slug}/meetings/", False),
        ]
    pages.append(("portal: actions, commitments", f"/portal/{p.slug}/", True))
    if seeded.meeting is not None:
        pages.append(("portal: meetings", f"/portal/{p.slug}/meetings/", True))
    return pages


def _measure(run: Callable[[], Any]) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        start = time.perf_counter()
        run()
        elapsed = (time.perf_counter() - start) * 1000
    return elapsed, len(queries)


def rollup(facilitator: Any, seeded: Seeded) -> None:
    """One sub-action's status changes (under way ↔ done) through the
    service: its action and the goal follow by differences. Against the
    goal recomputed from its actions, and the whole tree from scratch."""
    from actions import progress, services
    from actions.models import Action, ActionStatus, GoalProgress

    goal = seeded.rollup_goal
    served = Action.goals.through.objects.filter(collectivegoal_id=goal.pk)
    tops = served.filter(action__parent__isnull=True).count()
    subs = served.count() - tops
    sub = (
        Action.objects.filter(parent__goals=goal, status=ActionStatus.PLANNED)
        .order_by("pk")
        .first()
    )
    assert sub is not None
    incremental, full, tree = [], [], []
    settle_only = []
    for n in range(REQUESTS + 1):
        # Done through the service, then back to under way by the roll-up alone.
        incremental.append(
            _measure(
                lambda: services.set_status(by=facilitator, action=sub, status=ActionStatus.DONE)
            )
        )
        fresh = Action.objects.get(pk=sub.pk)
        was = progress.share(fresh)
        fresh.status = ActionStatus.UNDER_WAY
        Action.objects.filter(pk=sub.pk).update(status=fresh.status)
        settle_only.append(_measure(lambda f=fresh, w=was: progress.settle(f, was=w)))
        kept = GoalProgress.objects.get(goal=goal)
        full.append(_measure(lambda: progress.recompute_goals([goal.pk])))
        again = GoalProgress.objects.get(goal=goal)
        assert (kept.weight, kept.total, kept.progress) == (
            again.weight,
            again.total,
            again.progress,
        )
        if n < 3:
            tree.append(_measure(lambda: progress.recompute_action_tree(seeded.partnership.pk)))
    rows = [
        ("one sub-action's status (service)", incremental[1:]),
        ("  of which the roll-up (settle)", settle_only[1:]),
        ("the goal from its actions (full)", full[1:]),
        ("every action of the partnership", tree[1:]),
    ]
    print(
        f"\nProgress roll-up of a goal served by {tops} actions ({tops * SUBS} sub-actions "
        f"under them, {subs} of which serve it too), median of {REQUESTS}"
    )
    print(f"{'':<38}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
    medians = {}
    for label, values in rows:
        times = sorted(t for t, _q in values)
        medians[label] = statistics.median(times)
        p95 = times[max(0, math.ceil(len(times) * 0.95) - 1)]
        print(f"{label:<38}{medians[label]:>10.2f}{p95:>9.2f}{max(q for _t, q in values):>9}")
    ratio = medians["the goal from its actions (full)"] / medians["  of which the roll-up (settle)"]
    print(f"full recomputation of the goal / incremental roll-up: {ratio:.1f}×")


def main() -> None:
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.models import User
        from partnerships.models import Partnership

        rng = random.Random(20261207)
        start = time.perf_counter()
        facilitator = User.objects.create_user(email="bench-fac@example.test", password="x")
        big = _partnership(0, facilitator, ACTIONS, COMMITMENTS, MEETINGS, ATTENDANCE,
                           GOAL_ACTIONS, rng)  # fmt: skip
        small = [_partnership(i, facilitator, 25, 40, 5, 50, 5, rng) for i in range(1, 5)]
        Partnership.objects.filter(pk__in=[big.partnership.pk, small[0].partnership.pk]).update(
            is_published=True
        )
        seeded = time.perf_counter() - start
        from accounts.totp import activate

        # Facilitators use a second factor: without it their pages ask for one.
        activate(facilitator, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        client = Client()
        client.force_login(facilitator)
        print(f"\nSteps 5-6 pages on {connection.vendor} (seeded in {seeded:.1f} s)")
        print(
            f"big partnership: {ACTIONS} actions, {COMMITMENTS} commitments, "
            f"{MEETINGS if WITH_MEETINGS else 0} meetings, "
            f"{ATTENDANCE if WITH_MEETINGS else 0} attendance records; "
            f"measured as a facilitator\n"
        )
        print(f"{'page':<32}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'small q':>9}")
        public = Client()
        for (label, url, is_public), (_l, small_url, _p) in zip(
            _pages(big), _pages(small[0]), strict=True
        ):
            reader = public if is_public else client
            median, p95, queries = page_times(reader, url)
            _m, _p95, small_queries = page_times(reader, small_url)
            flag = "" if queries == small_queries else "  <- differs"
            flag += "  <- over 100 ms" if p95 > 100 else ""
            print(f"{label:<32}{median:>10.1f}{p95:>9.1f}{queries:>9}{small_queries:>9}{flag}")
        rollup(facilitator, big)
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
