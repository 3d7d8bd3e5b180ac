"""Steps 1 and 2 end to end in a real Chromium: from a partnership with no
baseline, a facilitator registers a threat, the groups rate it, records a need
and a partner's contribution, runs a consultation through a facilitated
session, reads its suppressed results, and publishes the baseline summary,
which the public portal then shows."""

from __future__ import annotations

from typing import Any

import pytest

from baseline.models import Condition, Contribution, Evidence, Threat, ThreatRating
from consultations.models import Question, Questionnaire, Response
from tests.browser.test_journey import sign_in
from tests.browser.test_map import PHONE, es, to_spanish
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
    for i, (spanish, english) in enumerate((("Segura", "Safe"), ("Insegura", "Unsafe"))):
        page.locator(f"input[name=option-{i}-label_es]").fill(spanish)
        page.locator(f"input[name=option-{i}-label_en]").fill(english)
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
    text = public.page.inner_text("main")  # counts are marked up as <data>
    assert THREAT in portal
    # The consultation's answers, counted together: of 13, 11 found the water unsafe and
    # 2 safe; the 2 is under five, so it is hidden, and so is the 11 that would reveal it.
    assert "Water in the vereda (test)" in portal and "13 responses" in text
    assert "hidden" in portal and "(85%)" not in portal
    assert "Tailings dam built without a liner" not in portal  # root causes are not aggregates
    assert world.facilitator.email not in portal


# --- In Spanish, on a phone ----------------------------------------------------------

CHART_TEXT_PX = """() => {
  // The smallest text of the charts on the page as drawn, in CSS pixels.
  let smallest = Infinity;
  for (const svg of document.querySelectorAll('svg.chart')) {
    const box = svg.viewBox.baseVal, drawn = svg.getBoundingClientRect();
    if (!box || !box.width || !drawn.width) continue;
    const scale = drawn.width / box.width;
    for (const text of svg.querySelectorAll('text')) {
      smallest = Math.min(smallest, parseFloat(getComputedStyle(text).fontSize) * scale);
    }
  }
  return smallest;
}"""


