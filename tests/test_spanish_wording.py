"""Spanish that Spanish can say (issue 10, point 2, after the native review).

A count takes the form its number asks for, at 1, 2 and 1,000,000 ("1 actor
valorado", "2 actores valorados", "1 000 000 de personas"), never a noun glued
to a number in a plain string; the small-number threshold is read from the
setting, never written as 5; and one English word that means two things in
Spanish is two catalogue entries, each shown on its own page: an invitation is
"Revocada" and a token "Revocado", a questionnaire "Cerrado" and a conversation
"Cerrada", the answer link says "Responder" and the answer column "Respuesta"."""

from __future__ import annotations

import html
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import ApiToken, User
from commonground import services as commonground_services
from commonground.models import ConversationStatus
from consultations import services as consultations_services
from consultations.models import Mode, QuestionKind, QuestionnaireStatus
from goals import services as goals_services
from partnerships import services
from partnerships.kinds import kind_label
from partnerships.models import Invitation, PartnershipStatus, PartnerType, Role
from partnerships.templatetags.partnerships_tags import people
from stakeholders import hooks as stakeholder_hooks
from stakeholders import services as stakeholder_services
from stakeholders.models import Actor
from tests import consultations_factories as make
from tests.conftest import World
from tests.sample_data import SDG
from tests.test_commonground_polis import small_export


def spanish(world: World, persona: str) -> Client:
    """A persona's client whose account reads Spanish."""
    user: User = getattr(world, persona)
    user.language = "es"
    user.save(update_fields=["language"])
    return world.client_for(persona)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def content(text: str) -> str:
    """The page's own content, without the header (which names the reader's role)."""
    return text.split("<main", 1)[1]


def actor(world: World, name: str) -> Actor:
    return stakeholder_services.create_actor(
        by=world.facilitator, partnership=world.own, name=name, kind="organisation"
    )


# -- counts agree with their nouns ----------------------------------------------------


def test_it_agrees_the_step_check_of_assessed_actors_with_its_count(world: World) -> None:
    details = []
    for name in ("Junta inventada", "Cooperativa inventada"):
        actor(world, name)
        with translation.override("es"):
            checks = stakeholder_hooks.involvement_checks(world.own)
            details.append([str(check.detail) for check in checks[:2]])
    assert details == [
        ["1 actor", "0 de 1 actor valorado"],
        ["2 actores", "0 de 2 actores valorados"],
    ]


@pytest.mark.parametrize(
    ("threshold", "group", "hidden"),
    [
        (1, "un grupo de menos de 1 persona.", "oculto: menos de 1 persona, o permitiría"),
        (2, "un grupo de menos de 2 personas.", "oculto: menos de 2 personas, o permitiría"),
        (
            1_000_000,
            "un grupo de menos de 1000000 de personas.",
            "oculto: menos de 1000000 de personas, o permitiría",
        ),
    ],
)
def test_it_reads_the_small_number_threshold_from_the_setting_and_agrees_with_it(
    monkeypatch: pytest.MonkeyPatch, threshold: int, group: str, hidden: str
) -> None:
    # The threshold is a setting (HSBP_MIN_CELL), read when the module loads.
    monkeypatch.setattr("partnerships.suppression.MIN_CELL", threshold)
    with translation.override("es"):
        results_place = html.unescape(render_to_string("consultations/_results_place.html", {}))
        hidden_count = html.unescape(str(people(None)))
    assert group in results_place
    assert hidden in hidden_count


@pytest.mark.parametrize(
    ("template", "sentence"),
    [
        ("consultations/_results_place.html", "un grupo de menos de 5 personas"),
        ("consultations/_portal_results.html", "una cifra menor que 5"),
        ("consultations/_analysis_fresh.html", "grupos de menos de 5 personas encuestadas"),
    ],
)
def test_it_writes_the_threshold_from_the_setting_on_every_page_that_names_it(
    template: str, sentence: str
) -> None:
    context: dict[str, Any] = {"results": {"questionnaires": [{"title": "Q", "responses": 9}]}}
    with translation.override("es"):
        text = html.unescape(render_to_string(template, context))
    assert sentence in text


def test_it_agrees_every_count_of_the_network_picture_in_spanish(world: World) -> None:
    north, south, _alone = (actor(world, n) for n in ("Norte", "Sur", "Solo"))
    stakeholder_services.relate(
        by=world.facilitator,
        partnership=world.own,
        source=north,
        target=south,
        relation_type="works_with",
    )
    text = page(spanish(world, "observer"), reverse("stakeholders:network", args=[world.own.slug]))
    alt = re.search(r'alt="(Imagen de la red de relaciones: [^"]*)"', text)
    assert alt is not None
    # The old msgid counted the actors only: "1 relaciones, en 1 agrupamientos".
    assert alt.group(1).startswith(
        "Imagen de la red de relaciones: 3 actores y 1 relación, en 1 agrupamiento; cada punto"
    )


