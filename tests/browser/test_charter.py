"""The charter, in Spanish, on a phone (360 px), in a real Chromium (issue 12,
"Done when"): the facilitator adapts a starter charter (the rule for
adopting goals becomes consent, a budget pot is added) and puts it to
adoption; the company's and the community's representatives each adopt it
for their partner; it is in force. A goal is then adopted under the
charter's rule: consent, so the community's endorsement with reservations
and the company's are enough. Every page is audited (axe with WCAG 2.2, CSP,
no sideways scroll)."""

from __future__ import annotations

from typing import Any

import pytest

from charter.models import CharterStatus, CharterVersion
from goals import services as goals
from goals.models import CollectiveGoal, GoalStatus
from partnerships.models import Role
from tests.browser.conftest import Tab
from tests.browser.test_goals import COMMUNITY_EMAIL, record, signed_in
from tests.conftest import TOTP_SECRET, World, join, make_user

pytestmark = pytest.mark.browser

RESERVATION = "Que se revise al cumplir un año (prueba)"


def adopt(tab: Tab, version_path: str, partner: str) -> None:
    """A representative records their partner's position on the charter."""
    tab.goto(version_path)
    page = tab.page
    assert f"Registrar la posición de {partner}" in page.content()
    page.locator("input[name=position][value=endorse]").check()
    tab.follow(page.get_by_role("button", name="Registrar esta posición"))
    assert "Posición registrada" in page.content()


@pytest.mark.browser
def test_it_adapts_a_starter_that_every_partner_type_adopts_then_governs_a_goal(
    world: World, open_tab: Any
) -> None:
    slug = world.own.slug
    community_user = make_user(COMMUNITY_EMAIL, display_name="Community persona")
    join(world.own, world.facilitator, community_user, Role.PARTNER_REPRESENTATIVE, world.community)

    # --- The facilitator starts from the consensus starter and adapts it.
    fac = signed_in(open_tab, "facilitator", world.facilitator.email, TOTP_SECRET)
    page = fac.page
    fac.goto(f"/p/{slug}/charter/")
    assert "Aún no hay un acuerdo de gobernanza en vigor" in page.content()
    fac.follow(page.get_by_role("link", name="Empezar con un modelo de acuerdo"))
    page.get_by_label("Consenso con facilitación neutral").check()
    fac.follow(page.get_by_role("button", name="Crear el borrador"))
    version = CharterVersion.objects.get(partnership=world.own)
    version_path = f"/p/{slug}/charter/{version.public_id}/"
    assert page.url.endswith(version_path)
    # Goals by consent rather than consensus.
    fac.follow(page.get_by_role("link", name="Adoptar un objetivo colectivo"))
    page.locator("select[name=method]").select_option("consent")
    page.locator("input[name=quorum_percent]").fill("0")
    fac.follow(page.get_by_role("button", name="Guardar"))
    assert "El quórum es una proporción entre 1 % y 100 %." in page.content()
    page.locator("input[name=quorum_percent]").fill("50")
    fac.follow(page.get_by_role("button", name="Guardar"), version_path)
    # A budget pot, in pesos.
    fac.follow(page.get_by_role("link", name="Agregar un fondo"))
    page.locator("input[name=name_es]").fill("Fondo semilla (prueba)")
    page.locator("select[name=currency]").select_option("COP")
    page.locator("input[name=amount]").fill("1500000.50")
    fac.follow(page.get_by_role("button", name="Guardar"), version_path)
    assert "1\xa0500\xa0000,50 COP" in page.inner_text("body")
    fac.follow(page.get_by_role("button", name="Pedir a los socios que adopten el acuerdo"))
    version.refresh_from_db()
    assert version.status == CharterStatus.UNDER_ADOPTION
    assert version.rules["goal_adoption"]["method"] == "consent"

    # --- Every partner type adopts it, each through its own representative.
    company = signed_in(open_tab, "company", world.company_rep.email)
    adopt(company, version_path, "Test company")
    community = signed_in(open_tab, "community", COMMUNITY_EMAIL)
    adopt(community, version_path, "Test community group")
    version.refresh_from_db()
    assert version.status == CharterStatus.IN_FORCE
    fac.goto(f"/p/{slug}/charter/")
    assert "En vigor:" in page.content()

    # --- A goal adopted under the charter's rule (consent).
    goal = goals.create_goal(
        by=world.facilitator, partnership=world.own, title={"es": "Vías seguras (prueba)"}
    )
    goals.open_endorsement(by=world.facilitator, goal=goal)
    goal_path = f"/p/{slug}/goals/{goal.public_id}/"
    record(company, goal_path, "Test company", "endorse")
    goal.refresh_from_db()
    assert goal.status == GoalStatus.UNDER_ENDORSEMENT
    record(community, goal_path, "Test community group", "reservations", RESERVATION)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ADOPTED
    assert CollectiveGoal.objects.filter(status=GoalStatus.ADOPTED).count() == 1
    for tab in (fac, company, community):
        tab.assert_all_audited()