@pytest.mark.browser
def test_it_runs_the_baseline_s_forms_in_spanish_on_a_phone(world: World, open_tab: Any) -> None:
    slug = world.own.slug
    fac = open_tab("facilitator", width=PHONE, height=780)
    page = fac.page
    fac.goto("/accounts/login/")
    sign_in(fac, world.facilitator.email, PASSWORD, TOTP_SECRET)
    to_spanish(fac)

    # --- Registers a threat.
    fac.goto(f"/p/{slug}/baseline/threats/")
    fac.follow(page.get_by_role("link", name=es("Register a threat")), "/threats/new/")
    page.locator("input[name=title]").fill(THREAT)
    page.get_by_label(es("Environmental security")).check()
    page.get_by_label(es("Health security")).check()
    fac.follow(page.get_by_role("main").get_by_role("button", name=es("Save")))
    threat = Threat.objects.get(partnership=world.own, title=THREAT)
    assert page.get_by_role("heading", level=1).inner_text() == THREAT

    # --- Rates it with a date; naming two groups is refused and nothing typed is lost.
    page.locator("select[name=partner_type]").select_option("community")
    page.locator("select[name=segment]").select_option(label=es("Women"))
    page.locator("select[name=severity]").select_option("5")
    page.locator("select[name=likelihood]").select_option("4")
    page.locator("input[name=rated_on]").fill("2026-11-20")
    page.locator("#id_note").fill("Dicho en la asamblea de la vereda")
    fac.follow(page.get_by_role("button", name=es("Record the rating")), "/rate/")
    assert page.locator(".field.invalid select[name=partner_type]").count() == 1
    assert page.locator("input[name=rated_on]").input_value() == "2026-11-20"
    assert page.locator("select[name=severity]").input_value() == "5"
    assert not ThreatRating.objects.filter(threat=threat).exists()
    page.locator("select[name=segment]").select_option("")
    fac.follow(page.get_by_role("button", name=es("Record the rating")))
    rating = ThreatRating.objects.get(threat=threat)
    assert str(rating.rated_on) == "2026-11-20"
    page.locator("select[name=partner_type]").select_option("company")
    page.locator("select[name=severity]").select_option("4")
    fac.follow(page.get_by_role("button", name=es("Record the rating")))
    assert ThreatRating.objects.filter(threat=threat).count() == 2

    # --- Evidence, added then removed through its confirmation page.
    page.locator("#id_evidence_kind").select_option("document")
    page.locator("#id_evidence_title").fill("Informe de la mesa del agua (prueba)")
    fac.follow(page.locator("form[action$='/evidence/'] button[type=submit]"))
    evidence = Evidence.objects.get(threat=threat)
    remove = page.locator(f"a[href$='/evidence/{evidence.public_id}/delete/']")
    assert remove.inner_text().startswith(es("Remove"))
    fac.follow(remove, f"/evidence/{evidence.public_id}/delete/")
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    fac.follow(page.get_by_role("button", name=es("Remove the evidence")), f"/{threat.public_id}/")
    assert not Evidence.objects.filter(pk=evidence.pk).exists()

    # --- The stress map: its text is legible on the phone.
    fac.goto(f"/p/{slug}/baseline/stress/")
    assert page.evaluate(CHART_TEXT_PX) >= 12 - 0.5
    assert "20,0 (1)" in page.locator("table").first.inner_text()  # 5 × 4, in Spanish

    # --- A partner's contribution to the capacity register, with dates.
    fac.goto(f"/p/{slug}/baseline/capacities/")
    fac.follow(page.get_by_role("link", name=es("Add a contribution")), "/capacities/new/")
    page.locator("select[name=partner]").select_option(str(world.company.public_id))
    page.locator("select[name=kind]").select_option("equipment")
    page.locator("textarea[name=description]").fill("Kits para analizar el agua")
    page.locator("input[name=quantity]").fill("12")
    page.locator("input[name=available_from]").fill("2026-12-01")
    page.locator("input[name=available_until]").fill("2027-06-30")
    fac.follow(page.get_by_role("main").get_by_role("button", name=es("Save")), "/capacities/")
    contribution = Contribution.objects.get(partner=world.company)
    assert str(contribution.available_until) == "2027-06-30"

    # --- A need of a group, with its date.
    fac.goto(f"/p/{slug}/baseline/nvc/")
    fac.follow(page.get_by_role("link", name=es("Add an entry")), "/nvc/new/")
    page.locator("select[name=kind]").select_option("need")
    page.locator("select[name=segment]").select_option(label=es("Women"))
    page.locator("select[name=dimension]").select_option(label=es("Environmental security"))
    page.locator("textarea[name=description]").fill("Agua potable para la vereda.")
    page.locator("input[name=source]").fill("Taller de mujeres (prueba)")
    page.locator("input[name=recorded_on]").fill("2026-11-21")
    fac.follow(page.get_by_role("main").get_by_role("button", name=es("Save")), "/nvc/")
    assert str(Condition.objects.get(partnership=world.own).recorded_on) == "2026-11-21"

    # --- The set-up, and a removal that is asked about and called off.
    fac.goto(f"/p/{slug}/baseline/setup/")
    fac.goto(f"/p/{slug}/baseline/threats/{threat.public_id}/")
    zone = page.locator("section.danger-zone")
    fac.follow(zone.get_by_role("link", name=es("Remove this threat")), "/delete/")
    fac.follow(page.get_by_role("link", name=es("No, go back")), f"/{threat.public_id}/")
    assert Threat.objects.filter(pk=threat.pk).exists()

    # --- Published, the portal fits the phone too, its small counts hidden in words.
    world.own.is_published = True
    world.own.save(update_fields=["is_published"])
    fac.goto(f"/p/{slug}/baseline/publication/")
    fac.follow(page.get_by_role("button", name=es("Publish the baseline summary")))
    public = open_tab("anonymous", width=PHONE, height=780)
    public.goto(f"/portal/{slug}/")
    to_spanish(public)
    portal = public.page.get_by_role("main").inner_text()
    assert THREAT in portal and "oculto" in portal
    fac.assert_all_audited()
