"""Step 3 through /api/v1: votes and statements from any channel, the
opinion groups as stored (suppressed), goals and endorsements."""

from __future__ import annotations

from typing import Any

from django.test import Client

from accounts.models import ApiToken
from commonground import analysis
from commonground import services as talk
from commonground.models import ConversationStatus, Vote
from goals import services as goal_services
from tests.conftest import World


def api(world: World, persona: str) -> tuple[Client, dict[str, str]]:
    _token, raw = ApiToken.issue(user=getattr(world, persona), name="test")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def open_conversation(world: World) -> Any:
    c = talk.create_conversation(by=world.facilitator, partnership=world.own, title={"es": "API"})
    for text in ("Roads first", "Jobs first"):
        talk.add_statement(conversation=c, text=text, seed=True, actor=world.facilitator)
    talk.set_status(by=world.facilitator, conversation=c, status=ConversationStatus.OPEN)
    return c


def test_it_takes_votes_and_statements_through_the_api(world: World) -> None:
    c = open_conversation(world)
    client, auth = api(world, "participant")
    base = f"/api/v1/partnerships/{world.own.slug}/conversations/{c.public_id}"
    response = client.post(
        f"{base}/votes",
        {"statement": 1, "choice": "agree"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200 and response.json()["choice"] == 1
    # The same vote again is one vote; a different one changes it.
    client.post(
        f"{base}/votes", {"statement": 1, "choice": 1}, content_type="application/json", **auth
    )
    response = client.post(
        f"{base}/votes", {"statement": 1, "choice": -1}, content_type="application/json", **auth
    )
    assert response.json() == {"statement": 1, "choice": -1, "changes": 1}
    assert Vote.objects.count() == 1
    for body, message in (
        ({"statement": 1, "choice": 5}, "agree (1), disagree (-1) or pass (0)"),
        ({"statement": 9, "choice": 1}, "Unknown statement"),
    ):
        response = client.post(f"{base}/votes", body, content_type="application/json", **auth)
        assert response.status_code == 400 and message in response.json()["detail"]
    response = client.post(
        f"{base}/statements", {"text": "Water too"}, content_type="application/json", **auth
    )
    assert response.status_code == 201 and response.json()["status"] == "pending"
    listing = client.get(f"/api/v1/partnerships/{world.own.slug}/conversations", **auth).json()
    assert [s["text"] for s in listing[0]["statements"]] == [
        {"en": "Roads first"},
        {"en": "Jobs first"},
    ]


def test_it_reads_the_stored_groups_by_statement_number(world: World) -> None:
    c = open_conversation(world)
    client, auth = api(world, "observer")
    url = f"/api/v1/partnerships/{world.own.slug}/conversations/{c.public_id}/groups"
    assert client.get(url, **auth).json()["version"] is None
    analysis.analyse(c.pk)
    found = client.get(url, **auth).json()
    assert found["version"] == 1 and found["reason"] == "no_votes"
    assert found["state"] == "too_few_votes" and found["groups"] == []
    assert "membership" not in found and "coordinates" not in found  # never who is where


def test_it_records_endorsements_through_the_api(world: World) -> None:
    goal = goal_services.create_goal(
        by=world.facilitator, partnership=world.own, title={"es": "Youth jobs"}
    )
    goal_services.open_endorsement(by=world.facilitator, goal=goal)
    client, auth = api(world, "company_rep")
    url = f"/api/v1/partnerships/{world.own.slug}/goals/{goal.public_id}/endorsements"
    response = client.post(
        url,
        {"partner": str(world.company.public_id), "position": "endorse"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200 and response.json()["goal_status"] == "under_endorsement"
    response = client.post(
        url,
        {"partner": str(world.community.public_id), "position": "endorse"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 400
    assert "Only a representative of Test community group" in response.json()["detail"]
    goals = client.get(f"/api/v1/partnerships/{world.own.slug}/goals", **auth).json()
    company = next(t for t in goals[0]["endorsement"] if t["partner_type"] == "company")
    assert company["endorsed"] is True
