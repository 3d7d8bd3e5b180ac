"""The stakeholder map end to end in a real Chromium: a facilitator maps,
assesses and flags an actor at risk; a company representative then maps
jointly — and sees the flagged actor only under its pseudonym."""

from __future__ import annotations

from typing import Any

import pytest

from stakeholders import services as map_services
from stakeholders.models import Actor, Assessment, Relation, Segment
from tests.browser.test_journey import sign_in
from tests.conftest import PASSWORD, TOTP_SECRET, World

pytestmark = pytest.mark.browser
LEADER = "Lideresa de la vereda El Roble (test)"


@pytest.mark.browser
def test_it_lets_a_facilitator_and_a_company_representative_map_together(
    world: World, open_tab: Any
) -> None:
    slug = world.own.slug
    coop = map_services.create_actor(
        by=world.facilitator,
        partnership=world.own,
        name="Women's coffee cooperative",
        partner_type="community",
        segments=[Segment.objects.get(partnership=world.own, code="women")],
    )

    # --- The facilitator reaches the map from step 4 and adds an actor.
    fac = open_tab("facilitator")
    page = fac.page
    fac.goto("/accounts/login/")
    sign_in(fac, world.facilitator.email, PASSWORD, TOTP_SECRET)
    fac.goto(f"/p/{slug}/steps/involvement/")
    fac.follow(page.get_by_role("main").get_by_role("link", name="Stakeholder map"), "/map/")
    fac.follow(page.get_by_role("link", name="Add an actor"), "/map/new/")
    page.locator("input[name=name]").fill(LEADER)
    page.locator("select[name=kind]").select_option("individual")
    page.get_by_label("Women", exact=True).check()
    page.locator("input[name=contact_phone]").fill("+57 300 000 0000")
    fac.follow(page.get_by_role("button", name="Save"))
    leader = Actor.objects.get(partnership=world.own, name=LEADER)
    assert page.get_by_role("heading", level=1).inner_text() == LEADER

    # --- Assesses it on behalf of the community partner, then flags it.
    page.get_by_text("Add an assessment").click()
    page.locator("select[name=assessed_by]").select_option(str(world.community.public_id))
    page.locator("select[name=influence]").select_option("4")
    page.locator("select[name=interest]").select_option("5")
    page.locator("select[name=capacity]").select_option("2")
    page.locator("select[name=engagement]").select_option("involve")
    fac.follow(page.get_by_role("button", name="Record the assessment"))
    assert Assessment.objects.filter(actor=leader, assessed_by=world.community).exists()
    page.locator("textarea[name=reason]").fill("Threatened after speaking up")
    fac.follow(page.get_by_role("button", name="Flag as at risk if identified"))
    leader.refresh_from_db()
    assert leader.at_risk
    for path in ("/map/grid/", "/map/inclusion/", "/map/network/"):
        fac.goto(f"/p/{slug}{path}")
    assert LEADER in page.content() or path == "/map/network/"

    # --- The company representative maps jointly: assesses for the company, relates.
    rep = open_tab("company_rep", width=390, height=844)
    rpage = rep.page
    rep.goto("/accounts/login/")
    sign_in(rep, world.company_rep.email, PASSWORD)
    rep.goto(f"/p/{slug}/map/")
    body = rpage.content()
    assert LEADER not in body and "Protected actor" in body
    assert "300 000" not in body and "Threatened" not in body
    rep.follow(
        rpage.get_by_role("link", name="Women's coffee cooperative"), f"/actors/{coop.public_id}/"
    )
    rpage.get_by_text("Add an assessment").click()
    # A representative speaks only for the partner they represent.
    options = rpage.locator("select[name=assessed_by]").locator("option").all_inner_texts()
    assert options == ["---------", "Test company"] or options == ["Test company"]
    rpage.locator("select[name=assessed_by]").select_option(str(world.company.public_id))
    rpage.locator("select[name=influence]").select_option("2")
    rpage.locator("select[name=interest]").select_option("3")
    rpage.locator("select[name=capacity]").select_option("2")
    rep.follow(rpage.get_by_role("button", name="Record the assessment"))
    rep.follow(rpage.get_by_role("link", name="Add a relation"), "/relations/new/")
    rpage.locator("select[name=relation_type]").select_option("works_with")
    rpage.locator("select[name=target]").select_option(str(leader.public_id))
    rep.follow(rpage.get_by_role("button", name="Save"))
    assert Relation.objects.filter(source=coop, target=leader).exists()
    body = rpage.content()
    assert LEADER not in body and "Protected actor" in body
    rep.goto(f"/p/{slug}/map/grid/")
    rep.goto(f"/p/{slug}/map/inclusion/")
    assert LEADER not in rpage.content()
    for tab in (fac, rep):
        tab.assert_all_audited()
