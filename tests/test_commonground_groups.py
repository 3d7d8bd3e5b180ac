"""Opinion groups on the platform: votes go through the engine in the
background, and the page shows each group's make-up by partner type and
segment (suppressed), what sets it apart, and the bridging statements."""

from __future__ import annotations

import random
import re
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground import analysis, services
from commonground.models import (
    AnalysisState,
    Conversation,
    ConversationStatus,
    Participant,
    Statement,
)
from partnerships.models import PartnerType
from partnerships.stepper import build
from stakeholders.models import Segment
from tests.conftest import World

# Statements 1-4 split the two camps, 5-6 unite them, 7-8 are noise.
SPLIT, UNITE = (1, 2, 3, 4), (5, 6)


def camp_votes(camp: int, number: int, i: int, rng: random.Random) -> int:
    """Person ``i`` of a camp: sure of statements 1-6 (15 of 20 for most,
    the rest pass, so every count of a camp is 0 or at least 5), random on 7-8."""
    if number == 5:
        return 1
    if number == 6:
        return 1 if (i + number) % 4 else 0
    if number in SPLIT:
        sure = 1 if (camp == 0) == (number % 2 == 1) else -1
        return sure if (i + number) % 4 else 0
    return rng.choice((1, -1, 0))


def split_conversation(world: World, *, per_camp: int = 20) -> Conversation:
    c = services.create_conversation(
        by=world.facilitator, partnership=world.own, title={"es": "The mine's water"}
    )
    for i in range(8):
        services.add_statement(
            conversation=c, text=f"Water statement {i + 1}", seed=True, actor=world.facilitator
        )
    services.set_status(by=world.facilitator, conversation=c, status=ConversationStatus.OPEN)
    c.refresh_from_db()
    women = Segment.objects.get(partnership=world.own, code="women")
    youth = Segment.objects.get(partnership=world.own, code="youth")
    rng = random.Random(4)
    statements = {s.number: s for s in Statement.objects.filter(conversation=c)}
    for camp, partner_type in ((0, PartnerType.COMPANY), (1, PartnerType.COMMUNITY)):
        for i in range(per_camp):
            participant = Participant.objects.create(
                partnership=world.own,
                conversation=c,
                key=f"camp-{camp}-{i}",
                partner_type=partner_type,
                # A handful of youth among the community: a cell under 5.
                segment=youth if camp == 1 and i < 3 else women,
            )
            for number, statement in statements.items():
                services.record_vote(
                    participant=participant,
                    statement=statement,
                    choice=camp_votes(camp, number, i, rng),
                )
    return c


def test_it_finds_the_camps_and_what_bridges_them(world: World, settings: Any) -> None:
    c = split_conversation(world)
    found = analysis.analyse(c.pk)
    assert found is not None and found.state == AnalysisState.GROUPS
    engine = found.data["engine"]
    assert engine["group_count"] == 2 and engine["reason"] == ""
    # Each group is one camp: its make-up by partner type says so.
    groups = found.data["published"]["groups"]
    makeups = [group["partner_type"] for group in groups]
    assert sorted(tuple(m) for m in makeups) == [("community",), ("company",)]
    assert [group["size"] for group in groups] == [20, 20]
    # The statements that unite the camps, and only they, bridge them.
    numbers = {s.pk: s.number for s in Statement.objects.filter(conversation=c)}
    bridging = [numbers[b["statement"]] for b in found.data["bridging"]]
    assert set(bridging) == set(UNITE) and found.bridging_count == 2
    # Three youth in the community group: hidden, and so is what would reveal them.
    community = next(g for g in groups if "community" in g["partner_type"])
    youth = str(Segment.objects.get(code="youth", partnership=world.own).pk)
    assert community["segment"][youth] is None
    assert None in community["segment"].values() and 17 not in community["segment"].values()
    # Who is in which group is stored apart, by participant id, never by person.
    assert len(found.membership["groups"]) == 40


def test_it_shows_the_groups_page_with_the_analysis_time(world: World) -> None:
    c = split_conversation(world)
    analysis.analyse(c.pk)
    url = reverse(
        "commonground:results", kwargs={"slug": world.own.slug, "conversation_id": c.public_id}
    )
    client = world.client_for("participant")
    client.get(url)  # the picture is drawn once, then cached
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert len(queries) <= 14
    assert "Analysis 1. Counts as of" in page
    assert "Group A" in page and "Group B" in page
    text = re.sub(r"<[^>]+>", "", page)  # counts are marked up as <data>
    assert "Company: 20" in text and "Community: 20" in text and "hidden" in page
    assert "Bridging statements" in page and "Water statement 5" in page
    assert "more than half of the people in every group" in page  # the rule, in words
    assert "<svg" in page


def test_it_links_a_statement_to_the_goals_built_on_it(world: World) -> None:
    from goals import services as goal_services

    c = split_conversation(world, per_camp=6)
    analysis.analyse(c.pk)
    uniting = Statement.objects.get(conversation=c, number=5)
    goal = goal_services.create_goal(
        by=world.facilitator,
        partnership=world.own,
        title={"es": "Clean water for every vereda"},
        statements=[uniting],
    )
    url = reverse(
        "commonground:results", kwargs={"slug": world.own.slug, "conversation_id": c.public_id}
    )
    page = world.client_for("participant").get(url).content.decode()
    assert "Clean water for every vereda" in page and str(goal.public_id) in page


def test_it_says_why_there_is_one_group(world: World) -> None:
    c = services.create_conversation(
        by=world.facilitator, partnership=world.own, title={"es": "Quiet"}
    )
    services.add_statement(conversation=c, text="Only one", seed=True, actor=world.facilitator)
    services.set_status(by=world.facilitator, conversation=c, status=ConversationStatus.OPEN)
    found = analysis.analyse(c.pk)
    assert found.data["engine"]["reason"] == "no_votes"
    url = reverse(
        "commonground:results", kwargs={"slug": world.own.slug, "conversation_id": c.public_id}
    )
    assert "Nobody has voted yet." in world.client_for("observer").get(url).content.decode()


def test_it_queues_one_analysis_for_a_burst_of_votes(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from commonground.tasks import analyse_conversation

    c = split_conversation(world, per_camp=3)  # callbacks not run here: nothing queued
    assert not DBTaskResult.objects.exists()
    participant = Participant.objects.filter(conversation=c).first()
    assert participant is not None
    statements = list(Statement.objects.filter(conversation=c))
    with django_capture_on_commit_callbacks(execute=True):
        for statement in statements:
            services.record_vote(participant=participant, statement=statement, choice=-1)
    assert DBTaskResult.objects.count() == 1  # a burst makes one analysis
    assert analysis.analysis_pending(c.pk)
    version = analyse_conversation.call(c.pk)
    assert version == 1 and not analysis.analysis_pending(c.pk)
    latest = analysis.latest(c)
    assert latest is not None and latest.votes_seen == 6 * 8


def test_it_shows_step_3_progress(world: World) -> None:
    c = split_conversation(world)
    analysis.analyse(c.pk)
    step = next(v for v in build(world.own) if v.step == "collective_goals")
    checks = {str(check.label): check for check in step.checks}
    assert checks["A statement conversation has votes"].done
    assert checks["A statement conversation has votes"].detail == "320 published votes"
    assert checks["Opinion groups and bridging statements found"].done
