"""Spanish-first content (issue 10, 3.1): the partnership's working languages
decide which texts are written and which one a reader falls back to — the
first working language, never English by default. One mechanism,
``partnerships.languages``, for every room."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from baseline.models import Dimension, Threat
from commonground.models import Conversation, Statement
from consultations import services, webform
from consultations.models import Question, Questionnaire
from goals.models import CollectiveGoal
from partnerships import services as partnership_services
from partnerships.languages import in_language, language_name, reading, working_languages
from partnerships.models import Partnership
from partnerships.services import ServiceError
from tests.conftest import World


def spanish_only(world: World) -> Partnership:
    return partnership_services.create_partnership(
        creator=world.facilitator,
        name="Alianza solo en español (prueba)",
        country="CO",
        locality_name="Municipio inventado",
        languages=["es"],
    )


def as_reader(user: User, language: str) -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def post_ok(client: Client, url: str, data: dict[str, Any]) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, (url, response.content.decode()[:3000])


def all_keys(*texts: dict[str, str]) -> set[str]:
    return {code for text in texts for code in text}


def test_it_builds_everything_in_spanish_only_and_shows_it_in_both_languages(
    world: World,
) -> None:
    p = spanish_only(world)
    Threat.objects.create(partnership=p, title="Deslizamientos en la vía (prueba)")
    client = as_reader(world.facilitator, "en")
    base = f"/p/{p.slug}/"
    # The forms ask for Spanish only: no English field anywhere.
    for path in (
        "consultations/new/",
        "common-ground/new/",
        "goals/new/",
        "baseline/setup/",
    ):
        html = client.get(base + path).content.decode()
        assert 'name="title_es"' in html or 'name="name_es"' in html, path
        assert not re.search(r'name="[a-z]+_en"', html), path
    post_ok(
        client,
        base + "consultations/new/",
        {"title_es": "Agua y seguridad", "introduction_es": "Queremos oírle.", "mode": "anonymous"},
    )
    q = Questionnaire.objects.get(partnership=p)
    html = client.get(f"{base}consultations/{q.public_id}/questions/new/?kind=single_choice")
    assert 'name="text_es"' in html.content.decode() and "text_en" not in html.content.decode()
    post_ok(
        client,
        f"{base}consultations/{q.public_id}/questions/new/",
        {
            "kind": "single_choice",
            "text_es": "¿De dónde viene el agua de su casa?",
            "required": "on",
            "option-count": "3",
            "option-0-label_es": "Acueducto",
            "option-1-label_es": "Río o quebrada",
        },
    )
    question = Question.objects.get(version__questionnaire=q)
    post_ok(client, base + "common-ground/new/", {"title_es": "Vías y agua", "anonymous": "on"})
    conversation = Conversation.objects.get(partnership=p)
    post_ok(
        client,
        f"{base}common-ground/{conversation.public_id}/statements/new/",
        {"text_es": "La vía a las veredas va primero"},
    )
    statement = Statement.objects.get(conversation=conversation)
    post_ok(client, base + "goals/new/", {"title_es": "Vías transitables todo el año"})
    goal = CollectiveGoal.objects.get(partnership=p)
    post_ok(client, base + "baseline/setup/dimensions/new/", {"name_es": "Seguridad digital"})
    dimension = Dimension.objects.get(partnership=p, code="seguridad-digital")

    # Spanish only was stored: no English anywhere.
    assert all_keys(
        q.title,
        q.introduction,
        question.text,
        *(o["label"] for o in question.options),
        conversation.title,
        statement.text,
        goal.title,
        dimension.names,
    ) == {"es"}
    assert q.languages == ["es"]

    # Every page shows the Spanish text, in English and in Spanish.
    pages = {
        f"{base}consultations/": ["Agua y seguridad"],
        f"{base}consultations/{q.public_id}/": ["Agua y seguridad", "Queremos oírle."],
        f"{base}consultations/{q.public_id}/preview/": [
            "¿De dónde viene el agua",
            "Río o quebrada",
        ],
        f"{base}consultations/{q.public_id}/results/": ["¿De dónde viene el agua"],
        f"{base}common-ground/{conversation.public_id}/": ["La vía a las veredas va primero"],
        f"{base}goals/{goal.public_id}/": ["Vías transitables todo el año"],
        f"{base}baseline/setup/": ["Seguridad digital"],
    }
    for language in ("en", "es"):
        client = as_reader(world.facilitator, language)
        for url, texts in pages.items():
            html = client.get(url).content.decode()
            for text in texts:
                assert text in html, (language, url, text)


def test_it_falls_back_to_the_first_working_language_not_to_english(world: World) -> None:
    # world.own works in ["es", "en"]: a text missing in English reads in Spanish.
    q = services.create_questionnaire(
        by=world.facilitator,
        partnership=world.own,
        title={"es": "Solo en español"},
        introduction={"es": "Introducción en español"},
    )
    services.add_question(
        by=world.facilitator,
        questionnaire=q,
        kind="single_choice",
        text={"es": "¿Pregunta en español?", "en": ""},
        options=[{"label": {"es": "Sí"}}, {"label": {"es": "No"}}],
    )
    client = as_reader(world.facilitator, "en")
    base = f"/p/{world.own.slug}/consultations/{q.public_id}/"
    for url in (base, base + "preview/", f"/p/{world.own.slug}/consultations/"):
        html = client.get(url).content.decode()
        assert "Solo en español" in html, url
    preview = client.get(base + "preview/").content.decode()
    assert "¿Pregunta en español?" in preview and "Introducción en español" in preview
    # The rule itself: the reader's language, then the working languages in
    # order, then the instance's language, then any — English is never preferred.
    texts = {"en": "English", "fr": "Français", "es": "Español"}
    assert in_language(texts, languages=["fr", "es"], reader="de") == "Français"
    assert in_language(texts, languages=["es", "en"], reader="pt") == "Español"
    with reading(["fr"]):
        assert in_language(texts, reader="de") == "Français"
    assert in_language({}, "fallback") == "fallback"


def test_it_requires_the_first_working_language_in_forms_and_services(world: World) -> None:
    client = as_reader(world.facilitator, "en")
    page = client.post(
        f"/p/{world.own.slug}/consultations/new/", {"title_en": "Only English", "mode": "anonymous"}
    )
    assert page.status_code == 200 and not Questionnaire.objects.exists()
    html = page.content.decode()
    assert "Title (Spanish)" in html and "Title (English)" in html
    with pytest.raises(ServiceError) as refused:
        services.create_questionnaire(
            by=world.facilitator, partnership=world.own, title={"en": "Only English"}
        )
    assert refused.value.field == "title_es" and "Spanish" in refused.value.message
    q = services.create_questionnaire(
        by=world.facilitator, partnership=world.own, title={"es": "Cuestionario"}
    )
    for fields in (
        {"kind": "free_text", "text": {"en": "English only?"}},
        {"kind": "free_text", "text": {"es": "¿Ayuda?"}, "help_text": {"en": "Help"}},
        {
            "kind": "single_choice",
            "text": {"es": "¿Opciones?"},
            "options": [{"label": {"en": "Yes"}}, {"label": {"es": "No"}}],
        },
    ):
        with pytest.raises(ServiceError, match="Spanish"):
            services.add_question(by=world.facilitator, questionnaire=q, **fields)
    with pytest.raises(ServiceError, match="Spanish"):
        services.update_questionnaire(by=world.facilitator, questionnaire=q, title={"en": "No"})
    # The other rooms obey the same rule.
    from commonground import services as talk
    from goals import services as goals

    with pytest.raises(ServiceError, match="Spanish"):
        talk.create_conversation(by=world.facilitator, partnership=world.own, title={"en": "X"})
    with pytest.raises(ServiceError, match="Spanish"):
        goals.create_goal(by=world.facilitator, partnership=world.own, title={"en": "X"})


def test_it_labels_each_field_in_the_readers_language(world: World) -> None:
    with translation.override("es"):
        assert language_name("es") == "español" and language_name("fr") == "francés"
        html = (
            as_reader(world.facilitator, "es")
            .get(f"/p/{world.own.slug}/consultations/new/")
            .content.decode()
        )
        assert "Título (español)" in html and "Título (inglés)" in html
    with translation.override("en"):
        assert language_name("es") == "Spanish"


def test_it_gives_a_text_field_to_a_working_language_the_pages_do_not_speak(world: World) -> None:
    # French is not (yet) a language of the pages, but a partnership may work in it.
    p = partnership_services.create_partnership(
        creator=world.facilitator,
        name="Partenariat (test)",
        country="CD",
        locality_name="Commune inventée",
        languages=["fr", "es"],
    )
    assert working_languages(p) == ["fr", "es"]
    client = as_reader(world.facilitator, "es")
    html = client.get(f"/p/{p.slug}/consultations/new/").content.decode()
    assert 'name="title_fr"' in html and 'name="title_es"' in html and "title_en" not in html
    post_ok(
        client,
        f"/p/{p.slug}/consultations/new/",
        {"title_fr": "Eau et sécurité", "title_es": "Agua y seguridad", "mode": "anonymous"},
    )
    q = Questionnaire.objects.get(partnership=p)
    assert q.title == {"fr": "Eau et sécurité", "es": "Agua y seguridad"}
    # A reader in Spanish reads Spanish; in English, the first working language.
    detail = f"/p/{p.slug}/consultations/{q.public_id}/"
    assert "Agua y seguridad" in client.get(detail).content.decode()
    assert "Eau et sécurité" in as_reader(world.facilitator, "en").get(detail).content.decode()


def test_it_opens_the_questionnaire_in_the_first_working_language(world: World) -> None:
    p = spanish_only(world)
    q = services.create_questionnaire(by=world.facilitator, partnership=p, title={"es": "Agua"})
    q = Questionnaire.objects.select_related("partnership").get(pk=q.pk)
    # A browser in English, a questionnaire written in Spanish only: Spanish.
    assert webform.respondent_language(q, None, "en") == "es"
    assert webform.respondent_language(q, "en", "en") == "es"
    both = services.create_questionnaire(
        by=world.facilitator, partnership=world.own, title={"es": "Agua", "en": "Water"}
    )
    q2 = Questionnaire.objects.select_related("partnership").get(pk=both.pk)
    assert webform.respondent_language(q2, None, "en") == "en"
    assert webform.respondent_language(q2, None, "de") == "es"


def test_it_opens_the_demos_spanish_questionnaire_in_spanish(world: World) -> None:
    from consultations.demo import TITLE, extend_demo

    for i in range(3):
        Threat.objects.create(partnership=world.own, title=f"Amenaza de prueba {i}")
    extend_demo(world.own, {"facilitadora": world.facilitator})
    q = Questionnaire.objects.get(partnership=world.own)
    client = as_reader(world.facilitator, "es")
    base = reverse("consultations:detail", args=[world.own.slug, q.public_id])
    detail = client.get(base).content.decode()
    assert TITLE["es"] in detail and TITLE["en"] not in detail
    assert q.introduction["es"] in detail and q.introduction["en"] not in detail
    preview = client.get(base + "preview/").content.decode()
    assert "¿De dónde viene el agua de su casa?" in preview
    assert "Where does your household" not in preview
