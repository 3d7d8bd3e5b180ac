"""A consultation on a phone, in Spanish, in a real Chromium at 360 px: a
facilitator of a partnership that works in Spanish only builds a
questionnaire (no key typed, options as rows), publishes it; a member of the
public answers on a phone, is led from the thank-you page to the published
results, and cannot answer twice; the facilitator opens the results on the
overall row and sees why a cell is hidden. Every page passes ``Tab.audit()``
(axe with the WCAG 2.2 rules, CSP, no sideways scroll at 360 and 320 px)."""

from __future__ import annotations

from typing import Any

import pytest

from baseline.models import Threat
from baseline.services import set_baseline_published
from consultations import services
from consultations.models import Channel, Question, Questionnaire, Response
from consultations.views import public_link_token
from partnerships import services as partnership_services
from tests.browser.test_journey import sign_in
from tests.conftest import PASSWORD, TOTP_SECRET, World

pytestmark = pytest.mark.browser
PHONE = 360
WHY = "oculto: menos de 5 personas, o permitiría identificarlas"


def _earlier_answers(q: Questionnaire, water: Question) -> None:
    """Fifteen people who answered before, by other channels: seven women, five
    men and three people of another identity (a group too small to show)."""
    codes = [o["code"] for o in water.options]
    people = [("woman", codes[0])] * 7 + [("man", codes[2])] * 5 + [("non_binary", codes[1])] * 3
    for i, (gender, code) in enumerate(people):
        services.record_response(
            questionnaire=q,
            channel=Channel.API,
            idempotency_key=f"earlier-{i}",
            answers={water.key: code},
            attributes={"gender": gender},
            consented=True,
        )


