"""Positions on a goal, in Spanish, on a phone (360 px), in a real Chromium.

A facilitator drafts a goal with the SDG picker and asks the partners to
endorse it; the company's representative endorses; the community's
representative objects, with a reason; the facilitator sees that he cannot
record either partner's position (both have representatives of their own),
and the objection stays on the goal page. When the community later endorses
with reservations, the goal is adopted, and the portal shows the reservation
and the objection raised on the way, both with their reasons. Every page is
audited (axe with WCAG 2.2, CSP, no sideways scroll at 360 and 320 px)."""

from __future__ import annotations

from typing import Any

import pytest

from goals.models import CollectiveGoal, Endorsement, GoalStatus, SdgGoal, SdgTarget
from partnerships.models import Role
from tests.browser.conftest import Tab
from tests.browser.test_journey import sign_in
from tests.conftest import PASSWORD, TOTP_SECRET, World, join, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
OBJECTION = "La ruta deja por fuera las veredas altas (prueba)"
RESERVATION = "Si las veredas altas entran en la siguiente fase (prueba)"
COMMUNITY_EMAIL = "community-rep@example.test"


def in_spanish(tab: Tab) -> None:
    """Switch to Spanish through the footer's language form (saved on the account)."""
    tab.page.locator("#lang-select").select_option("es")
    tab.follow(tab.page.locator("footer form button[type=submit]"))
    assert tab.page.locator("html").get_attribute("lang") == "es"


def signed_in(open_tab: Any, name: str, email: str, totp: str | None = None) -> Tab:
    tab = open_tab(name, **PHONE)
    tab.goto("/accounts/login/")
    sign_in(tab, email, PASSWORD, totp)
    in_spanish(tab)
    return tab


def record(tab: Tab, goal_path: str, partner: str, position: str, reason: str = "") -> None:
    """A representative records their partner's position on the goal page."""
    tab.goto(goal_path)
    page = tab.page
    assert f"Registrar la posición de {partner}" in page.content()
    page.locator(f"input[name=position][value={position}]").check()
    if reason:
        page.locator("textarea[name=reason]").fill(reason)
    tab.follow(page.get_by_role("button", name="Registrar esta posición"))
    assert "Posición registrada" in page.content()


@pytest.mark.browser
def test_it_lets_each_partner_record_its_own_position_in_spanish_on_a_phone(
    world: World, open_tab: Any
) -> None:
    slug = world.own.slug
    world.own.is_published = True
    world.own.save(update_fields=["is_published"])
    community_user = make_user(COMMUNITY_EMAIL, display_name="Community persona")
    join(world.own, world.facilitator, community_user, Role.PARTNER_REPRESENTATIVE, world.community)
    # A live-server test starts from an emptied database (migrations' rows included).
    sdg, _made = SdgGoal.objects.get_or_create(
        number=11, defaults={"short_names": {"en": "Towns (test)", "es": "Ciudades (prueba)"}}
    )
    SdgTarget.objects.get_or_create(
        code="11.2", defaults={"goal": sdg, "titles": {"es": "Transporte seguro (prueba)"}}
    )

    # --- The facilitator drafts the goal, picking an SDG target, and opens it.
    fac = signed_in(open_tab, "facilitator", world.facilitator.email, TOTP_SECRET)
    page = fac.page
    fac.goto(f"/p/{slug}/goals/new/")
    page.locator("input[name=title_en]").fill("Safe roads to school (test)")
    page.locator("input[name=title_es]").fill("Vías seguras a la escuela (prueba)")
    target = page.get_by_label("11.2 Transporte seguro (prueba)")
    page.locator("details", has=target).locator("summary").click()
    target.check()
    fac.follow(page.get_by_role("button", name="Guardar"))
    goal = CollectiveGoal.objects.get(partnership=world.own)
    assert [t.code for t in goal.sdg_targets.all()] == ["11.2"]
    goal_path = f"/p/{slug}/goals/{goal.public_id}/"
    fac.follow(page.get_by_role("button", name="Pedir el respaldo de los socios"), goal_path)

    # --- The company endorses; the community objects, with its reason.
    company = signed_in(open_tab, "company", world.company_rep.email)
    record(company, goal_path, "Test company", "endorse")
    community = signed_in(open_tab, "community", COMMUNITY_EMAIL)
    record(community, goal_path, "Test community group", "object", OBJECTION)

    # --- The facilitator cannot record either partner's position.
    fac.goto(goal_path)
    body = page.content()
    for name in ("Test company", "Test community group"):
        assert (
            f"{name} tiene sus propios representantes: solo ellos pueden registrar su posición."
            in body
        )
    assert page.get_by_role("button", name="Registrar esta posición").count() == 0
    assert "Objeción" in body and OBJECTION in body
    goal.refresh_from_db()
    assert goal.status == GoalStatus.UNDER_ENDORSEMENT

    # --- The community endorses with reservations: adopted; nothing lost.
    record(community, goal_path, "Test community group", "reservations", RESERVATION)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ADOPTED
    assert Endorsement.objects.filter(goal=goal).count() == 3
    fac.goto(goal_path)
    history = page.content().split("Historial")[-1]
    assert OBJECTION in history and "reemplazada por una posición posterior" in history

    public = open_tab("public", **PHONE)
    public.goto(f"/portal/{slug}/")
    in_spanish(public)
    portal = public.page.content()
    assert "Vías seguras a la escuela (prueba)" in portal
    assert "Respaldado por todos los tipos de socio, algunos con reservas." in portal
    assert RESERVATION in portal
    assert "Objeciones planteadas en el camino y retiradas después:" in portal
    assert OBJECTION in portal
    assert "Community persona" not in portal and "Company persona" not in portal
    for tab in (fac, company, community, public):
        tab.assert_all_audited()