def test_it_counts_each_number_of_the_polis_command_in_spanish(tmp_path: Path) -> None:
    out = StringIO()
    target = tmp_path / "out.json"
    with translation.override("es"):
        call_command(
            "commonground", str(small_export(tmp_path)), "--output", str(target), stdout=out
        )
    said = out.getvalue()
    assert re.search(r"^2 grupos entre \d+ participantes\.$", said, re.MULTILINE), said


def test_it_counts_each_number_of_the_sdg_import_in_spanish(db: None) -> None:
    out = StringIO()
    with translation.override("es"):
        call_command("import_sdg", str(SDG), stdout=out)
    assert (
        "17 objetivos, 169 metas, 247 indicadores vigentes (231 distintos; 16 repiten uno de "
        "otra meta) y 5 códigos de indicador retirados, en en, es." in out.getvalue()
    )
    assert "421 registros creados y 17 actualizados." in out.getvalue()


# -- one English word, two meanings: two entries ----------------------------------------


def test_it_says_revocada_of_an_invitation_and_revocado_of_a_token(world: World) -> None:
    invitation = services.invite(
        actor=world.facilitator,
        partnership=world.own,
        email="invited@example.test",
        role=Role.OBSERVER,
    )
    services.revoke_invitation(actor=world.facilitator, invitation=invitation)
    assert Invitation.objects.get(pk=invitation.pk).state == Invitation.State.REVOKED
    members = page(spanish(world, "facilitator"), f"/p/{world.own.slug}/members/")
    assert "<td>Revocada</td>" in members

    token, _raw = ApiToken.issue(user=world.observer, name="Hoja de cálculo")
    token.revoke()
    tokens = page(spanish(world, "observer"), "/account/tokens/")
    assert "<td>Revocado</td>" in tokens and "Revocada" not in tokens


def test_it_names_the_facilitating_partner_type_apart_from_the_facilitator_role(
    world: World,
) -> None:
    services.add_partner(
        actor=world.facilitator,
        partnership=world.own,
        name="Universidad inventada",
        partner_type=PartnerType.FACILITATOR,
    )
    client = spanish(world, "facilitator")
    partners = content(page(client, f"/p/{world.own.slug}/partners/"))
    assert "Entidad facilitadora" in partners and "Facilitador(a)" not in partners
    members = content(page(client, f"/p/{world.own.slug}/members/"))
    assert "Facilitador(a)" in members and "Entidad facilitadora" not in members


def test_it_agrees_closed_and_anonymous_with_a_partnership_questionnaire_and_conversation(
    world: World,
) -> None:
    q = make.questionnaire(world.own, mode=Mode.ANONYMOUS)
    consultations_services.set_status(
        by=world.facilitator, questionnaire=q, status=QuestionnaireStatus.CLOSED
    )
    conversation = commonground_services.create_conversation(
        by=world.facilitator, partnership=world.own, title={"es": "Vías", "en": "Roads"}
    )
    commonground_services.set_status(
        by=world.facilitator, conversation=conversation, status=ConversationStatus.CLOSED
    )
    client = spanish(world, "facilitator")
    slug = world.own.slug

    questionnaires = page(client, f"/p/{slug}/consultations/")
    assert "<td>Anónimo</td><td>Cerrado</td>" in questionnaires
    conversations = page(client, reverse("commonground:list", args=[slug]))
    assert "<td>Cerrada</td>" in conversations
    detail = page(client, reverse("commonground:detail", args=[slug, conversation.public_id]))
    assert "Cerrada · Anónima ·" in detail

    services.update_partnership(
        actor=world.facilitator, partnership=world.own, status=PartnershipStatus.CLOSED
    )
    overview = page(client, f"/p/{slug}/")
    assert re.search(r"<dt>Estado</dt>\s*<dd>Cerrada</dd>", overview)


def test_it_links_to_answer_with_a_verb_and_heads_the_answers_with_a_noun(world: World) -> None:
    q = make.questionnaire(world.own, mode=Mode.IDENTIFIED)
    water = make.question(q, "water_source", QuestionKind.SINGLE_CHOICE)
    response = make.respond(q, {water: "water"}, member=world.member(world.participant))
    slug = world.own.slug

    participant = spanish(world, "participant")
    detail = page(participant, reverse("consultations:detail", args=[slug, q.public_id]))
    answer_url = reverse("consultations:answer", args=[slug, q.public_id])
    assert f'<a href="{answer_url}">Responder</a>' in detail
    listing = page(participant, f"/p/{slug}/consultations/")
    assert "<td>Identificado</td>" in listing and '">Responder</a>' in listing

    facilitator = spanish(world, "facilitator")
    one = page(
        facilitator,
        reverse("consultations:response", args=[slug, q.public_id, response.public_id]),
    )
    assert '<th scope="col">Respuesta</th>' in one and "Responder" not in one.split("<table")[1]