@pytest.mark.browser
def test_it_runs_a_consultation_in_spanish_on_a_phone(
    world: World, open_tab: Any, settings: Any
) -> None:
    # Results are rebuilt as answers arrive, in the request (no worker here).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    world.facilitator.language = "es"
    world.facilitator.save(update_fields=["language"])
    p = partnership_services.create_partnership(
        creator=world.facilitator,
        name="Alianza de la vereda inventada (prueba)",
        country="CO",
        locality_name="Municipio inventado",
        languages=["es"],
    )
    partnership_services.set_published(actor=world.facilitator, partnership=p, published=True)
    set_baseline_published(by=world.facilitator, partnership=p, published=True)

    fac = open_tab("facilitator", width=PHONE, height=780)
    page = fac.page
    fac.goto("/accounts/login/")
    sign_in(fac, world.facilitator.email, PASSWORD, TOTP_SECRET)

    # --- A questionnaire, in Spanish only: no English field, no key, options as rows.
    fac.goto(f"/p/{p.slug}/consultations/")
    fac.follow(page.get_by_role("link", name="Nuevo cuestionario"), "/consultations/new/")
    assert page.locator("input[name=title_en]").count() == 0
    page.locator("input[name=title_es]").fill("El agua en la vereda (prueba)")
    page.locator("input[name=mode][value=anonymous]").check()
    fac.follow(page.get_by_role("button", name="Guardar"))
    q = Questionnaire.objects.get(partnership=p)

    fac.follow(page.get_by_role("link", name="Agregar una pregunta"), "/questions/new/")
    fac.follow(page.get_by_role("link", name="Selección única"), "/questions/new/")
    assert page.locator("input[name=key]").count() == 0
    page.locator("textarea[name=text_es]").fill("¿De dónde viene el agua de su casa?")
    page.locator("input[name=option-0-label_es]").fill("Acueducto")
    page.locator("input[name=option-1-label_es]").fill("Pozo")
    page.locator("input[name=option-2-label_es]").fill("Río o quebrada")
    fac.follow(page.get_by_role("button", name="Agregar más filas"))
    assert page.locator("input[name=option-2-label_es]").input_value() == "Río o quebrada"
    fac.follow(page.get_by_role("button", name="Subir (opción 3)"))
    assert page.locator("input[name=option-1-label_es]").input_value() == "Río o quebrada"
    fac.follow(page.get_by_role("button", name="Guardar").last)
    water = Question.objects.get(version__questionnaire=q, kind="single_choice")
    assert water.key == "de_donde_viene_el_agua_de_su_casa"
    assert [o["code"] for o in water.options] == ["acueducto", "rio_o_quebrada", "pozo"]

    fac.follow(page.get_by_role("link", name="Agregar una pregunta"), "/questions/new/")
    fac.follow(page.get_by_role("link", name="Escala"), "/questions/new/")
    page.locator("textarea[name=text_es]").fill("¿Qué tan seguro se siente en su vereda?")
    page.locator("input[name=low_es]").fill("Nada seguro")
    page.locator("input[name=high_es]").fill("Muy seguro")
    fac.follow(page.get_by_role("button", name="Guardar"))

    # The grid rates the partnership's threats; a ranking orders options.
    for title in ("Deslizamientos que cierran la vía a las veredas altas (prueba)", "Extorsión"):
        Threat.objects.create(partnership=p, title=title)
    fac.follow(page.get_by_role("link", name="Agregar una pregunta"), "/questions/new/")
    fac.follow(page.get_by_role("link", name="Matriz de calificación de amenazas"))
    page.locator("textarea[name=text_es]").fill("¿Qué tan grave es cada amenaza para usted?")
    fac.follow(page.get_by_role("button", name="Guardar"))
    fac.follow(page.get_by_role("link", name="Agregar una pregunta"), "/questions/new/")
    fac.follow(page.get_by_role("link", name="Orden de prioridades"))
    page.locator("textarea[name=text_es]").fill("Ordene estas prioridades")
    for i, label in enumerate(("Vías", "Salud", "Empleo juvenil y emprendimiento")):
        page.locator(f"input[name=option-{i}-label_es]").fill(label)
    fac.follow(page.get_by_role("button", name="Guardar").last)
    assert Question.objects.filter(version__questionnaire=q).count() == 4

    fac.follow(page.get_by_role("link", name="Vista previa"), "/preview/")
    fac.goto(f"/p/{p.slug}/consultations/{q.public_id}/")
    page.locator("select[name=status]").select_option("open")
    fac.follow(page.get_by_role("main").get_by_role("button", name="Cambiar"))
    q.refresh_from_db()
    assert q.status == "open"

    # --- A facilitated session's page fits the phone too.
    fac.follow(page.get_by_role("link", name="Registrar una sesión facilitada"), "/sessions/new/")
    page.locator("input[name=place]").fill("Escuela de la vereda (prueba)")
    fac.follow(page.get_by_role("button", name="Guardar"))
    page.locator("details.columns summary").click()
    fac.audit()

    _earlier_answers(q, water)

    # --- A member of the public answers on a phone, in Spanish.
    public = open_tab("public", width=PHONE, height=780)
    link = f"/consult/{public_link_token(q)}/"
    public.goto(link)
    form = public.page
    assert "El agua en la vereda (prueba)" in form.content()
    form.get_by_label("Río o quebrada").check()
    form.get_by_label("4", exact=True).check()
    form.locator("select[name=a-gender]").select_option("woman")
    public.follow(form.get_by_role("button", name="Enviar mis respuestas"), "/thanks/")
    assert Response.objects.filter(questionnaire=q).count() == 16
    assert "Gracias" in form.content()
    public.follow(
        form.get_by_role("link", name="Ver lo que ha escuchado la consulta hasta ahora"),
        f"/portal/{p.slug}/#consultations-h",
    )
    assert "El agua en la vereda (prueba)" in form.content()

    # --- The same phone cannot answer again.
    public.goto(link)
    assert "Usted ya respondió" in form.content()
    assert form.locator("input[type=radio]").count() == 0
    assert Response.objects.filter(questionnaire=q).count() == 16

    # --- The facilitator opens the results on everyone's answers, and sees why a
    # cell is hidden.
    fac.goto(f"/p/{p.slug}/consultations/{q.public_id}/")
    fac.follow(page.get_by_role("main").get_by_role("link", name="Resultados"), "/results/")
    first = page.locator("tr.overall").first
    # Fifteen: the newest answer waits for a batch of five (no difference attack).
    assert "Todas las personas" in first.inner_text() and "15" in first.inner_text()
    fac.follow(page.get_by_role("link", name="Pregunta 1 por grupo"))
    page.locator("select[name=by]").first.select_option("gender")
    fac.follow(page.get_by_role("button", name="Mostrar"))
    hidden = page.locator("tbody a.hidden-n")
    assert hidden.count() >= 1 and hidden.first.inner_text() == WHY
    fac.follow(hidden.first, "/portal/small-numbers/")
