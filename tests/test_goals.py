"""Collective goals: drafting from what the earlier steps found, endorsement
by each partner type, adoption, revision with its history, and the bad input
of each step."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from baseline.models import Dimension
from goals import services
from goals.models import CollectiveGoal, Endorsement, GoalStatus, GoalVersion, Position
from partnerships import services as partnership_services
from partnerships.models import Partner, PartnerType, Role
from partnerships.services import ServiceError
from tests.conftest import World, join, make_user


def goal(world: World, **extra: Any) -> CollectiveGoal:
    return services.create_goal(
        by=world.facilitator,
        partnership=world.own,
        title={"en": "Safe roads to school", "es": "Vías seguras a la escuela"},
        outcomes={"en": "Fewer accidents\nChildren reach school in the rainy season"},
        **extra,
    )


def url(world: World, name: str, g: CollectiveGoal) -> str:
    return reverse(f"goals:{name}", kwargs={"slug": world.own.slug, "goal_id": g.public_id})


MANDATE = "Agreed aloud at the partners' meeting of 3 May"


def endorse_all(world: World, g: CollectiveGoal, **extra: Any) -> None:
    """The company's representative endorses; the community group, which has
    no representative with an account, endorses through the facilitator under
    a mandate."""
    services.endorse(by=world.company_rep, goal=g, partner=world.company, position="endorse")
    services.endorse(
        by=world.facilitator,
        goal=g,
        partner=world.community,
        position="endorse",
        mandate=MANDATE,
        **extra,
    )


def community_rep(world: World) -> Any:
    user = make_user("community-rep@example.test", display_name="Community persona")
    join(world.own, world.facilitator, user, Role.PARTNER_REPRESENTATIVE, world.community)
    return user


def test_it_adopts_a_goal_only_when_every_partner_type_has_endorsed(world: World) -> None:
    g = goal(world)
    services.open_endorsement(by=world.facilitator, goal=g)
    rep = community_rep(world)
    services.endorse(by=world.company_rep, goal=g, partner=world.company, position="endorse")
    g.refresh_from_db()
    assert g.status == GoalStatus.UNDER_ENDORSEMENT  # the community has not spoken
    services.endorse(
        by=rep,
        goal=g,
        partner=world.community,
        position=Position.OBJECT,
        reason="The route leaves out the upper veredas",
    )
    g.refresh_from_db()
    assert g.status == GoalStatus.UNDER_ENDORSEMENT
    states = {s.partner_type: s for s in services.endorsement_state(g)}
    assert states["community"].objected and states["company"].endorsed
    # The community changes its position: the latest counts, and the goal is adopted.
    services.endorse(
        by=rep,
        goal=g,
        partner=world.community,
        position=Position.RESERVATIONS,
        reason="If the upper veredas come next",
    )
    g.refresh_from_db()
    assert g.status == GoalStatus.ADOPTED and g.adopted_at is not None
    # The objection was not overwritten: it is a row of its own, no longer counting.
    rows = Endorsement.objects.filter(goal=g, partner=world.community).order_by("pk")
    assert [(e.position, e.current) for e in rows] == [("object", False), ("reservations", True)]


def test_it_asks_again_when_an_adopted_goal_changes(world: World) -> None:
    g = goal(world)
    services.open_endorsement(by=world.facilitator, goal=g)
    endorse_all(world, g)
    g.refresh_from_db()
    assert g.status == GoalStatus.ADOPTED
    services.update_goal(
        by=world.facilitator,
        goal=g,
        note="Added the upper veredas",
        outcomes={"en": "Fewer accidents\nThe upper veredas reached too"},
    )
    g.refresh_from_db()
    assert g.status == GoalStatus.REVISED and g.version == 2
    assert [v.number for v in GoalVersion.objects.filter(goal=g)] == [2, 1]
    assert not any(s.endorsed for s in services.endorsement_state(g))
    # Saving the same content again makes no version.
    services.update_goal(by=world.facilitator, goal=g, title=dict(g.title))
    g.refresh_from_db()
    assert g.version == 2
    page = world.client_for("participant").get(url(world, "detail", g)).content.decode()
    assert "Added the upper veredas" in page and "Revised, awaiting endorsement" in page


def test_it_refuses_bad_endorsements_with_a_clear_message(world: World) -> None:
    g = goal(world)
    with pytest.raises(ServiceError, match="not open for endorsement"):
        services.endorse(by=world.facilitator, goal=g, partner=world.company, position="endorse")
    services.open_endorsement(by=world.facilitator, goal=g)
    with pytest.raises(ServiceError, match="Only a representative of Test community group"):
        services.endorse(by=world.company_rep, goal=g, partner=world.community, position="endorse")
    with pytest.raises(ServiceError, match="Give the reason"):
        services.endorse(by=world.company_rep, goal=g, partner=world.company, position="object")
    with pytest.raises(ServiceError, match="Unknown position"):
        services.endorse(by=world.company_rep, goal=g, partner=world.company, position="maybe")
    with pytest.raises(ServiceError, match="Unknown partner"):
        services.endorse(
            by=world.facilitator, goal=g, partner=world.foreign_partner, position="endorse"
        )
    with pytest.raises(ServiceError, match="not open for endorsement"):
        services.drop_goal(by=world.facilitator, goal=g, reason="Merged into another goal")
        services.endorse(by=world.company_rep, goal=g, partner=world.company, position="endorse")
    assert Endorsement.objects.count() == 0
    with pytest.raises(ServiceError, match="Say why"):
        services.drop_goal(by=world.facilitator, goal=g, reason=" ")
    with pytest.raises(ServiceError, match="dropped goal cannot be changed"):
        services.update_goal(by=world.facilitator, goal=g, title={"en": "Again"})


def test_it_refuses_links_to_another_partnerships_records(world: World) -> None:
    foreign_dimension = Dimension.objects.filter(partnership=world.foreign).first()
    assert foreign_dimension is not None
    with pytest.raises(ServiceError, match="Unknown dimension"):
        goal(world, dimensions=[foreign_dimension])
    with pytest.raises(ServiceError, match="Give the goal a title"):
        services.create_goal(by=world.facilitator, partnership=world.own, title={"en": " "})
    assert CollectiveGoal.objects.count() == 0


def test_it_needs_partners_before_endorsement(world: World) -> None:
    for partner in Partner.objects.filter(partnership=world.own):
        partner.left_on = partner.joined_on
        partner.save(update_fields=["left_on"])
    g = goal(world)
    with pytest.raises(ServiceError, match="Register the partners first"):
        services.open_endorsement(by=world.facilitator, goal=g)


def test_it_runs_the_pages_by_role(world: World) -> None:
    dimension = Dimension.objects.filter(partnership=world.own).first()
    assert dimension is not None
    rep = world.client_for("company_rep")
    response = rep.post(
        reverse("goals:create", kwargs={"slug": world.own.slug}),
        {"title_en": "Youth jobs", "title_es": "Empleo juvenil", "dimensions": [dimension.pk]},
    )
    assert response.status_code == 302
    g = CollectiveGoal.objects.get()
    assert list(g.dimensions.all()) == [dimension]
    # Only facilitators put a goal to endorsement.
    assert rep.post(url(world, "open", g)).status_code == 403
    facilitator = world.client_for("facilitator")
    facilitator.post(url(world, "open", g))
    g.refresh_from_db()
    assert g.status == GoalStatus.UNDER_ENDORSEMENT
    page = rep.get(url(world, "detail", g)).content.decode()
    assert (
        "Record the position of Test company" in page
        and "Test community group" not in page.split("Record the position of")[1]
    )
    rep.post(url(world, "endorse", g), {"partner": world.company.public_id, "position": "endorse"})
    assert Endorsement.objects.filter(goal=g, partner=world.company).exists()
    # A representative cannot speak for another partner, even by forging the form.
    response = rep.post(
        url(world, "endorse", g),
        {"partner": world.community.public_id, "position": "endorse"},
        follow=True,
    )
    assert "Only a representative of Test community group" in response.content.decode()
    assert world.client_for("participant").post(url(world, "endorse", g)).status_code == 403
    assert world.client_for("foreign_facilitator").get(url(world, "detail", g)).status_code == 404
    assert world.client_for("observer").get(url(world, "detail", g)).status_code == 200


def test_it_lists_goals_in_few_queries(world: World, django_assert_max_num_queries: Any) -> None:
    for i in range(12):
        services.create_goal(by=world.facilitator, partnership=world.own, title={"es": f"Goal {i}"})
    client = world.client_for("participant")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("goals:list", kwargs={"slug": world.own.slug}))
    assert response.status_code == 200 and "Goal 11" in response.content.decode()


def test_it_keeps_a_partner_type_that_left_out_of_the_rule(world: World) -> None:
    government = partnership_services.add_partner(
        actor=world.facilitator,
        partnership=world.own,
        name="Test mayor's office",
        partner_type=PartnerType.GOVERNMENT,
    )
    g = goal(world)
    services.open_endorsement(by=world.facilitator, goal=g)
    endorse_all(world, g)
    g.refresh_from_db()
    assert g.status == GoalStatus.UNDER_ENDORSEMENT  # the government is present
    services.endorse(
        by=world.facilitator, goal=g, partner=government, position="endorse", mandate=MANDATE
    )
    g.refresh_from_db()
    assert g.status == GoalStatus.ADOPTED


def test_it_shows_only_adopted_goals_on_the_portal(world: World) -> None:
    from partnerships import services as p_services

    p_services.set_published(actor=world.facilitator, partnership=world.own, published=True)
    adopted = goal(world)
    services.open_endorsement(by=world.facilitator, goal=adopted)
    endorse_all(world, adopted)
    services.create_goal(by=world.facilitator, partnership=world.own, title={"es": "Still a draft"})
    page = world.client_for("anonymous").get(f"/portal/{world.own.slug}/").content.decode()
    assert "Safe roads to school" in page and "Children reach school" in page
    assert "Still a draft" not in page
