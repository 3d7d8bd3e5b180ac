"""Steps 5-6 in Spanish on a phone (360 px), in a real Chromium (issue 13,
"Done when"): a strategy answers a threat; two actions serve an adopted goal;
the company commits and reports its delivery, the community's representative
(another partner type) confirms it; the goal's progress and the sharing view
change, and the portal shows them. Every page is audited (axe with WCAG 2.2,
CSP, no sideways scroll)."""

from __future__ import annotations

from typing import Any

import pytest

from actions import services
from actions.models import Action, Commitment, CommitmentStatus, Strategy
from baseline.models import Threat
from charter.models import CharterVersion, PlanRow
from goals import services as goals
from goals.models import GoalStatus
from partnerships import services as partnerships
from partnerships.models import Role
from tests.browser.test_goals import COMMUNITY_EMAIL, PHONE, in_spanish, signed_in
from tests.conftest import TOTP_SECRET, World, join, make_user
from tests.matrix_charter import _in_force

pytestmark = pytest.mark.browser

GOAL = "Agua para las veredas (prueba)"
ACTION = "Acueducto veredal de La Neblina (prueba)"


@pytest.mark.browser
def test_it_turns_an_adopted_goal_into_actions_and_confirmed_commitments(
    world: World, open_tab: Any
) -> None:
    slug = world.own.slug
    community_user = make_user(COMMUNITY_EMAIL, display_name="Community persona")
    join(world.own, world.facilitator, community_user, Role.PARTNER_REPRESENTATIVE, world.community)
    threat = Threat.objects.create(partnership=world.own, title="Agua no potable (prueba)")
    goal = goals.create_goal(by=world.facilitator, partnership=world.own, title={"es": GOAL})
    goals.open_endorsement(by=world.facilitator, goal=goal)
    goals.endorse(by=world.company_rep, goal=goal, partner=world.company, position="endorse")
    goals.endorse(by=community_user, goal=goal, partner=world.community, position="endorse")
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ADOPTED
    _in_force(world.own, world.facilitator)
    # The charter's communication plan publishes commitments on the portal.
    PlanRow.objects.get_or_create(
        partnership=world.own,
        version=CharterVersion.objects.get(partnership=world.own, status="in_force"),
        what="commitments",
        audience="public",
        defaults={"languages": ["es"], "frequency": "monthly"},
    )
    partnerships.set_published(actor=world.facilitator, partnership=world.own, published=True)

    # --- The facilitator: a protection strategy that answers the threat.
    fac = signed_in(open_tab, "facilitator", world.facilitator.email, TOTP_SECRET)
    page = fac.page
    fac.goto(f"/p/{slug}/strategies/")
    fac.follow(page.get_by_role("link", name="Nueva estrategia"))
    page.locator("input[name=title_es]").fill("Agua segura (prueba)")
    page.locator("select[name=kind]").select_option("protection")
    page.get_by_label("Agua no potable (prueba)").check()
    page.get_by_label(GOAL).check()
    fac.follow(page.get_by_role("button", name="Guardar"))
    assert "Estrategia agregada" in page.content()
    strategy = Strategy.objects.get(partnership=world.own)
    assert list(strategy.threats.all()) == [threat]

    # --- Two actions serve the adopted goal (the second straight from the service).
    fac.goto(f"/p/{slug}/actions/")
    fac.follow(page.get_by_role("link", name="Nueva acción"))
    page.locator("input[name=title_es]").fill(ACTION)
    page.locator("select[name=kind]").select_option("long_term")
    page.locator("select[name=owner]").select_option(label="Test company")
    page.locator("input[name=starts_on]").fill("2026-12-01")
    page.locator("input[name=due_on]").fill("2026-11-01")
    page.get_by_label(GOAL).check()
    fac.follow(page.get_by_role("button", name="Guardar"))
    assert "La fecha de vencimiento es anterior a la de inicio." in page.content()
    page.locator("input[name=due_on]").fill("2027-06-30")
    fac.follow(page.get_by_role("button", name="Guardar"))
    assert "Acción agregada a la lista de acciones" in page.content()
    action = Action.objects.get(partnership=world.own)
    services.add_action(
        by=world.facilitator,
        partnership=world.own,
        title={"es": "Tanques en la escuela (prueba)"},
        kind="quick_impact",
        owner=world.community,
        goals=[goal],
    )
    action_path = f"/p/{slug}/actions/{action.public_id}/"

    # --- The company commits equipment, then reports the delivery.
    company = signed_in(open_tab, "company", world.company_rep.email)
    cpage = company.page
    company.goto(action_path)
    company.follow(cpage.get_by_role("link", name="Comprometerse con esta acción"))
    cpage.locator("select[name=kind]").select_option("equipment")
    cpage.locator("textarea[name=description_es]").fill("Una retroexcavadora por cinco días")
    cpage.locator("input[name=due_on]").fill("2027-01-31")
    company.follow(cpage.get_by_role("button", name="Guardar"), action_path)
    assert "Compromiso registrado" in cpage.content()
    company.follow(cpage.get_by_role("link", name="Informar la entrega"))
    cpage.locator("textarea[name=report]").fill("La máquina trabajó cinco días.")
    company.follow(cpage.get_by_role("button", name="Guardar"), action_path)
    assert "Informado, pendiente de confirmación" in cpage.content()
    # The company's own type is offered no confirmation.
    assert "Confirmar la entrega" not in cpage.content()

    # --- The community's representative (another partner type) confirms it.
    community = signed_in(open_tab, "community", COMMUNITY_EMAIL)
    mpage = community.page
    community.goto(action_path)
    community.follow(mpage.get_by_role("button", name="Confirmar la entrega"), action_path)
    assert "Entrega confirmada" in mpage.content()
    assert Commitment.objects.get().status == CommitmentStatus.CONFIRMED

    # --- The facilitator marks the action done: the goal's progress moves.
    fac.goto(action_path)
    page.locator("select[name=status]").select_option("done")
    fac.follow(page.get_by_role("button", name="Cambiar el estado"), action_path)
    fac.goto(f"/p/{slug}/goals/{goal.public_id}/")
    assert "calculado a partir de 2 acciones" in page.content()
    assert 'value="50"' in page.content()
    fac.goto(f"/p/{slug}/actions/sharing/")
    assert "Test company" in page.content() and "Entregados y confirmados" in page.content()

    # --- The portal shows them (the charter publishes commitments).
    public = open_tab("public", **PHONE)
    public.goto(f"/portal/{slug}/")
    in_spanish(public)
    assert ACTION in public.page.content()
    assert "Compromisos por tipo de socio" in public.page.content()
    for tab in (fac, company, community, public):
        tab.assert_all_audited()
