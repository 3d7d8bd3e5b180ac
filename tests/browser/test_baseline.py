"""Steps 1 and 2 end to end in a real Chromium: from a partnership with no
baseline, a facilitator registers a threat, the groups rate it, records a need
and a partner's contribution, runs a consultation through a facilitated
session, reads its suppressed results, and publishes the baseline summary,
which the public portal then shows."""

from __future__ import annotations

from typing import Any

import pytest

from baseline.models import Condition, Contribution, Threat, ThreatRating
from consultations.models import Question, Questionnaire, Response
from tests.browser.test_journey import sign_in
from tests.conftest import PASSWORD, TOTP_SECRET, World

pytestmark = pytest.mark.browser
THREAT = "Water contaminated by mine tailings (test)"


def _sheet(key: str) -> str:
    # Seven women and six men, every one with an answer: cells of at least 5.
    rows = [f"gender,age_band,segment,locality,{key}"]
    rows += ["woman,18_29,women,,insegura"] * 6 + ["woman,30_44,women,,segura"]
    rows += ["man,30_44,,,insegura"] * 5 + ["man,45_59,,,segura"]
    return "\n".join(rows)


@pytest.mark.browser
def test_it_takes_a_facilitator_from_no_baseline_to_a_published_one(
    world: World, open_tab: Any
) -> None:
    slug = world.own.slug
    world.own.is_published = True  # the partnership's own page is public already
    world.own.save(update_fields=["is_published"])
    assert not Threat.objects.filter(partnership=world.own).exists()

    fac = open_tab("facilitator")
    page = fac.page
    fac.goto("/accounts/login/")
    sign_in(fac, world.facilitator.email, PASSWORD, TOTP_SECRET)

    # --- Step 1: the threat register, reached from the step.
    fac.goto(f"/p/{slug}/steps/situational_analysis/")
    fac.follow(page.get_by_role("main").get_by_role("link", name="Threats"), "/baseline/threats/")
    fac.follow(page.get_by_role("link", name="Register a threat"), "/baseline/threats/new/")
    page.locator("input[name=title]").fill(THREAT)
    page.get_by_label("Environmental security").check()
    page.get_by_label("Health security").check()
    page.get_by_label("Community", exact=True).first.check()
    page.locator("textarea[name=root_causes]").fill("Tailings dam built without a liner.")
    fac.follow(page.get_by_role("button", name="Save"))
    threat = Threat.objects.get(partnership=world.own, title=THREAT)
    assert page.get_by_role("heading", level=1).inner_text() == THREAT

    # The community and the company rate it, differently; both ratings are kept.
    for group, severity, likelihood in (("community", "5", "4"), ("company", "4", "3")):
        page.locator("select[name=partner_type]").select_option(group)
        page.locator("select[name=severity]").select_option(severity)
        page.locator("select[name=likelihood]").select_option(likelihood)
        fac.follow(page.get_by_role("button", name="Record the rating"))
    assert ThreatRating.objects.filter(threat=threat).count() == 2

    # Where stress is concentrated, and the risk both partner types share.
    fac.goto(f"/p/{slug}/baseline/stress/")
    assert page.locator("svg[role=img]").count() >= 1
    assert THREAT in page.content()

    # --- Step 2: a need of a group, and what a partner can put in.
    fac.goto(f"/p/{slug}/steps/needs_vulnerabilities_capacities/")
    fac.follow(
        page.get_by_role("main").get_by_role("link", name="Needs and capacities"), "/baseline/nvc/"
    )
    fac.follow(page.get_by_role("link", name="Add an entry"), "/baseline/nvc/new/")
    page.locator("select[name=kind]").select_option("need")
    page.locator("select[name=segment]").select_option(label="Women")
    page.locator("select[name=dimension]").select_option(label="Environmental security")
    page.locator("textarea[name=description]").fill("Safe drinking water for the vereda.")
    page.locator("input[name=source]").fill("Women's workshop, March (test)")
    fac.follow(page.get_by_role("button", name="Save"))
    assert Condition.objects.filter(partnership=world.own).count() == 1
    fac.goto(f"/p/{slug}/baseline/capacities/")
    fac.follow(page.get_by_role("link", name="Add a contribution"), "/baseline/capacities/new/")
    page.locator("select[name=partner]").select_option(str(world.company.public_id))
    page.locator("select[name=kind]").select_option("equipment")
    page.locator("textarea[name=description]").fill("Water-testing kits")
    fac.follow(page.get_by_role("button", name="Save"))
    assert Contribution.objects.filter(partner=world.company).count() == 1

    # --- A consultation: a questionnaire, a facilitated session, its results.
    fac.goto(f"/p/{slug}/consultations/")
    fac.follow(page.get_by_role("link", name="New questionnaire"), "/consultations/new/")
    page.locator("input[name=title_en]").fill("Water in the vereda (test)")
    page.locator("input[name=title_es]").fill("El agua en la vereda (prueba)")
    page.locator("input[name=mode][value=anonymous]").check()
    fac.follow(page.get_by_role("button", name="Save"))
    questionnaire = Questionnaire.objects.get(partnership=world.own)
    fac.follow(page.get_by_role("link", name="Add a question"), "/questions/new/")
    fac.follow(page.get_by_role("link", name="Single choice"), "/questions/new/")
    page.locator("textarea[name=text_en]").fill("Is the water you drink safe?")
    page.locator("textarea[name=text_es]").fill("¿Es segura el agua que toma?")
    for i, (es, en) in enumerate((("Segura", "Safe"), ("Insegura", "Unsafe"))):
        page.locator(f"input[name=option-{i}-label_es]").fill(es)
        page.locator(f"input[name=option-{i}-label_en]").fill(en)
    fac.follow(page.get_by_role("button", name="Save").last)
    water = Question.objects.get(version__questionnaire=questionnaire).key  # made from the text
    page.locator("select[name=status]").select_option("open")
    fac.follow(page.get_by_role("main").get_by_role("button", name="Change"))
    fac.follow(page.get_by_role("link", name="Record a facilitated session"), "/sessions/new/")
    page.locator("input[name=place]").fill("Escuela de la vereda (test)")
    page.locator("input[name=total]").fill("13")
    fac.follow(page.get_by_role("button", name="Save"))
    page.locator("textarea[name=sheet]").fill(_sheet(water))
    page.locator("input[name=consented]").check()
    fac.follow(page.get_by_role("button", name="Record the forms"))
    assert Response.objects.filter(questionnaire=questionnaire).count() == 13

    fac.goto(f"/p/{slug}/consultations/{questionnaire.public_id}/")
    fac.follow(page.get_by_role("link", name="Results"), "/results/")
    if page.get_by_role("button", name="Refresh now").count():
        fac.follow(page.get_by_role("button", name="Refresh now"))
    fac.goto(f"/p/{slug}/consultations/{questionnaire.public_id}/results/q/{water}/?by=gender")
    body = page.content()
    assert "Unsafe" in body and "Results as of" in body

    # --- Publication: the portal shows the summary, aggregates only.
    fac.goto(f"/p/{slug}/baseline/publication/")
    fac.follow(page.get_by_role("button", name="Publish the baseline summary"))
    public = open_tab("anonymous")
    public.goto(f"/portal/{slug}/")
    portal = public.page.content()
    assert THREAT in portal
    # The consultation's answers, counted together: of 13, 11 found the water unsafe and
    # 2 safe; the 2 is under five, so it is hidden, and so is the 11 that would reveal it.
    assert "Water in the vereda (test)" in portal and "13 responses" in portal
    assert "hidden" in portal and "(85%)" not in portal
    assert "Tailings dam built without a liner" not in portal  # root causes are not aggregates
    assert world.facilitator.email not in portal
