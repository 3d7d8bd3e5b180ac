"""Authoring built for people (issue 10, 3.2): nobody types a question's key
or an option's code; options are rows to add, edit, remove and reorder,
without JavaScript; keys and codes stay put once made, so questionnaires
built before — with their own keys and codes — still edit and analyse."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from consultations import analysis, services
from consultations.models import Channel, Question, Questionnaire
from tests.conftest import World


def base(world: World, q: Questionnaire | None = None) -> str:
    url = f"/p/{world.own.slug}/consultations/"
    return f"{url}{q.public_id}/" if q is not None else url


def new_questionnaire(world: World) -> Questionnaire:
    return services.create_questionnaire(
        by=world.facilitator, partnership=world.own, title={"es": "Agua", "en": "Water"}
    )


def rows(*labels: tuple[str, str], codes: tuple[str, ...] = ()) -> dict[str, str]:
    """Option rows as the page posts them: (Spanish, English) labels."""
    data = {"option-count": str(len(labels))}
    for i, (es, en) in enumerate(labels):
        data[f"option-{i}-label_es"] = es
        data[f"option-{i}-label_en"] = en
        if i < len(codes):
            data[f"option-{i}-code"] = codes[i]
    return data


def water_question(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "single_choice",
        "text_es": "¿De dónde viene el agua de su casa?",
        "text_en": "Where does your water come from?",
        **rows(("Acueducto", "Aqueduct"), ("Río o quebrada", "River"), ("", "")),
        **extra,
    }


def current(q: Questionnaire) -> list[Question]:
    q.refresh_from_db()
    return list(Question.objects.filter(version=q.current_version).order_by("position"))


def test_it_asks_the_kind_first_and_then_only_what_that_kind_needs(world: World) -> None:
    q = new_questionnaire(world)
    client = world.client_for("facilitator")
    chooser = client.get(base(world, q) + "questions/new/").content.decode()
    assert "?kind=single_choice" in chooser and "?kind=threat_rating" in chooser
    choice = client.get(base(world, q) + "questions/new/?kind=single_choice").content.decode()
    assert 'name="key"' not in choice and 'name="options"' not in choice
    assert 'name="option-0-label_es"' in choice and 'value="add"' in choice
    assert 'name="minimum"' not in choice and 'name="max_length"' not in choice
    scale = client.get(base(world, q) + "questions/new/?kind=scale").content.decode()
    assert 'name="minimum"' in scale and 'name="low_es"' in scale and "option-0" not in scale
    text = client.get(base(world, q) + "questions/new/?kind=free_text").content.decode()
    assert 'name="max_length"' in text and 'name="minimum"' not in text


def test_it_makes_keys_and_codes_from_the_first_working_language(world: World) -> None:
    q = new_questionnaire(world)
    client = world.client_for("facilitator")
    for _ in range(2):
        response = client.post(base(world, q) + "questions/new/", water_question(required="on"))
        assert response.status_code == 302
    first, second = current(q)
    assert first.key == "de_donde_viene_el_agua_de_su_casa"
    assert second.key == "de_donde_viene_el_agua_de_su_casa_2"  # unique, never typed
    assert first.options == [
        {"code": "acueducto", "label": {"es": "Acueducto", "en": "Aqueduct"}},
        {"code": "rio_o_quebrada", "label": {"es": "Río o quebrada", "en": "River"}},
    ]
    # A long text makes a short key, cut at a word.
    long = services.add_question(
        by=world.facilitator,
        questionnaire=q,
        kind="free_text",
        text={"es": "¿Qué le gustaría que la alianza hiciera primero en su vereda y por qué?"},
    )
    assert len(long.key) <= 40 and not long.key.endswith("_")
    assert long.key.startswith("que_le_gustaria_que_la_alianza")


def test_it_adds_removes_and_moves_rows_without_javascript_and_keeps_what_was_typed(
    world: World,
) -> None:
    q = new_questionnaire(world)
    client = world.client_for("facilitator")
    url = base(world, q) + "questions/new/"
    data = {
        "kind": "ranking",
        "text_es": "Ordene las prioridades",
        **rows(("Vías", "Roads"), ("Salud", "Health"), ("Empleo", "Jobs")),
    }
    # Add more rows: the page comes back with more empty rows and everything typed.
    page = client.post(url, {**data, "row_action": "add"})
    html = page.content.decode()
    assert page.status_code == 200 and not Question.objects.exists()
    assert 'value="Ordene las prioridades"' not in html  # a textarea: typed text as content
    assert "Ordene las prioridades" in html and 'value="Empleo"' in html
    assert 'name="option-5-label_es"' in html and "nothing is saved yet" in html
    # Move the third row up, then remove the first: still nothing saved.
    html = client.post(url, {**data, "row_action": "up-2"}).content.decode()
    assert re.search(r'name="option-1-label_es" value="Empleo"', html)
    assert re.search(r'name="option-2-label_es" value="Salud"', html)
    moved = {**data, "option-1-label_es": "Empleo", "option-1-label_en": "Jobs"}
    moved.update({"option-2-label_es": "Salud", "option-2-label_en": "Health"})
    html = client.post(url, {**moved, "row_action": "remove-0"}).content.decode()
    assert 'value="Vías"' not in html and re.search(
        r'name="option-0-label_es" value="Empleo"', html
    )
    assert not Question.objects.exists()
    # Save: the rows' order is the options' order.
    assert client.post(url, moved).status_code == 302
    (question,) = current(q)
    assert [o["code"] for o in question.options] == ["vias", "empleo", "salud"]


def test_it_shows_an_options_problem_beside_the_options_and_loses_nothing(world: World) -> None:
    q = new_questionnaire(world)
    client = world.client_for("facilitator")
    data = water_question()
    data.update({"option-1-label_es": "", "option-1-label_en": "River"})  # no Spanish label
    page = client.post(base(world, q) + "questions/new/", data)
    html = page.content.decode()
    assert page.status_code == 200 and not Question.objects.exists()
    assert "Give every option a label in Spanish." in html
    assert 'value="River"' in html and 'value="Acueducto"' in html
    one = {"kind": "single_choice", "text_es": "¿Sí?", **rows(("Sí", ""))}
    html = client.post(base(world, q) + "questions/new/", one).content.decode()
    assert "Give at least two options." in html


def test_it_keeps_keys_and_codes_when_texts_change_and_across_versions(world: World) -> None:
    q = new_questionnaire(world)
    client = world.client_for("facilitator")
    client.post(base(world, q) + "questions/new/", water_question())
    (question,) = current(q)
    key = question.key
    edit = base(world, q) + f"questions/{key}/"
    page = client.get(edit).content.decode()
    assert 'name="option-0-code" value="acueducto"' in page
    # New wording, a renamed option and a new one: the key and the old codes stay.
    changed = {
        "kind": "single_choice",
        "text_es": "¿Cuál es la fuente principal de agua?",
        **rows(
            ("Acueducto veredal", "Rural aqueduct"),
            ("Río o quebrada", "River or stream"),
            ("Agua lluvia", "Rainwater"),
            codes=("acueducto", "rio_o_quebrada"),
        ),
    }
    assert client.post(edit, changed).status_code == 302
    (question,) = current(q)
    assert question.key == key
    assert [o["code"] for o in question.options] == ["acueducto", "rio_o_quebrada", "agua_lluvia"]
    # Once answered, an edit makes a new version: same key, same codes.
    services.set_status(by=world.facilitator, questionnaire=q, status="open")
    services.record_response(
        questionnaire=q,
        channel=Channel.WEB,
        idempotency_key="one",
        answers={key: "acueducto"},
        attributes={},
        consented=True,
    )
    changed["text_es"] = "¿De dónde sale el agua que usa?"
    assert client.post(edit, changed).status_code == 302
    (question,) = current(q)
    assert q.current_version.number == 2 and question.key == key
    assert [o["code"] for o in question.options] == ["acueducto", "rio_o_quebrada", "agua_lluvia"]


def test_it_never_gives_a_new_question_the_key_of_a_removed_one(world: World) -> None:
    q = new_questionnaire(world)
    client = world.client_for("facilitator")
    client.post(base(world, q) + "questions/new/", water_question())
    (question,) = current(q)
    services.set_status(by=world.facilitator, questionnaire=q, status="open")
    services.record_response(
        questionnaire=q,
        channel=Channel.WEB,
        idempotency_key="one",
        answers={question.key: "acueducto"},
        attributes={},
        consented=True,
    )
    delete = base(world, q) + f"questions/{question.key}/delete/"
    assert client.post(delete).status_code == 302
    assert current(q) == []
    # The same wording again is another question: its answers must not add up
    # with the removed one's.
    client.post(base(world, q) + "questions/new/", water_question())
    (again,) = current(q)
    assert again.key == question.key + "_2"


def test_it_asks_before_removing_a_question(world: World) -> None:
    q = new_questionnaire(world)
    client = world.client_for("facilitator")
    client.post(base(world, q) + "questions/new/", water_question())
    (question,) = current(q)
    delete = base(world, q) + f"questions/{question.key}/delete/"
    detail = client.get(base(world, q)).content.decode()
    assert f'<a class="button danger" href="{delete}">' in detail
    page = client.get(delete)
    assert page.status_code == 200 and "Remove the question" in page.content.decode()
    assert len(current(q)) == 1  # a GET deletes nothing
    for persona, status in (("company_rep", 403), ("participant", 403), ("observer", 403)):
        assert world.client_for(persona).post(delete).status_code == status
        assert world.client_for(persona).get(delete).status_code == status
    assert Client().get(delete).status_code == 302  # to the login page
    assert world.client_for("foreign_facilitator").get(delete).status_code == 404
    assert client.post(delete).status_code == 302 and current(q) == []


@pytest.mark.parametrize("persona", ["company_rep", "participant", "observer"])
def test_it_lets_only_facilitators_use_the_builder(world: World, persona: str) -> None:
    q = new_questionnaire(world)
    client = world.client_for(persona)
    assert client.get(base(world, q) + "questions/new/?kind=scale").status_code == 403
    assert client.post(base(world, q) + "questions/new/", water_question()).status_code == 403
    assert not Question.objects.exists()


def test_it_still_edits_and_analyses_a_questionnaire_with_old_keys_and_codes(
    world: World,
) -> None:
    # Built before keys were made: typed keys, typed codes, the old text format.
    q = new_questionnaire(world)
    services.add_question(
        by=world.facilitator,
        questionnaire=q,
        key="water_access",
        kind="single_choice",
        text={"es": "¿Acceso al agua?", "en": "Water access?"},
        options="pipe | Piped | Tubería\nriver-2 | River | Río",
    )
    services.set_status(by=world.facilitator, questionnaire=q, status="open")
    for i in range(6):
        services.record_response(
            questionnaire=q,
            channel=Channel.WEB,
            idempotency_key=f"old-{i}",
            answers={"water_access": "pipe" if i < 5 else "river-2"},
            attributes={"gender": "woman"},
            consented=True,
        )
    client = world.client_for("facilitator")
    edit = base(world, q) + "questions/water_access/"
    html = client.get(edit).content.decode()
    assert 'name="option-1-code" value="river-2"' in html and 'value="Tubería"' in html
    data = {
        "kind": "single_choice",
        "text_es": "¿Cómo accede al agua?",
        **rows(("Tubería", "Piped"), ("Río", "River"), codes=("pipe", "river-2")),
    }
    assert client.post(edit, data).status_code == 302
    (question,) = current(q)
    assert question.key == "water_access"
    assert [o["code"] for o in question.options] == ["pipe", "river-2"]
    analysis.refresh_aggregates(q.pk)
    page = client.get(base(world, q) + "results/q/water_access/").content.decode()
    assert "¿Cómo accede al agua?" in page or "Water access?" in page
    assert "Tubería" in page or "Piped" in page
