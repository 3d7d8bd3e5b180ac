"""Honest opinion groups (issue 10, point 4.1): a small conversation is "too
few votes to form groups", never "groups found"; every common-ground page
renders, in English and Spanish, for conversations of 0, 1, 2, 3, 5 and many
voters; bridging means majority agreement in every group, and the goal form
offers only statements that truly bridge."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from commonground import analysis, services
from commonground.models import (
    AnalysisState,
    Conversation,
    ConversationStatus,
    Participant,
    Statement,
)
from commonground.views import public_link_token
from partnerships.models import PartnerType
from partnerships.stepper import build
from tests.conftest import World
from tests.test_commonground_groups import UNITE, split_conversation


def small_talk(world: World, *, voters: int, statements: int = 4) -> Conversation:
    """``statements`` statements; each voter votes on three of them (or all, if fewer)."""
    c = services.create_conversation(
        by=world.facilitator,
        partnership=world.own,
        title={"en": "Small talk", "es": "Conversación pequeña"},
        public_link=True,
    )
    for i in range(statements):
        services.add_statement(
            conversation=c,
            text={"en": f"Small statement {i + 1}", "es": f"Afirmación pequeña {i + 1}"},
            seed=True,
            actor=world.facilitator,
        )
    services.set_status(by=world.facilitator, conversation=c, status=ConversationStatus.OPEN)
    c.refresh_from_db()
    rows = list(Statement.objects.filter(conversation=c).order_by("number"))
    for v in range(voters):
        person = Participant.objects.create(
            partnership=world.own,
            conversation=c,
            key=f"small-{v}",
            partner_type=(PartnerType.COMPANY, PartnerType.COMMUNITY)[v % 2],
        )
        for k, statement in enumerate(rows[: min(3, len(rows))] if voters < 5 else rows):
            services.record_vote(
                participant=person, statement=statement, choice=(1, -1, 0)[(v + k) % 3]
            )
    return c


def step_3(world: World) -> dict[str, Any]:
    step = next(v for v in build(world.own) if v.step == "collective_goals")
    return {str(check.label): check for check in step.checks}


def test_it_says_too_few_votes_for_four_statements_three_voters_nine_votes(world: World) -> None:
    c = small_talk(world, voters=3)
    c.refresh_from_db()
    assert c.vote_count == 9 and c.statements.count() == 4
    found = analysis.analyse(c.pk)
    assert found is not None and found.state == AnalysisState.TOO_FEW
    assert found.data["bridging"] == [] and found.bridging_count == 0
    url = reverse(
        "commonground:results", kwargs={"slug": world.own.slug, "conversation_id": c.public_id}
    )
    for persona in ("facilitator", "participant", "observer"):
        for language in ("en", "es"):
            client = world.client_for(persona)
            client.cookies["django_language"] = language
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, (persona, language)
    page = world.client_for("observer").get(url).content.decode()
    assert "Too few votes to form groups yet." in page
    assert "Group A" not in page and "Bridging statements" not in page
    # Step 3 does not say that groups were found.
    check = step_3(world)["Opinion groups and bridging statements found"]
    assert not check.done and check.detail == "Too few votes to form groups yet."
    # The goal form offers no statement as bridging.
    form = world.client_for("facilitator").get(
        reverse("goals:create", kwargs={"slug": world.own.slug})
    )
    assert "Small statement" not in form.content.decode()


def _pages(world: World, c: Conversation) -> list[str]:
    kwargs = {"slug": world.own.slug, "conversation_id": c.public_id}
    return [
        reverse("commonground:list", kwargs={"slug": world.own.slug}),
        *(
            reverse(f"commonground:{name}", kwargs=kwargs)
            for name in ("detail", "vote", "my_votes", "results")
        ),
    ]


@pytest.mark.parametrize("voters", [0, 1, 2, 3, 5, 12, "many"])
def test_it_renders_every_common_ground_page_whatever_the_number_of_voters(
    world: World, voters: int | str
) -> None:
    if voters in ("many", 12):
        # Twelve: three groups of 6, 4 and 2, so two groups' sizes are hidden.
        c = split_conversation(world, per_camp=6 if voters == 12 else 20)
        services.update_conversation(by=world.facilitator, conversation=c, public_link=True)
    else:
        c = small_talk(world, voters=int(voters))
    analysis.analyse(c.pk)
    latest = analysis.latest(c)
    assert latest is not None
    if voters in (0, 1, 2, 3):
        assert latest.state == AnalysisState.TOO_FEW
    if voters in ("many", 12):
        assert latest.state == AnalysisState.GROUPS
    if voters == 12:
        assert None in [g["size"] for g in latest.data["published"]["groups"]]
    for language in ("en", "es"):
        for persona in ("facilitator", "participant", "observer"):
            client = world.client_for(persona)
            client.cookies["django_language"] = language
            for url in _pages(world, c):
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                expected = 403 if persona == "observer" and "vote" in url else 200
                assert response.status_code == expected, (url, persona, language)
        visitor = Client()
        visitor.cookies["django_language"] = language
        link = reverse(
            "commonground:public_vote", kwargs={"conversation_link": public_link_token(c)}
        )
        statement = Statement.objects.filter(conversation=c).order_by("number").first()
        assert statement is not None
        visitor.post(link, {"statement": statement.number, "choice": "1"})
        for url in (link, link + "groups/"):
            assert visitor.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code == 200
    _token, raw = ApiToken.issue(user=world.observer, name="pages")
    base = f"/api/v1/partnerships/{world.own.slug}/conversations"
    for url in (base, f"{base}/{c.public_id}/groups"):
        response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 200
        json.dumps(response.json())
    check = step_3(world)["Opinion groups and bridging statements found"]
    assert check.done == (voters == "many")


def test_it_states_the_bridging_rule_and_offers_only_bridging_statements(world: World) -> None:
    c = split_conversation(world)
    found = analysis.analyse(c.pk)
    assert found is not None
    numbers = {s.pk: s.number for s in Statement.objects.filter(conversation=c)}
    # Majority agreement in every group, on published counts.
    for item in found.data["bridging"]:
        assert all(share is not None and share > 0.5 for share in item["agree"])
    assert {numbers[b["statement"]] for b in found.data["bridging"]} == set(UNITE)
    page = (
        world.client_for("participant")
        .get(
            reverse(
                "commonground:results",
                kwargs={"slug": world.own.slug, "conversation_id": c.public_id},
            )
        )
        .content.decode()
    )
    assert "more than half of the people in every group who voted on it agree" in page
    facilitator = world.client_for("facilitator")
    form = facilitator.get(reverse("goals:create", kwargs={"slug": world.own.slug}))
    text = form.content.decode()
    for number in range(1, 9):
        offered = f"#{number} Water statement {number}" in text
        assert offered == (number in UNITE), number
