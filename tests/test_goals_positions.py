"""Positions that cannot be overwritten (issue 10, point 1.1).

A partner's position on a goal is recorded by its own representatives. A
facilitator records one *on behalf* of a partner only when that partner has no
representative with an account, only under a stated mandate, and never over a
position the partner entered itself. Positions are append-only: objections
and reservations stay visible, with their reasons, on the goal page, in the
history, through the API and on the portal. The page and the API go through
the same service and behave alike."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from goals import services
from goals.models import CollectiveGoal, Endorsement, GoalStatus
from partnerships import services as partnership_services
from partnerships.models import PartnerType, Role
from partnerships.services import ServiceError
from tests.conftest import World, join, make_user

MANDATE = "Agreed aloud at the partners' meeting of 3 May"
OBJECTION = "The route leaves out the upper veredas"


def open_goal(world: World, title: str = "Safe roads to school") -> CollectiveGoal:
    g = services.create_goal(
        by=world.facilitator,
        partnership=world.own,
        title={"en": title, "es": "Vías seguras a la escuela"},
    )
    services.open_endorsement(by=world.facilitator, goal=g)
    return g


def community_rep(world: World) -> Any:
    user = make_user("community-rep@example.test", display_name="Community persona")
    join(world.own, world.facilitator, user, Role.PARTNER_REPRESENTATIVE, world.community)
    return user


def url(world: World, name: str, g: CollectiveGoal) -> str:
    return reverse(f"goals:{name}", kwargs={"slug": world.own.slug, "goal_id": g.public_id})


def api(world: World, persona: str | Any) -> tuple[Client, dict[str, str]]:
    user = getattr(world, persona) if isinstance(persona, str) else persona
    _token, raw = ApiToken.issue(user=user, name="test")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def api_endorse(world: World, who: str | Any, g: CollectiveGoal, partner: Any, **body: Any) -> Any:
    client, auth = api(world, who)
    return client.post(
        f"/api/v1/partnerships/{world.own.slug}/goals/{g.public_id}/endorsements",
        {"partner": str(partner.public_id), **body},
        content_type="application/json",
        **auth,
    )


def counting(g: CollectiveGoal, partner: Any) -> Endorsement:
    return Endorsement.objects.counting().get(goal=g, version=g.version, partner=partner)


def publish(world: World) -> None:
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )


def portal(world: World) -> str:
    """The public page, without its per-request CSRF token (the language form's)."""
    page = world.client_for("anonymous").get(f"/portal/{world.own.slug}/").content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def objected_goal(world: World) -> tuple[CollectiveGoal, Any]:
    """The company endorses; the community, through its own representative,
    objects with a reason: one step from adoption if the objection could be
    turned into an endorsement."""
    publish(world)
    rep = community_rep(world)
    g = open_goal(world)
    services.endorse(by=world.company_rep, goal=g, partner=world.company, position="endorse")
    services.endorse(by=rep, goal=g, partner=world.community, position="object", reason=OBJECTION)
    return g, rep


def assert_objection_stands(world: World, g: CollectiveGoal, before_portal: str) -> None:
    g.refresh_from_db()
    assert g.status == GoalStatus.UNDER_ENDORSEMENT and g.adopted_at is None
    kept = counting(g, world.community)
    assert (kept.position, kept.reason, kept.on_behalf) == ("object", OBJECTION, False)
    page = world.client_for("observer").get(url(world, "detail", g)).content.decode()
    assert "Object" in page and OBJECTION in page
    assert portal(world) == before_portal
    assert "Safe roads to school" not in before_portal


# --- The attack ------------------------------------------------------------------------


def test_it_refuses_a_facilitator_who_overwrites_a_partners_objection_on_the_page(
    world: World,
) -> None:
    g, _rep = objected_goal(world)
    before = portal(world)
    response = world.client_for("facilitator").post(
        url(world, "endorse", g),
        {"partner": world.community.public_id, "position": "endorse", "mandate": MANDATE},
        follow=True,
    )
    assert (
        "Test community group has its own representatives: only they can record its position."
        in response.content.decode()
    )
    assert_objection_stands(world, g, before)
    assert Endorsement.objects.filter(goal=g, partner=world.community).count() == 1


def test_it_refuses_a_facilitator_who_overwrites_a_partners_objection_through_the_api(
    world: World,
) -> None:
    g, _rep = objected_goal(world)
    before = portal(world)
    response = api_endorse(
        world, "facilitator", g, world.community, position="endorse", mandate=MANDATE
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Test community group has its own representatives: "
        "only they can record its position.",
        "field": "partner",
    }
    assert_objection_stands(world, g, before)


def test_it_never_lets_an_on_behalf_position_replace_the_partners_own(world: World) -> None:
    g, rep = objected_goal(world)
    before = portal(world)
    # Its representative leaves: the partner has no representative any more,
    # but the position it entered itself still cannot be replaced for it.
    partnership_services.remove_member(actor=world.facilitator, member=world.member(rep))
    with pytest.raises(ServiceError, match="entered its own position on this version"):
        services.endorse(
            by=world.facilitator,
            goal=g,
            partner=world.community,
            position="endorse",
            mandate=MANDATE,
        )
    response = api_endorse(
        world, "facilitator", g, world.community, position="endorse", mandate=MANDATE
    )
    assert response.status_code == 400 and "entered its own position" in response.json()["detail"]
    assert_objection_stands(world, g, before)
    page = world.client_for("facilitator").get(url(world, "detail", g)).content.decode()
    assert "entered its own position on this version" in page  # said before anyone tries


def test_it_keeps_a_recorded_position_from_being_rewritten_in_place(world: World) -> None:
    g, _rep = objected_goal(world)
    kept = counting(g, world.community)
    kept.position = "endorse"
    with pytest.raises(ValueError, match="never rewritten"):
        kept.save()
    with pytest.raises(ValueError, match="never rewritten"):
        kept.save(update_fields=["position", "current"])


# --- On behalf -------------------------------------------------------------------------


def test_it_refuses_on_behalf_when_the_partner_has_a_representative(world: World) -> None:
    g = open_goal(world)
    with pytest.raises(ServiceError, match="Test company has its own representatives"):
        services.endorse(
            by=world.facilitator, goal=g, partner=world.company, position="endorse", mandate=MANDATE
        )
    response = api_endorse(
        world, "facilitator", g, world.company, position="endorse", mandate=MANDATE
    )
    assert response.status_code == 400 and "Test company has its own" in response.json()["detail"]
    # The page offers the facilitator only the community group, and says why not the company.
    page = world.client_for("facilitator").get(url(world, "detail", g)).content.decode()
    form = page.split("Record a position on a partner's behalf")[1].split("History")[0]
    assert "Test company has its own representatives: only they can record its position." in form
    assert f'value="{world.community.public_id}"' in form
    assert f'value="{world.company.public_id}"' not in form
    assert not Endorsement.objects.exists()


def test_it_refuses_on_behalf_without_a_mandate(world: World) -> None:
    g = open_goal(world)
    for mandate in ("", "   "):
        with pytest.raises(ServiceError, match="Say under what mandate") as refused:
            services.endorse(
                by=world.facilitator,
                goal=g,
                partner=world.community,
                position="endorse",
                mandate=mandate,
            )
        assert refused.value.field == "mandate"
    response = world.client_for("facilitator").post(
        url(world, "endorse", g),
        {"partner": world.community.public_id, "position": "endorse"},
        follow=True,
    )
    assert "Say under what mandate you record the position of Test community group" in (
        response.content.decode()
    )
    response = api_endorse(world, "facilitator", g, world.community, position="endorse")
    assert response.status_code == 400 and response.json()["field"] == "mandate"
    assert not Endorsement.objects.exists()


def test_it_shows_an_on_behalf_position_with_its_mandate_and_recorder(world: World) -> None:
    g = open_goal(world)
    response = world.client_for("facilitator").post(
        url(world, "endorse", g),
        {
            "partner": world.community.public_id,
            "position": "reservations",
            "reason": "If the upper veredas come next",
            "mandate": MANDATE,
        },
        follow=True,
    )
    assert "Position recorded." in response.content.decode()
    recorded = counting(g, world.community)
    assert recorded.on_behalf and recorded.mandate == MANDATE
    assert recorded.recorded_by == world.member(world.facilitator)
    label = (
        "Recorded on behalf of Test community group by Facilitator persona "
        f"— mandate: {MANDATE}".replace("'", "&#x27;")
    )
    page = world.client_for("participant").get(url(world, "detail", g)).content.decode()
    table, history = page.split("<h2>History</h2>")
    assert label in table and "If the upper veredas come next" in table
    assert label in history and "If the upper veredas come next" in history
    # The API says the same.
    client, auth = api(world, "observer")
    goals = client.get(f"/api/v1/partnerships/{world.own.slug}/goals", **auth).json()
    community = next(t for t in goals[0]["endorsement"] if t["partner_type"] == "community")
    assert community["positions"][0] | {"recorded_by": None} == {
        "partner": str(world.community.public_id),
        "position": "reservations",
        "reason": "If the upper veredas come next",
        "on_behalf": True,
        "mandate": MANDATE,
        "recorded_by": None,
    }
    assert community["reservations"] is True


def test_it_lets_the_partners_own_representative_replace_an_on_behalf_position(
    world: World,
) -> None:
    g = open_goal(world)
    services.endorse(
        by=world.facilitator,
        goal=g,
        partner=world.community,
        position="endorse",
        mandate=MANDATE,
    )
    rep = community_rep(world)  # the community now has a representative of its own
    response = api_endorse(
        world, rep, g, world.community, position="object", reason=OBJECTION, mandate="ignored"
    )
    assert response.status_code == 200
    assert response.json() | {"goal": None} == {
        "goal": None,
        "version": 1,
        "partner": str(world.community.public_id),
        "position": "object",
        "reason": OBJECTION,
        "on_behalf": False,
        "mandate": "",
        "goal_status": "under_endorsement",
    }
    rows = list(Endorsement.objects.filter(goal=g, partner=world.community).order_by("pk"))
    assert [(e.position, e.on_behalf, e.current) for e in rows] == [
        ("endorse", True, False),
        ("object", False, True),
    ]
    # From now on the facilitator may not record for the community at all.
    with pytest.raises(ServiceError, match="has its own representatives"):
        services.endorse(
            by=world.facilitator,
            goal=g,
            partner=world.community,
            position="endorse",
            mandate=MANDATE,
        )
    page = world.client_for("facilitator").get(url(world, "detail", g)).content.decode()
    assert (
        "<form" not in page.split("Record a position on a partner's behalf")[1].split("History")[0]
    )


# --- Who may not ----------------------------------------------------------------------


def test_it_refuses_a_representative_of_another_partner(world: World) -> None:
    g = open_goal(world)
    with pytest.raises(ServiceError, match="Only a representative of Test community group"):
        services.endorse(
            by=world.company_rep,
            goal=g,
            partner=world.community,
            position="object",
            reason="Forged",
            mandate=MANDATE,
        )
    response = world.client_for("company_rep").post(
        url(world, "endorse", g),
        {"partner": world.community.public_id, "position": "endorse", "mandate": MANDATE},
        follow=True,
    )
    assert "Only a representative of Test community group" in response.content.decode()
    response = api_endorse(world, "company_rep", g, world.community, position="endorse")
    assert response.status_code == 400
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize("persona", ["participant", "observer"])
def test_it_refuses_participants_and_observers(world: World, persona: str) -> None:
    g = open_goal(world)
    with pytest.raises(ServiceError, match="Only a representative of Test company"):
        services.endorse(
            by=getattr(world, persona), goal=g, partner=world.company, position="endorse"
        )
    page = world.client_for(persona)
    body = {"partner": world.company.public_id, "position": "endorse", "mandate": MANDATE}
    assert page.post(url(world, "endorse", g), body).status_code == 403
    assert url(world, "endorse", g) not in page.get(url(world, "detail", g)).content.decode()
    response = api_endorse(world, persona, g, world.company, position="endorse")
    assert response.status_code == 403 and response.json() == {"detail": "You may not do this."}
    assert not Endorsement.objects.exists()


def test_it_answers_404_for_another_partnerships_goal_or_partner(world: World) -> None:
    g = open_goal(world)
    foreign_goal = services.create_goal(
        by=world.foreign_facilitator, partnership=world.foreign, title={"es": "Foreign goal"}
    )
    facilitator = world.client_for("facilitator")
    # A foreign partner named in the page's form: 404, nothing recorded.
    response = facilitator.post(
        url(world, "endorse", g),
        {"partner": world.foreign_partner.public_id, "position": "endorse", "mandate": MANDATE},
    )
    assert response.status_code == 404
    # Another partnership's goal in our partnership's address: 404, on the page and the API.
    foreign_url = reverse(
        "goals:endorse", kwargs={"slug": world.own.slug, "goal_id": foreign_goal.public_id}
    )
    body = {"partner": world.community.public_id, "position": "endorse", "mandate": MANDATE}
    assert facilitator.post(foreign_url, body).status_code == 404
    detail = reverse(
        "goals:detail", kwargs={"slug": world.own.slug, "goal_id": foreign_goal.public_id}
    )
    assert facilitator.get(detail).status_code == 404
    client, auth = api(world, "facilitator")
    response = client.post(
        f"/api/v1/partnerships/{world.own.slug}/goals/{foreign_goal.public_id}/endorsements",
        {"partner": str(world.community.public_id), "position": "endorse", "mandate": MANDATE},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    # A foreign partner in the API's body is refused as unknown (a 400 with a reason,
    # as every id the API reads from a body), never recorded.
    response = api_endorse(
        world, "facilitator", g, world.foreign_partner, position="endorse", mandate=MANDATE
    )
    assert response.status_code == 400 and response.json()["detail"] == "Unknown partner."
    assert not Endorsement.objects.exists()


def test_it_answers_bad_api_input_with_json_never_a_500(world: World) -> None:
    g = open_goal(world)
    client, auth = api(world, "company_rep")
    base = f"/api/v1/partnerships/{world.own.slug}/goals/{g.public_id}/endorsements"
    for body in (
        {},
        {"partner": "not-a-uuid", "position": "endorse"},
        {"partner": str(world.company.public_id)},
        {"partner": str(world.company.public_id), "position": "maybe"},
        {"partner": str(world.company.public_id), "position": "object"},
        {"partner": str(world.company.public_id), "position": "object", "reason": "x" * 2001},
    ):
        response = client.post(base, body, content_type="application/json", **auth)
        assert 400 <= response.status_code < 500, (body, response.status_code)
        assert "detail" in response.json()
    response = client.post(base, "not json", content_type="application/json", **auth)
    assert 400 <= response.status_code < 500
    assert not Endorsement.objects.exists()


# --- History and portal ---------------------------------------------------------------


def test_it_keeps_an_objection_later_withdrawn_in_the_history(world: World) -> None:
    g, rep = objected_goal(world)
    services.endorse(by=rep, goal=g, partner=world.community, position="endorse")
    g.refresh_from_db()
    assert g.status == GoalStatus.ADOPTED
    page = world.client_for("observer").get(url(world, "detail", g)).content.decode()
    table, history = page.split("<h2>History</h2>")
    assert OBJECTION not in table  # the objection no longer counts …
    withdrawn = history.split("Test community group — <strong>Object</strong>")[1].split("</li>")[0]
    assert OBJECTION in withdrawn and "replaced by a later position" in withdrawn
    assert "Recorded by Community persona, its representative" in withdrawn
    # … the portal shows it, with its reason, as withdrawn on the way to adoption …
    public = portal(world)
    assert "Endorsed by every partner type." in public
    withdrawn = public.split("Objections raised on the way, withdrawn since:")[1]
    assert f"<strong>Community</strong>, version 1: {OBJECTION}" in withdrawn
    # … and the API's history keeps it too.
    client, auth = api(world, "observer")
    goals = client.get(f"/api/v1/partnerships/{world.own.slug}/goals", **auth).json()
    assert sorted((h["position"], h["reason"], h["counts"]) for h in goals[0]["history"]) == [
        ("endorse", "", True),  # the company
        ("endorse", "", True),  # the community, now
        ("object", OBJECTION, False),  # the community, before
    ]


def test_it_shows_each_partner_types_stance_with_reservations_on_the_portal(
    world: World,
) -> None:
    publish(world)
    g = open_goal(world)
    services.endorse(
        by=world.company_rep,
        goal=g,
        partner=world.company,
        position="reservations",
        reason="Subject to the 2027 budget",
    )
    services.endorse(
        by=world.facilitator,
        goal=g,
        partner=world.community,
        position="endorse",
        mandate=MANDATE,
    )
    g.refresh_from_db()
    assert g.status == GoalStatus.ADOPTED
    page = portal(world)
    assert "Endorsed by every partner type, some with reservations." in page
    assert "Endorsed by every partner type." not in page
    assert "<strong>Company</strong>: endorsed, with reservations" in page
    assert "Endorse with reservations: Subject to the 2027 budget" in page
    assert f"(recorded on behalf, mandate: {MANDATE})".replace("'", "&#x27;") in page
    # People are never named on the portal: not who recorded, nor the facilitator.
    for name in ("Facilitator persona", "Company persona", "facilitator@example.test"):
        assert name not in page
    # A partner type that joins after the adoption has not endorsed: the portal
    # no longer claims that every partner type has.
    partnership_services.add_partner(
        actor=world.facilitator,
        partnership=world.own,
        name="Test mayor's office",
        partner_type=PartnerType.GOVERNMENT,
    )
    page = portal(world)
    assert "Endorsed by every partner type" not in page
    assert "Not every partner type has endorsed this goal as it stands." in page
    assert "not every partner of this type has taken a position" in page


def test_it_says_endorsed_by_every_partner_type_only_when_true(world: World) -> None:
    publish(world)
    g = open_goal(world)
    services.endorse(by=world.company_rep, goal=g, partner=world.company, position="endorse")
    services.endorse(
        by=world.facilitator, goal=g, partner=world.community, position="endorse", mandate=MANDATE
    )
    page = portal(world)
    assert "Endorsed by every partner type." in page and "with reservations" not in page


# --- Speed -----------------------------------------------------------------------------


def test_it_shows_a_goal_and_its_history_in_few_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    g, rep = objected_goal(world)
    for i in range(5):
        services.endorse(
            by=rep, goal=g, partner=world.community, position="object", reason=f"Reason {i}"
        )
    services.update_goal(by=world.facilitator, goal=g, title={"es": "Safe roads, version 2"})
    services.endorse(by=world.company_rep, goal=g, partner=world.company, position="endorse")
    client = world.client_for("facilitator")
    # 21: the page's own, and one for the panels later rooms add (goals.panels:
    # the actions that serve the goal, with its progress).
    with django_assert_max_num_queries(21) as queries:
        response = client.get(url(world, "detail", g))
    assert response.status_code == 200 and "Reason 4" in response.content.decode()
    few = len(queries.captured_queries)
    for i in range(10):
        services.endorse(
            by=rep, goal=g, partner=world.community, position="object", reason=f"More {i}"
        )
    with django_assert_max_num_queries(few):
        client.get(url(world, "detail", g))


def test_it_names_the_audited_fields_of_positions_in_spanish_on_the_record_page(
    world: World,
) -> None:
    g = open_goal(world)
    services.endorse(
        by=world.facilitator,
        goal=g,
        partner=world.community,
        position="object",
        reason=OBJECTION,
        mandate=MANDATE,
    )
    services.endorse(
        by=world.facilitator, goal=g, partner=world.community, position="endorse", mandate=MANDATE
    )
    page = (
        world.client_for("observer")
        .get(
            reverse("partnerships:record", kwargs={"slug": world.own.slug}),
            HTTP_ACCEPT_LANGUAGE="es",
        )
        .content.decode()
    )
    for label in ("Versión", "Socio", "Posición", "Motivo", "Mandato", "Vigente: sí → no"):
        assert label in page, label
    for english in ("Version:", "Partner:", "Position:", "Mandate:", "Counts now"):
        assert english not in page, english
