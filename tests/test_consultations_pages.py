"""The consultations room in the browser: the builder, the web form (members
and the public link), facilitated sessions, the profile and the raw view."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations import services
from consultations.models import Channel, Mode, Question, Questionnaire, RespondentProfile, Response
from consultations.views import public_link_token
from partnerships.models import Step
from partnerships.stepper import build
from stakeholders.models import Segment
from tests.conftest import World
from tests.test_consultations_services import GOOD, _english_first  # noqa: F401 (autouse)
from tests.test_consultations_services import build as build_questionnaire


def base(world: World) -> str:
    return f"/p/{world.own.slug}/consultations/"


def qurl(world: World, q: Questionnaire, rest: str = "") -> str:
    return f"{base(world)}{q.public_id}/{rest}"


def form_data(key: str = "form-key-1", **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": key,
        "q-water": "river",
        "q-worries": ["roads", "violence"],
        "q-safety": "4",
        "q-people": "5",
        "q-story": "We walk two hours.",
        "q-priorities-clinic": "1",
        "q-priorities-school": "2",
        "q-threats-t1": "4",
        "q-threats-t2": "2",
        "a-gender": "woman",
        "a-age_band": "30_44",
        "a-segment": "youth",
        "consent": "yes",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- Builder --------------------------------------------------------------------------


def test_it_warns_that_editing_after_responses_makes_a_new_version(world: World) -> None:
    q = build_questionnaire(world)
    services.record_response(
        questionnaire=q,
        channel=Channel.WEB,
        idempotency_key="x",
        answers=GOOD,
        attributes={},
        consented=True,
    )
    client = world.client_for("facilitator")
    assert (
        "creates a new version" in client.get(qurl(world, q, "questions/water/")).content.decode()
    )
    data = {
        "text_en": "Water source?",
        "option-count": "3",
        "option-0-code": "river",
        "option-0-label_en": "River",
        "option-1-label_en": "Rain",
    }
    assert client.post(qurl(world, q, "questions/water/"), data).status_code == 302
    q.refresh_from_db()
    assert q.current_version.number == 2
    assert "Version 2" in client.get(qurl(world, q)).content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("company_rep", 403), ("participant", 403), ("observer", 403), ("outsider", 404)],
)
def test_it_lets_only_facilitators_build(world: World, persona: str, status: int) -> None:
    q = build_questionnaire(world)
    client = world.client_for(persona)
    assert (
        client.post(base(world) + "new/", {"title_en": "x", "mode": "anonymous"}).status_code
        == status
    )
    assert client.post(qurl(world, q, "questions/water/delete/")).status_code == status
    assert Question.objects.filter(version=q.current_version, key="water").exists()


def test_it_hides_another_partnerships_questionnaire(world: World) -> None:
    foreign = services.create_questionnaire(
        by=world.foreign_facilitator, partnership=world.foreign, title={"es": "El suyo"}
    )
    client = world.client_for("facilitator")
    for rest in ("", "edit/", "answer/", "preview/", "responses/"):
        assert client.get(qurl(world, foreign, rest)).status_code == 404


# --- The web form -----------------------------------------------------------------------


def _big_questionnaire(world: World) -> Questionnaire:
    """The demo's shape: 12 questions and a rating grid of 25 threats."""
    q = build_questionnaire(world, consent="I agree to take part; my answers are anonymous.")
    grid = Question.objects.get(version=q.current_version, key="threats")
    grid.options = [
        {
            "code": f"t{i}",
            "label": {"en": f"Threat number {i} with a longer title", "es": f"Amenaza {i}"},
        }
        for i in range(1, 26)
    ]
    grid.save()
    for i in range(5):
        services.add_question(
            by=world.facilitator,
            questionnaire=q,
            key=f"extra_{i}",
            kind="single_choice",
            text={"en": f"Extra question {i} about everyday life?", "es": f"Pregunta {i}"},
            options="\n".join(f"o{j} | Option {j} | Opción {j}" for j in range(6)),
        )
    return q


def test_it_serves_the_form_in_under_50_kb(world: World) -> None:
    q = _big_questionnaire(world)
    client = world.client_for("participant")
    page = client.get(qurl(world, q, "answer/"))
    assert page.status_code == 200
    assert len(page.content) <= 50 * 1024, len(page.content)
    assert b"<script" not in page.content
    public = Client().get(f"/consult/{public_link_token(q)}/")
    assert public.status_code == 200 and len(public.content) <= 50 * 1024
    with_errors = client.post(qurl(world, q, "answer/"), {"key": "k"})
    assert len(with_errors.content) <= 50 * 1024