def test_it_links_to_vote_with_a_verb_and_names_a_vote_with_a_noun(world: World) -> None:
    conversation = commonground_services.create_conversation(
        by=world.facilitator, partnership=world.own, title={"es": "Vías", "en": "Roads"}
    )
    commonground_services.add_statement(
        conversation=conversation,
        text={"es": "Las vías veredales necesitan arreglo.", "en": "Rural roads need repair."},
        seed=True,
        actor=world.facilitator,
    )
    commonground_services.set_status(
        by=world.facilitator, conversation=conversation, status=ConversationStatus.OPEN
    )
    slug = world.own.slug
    detail = page(
        spanish(world, "participant"),
        reverse("commonground:detail", args=[slug, conversation.public_id]),
    )
    assert ">Votar</a>" in detail
    # The permission table's kind (a vote is a thing, never an order).
    with translation.override("es"):
        assert kind_label("vote") == "Voto"


def test_it_heads_the_record_s_item_column_apart_from_the_record_page(world: World) -> None:
    record = page(spanish(world, "facilitator"), f"/p/{world.own.slug}/record/")
    assert "<title>Historial" in record
    headers = re.findall(r'<th scope="col">([^<]*)</th>', record)
    assert headers == ["Cuándo", "Quién", "Acción", "Elemento", "Cambios"]
    assert ">Tipo de elemento</label>" in record
    # The record's dates run from and to; a relation runs from one actor to another.
    assert ">Desde</label>" in record and ">Hasta</label>" in record
    actions = record.split('name="action"')[1].split("</select>")[0]
    assert re.search(r'<option value=""[^>]*>Todas</option>', actions)


def test_it_names_a_relation_s_ends_apart_from_a_date_range(world: World) -> None:
    north, south = actor(world, "Norte"), actor(world, "Sur")
    stakeholder_services.relate(
        by=world.facilitator,
        partnership=world.own,
        source=north,
        target=south,
        relation_type="works_with",
    )
    network = page(
        spanish(world, "observer"), reverse("stakeholders:network", args=[world.own.slug])
    )
    assert (
        '<th scope="col">Origen</th><th scope="col">Relación</th><th scope="col">Destino</th>'
        in (network)
    )
    assert "Desde" not in network and "Hasta" not in network
    # The picture's counts are named apart from the page's own list of relations.
    assert "<tr><td>Norte</td><td>trabaja con</td><td>Sur</td>" in network


def test_it_agrees_every_with_the_filter_s_noun(world: World) -> None:
    client = spanish(world, "facilitator")
    threats = page(client, f"/p/{world.own.slug}/baseline/threats/")

    def first_option(text: str, name: str) -> str:
        select = text.split(f'name="{name}"')[1].split("</select>")[0]
        found = re.search(r"<option[^>]*>([^<]*)</option>", select)
        assert found is not None
        return found.group(1)

    assert first_option(threats, "dimension") == "Todas"  # la dimensión
    assert first_option(threats, "nature") == "Todas"  # la naturaleza
    assert first_option(threats, "group") == "Todos"  # el grupo
    register = page(client, f"/p/{world.own.slug}/map/")
    assert first_option(register, "kind") == "Todos"  # el tipo de actor


def test_it_offers_positions_as_nouns_and_records_them_with_a_verb(world: World) -> None:
    goal = goals_services.create_goal(
        by=world.facilitator, partnership=world.own, title={"es": "Vías seguras", "en": "Roads"}
    )
    goals_services.open_endorsement(by=world.facilitator, goal=goal)
    text = page(
        spanish(world, "company_rep"),
        reverse("goals:detail", kwargs={"slug": world.own.slug, "goal_id": goal.public_id}),
    )
    labels = re.findall(r'<label for="id_position_\d">\s*<input[^>]*>\s*([^<]*?)\s*</label>', text)
    assert labels == ["Respaldo", "Respaldo con reservas", "Objeción"]
    assert '<button type="submit">Registrar esta posición</button>' in text


def test_it_leaves_no_user_facing_five_in_the_threshold_s_sentences() -> None:
    # The threshold may change (HSBP_MIN_CELL): no template writes it by hand.
    templates = Path(__file__).resolve().parent.parent / "templates"
    written = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if re.search(r"\b(5|five) (people|respondents?)\b|under five", path.read_text())
    ]
    assert written == []


def test_it_keeps_a_member_named_facilitator_apart_from_a_facilitating_partner() -> None:
    with translation.override("es"):
        assert str(Role.FACILITATOR.label) == "Facilitador(a)"
        assert str(PartnerType.FACILITATOR.label) == "Entidad facilitadora"
        assert str(PartnershipStatus.CLOSED.label) == "Cerrada"
        assert str(QuestionnaireStatus.CLOSED.label) == "Cerrado"
        assert str(ConversationStatus.CLOSED.label) == "Cerrada"
