"""A large stakeholder map for benchmarks, seeded (``random.Random(seed)``).

``seed_large_map()`` writes, with ``bulk_create`` (no audit trail: benchmarks
measure reading, not writing):

- one large partnership: ``actors`` actors (default 20,000) in about one
  community per 300 actors (a locality or a sector), ``relations`` relations
  (default 60,000), four in five inside a community, a few actors flagged at
  risk, each actor in one to three segments, one to three assessments per actor
  by the partners, and the actors' derived scores set from them;
- four other small partnerships (60 actors, 150 relations each), so that any
  leak or missing partnership filter shows in the timings and the tables;
- the people: ``bench-facilitator-<seed>@example.test`` (facilitator, with
  clearance) and ``bench-participant-<seed>@example.test`` (participant) in the
  large partnership.

Call it inside a scratch database (see ``network_layout.py``), after Django is
set up.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

BATCH = 2000
KINDS = ["organisation", "organisation", "group", "individual"]
TYPES = ["works_with", "works_with", "member_of", "represents", "funds", "supplies",
         "influences", "in_conflict_with"]  # fmt: skip
ENGAGEMENT = ["none", "inform", "consult", "involve", "collaborate", "empower"]
STANCES = ["supportive", "neutral", "sceptical", "opposed", "unknown"]


def _people(seed: int) -> tuple[Any, Any]:
    from accounts.models import User

    def user(role: str) -> Any:
        email = f"bench-{role}-{seed}@example.test"
        return User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password="bench-password-not-secret", display_name=f"Bench {role}"
        )

    return user("facilitator"), user("participant")


def _map(partnership: Any, rng: random.Random, actors: int, relations: int, tag: str) -> None:
    from partnerships.models import Partner
    from stakeholders.models import Actor, Assessment, Relation, Segment

    partners = list(Partner.objects.filter(partnership=partnership))
    segments = list(Segment.objects.filter(partnership=partnership))
    groups = max(actors // 300, 1)
    created = Actor.objects.bulk_create(
        (
            Actor(
                partnership=partnership,
                name=f"{tag} actor {i:05d}",
                kind=rng.choice(KINDS),
                area_code=f"{rng.randrange(10000, 99999)}",
                locality_name=f"Locality {i % groups}",
                tags=[f"group-{i % groups}"],
                at_risk=rng.random() < 0.01,
            )
            for i in range(actors)
        ),
        batch_size=BATCH,
    )
    if not created or created[0].pk is None:  # backends that do not return ids
        created = list(Actor.objects.filter(partnership=partnership).order_by("pk"))
    by_group: dict[int, list[int]] = {}
    for i, actor in enumerate(created):
        by_group.setdefault(i % groups, []).append(actor.pk)
    pks = [a.pk for a in created]
    Link = Actor.segments.through
    links = {
        (pk, s.pk)
        for pk in pks
        for s in rng.sample(segments, k=min(len(segments), rng.randint(1, 3)))
    }
    Link.objects.bulk_create(
        (Link(actor_id=a, segment_id=s) for a, s in sorted(links)), batch_size=BATCH
    )
    triples: set[tuple[int, int, str]] = set()
    group_of = {pk: i % groups for i, pk in enumerate(pks)}
    while len(triples) < relations and len(pks) > 1:
        source = rng.choice(pks)
        near = rng.random() < 0.8
        target = rng.choice(by_group[group_of[source]] if near else pks)
        if source != target:
            triples.add((source, target, rng.choice(TYPES)))
    Relation.objects.bulk_create(
        (
            Relation(
                partnership=partnership,
                source_id=s,
                target_id=t,
                relation_type=kind,
                directed=kind not in ("works_with", "in_conflict_with"),
                strength=rng.randint(1, 5),
            )
            for s, t, kind in sorted(triples)
        ),
        batch_size=BATCH,
    )
    _assess(partnership, rng, created, partners, Assessment)


def _assess(partnership: Any, rng: random.Random, actors: list[Any], partners: list[Any],
            model: Any) -> None:  # fmt: skip
    """A few assessments per actor, then the actor's derived fields as the
    services would set them (latest view of each partner, averaged)."""
    from stakeholders.models import Actor

    rows, today = [], date.today()
    for actor in actors:
        views = []
        for partner in rng.sample(partners, k=min(len(partners), rng.randint(1, 3))):
            view = model(
                partnership=partnership,
                actor_id=actor.pk,
                assessed_by=partner,
                assessed_on=today - timedelta(days=rng.randrange(400)),
                influence=rng.randint(1, 5),
                interest=rng.randint(1, 5),
                capacity=rng.randint(1, 5),
                stance=rng.choice(STANCES),
                engagement=rng.choice(ENGAGEMENT),
            )
            views.append(view)
        rows += views
        actor.influence = sum(v.influence for v in views) / len(views)
        actor.interest = sum(v.interest for v in views) / len(views)
        actor.capacity = sum(v.capacity for v in views) / len(views)
        actor.engagement = max(views, key=lambda v: v.assessed_on).engagement
        actor.disagreement = float(
            max(v.influence for v in views) - min(v.influence for v in views)
        )
        actor.assessment_count = len(views)
        actor.grid_cell = Actor.cell_of(actor.influence, actor.interest)
    model.objects.bulk_create(rows, batch_size=BATCH)
    fields = [
        "influence",
        "interest",
        "capacity",
        "engagement",
        "disagreement",
        "assessment_count",
        "grid_cell",
    ]
    Actor.objects.bulk_update(actors, fields, batch_size=BATCH)


def _partnership(creator: Any, name: str, rng: random.Random, partners: int) -> Any:
    from partnerships.models import Partner, PartnerType
    from partnerships.services import create_partnership

    partnership = create_partnership(
        creator=creator, name=name, country="CO", locality_name="Bench", description="Benchmark"
    )
    Partner.objects.bulk_create(
        Partner(
            partnership=partnership,
            name=f"{name} partner {i}",
            partner_type=rng.choice(PartnerType.values),
        )
        for i in range(partners)
    )
    return partnership


def seed_large_map(*, actors: int = 20000, relations: int = 60000, seed: int = 1) -> Any:
    """The large partnership (returned) and four small ones; see the module."""
    from partnerships.models import Member, Role

    rng = random.Random(seed)
    facilitator, participant = _people(seed)
    large = _partnership(facilitator, f"Bench map {seed}", rng, partners=12)
    Member.objects.get_or_create(
        partnership=large, user=participant, defaults={"role": Role.PARTICIPANT}
    )
    _map(large, rng, actors, relations, "Large")
    for i in range(4):
        small = _partnership(facilitator, f"Bench small {seed}-{i}", rng, partners=3)
        _map(small, rng, 60, 150, f"Small {i}")
    return large
