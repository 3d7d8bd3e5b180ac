"""The joint stakeholder map: actors, assessments, relations, inclusion gaps
and the protection of actors at risk if identified."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships import services as partnership_services
from partnerships.models import AuditEntry, PartnerType, Step
from partnerships.services import ServiceError
from partnerships.stepper import build
from stakeholders import inclusion, services
from stakeholders.models import Actor, Engagement, Relation, Segment
from tests.conftest import World

SECRET_NAME = "Lideresa Vereda Secreta"


@pytest.fixture
def mapped(world: World) -> dict[str, Actor]:
    women = Segment.objects.get(partnership=world.own, code="women")
    actors = {
        "coop": services.create_actor(
            by=world.facilitator,
            partnership=world.own,
            name="Women's cooperative",
            kind="organisation",
            partner_type=PartnerType.COMMUNITY,
            segments=[women],
            contact_email="coop@example.test",
        ),
        "mill": services.create_actor(
            by=world.facilitator, partnership=world.own, name="Coffee mill", partner=world.company
        ),
        "leader": services.create_actor(
            by=world.facilitator,
            partnership=world.own,
            name=SECRET_NAME,
            kind="individual",
            locality_name="Vereda Secreta",
            contact_phone="+57 300 000 0000",
            segments=[women],
        ),
    }
    services.relate(
        by=world.facilitator,
        partnership=world.own,
        source=actors["leader"],
        target=actors["coop"],
        relation_type="member_of",
    )
    return actors


def _flag(world: World, actor: Actor) -> None:
    services.flag_at_risk(
        by=world.facilitator, actor=actor, reason="Threatened after the last meeting"
    )


def test_it_gives_no_sign_of_a_hidden_actor_to_someone_adding_its_real_name(
    world: World, mapped: dict[str, Actor]
) -> None:
    from partnerships.models import Member
    from stakeholders import io

    _flag(world, mapped["leader"])
    # A representative trying the real name gets what any new name gets: an actor.
    twin = services.create_actor(
        by=world.company_rep, partnership=world.own, name=SECRET_NAME, kind="individual"
    )
    assert twin.pk != mapped["leader"].pk
    sheet = f"name,kind\n{SECRET_NAME},individual\n".encode()
    rep = Member.objects.get(partnership=world.own, user=world.company_rep)
    twin.delete()
    report = io.check(sheet, "csv", io.ACTORS, world.own, rep)
    assert report.problems == [] and len(report.valid) == 1
    # Those with clearance see the name, so for them it is a duplicate as before.
    with pytest.raises(ServiceError, match="already on the map"):
        services.create_actor(
            by=world.facilitator, partnership=world.own, name=SECRET_NAME, kind="individual"
        )


def test_it_seeds_the_default_segments_for_every_new_partnership(world: World) -> None:
    codes = set(Segment.objects.filter(partnership=world.own).values_list("code", flat=True))
    assert {"women", "youth", "indigenous", "former_combatants", "migrants"} <= codes
    assert len(codes) == 11


def test_it_refuses_duplicates_self_relations_and_other_partnerships_actors(
    world: World, mapped: dict[str, Actor]
) -> None:
    with pytest.raises(ServiceError, match="already on the map"):
        services.create_actor(by=world.facilitator, partnership=world.own, name="coffee MILL")
    with pytest.raises(ServiceError, match="itself"):
        services.relate(
            by=world.facilitator,
            partnership=world.own,
            source=mapped["mill"],
            target=mapped["mill"],
            relation_type="works_with",
        )
    stranger = services.create_actor(
        by=world.foreign_facilitator, partnership=world.foreign, name="Stranger"
    )
    before = Relation.objects.count()
    with pytest.raises(ServiceError, match="this partnership's map"):
        services.relate(
            by=world.facilitator,
            partnership=world.own,
            source=mapped["mill"],
            target=stranger,
            relation_type="works_with",
        )
    assert Relation.objects.count() == before


def test_it_keeps_each_partners_assessments_and_shows_disagreement(
    world: World, mapped: dict[str, Actor]
) -> None:
    coop = mapped["coop"]
    today = datetime.date.today()
    services.assess(
        by=world.company_rep,
        actor=coop,
        assessed_by=world.company,
        influence=1,
        interest=2,
        capacity=2,
        engagement=Engagement.INFORM,
        assessed_on=today - datetime.timedelta(days=30),
    )
    services.assess(
        by=world.facilitator,
        actor=coop,
        assessed_by=world.community,
        influence=5,
        interest=5,
        capacity=4,
        engagement=Engagement.COLLABORATE,
        assessed_on=today,
    )
    # Mapping is ongoing: a newer view of the same partner replaces its older one.
    services.assess(
        by=world.company_rep,
        actor=coop,
        assessed_by=world.company,
        influence=2,
        interest=3,
        capacity=2,
        engagement=Engagement.CONSULT,
        assessed_on=today - datetime.timedelta(days=1),
    )
    coop.refresh_from_db()
    assert coop.assessment_count == 3
    assert coop.influence == 3.5 and coop.interest == 4.0 and coop.disagreement == 3.0
    assert coop.engagement == Engagement.COLLABORATE
    page = (
        world.client_for("observer")
        .get(f"/p/{world.own.slug}/map/actors/{coop.public_id}/")
        .content.decode()
    )
    assert "The partners disagree" in page
    grid = world.client_for("observer").get(f"/p/{world.own.slug}/map/grid/").content.decode()
    assert "Women&#x27;s cooperative" in grid and "scores differ by 3" in grid


def test_it_lets_a_representative_assess_only_for_their_partner(
    world: World, mapped: dict[str, Actor]
) -> None:
    with pytest.raises(ServiceError, match="partner you represent"):
        services.assess(
            by=world.company_rep,
            actor=mapped["coop"],
            assessed_by=world.community,
            influence=3,
            interest=3,
            capacity=3,
        )
    with pytest.raises(ServiceError, match="1 to 5"):
        services.assess(
            by=world.company_rep,
            actor=mapped["coop"],
            assessed_by=world.company,
            influence=7,
            interest=3,
            capacity=3,
        )
    assert not mapped["coop"].assessments.exists()


def test_it_hides_contact_details_from_participants(world: World, mapped: dict[str, Actor]) -> None:
    url = f"/p/{world.own.slug}/map/actors/{mapped['coop'].public_id}/"
    assert "coop@example.test" in world.client_for("company_rep").get(url).content.decode()
    assert "coop@example.test" not in world.client_for("participant").get(url).content.decode()
    assert "coop@example.test" not in world.client_for("observer").get(url).content.decode()


@pytest.mark.parametrize("persona", ["company_rep", "participant", "observer"])
def test_it_shows_an_actor_at_risk_only_under_a_pseudonym_to_uncleared_roles(
    world: World, mapped: dict[str, Actor], persona: str
) -> None:
    leader = mapped["leader"]
    _flag(world, leader)
    client = world.client_for(persona)
    slug = world.own.slug
    pages = [
        f"/p/{slug}/map/",
        f"/p/{slug}/map/?q=Secreta",
        f"/p/{slug}/map/actors/{leader.public_id}/",
        f"/p/{slug}/map/actors/{mapped['coop'].public_id}/",
        f"/p/{slug}/map/grid/",
        f"/p/{slug}/map/inclusion/",
        f"/p/{slug}/record/",
        f"/p/{slug}/",
        f"/p/{slug}/record/?kind=actor",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert SECRET_NAME not in body and "Vereda Secreta" not in body and "300 000" not in body, (
            url
        )
        # Nor may they learn that a flag exists, or why.
        assert (
            "Threatened" not in body and "At risk" not in body and "Participation risk" not in body
        ), url
    detail = client.get(f"/p/{slug}/map/actors/{leader.public_id}/").content.decode()
    assert "Protected actor" in detail
    # Searching by the real name finds nothing.
    assert "Protected actor" not in client.get(f"/p/{slug}/map/?q=Secreta").content.decode()


def test_it_shows_the_facilitator_the_name_and_the_flag(
    world: World, mapped: dict[str, Actor]
) -> None:
    _flag(world, mapped["leader"])
    client = world.client_for("facilitator")
    detail = client.get(
        f"/p/{world.own.slug}/map/actors/{mapped['leader'].public_id}/"
    ).content.decode()
    assert SECRET_NAME in detail and "Threatened after the last meeting" in detail
    assert SECRET_NAME in client.get(f"/p/{world.own.slug}/record/").content.decode()
    services.clear_risk_flag(by=world.facilitator, actor=mapped["leader"])
    mapped["leader"].refresh_from_db()
    assert not mapped["leader"].at_risk


def test_it_keeps_uncleared_roles_from_editing_a_protected_actor(
    world: World, mapped: dict[str, Actor]
) -> None:
    _flag(world, mapped["leader"])
    url = f"/p/{world.own.slug}/map/actors/{mapped['leader'].public_id}/edit/"
    assert world.client_for("company_rep").get(url).status_code == 403
    assert world.client_for("facilitator").get(url).status_code == 200


def test_it_lets_only_facilitators_flag(world: World, mapped: dict[str, Actor]) -> None:
    url = f"/p/{world.own.slug}/map/actors/{mapped['coop'].public_id}/risk/"
    assert world.client_for("company_rep").post(url, {"reason": "x"}).status_code == 403
    assert (
        world.client_for("facilitator").post(url, {"reason": "Receives threats"}).status_code == 302
    )
    mapped["coop"].refresh_from_db()
    assert mapped["coop"].at_risk
    entry = AuditEntry.objects.get(kind="participation_risk")
    assert entry.subjects == [str(mapped["coop"].public_id)]


def test_it_reports_inclusion_gaps_by_segment_and_partner_type(
    world: World, mapped: dict[str, Actor]
) -> None:
    rows = {r.code: r for r in inclusion.by_segment(world.own)}
    assert rows["women"].status == inclusion.MAPPED and rows["women"].actors == 2
    assert rows["migrants"].status == inclusion.ABSENT
    services.assess(
        by=world.facilitator,
        actor=mapped["coop"],
        assessed_by=world.community,
        influence=3,
        interest=4,
        capacity=3,
        engagement=Engagement.INVOLVE,
    )
    rows = {r.code: r for r in inclusion.by_segment(world.own)}
    assert rows["women"].status == inclusion.PRESENT
    types = {r.code: r for r in inclusion.by_partner_type(world.own)}
    assert types["company"].partners == 1 and types["company"].members == 1
    assert types["government"].status == inclusion.ABSENT


def test_it_says_on_the_overview_and_in_step_4_when_women_are_not_represented(
    world: World, mapped: dict[str, Actor]
) -> None:
    page = world.client_for("observer").get(f"/p/{world.own.slug}/").content.decode()
    assert "Women are not represented" in page
    step4 = next(v for v in build(world.own) if v.step == Step.INVOLVEMENT)
    checks = {str(c.label): c.done for c in step4.checks}
    assert checks["Women are represented"] is False and checks["Actors are mapped"] is True
    assert (
        "Stakeholder map"
        in world.client_for("observer")
        .get(f"/p/{world.own.slug}/steps/involvement/")
        .content.decode()
    )


def test_it_publishes_engagement_counts_but_never_protected_actors(
    world: World, mapped: dict[str, Actor]
) -> None:
    _flag(world, mapped["leader"])
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )
    page = world.client_for("anonymous").get(f"/portal/{world.own.slug}/").content.decode()
    assert SECRET_NAME not in page and "Women&#x27;s cooperative" not in page
    rows = {r.code: r for r in inclusion.by_segment(world.own, public=True)}
    assert rows["women"].actors == 1  # the flagged leader is not counted in public


@pytest.mark.parametrize("page", ["map/", "map/grid/", "map/inclusion/", "map/actors/{actor}/"])
def test_it_renders_map_pages_in_a_constant_number_of_queries(
    world: World, mapped: dict[str, Actor], page: str
) -> None:
    client = world.client_for("facilitator")
    url = f"/p/{world.own.slug}/" + page.format(actor=mapped["coop"].public_id)
    women = Segment.objects.get(partnership=world.own, code="women")

    def grow(batch: int) -> int:
        # 20 more actors in the same five grid cells, each related to the cooperative.
        for i in range(20):
            actor = services.create_actor(
                by=world.facilitator,
                partnership=world.own,
                name=f"Group {batch}-{i}",
                segments=[women],
            )
            services.assess(
                by=world.facilitator,
                actor=actor,
                assessed_by=world.community,
                influence=1 + i % 5,
                interest=1 + (i * 2) % 5,
                capacity=3,
            )
            services.relate(
                by=world.facilitator,
                partnership=world.own,
                source=actor,
                target=mapped["coop"],
                relation_type="works_with",
            )
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    # Nothing grows with the map: the grid reads the first names of all cells at once.
    assert grow(1) == grow(2) == grow(3)


def test_it_lists_the_first_five_names_of_each_grid_cell_hidden_actors_last(
    world: World, mapped: dict[str, Actor]
) -> None:
    def place(name: str, influence: int) -> Actor:
        actor = services.create_actor(by=world.facilitator, partnership=world.own, name=name)
        services.assess(
            by=world.facilitator,
            actor=actor,
            assessed_by=world.community,
            influence=influence,
            interest=1,
            capacity=1,
        )
        return actor

    for name in ("Fundación F", "Asociación A", "Comité C", "Junta J", "Mesa M", "Red R"):
        place(name, 5)
    place("Aaa hidden", 5)
    _flag(world, Actor.objects.get(partnership=world.own, name="Aaa hidden"))
    place("Otra celda", 4)

    def cell(persona: str) -> list[str]:
        html = world.client_for(persona).get(f"/p/{world.own.slug}/map/grid/").content.decode()
        # The bottom row (interest 1), last column (influence 5).
        row = html.split('<th scope="row">1</th>')[1].split("</tr>")[0]
        last = row.split("<td")[-1]
        return re.findall(r"<li>(?:<a [^>]*>)?([^<]+)", last)

    assert cell("facilitator") == [
        "Aaa hidden",
        "Asociación A",
        "Comité C",
        "Fundación F",
        "Junta J",
        "…",
    ]
    shown = cell("participant")
    assert shown == ["Asociación A", "Comité C", "Fundación F", "Junta J", "Mesa M", "…"]


def test_it_never_shows_another_partnerships_actors(world: World, mapped: dict[str, Actor]) -> None:
    stranger = services.create_actor(
        by=world.foreign_facilitator, partnership=world.foreign, name="Foreign actor"
    )
    client = world.client_for("facilitator")
    assert "Foreign actor" not in client.get(f"/p/{world.own.slug}/map/").content.decode()
    assert client.get(f"/p/{world.own.slug}/map/actors/{stranger.public_id}/").status_code == 404
