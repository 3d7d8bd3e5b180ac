"""/api/v1 of the stakeholder map: the same services, permission table and
protection as the pages."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import ApiToken
from partnerships.models import AuditEntry, PartnerType
from partnerships.protection import pseudonym
from stakeholders import services
from stakeholders.models import Actor, Assessment, Relation, Segment
from tests.conftest import World

SECRET_NAME = "Lideresa Vereda Escondida"
SECRET_PLACE = "Vereda Escondida"


class Api:
    """A persona's token-authenticated client, rooted at a partnership."""

    def __init__(self, world: World, persona: str, slug: str | None = None) -> None:
        user = getattr(world, persona)
        self.user = user
        self.root = f"/api/v1/partnerships/{slug or world.own.slug}"
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='t')[1]}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(self.root + path, params, **self.headers)

    def send(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return getattr(self.client, method)(
            self.root + path,
            data=json.dumps(body or {}),
            content_type="application/json",
            **self.headers,
        )


def _actor(world: World, name: str, **fields: Any) -> Actor:
    return services.create_actor(by=world.facilitator, partnership=world.own, name=name, **fields)


@pytest.fixture
def secret(world: World) -> dict[str, Actor]:
    """A small map with one actor flagged at risk, related and assessed."""
    women = Segment.objects.get(partnership=world.own, code="women")
    leader = _actor(
        world,
        SECRET_NAME,
        kind="individual",
        locality_name=SECRET_PLACE,
        description="Speaks for the women of Vereda Escondida.",
        contact_email="leader@example.test",
        segments=[women],
    )
    coop = _actor(world, "Women's cooperative", segments=[women], contact_email="coop@example.test")
    services.relate(
        by=world.facilitator,
        partnership=world.own,
        source=leader,
        target=coop,
        relation_type="member_of",
        note="She chairs it in Vereda Escondida",
    )
    services.assess(
        by=world.company_rep,
        actor=leader,
        assessed_by=world.company,
        influence=4,
        interest=5,
        capacity=2,
        influence_note="Everyone in Vereda Escondida listens to her",
    )
    services.flag_at_risk(by=world.facilitator, actor=leader, reason="threatened")
    return {"leader": leader, "coop": coop}


# --- Actors: the happy paths, through the services -----------------------------------


def test_it_creates_reads_changes_and_deletes_an_actor_through_the_services(world: World) -> None:
    api = Api(world, "facilitator")
    response = api.send(
        "post",
        "/actors",
        {
            "name": "Coffee growers' association",
            "kind": "organisation",
            "partner": str(world.company.public_id),
            "segments": ["rural_producers", "women"],
            "tags": ["coffee", " roads "],
            "contact_email": "growers@example.test",
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    actor = Actor.objects.get(partnership=world.own, public_id=created["id"])
    assert created["partner"] == "Test company" and created["partner_type"] == "company"
    assert sorted(created["segments"]) == ["rural_producers", "women"]
    assert created["tags"] == ["coffee", "roads"]
    assert created["contact_email"] == "growers@example.test"
    assert created["at_risk"] is False  # the facilitator may see flags
    audit = AuditEntry.objects.filter(partnership=world.own, kind="actor", object_id=created["id"])
    assert audit.filter(action="create").exists()

    assert api.get(f"/actors/{actor.public_id}").json()["name"] == "Coffee growers' association"

    response = api.send(
        "patch", f"/actors/{actor.public_id}", {"description": "Sells to the mill", "partner": None}
    )
    assert response.status_code == 200, response.content
    assert response.json()["description"] == "Sells to the mill"
    assert response.json()["partner"] == ""
    actor.refresh_from_db()
    assert actor.partner is None and actor.name == "Coffee growers' association"
    change = audit.get(action="change")
    assert set(change.changes) == {"description", "partner"}

    assert api.send("delete", f"/actors/{actor.public_id}").status_code == 204
    assert not Actor.objects.filter(pk=actor.pk).exists()
    assert audit.filter(action="delete").exists()
    assert api.get(f"/actors/{actor.public_id}").status_code == 404


def test_it_explains_a_refused_actor_with_the_field(world: World) -> None:
    api = Api(world, "facilitator")
    _actor(world, "Coffee mill")
    duplicate = api.send("post", "/actors", {"name": "Coffee mill"})
    assert duplicate.status_code == 400
    assert duplicate.json() == {"detail": "This actor is already on the map.", "field": "name"}
    segment = api.send("post", "/actors", {"name": "New", "segments": ["no-such-segment"]})
    assert (segment.status_code, segment.json()["field"]) == (400, "segments")
    foreign = api.send(
        "post", "/actors", {"name": "New", "partner": str(world.foreign_partner.public_id)}
    )
    assert (foreign.status_code, foreign.json()["field"]) == (400, "partner")
    email = api.send("post", "/actors", {"name": "New", "contact_email": "not an address"})
    assert (email.status_code, email.json()["field"]) == (400, "contact_email")
    assert not Actor.objects.filter(partnership=world.own, name="New").exists()


def test_it_refuses_a_participant_creating_actors(world: World) -> None:
    response = Api(world, "participant").send("post", "/actors", {"name": "Sneaky actor"})
    assert response.status_code == 403
    assert not Actor.objects.filter(name="Sneaky actor").exists()


def test_it_answers_404_for_another_partnership_and_its_actors(world: World) -> None:
    foreign_actor = services.create_actor(
        by=world.foreign_facilitator, partnership=world.foreign, name="Foreign actor"
    )
    api = Api(world, "facilitator")
    assert Api(world, "facilitator", world.foreign.slug).get("/actors").status_code == 404
    assert Api(world, "outsider").get("/actors").status_code == 404
    for path in ("", "/assessments"):
        assert api.get(f"/actors/{foreign_actor.public_id}{path}").status_code == 404
    assert api.send("delete", f"/actors/{foreign_actor.public_id}").status_code == 404
    assert Actor.objects.filter(pk=foreign_actor.pk).exists()


# --- The register: filters, pages, constant queries ---------------------------------


def test_it_filters_and_pages_the_register(world: World) -> None:
    youth = Segment.objects.get(partnership=world.own, code="youth")
    for i in range(7):
        _actor(world, f"Youth group {i}", kind="group", segments=[youth])
    _actor(world, "Mayor's office", partner_type=PartnerType.GOVERNMENT)
    _actor(world, "Village leader", kind="individual")
    api = Api(world, "observer")

    page = api.get("/actors", page_size=3, page=3).json()
    assert (page["count"], page["page"], len(page["results"])) == (9, 3, 3)
    everything = api.get("/actors", page_size=200).json()["results"]
    names = [a["name"] for a in everything]
    assert names == sorted(names) and len(names) == 9
    assert api.get("/actors", segment="youth").json()["count"] == 7
    assert api.get("/actors", kind="individual").json()["results"][0]["name"] == "Village leader"
    assert api.get("/actors", partner_type="government").json()["count"] == 1
    assert api.get("/actors", q="GROUP 4").json()["count"] == 1
    assert api.get("/actors", engagement="involve").json()["count"] == 0
    assert api.get("/actors", page=99).json()["results"] == []
    assert api.get("/actors", page_size=201).status_code == 422


@pytest.mark.parametrize("persona", ["facilitator", "observer"])
def test_it_lists_actors_in_the_same_number_of_queries_for_5_and_50(
    world: World, persona: str
) -> None:
    segments = list(Segment.objects.filter(partnership=world.own)[:3])
    api = Api(world, persona)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/actors", page_size=200)
        assert response.status_code == 200
        return len(queries)

    def add(n: int) -> None:
        start = Actor.objects.filter(partnership=world.own).count()
        for i in range(start, start + n):
            actor = _actor(
                world,
                f"Actor {i:03}",
                partner=world.company if i % 2 else None,
                segments=segments[: i % 4],
            )
            services.assess(
                by=world.facilitator,
                actor=actor,
                assessed_by=world.community,
                influence=3,
                interest=3,
                capacity=3,
            )
            if i % 10 == 0:
                services.flag_at_risk(by=world.facilitator, actor=actor, reason="threatened")

    api.get("/actors")  # the token's first use records when it was used
    add(5)
    few = count_queries()
    add(45)
    assert Actor.objects.filter(partnership=world.own).count() == 50
    assert count_queries() == few


# --- Assessments -------------------------------------------------------------------


def test_it_records_assessments_and_keeps_the_history(world: World) -> None:
    actor = _actor(world, "Coffee mill")
    api = Api(world, "company_rep")
    body = {
        "assessed_by": str(world.company.public_id),
        "influence": 2,
        "interest": 4,
        "capacity": 3,
        "stance": "sceptical",
        "engagement": "consult",
        "assessed_on": "2026-01-10",
        "influence_note": "Small buyer",
    }
    first = api.send("post", f"/actors/{actor.public_id}/assessments", body)
    assert first.status_code == 201, first.content
    assert first.json()["assessed_by"] == {
        "id": str(world.company.public_id),
        "name": "Test company",
    }
    second = api.send(
        "post",
        f"/actors/{actor.public_id}/assessments",
        {**body, "influence": 5, "assessed_on": "2026-02-10", "engagement": "involve"},
    )
    assert second.status_code == 201
    Api(world, "facilitator").send(
        "post",
        f"/actors/{actor.public_id}/assessments",
        {
            **body,
            "assessed_by": str(world.community.public_id),
            "influence": 1,
            "assessed_on": "2026-01-20",
        },
    )
    actor.refresh_from_db()
    assert (actor.influence, actor.disagreement, actor.assessment_count) == (3.0, 4.0, 3)
    assert actor.engagement == "involve"
    history = Api(world, "observer").get(f"/actors/{actor.public_id}/assessments").json()
    assert [(h["assessed_on"], h["influence"], h["current"]) for h in history] == [
        ("2026-02-10", 5, True),
        ("2026-01-20", 1, True),
        ("2026-01-10", 2, False),
    ]
    assert history[2]["influence_note"] == "Small buyer"
    entries = AuditEntry.objects.filter(partnership=world.own, kind="assessment", action="create")
    assert entries.count() == 3


def test_it_refuses_bad_scores_with_a_message(world: World) -> None:
    actor = _actor(world, "Coffee mill")
    api = Api(world, "facilitator")
    body = {
        "assessed_by": str(world.company.public_id),
        "influence": 7,
        "interest": 3,
        "capacity": 3,
    }
    response = api.send("post", f"/actors/{actor.public_id}/assessments", body)
    assert response.status_code == 400
    assert response.json() == {"detail": "Give a score from 1 to 5.", "field": "influence"}
    zero = api.send(
        "post", f"/actors/{actor.public_id}/assessments", {**body, "influence": 3, "capacity": 0}
    )
    assert (zero.status_code, zero.json()["field"]) == (400, "capacity")
    assert not Assessment.objects.filter(actor=actor).exists()


def test_it_lets_a_representative_speak_only_for_their_partner(world: World) -> None:
    actor = _actor(world, "Coffee mill")
    body = {
        "assessed_by": str(world.community.public_id),
        "influence": 3,
        "interest": 3,
        "capacity": 3,
    }
    response = Api(world, "company_rep").send(
        "post", f"/actors/{actor.public_id}/assessments", body
    )
    assert (response.status_code, response.json()["field"]) == (400, "assessed_by")
    foreign = {**body, "assessed_by": str(world.foreign_partner.public_id)}
    response = Api(world, "facilitator").send(
        "post", f"/actors/{actor.public_id}/assessments", foreign
    )
    assert (response.status_code, response.json()["field"]) == (400, "assessed_by")
    assert not Assessment.objects.exists()


# --- Relations ---------------------------------------------------------------------


def test_it_creates_lists_and_deletes_relations(world: World) -> None:
    mill, coop, mayor = (_actor(world, n) for n in ("Coffee mill", "Cooperative", "Mayor"))
    api = Api(world, "company_rep")
    response = api.send(
        "post",
        "/relations",
        {
            "source": str(coop.public_id),
            "target": str(mill.public_id),
            "relation_type": "supplies",
            "strength": 4,
            "note": "Sells the harvest",
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["source"] == {"id": str(coop.public_id), "name": "Cooperative"}
    assert (created["relation_type"], created["strength"], created["note"]) == (
        "supplies",
        4,
        "Sells the harvest",
    )
    services.relate(
        by=world.facilitator,
        partnership=world.own,
        source=mayor,
        target=mill,
        relation_type="funds",
    )
    listing = Api(world, "participant").get("/relations").json()
    assert listing["count"] == 2
    assert (
        Api(world, "participant").get("/relations", actor=str(coop.public_id)).json()["count"] == 1
    )
    assert Api(world, "participant").get("/relations", relation_type="funds").json()["count"] == 1
    assert (
        Api(world, "participant").send("delete", f"/relations/{created['id']}").status_code == 403
    )
    assert api.send("delete", f"/relations/{created['id']}").status_code == 204
    assert list(Relation.objects.values_list("relation_type", flat=True)) == ["funds"]
    audit = AuditEntry.objects.filter(
        partnership=world.own, kind="relation", object_id=created["id"]
    )
    assert set(audit.values_list("action", flat=True)) == {"create", "delete"}


def test_it_refuses_a_relation_to_another_partnerships_actor_and_writes_nothing(
    world: World,
) -> None:
    mine = _actor(world, "Coffee mill")
    theirs = services.create_actor(
        by=world.foreign_facilitator, partnership=world.foreign, name="Theirs"
    )
    api = Api(world, "facilitator")
    before = AuditEntry.objects.count()
    answers = []
    for other in (theirs.public_id, uuid.uuid4()):
        response = api.send(
            "post",
            "/relations",
            {"source": str(mine.public_id), "target": str(other), "relation_type": "works_with"},
        )
        answers.append((response.status_code, response.json()))
    # Another partnership's actor is answered exactly as an actor that does not exist.
    assert (
        answers[0]
        == answers[1]
        == (400, {"detail": "That actor is not on this map.", "field": "target"})
    )
    assert not Relation.objects.exists()
    assert AuditEntry.objects.count() == before
    foreign_relation = services.relate(
        by=world.foreign_facilitator,
        partnership=world.foreign,
        source=theirs,
        target=services.create_actor(
            by=world.foreign_facilitator, partnership=world.foreign, name="Other"
        ),
        relation_type="funds",
    )
    assert api.send("delete", f"/relations/{foreign_relation.public_id}").status_code == 404
    assert Relation.objects.filter(pk=foreign_relation.pk).exists()


def test_it_refuses_a_self_relation(world: World) -> None:
    mill = _actor(world, "Coffee mill")
    response = Api(world, "facilitator").send(
        "post",
        "/relations",
        {
            "source": str(mill.public_id),
            "target": str(mill.public_id),
            "relation_type": "works_with",
        },
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "An actor cannot be related to itself.", "field": "target"}
    assert not Relation.objects.exists()


# --- Protection ---------------------------------------------------------------------


def _answers(api: Api, secret: dict[str, Actor]) -> list[Any]:
    leader = secret["leader"].public_id
    return [
        api.get("/actors", page_size=200),
        api.get(f"/actors/{leader}"),
        api.get("/relations"),
        api.get("/relations", actor=str(leader)),
        api.get(f"/actors/{leader}/assessments"),
        api.get("/inclusion"),
    ]


@pytest.mark.parametrize("persona", ["observer", "company_rep", "participant"])
def test_it_shows_an_actor_at_risk_only_under_its_pseudonym(
    world: World, secret: dict[str, Actor], persona: str
) -> None:
    api = Api(world, persona)
    with translation.override(api.user.language or "en"):
        alias = pseudonym(secret["leader"].public_id)
    for response in _answers(api, secret):
        assert response.status_code == 200
        text = response.content.decode()
        assert "Escondida" not in text, response.request["PATH_INFO"]
        assert "at_risk" not in text and "threatened" not in text
    listing, detail, relations, _mine, history, _inclusion = (
        r.json() for r in _answers(api, secret)
    )
    assert alias in [a["name"] for a in listing["results"]]
    assert detail["name"] == alias
    assert (detail["locality_name"], detail["description"], detail["tags"]) == ("", "", [])
    assert "contact_email" not in detail
    assert relations["results"][0]["source"]["name"] == alias
    assert relations["results"][0]["target"]["name"] == "Women's cooperative"
    assert history[0]["actor"]["name"] == alias
    # Not findable by its real name either.
    assert api.get("/actors", q="Lideresa").json()["count"] == 0


def test_it_shows_the_facilitator_the_name_and_the_flag(
    world: World, secret: dict[str, Actor]
) -> None:
    api = Api(world, "facilitator")
    listing, detail, relations, _mine, history, _inclusion = (
        r.json() for r in _answers(api, secret)
    )
    by_name = {a["name"]: a for a in listing["results"]}
    assert by_name[SECRET_NAME]["at_risk"] is True
    assert by_name["Women's cooperative"]["at_risk"] is False
    assert (detail["name"], detail["locality_name"], detail["at_risk"]) == (
        SECRET_NAME,
        SECRET_PLACE,
        True,
    )
    assert detail["contact_email"] == "leader@example.test"
    assert relations["results"][0]["source"]["name"] == SECRET_NAME
    assert relations["results"][0]["note"] == "She chairs it in Vereda Escondida"
    assert history[0]["influence_note"] == "Everyone in Vereda Escondida listens to her"
    assert api.get("/actors", q="Lideresa").json()["count"] == 1


def test_it_never_shows_contacts_to_a_participant(world: World, secret: dict[str, Actor]) -> None:
    participant, rep = Api(world, "participant"), Api(world, "company_rep")
    coop = secret["coop"].public_id
    for response in (participant.get("/actors"), participant.get(f"/actors/{coop}")):
        assert "contact_email" not in response.content.decode()
        assert "coop@example.test" not in response.content.decode()
    assert rep.get(f"/actors/{coop}").json()["contact_email"] == "coop@example.test"


def test_it_lets_only_the_cleared_change_a_protected_actor(
    world: World, secret: dict[str, Actor]
) -> None:
    leader = secret["leader"]
    refused = Api(world, "company_rep").send(
        "patch", f"/actors/{leader.public_id}", {"name": "Guess"}
    )
    assert refused.status_code == 403
    leader.refresh_from_db()
    assert leader.name == SECRET_NAME
    changed = Api(world, "facilitator").send(
        "patch", f"/actors/{leader.public_id}", {"tags": ["safe"]}
    )
    assert changed.status_code == 200 and changed.json()["tags"] == ["safe"]
    # Relating and assessing a protected actor stays open to everyone who may.
    assert (
        Api(world, "company_rep")
        .send(
            "post",
            "/relations",
            {
                "source": str(secret["coop"].public_id),
                "target": str(leader.public_id),
                "relation_type": "works_with",
            },
        )
        .status_code
        == 201
    )


def test_it_counts_inclusion_without_names(world: World, secret: dict[str, Actor]) -> None:
    response = Api(world, "observer").get("/inclusion")
    assert response.status_code == 200
    data = response.json()
    women = next(r for r in data["segments"] if r["code"] == "women")
    # Counts include the protected actor (they are counts), but an observer has no
    # clearance: two actors and one partner are under five, so hidden (null).
    assert (women["actors"], women["engaged"], women["status"]) == (None, 0, "mapped")
    assert women["next_steps"] and "2" not in " ".join(women["next_steps"])
    migrants = next(r for r in data["segments"] if r["code"] == "migrants")
    assert (migrants["actors"], migrants["status"]) == (0, "absent")
    company = next(r for r in data["partner_types"] if r["code"] == "company")
    assert (company["partners"], company["primary"]) == (None, True)
    assert SECRET_NAME not in response.content.decode()
    assert "Women's cooperative" not in response.content.decode()
    # A facilitator has clearance: the exact counts.
    exact = Api(world, "facilitator").get("/inclusion").json()
    women = next(r for r in exact["segments"] if r["code"] == "women")
    company = next(r for r in exact["partner_types"] if r["code"] == "company")
    assert (women["actors"], company["partners"]) == (2, 1)