def test_it_records_a_member_answer_once_even_if_sent_twice(world: World) -> None:
    q = build_questionnaire(world)
    client = world.client_for("participant")
    page = client.get(qurl(world, q, "answer/")).content.decode()
    assert 'name="key"' in page and "Main water source?" in page
    first = client.post(qurl(world, q, "answer/"), form_data())
    assert first.status_code == 302 and "/thanks/" in first["Location"]
    second = client.post(qurl(world, q, "answer/"), form_data())
    assert second.status_code == 302
    response = Response.objects.get(questionnaire=q)
    assert response.member is None  # anonymous questionnaire
    assert (response.gender, response.age_band, response.channel) == ("woman", "30_44", "web")
    assert response.segment == Segment.objects.get(partnership=world.own, code="youth")
    assert client.get(first["Location"]).status_code == 200


def test_it_shows_problems_beside_the_questions_and_keeps_what_was_typed(world: World) -> None:
    q = build_questionnaire(world)
    client = world.client_for("participant")
    page = client.post(
        qurl(world, q, "answer/"),
        form_data(**{"q-water": None, "q-safety": "9", "q-story": "<b>typed</b>"}),
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "an answer is required" in html and "give a value from 1 to 5" in html
    assert "&lt;b&gt;typed&lt;/b&gt;" in html and "<b>typed</b>" not in html
    assert 'value="form-key-1"' in html  # the same key: a corrected resubmission records once
    assert 'value="roads" checked' in html
    assert not Response.objects.exists()


def test_it_speaks_the_respondents_language(world: World) -> None:
    q = build_questionnaire(world)
    html = (
        world.client_for("participant").get(qurl(world, q, "answer/") + "?lang=es").content.decode()
    )
    assert "¿Fuente de agua?" in html and "Río" in html
    assert "Main water source?" not in html and 'lang="es"' in html


def test_it_prefills_the_attributes_from_the_members_profile(world: World) -> None:
    q = build_questionnaire(world)
    client = world.client_for("participant")
    response = client.post(
        base(world) + "my-details/",
        {"gender": "prefer_not_to_say", "age_band": "60_plus", "segment": "women"},
    )
    assert response.status_code == 302
    profile = RespondentProfile.objects.get(member=world.member(world.participant))
    assert profile.gender == "prefer_not_to_say"
    html = client.get(qurl(world, q, "answer/")).content.decode()
    assert 'value="prefer_not_to_say" selected' in html and 'value="women" selected' in html
    page = client.get(base(world) + "my-details/").content.decode()
    assert "never carry your name" in page


def test_it_lets_observers_not_answer(world: World) -> None:
    q = build_questionnaire(world)
    assert (
        world.client_for("observer").post(qurl(world, q, "answer/"), form_data()).status_code == 403
    )
    assert not Response.objects.exists()


def test_it_takes_anonymous_answers_through_the_public_link_only_while_open(world: World) -> None:
    q = build_questionnaire(world)
    url = f"/consult/{public_link_token(q)}/"
    stranger = Client()
    response = stranger.post(url, form_data())
    assert response.status_code == 302
    recorded = Response.objects.get(questionnaire=q)
    assert recorded.member is None and recorded.channel == Channel.WEB
    assert stranger.get(response["Location"]).status_code == 200
    assert stranger.get(url[:-5] + "xxxx/").status_code == 404
    services.set_status(by=world.facilitator, questionnaire=q, status="closed")
    assert stranger.get(url).status_code == 404
    identified = build_questionnaire(world, mode=Mode.IDENTIFIED)
    assert stranger.get(f"/consult/{public_link_token(identified)}/").status_code == 404


# --- Raw view ------------------------------------------------------------------------------


def test_it_shows_identified_responses_to_facilitators_with_free_text_inert(world: World) -> None:
    q = build_questionnaire(world, mode=Mode.IDENTIFIED)
    client = world.client_for("company_rep")
    client.post(qurl(world, q, "answer/"), form_data(**{"q-story": "<script>alert('x')</script>"}))
    response = Response.objects.get(questionnaire=q)
    assert response.member == world.member(world.company_rep)
    assert response.partner_type == "company"
    fac = world.client_for("facilitator")
    listing = fac.get(qurl(world, q, "responses/")).content.decode()
    assert "Company persona" in listing
    detail = fac.get(qurl(world, q, f"responses/{response.public_id}/")).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in detail
    assert "<script>alert" not in detail
    assert world.client_for("company_rep").get(qurl(world, q, "responses/")).status_code == 403


def test_it_has_no_per_response_view_of_an_anonymous_questionnaire(world: World) -> None:
    q = build_questionnaire(world)
    response = services.record_response(
        questionnaire=q,
        channel=Channel.WEB,
        idempotency_key="a",
        answers=GOOD,
        attributes={},
        consented=True,
    )
    fac = world.client_for("facilitator")
    assert fac.get(qurl(world, q, "responses/")).status_code == 404
    assert fac.get(qurl(world, q, f"responses/{response.public_id}/")).status_code == 404


@pytest.mark.parametrize("extra", [0, 25])
def test_it_lists_in_a_constant_number_of_queries(world: World, extra: int) -> None:
    q = build_questionnaire(world, mode=Mode.IDENTIFIED)
    for i in range(extra):
        services.create_questionnaire(
            by=world.facilitator, partnership=world.own, title={"en": f"Q{i}"}
        )
        services.record_response(
            questionnaire=q,
            channel=Channel.API,
            idempotency_key=f"r{i}",
            answers=GOOD,
            attributes={"segment": "youth"},
            member=world.member(world.participant),
            consented=True,
        )
    client = world.client_for("facilitator")
    counts = []
    for url in (base(world), qurl(world, q, "responses/")):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] <= 9 and counts[1] <= 10, counts


