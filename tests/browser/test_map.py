"""The stakeholder map end to end in a real Chromium: a facilitator maps,
assesses and flags an actor at risk; a company representative then maps
jointly — and sees the flagged actor only under its pseudonym."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

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


# --- In Spanish, on a phone ----------------------------------------------------------

PHONE = 360
TEXT_MIN_PX = 12


def es(text: str) -> str:
    """The page's words in Spanish, from the catalogue the pages use (so the
    test follows the words a reviewer settles on, not a copy of them)."""
    with translation.override("es"):
        return str(gettext(text))


def to_spanish(tab: Any) -> None:
    """Switch the interface with the footer's language form, as a person would."""
    page = tab.page
    page.locator("#lang-select").select_option("es")
    tab.follow(page.locator("footer form.lang button[type=submit]"))
    assert page.locator("html").get_attribute("lang") == "es"


@pytest.mark.browser
def test_it_maps_assesses_and_removes_actors_in_spanish_on_a_phone(
    world: World, open_tab: Any
) -> None:
    slug = world.own.slug
    spare = map_services.create_actor(
        by=world.facilitator, partnership=world.own, name="Grupo que sobra (prueba)"
    )
    fac = open_tab("facilitator", width=PHONE, height=780)
    page = fac.page
    fac.goto("/accounts/login/")
    sign_in(fac, world.facilitator.email, PASSWORD, TOTP_SECRET)
    to_spanish(fac)

    # --- Adds an actor from the register.
    fac.goto(f"/p/{slug}/map/")
    fac.follow(page.get_by_role("link", name=es("Add an actor")), "/map/new/")
    page.locator("input[name=name]").fill("Asociación de pescadores inventada")
    page.locator("select[name=kind]").select_option("group")
    page.get_by_label(es("Women"), exact=True).check()
    fac.follow(page.get_by_role("main").get_by_role("button", name=es("Save")))
    actor = Actor.objects.get(partnership=world.own, name="Asociación de pescadores inventada")
    assert f"/actors/{actor.public_id}/" in page.url

    # --- Assesses it with a date; a mistake first keeps everything typed.
    page.get_by_text(es("Add an assessment")).click()
    page.locator("select[name=assessed_by]").select_option(str(world.community.public_id))
    page.locator("input[name=assessed_on]").fill("2099-03-02")  # in the future: refused
    page.locator("select[name=influence]").select_option("4")
    page.locator("select[name=interest]").select_option("5")
    page.locator("select[name=engagement]").select_option("involve")
    page.locator("input[name=influence_note]").fill("Maneja el muelle comunitario")
    record = page.get_by_role("button", name=es("Record the assessment"))
    fac.follow(record, f"/actors/{actor.public_id}/assess/")
    assert page.locator(".field.invalid input[name=assessed_on]").count() == 1
    assert es("An assessment cannot be dated in the future.") in page.content()
    assert page.locator("input[name=assessed_on]").input_value() == "2099-03-02"
    assert page.locator("input[name=influence_note]").input_value() == (
        "Maneja el muelle comunitario"
    )
    assert page.locator("select[name=interest]").input_value() == "5"
    assert not Assessment.objects.filter(actor=actor).exists()
    page.locator("input[name=assessed_on]").fill("2026-03-02")
    fac.follow(page.get_by_role("button", name=es("Record the assessment")))
    assessment = Assessment.objects.get(actor=actor)
    assert str(assessment.assessed_on) == "2026-03-02"

    # --- The grid on a phone: a list of its cells, each opening on its actors.
    fac.goto(f"/p/{slug}/map/grid/")
    assert page.locator("table.grid").is_hidden()
    cell = page.locator("ul.grid-cells summary", has_text="4").first
    cell.click()
    assert page.get_by_role("link", name="Asociación de pescadores inventada").is_visible()
    grid_height = page.evaluate("document.querySelector('.grid-list').offsetHeight")
    assert grid_height < 1500, grid_height
    fac.goto(f"/p/{slug}/map/inclusion/")

    # --- Removes the spare actor, through its confirmation page.
    fac.goto(f"/p/{slug}/map/actors/{spare.public_id}/")
    zone = page.locator("section.danger-zone")
    fac.follow(zone.get_by_role("link", name=es("Remove from the map")), "/delete/")
    assert Actor.objects.filter(pk=spare.pk).exists()  # asking deleted nothing
    fac.follow(page.get_by_role("button", name=es("Remove from the map")), "/map/")
    assert not Actor.objects.filter(pk=spare.pk).exists()
    fac.assert_all_audited()