# --- Facilitated sessions ------------------------------------------------------------------


SHEET = """gender,age_band,segment,locality,water,worries,safety,people,story,priorities,threats
woman,18_29,youth,,river,roads;prices,3,4,ok,road;school;clinic,t1=5;t2=1
man,30_44,women,,tap,,5,2,,clinic,t1=2
"""


def _session(world: World, q: Questionnaire) -> str:
    client = world.client_for("facilitator")
    response = client.post(
        qurl(world, q, "sessions/new/"),
        {
            "held_on": "2026-01-10",
            "place": "Vereda school",
            "total": "30",
            "attendance_woman": "18",
            "attendance_man": "12",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    return str(response["Location"])


def test_it_enters_a_sessions_paper_forms_in_bulk(world: World) -> None:
    q = build_questionnaire(world)
    url = _session(world, q)
    client = world.client_for("facilitator")
    bad = SHEET + "robot,18_29,,,lake,,9,1,,,\n"
    page = client.post(url + "entry/", {"sheet": bad, "consented": "on"})
    html = page.content.decode()
    assert page.status_code == 200 and "Nothing was recorded" in html
    assert (
        "<td>4</td><td>gender</td>" in html
        and "<td>4</td><td>water</td>" in html
        and "<td>4</td><td>safety</td>" in html
    )
    assert not Response.objects.exists()
    assert client.post(url + "entry/", {"sheet": SHEET, "consented": "on"}).status_code == 302
    assert client.post(url + "entry/", {"sheet": SHEET, "consented": "on"}).status_code == 302
    assert Response.objects.filter(channel=Channel.FACILITATED).count() == 2
    upload = io.BytesIO(SHEET.replace("\n", "\r\n").encode() + b"woman,,,,well,,,,,,\r\n")
    upload.name = "sheet.csv"
    assert client.post(url + "entry/", {"file": upload, "consented": "on"}).status_code == 302
    assert Response.objects.filter(channel=Channel.FACILITATED).count() == 3
    template = client.get(url + "template.csv")
    assert template["Content-Type"].startswith("text/csv")
    assert template.content.decode().startswith(
        "gender,age_band,segment,locality,water,worries,safety"
    )


def test_it_refuses_an_oversized_sheet_with_a_clear_message(world: World) -> None:
    q = build_questionnaire(world)
    url = _session(world, q)
    upload = io.BytesIO(b"x" * (2 * 1024 * 1024 + 1))
    upload.name = "big.csv"
    html = world.client_for("facilitator").post(url + "entry/", {"file": upload}).content.decode()
    assert "too large" in html and "2.0" in html


def test_it_lets_representatives_see_but_not_enter_sessions(world: World) -> None:
    q = build_questionnaire(world)
    url = _session(world, q)
    rep = world.client_for("company_rep")
    assert rep.get(url).status_code == 200
    assert rep.post(url + "entry/", {"sheet": SHEET}).status_code == 403
    assert world.client_for("participant").get(url).status_code == 403


# --- The stepper ----------------------------------------------------------------------------


def test_it_shows_on_step_1_which_groups_were_heard(world: World) -> None:
    q = build_questionnaire(world)

    def checks() -> dict[str, Any]:
        step = next(s for s in build(world.own) if s.step == Step.SITUATIONAL_ANALYSIS)
        return {str(c.label): c for c in step.checks}

    assert not checks()["A questionnaire has responses"].done
    services.record_response(
        questionnaire=q,
        channel=Channel.WEB,
        idempotency_key="a",
        answers=GOOD,
        attributes={"segment": "youth"},
        consented=True,
    )
    found = checks()
    assert found["A questionnaire has responses"].done
    assert "1 of" in str(found["Every group mapped has been consulted"].detail)
    assert "Women" in str(found["No group is left unheard"].detail)
    assert "Youth" not in str(found["No group is left unheard"].detail)


def test_it_lets_a_facilitator_try_the_preview_without_recording_anything(world: World) -> None:
    q = build_questionnaire(world)
    client = world.client_for("facilitator")
    tried = client.post(qurl(world, q, "preview/"), form_data())
    assert tried.status_code == 200
    assert "These answers would be accepted. Nothing was recorded." in tried.content.decode()
    missing = client.post(qurl(world, q, "preview/"), form_data(**{"q-water": None}))
    assert "would be accepted" not in missing.content.decode()
    assert 'class="errors"' in missing.content.decode()
    assert not Response.objects.filter(questionnaire=q).exists()
