"""After answering (issue 10, 5): the thank-you page leads to the results (or
says where and when they will appear), the same browser cannot answer a public
questionnaire twice, and every count of people in the room shown beyond the
facilitators goes through suppression."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from baseline.services import set_baseline_published
from consultations import analysis, services
from consultations.models import Channel, Mode, Questionnaire, Response
from consultations.views import public_link_token
from partnerships import services as partnership_services
from tests.conftest import World
from tests.test_consultations_api import Api

ANSWER = {"key": "", "q-water": "river", "lang": "es"}
WHY = "hidden: fewer than 5 people, or it would reveal them"


def public_questionnaire(world: World, *, mode: str = Mode.ANONYMOUS) -> Questionnaire:
    q = services.create_questionnaire(
        by=world.facilitator,
        partnership=world.own,
        title={"es": "El agua en la vereda", "en": "Water in the vereda"},
        mode=mode,
    )
    services.add_question(
        by=world.facilitator,
        questionnaire=q,
        key="water",
        kind="single_choice",
        text={"es": "¿De dónde viene el agua?", "en": "Where does the water come from?"},
        options=[
            {"label": {"es": "Río", "en": "River"}, "code": "river"},
            {"label": {"es": "Pozo"}},
        ],
    )
    services.set_status(by=world.facilitator, questionnaire=q, status="open")
    return q


def link(q: Questionnaire) -> str:
    return f"/consult/{public_link_token(q)}/"


def answer(client: Client, q: Questionnaire, key: str) -> Any:
    return client.post(link(q), {**ANSWER, "key": key})


# --- The thank-you page -------------------------------------------------------------


def test_it_leads_a_public_respondent_to_the_published_results(world: World) -> None:
    q = public_questionnaire(world)
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )
    set_baseline_published(by=world.facilitator, partnership=world.own, published=True)
    for key in "abcd":
        answer(Client(), q, key)
    client = Client()
    response = answer(client, q, "e")
    assert response.status_code == 302
    analysis.refresh_aggregates(q.pk)  # five answers: the results are published
    thanks = client.get(response["Location"]).content.decode()
    assert "El agua en la vereda" in thanks
    assert f'href="/portal/{world.own.slug}/#consultations-h"' in thanks
    assert 'href="/portal/small-numbers/"' in thanks


def test_it_says_where_the_results_will_appear_before_they_are_published(world: World) -> None:
    q = public_questionnaire(world)
    client = Client()
    assert answer(client, q, "one").status_code == 302
    thanks = client.get(f"{link(q)}thanks/?lang=en").content.decode()
    # No public page yet: it says so, and who will share the results.
    assert "no public page so far" in thanks and "/portal/" + world.own.slug not in thanks
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )
    thanks = client.get(f"{link(q)}thanks/?lang=en").content.decode()
    # A public page, but the results are not on it yet: when and where they will be.
    assert "The results are not published yet." in thanks
    assert f'href="/portal/{world.own.slug}/"' in thanks


def test_it_leads_a_member_to_the_results_pages(world: World) -> None:
    q = public_questionnaire(world)
    client = world.client_for("participant")
    response = client.post(
        f"/p/{world.own.slug}/consultations/{q.public_id}/answer/", {**ANSWER, "key": "m1"}
    )
    assert response.status_code == 302
    thanks = client.get(response["Location"]).content.decode()
    assert f'href="/p/{world.own.slug}/consultations/{q.public_id}/results/"' in thanks


# --- One answer per browser --------------------------------------------------------


def test_it_takes_one_answer_per_browser_on_the_public_link(world: World) -> None:
    q = public_questionnaire(world)
    browser = Client()
    response = answer(browser, q, "first")
    assert response.status_code == 302
    [cookie] = [c for name, c in response.cookies.items() if name.startswith("hsbp-answered-")]
    assert cookie["path"] == link(q) and cookie["httponly"] and cookie["max-age"] > 365 * 86400
    assert str(Response.objects.get().public_id) not in cookie.value  # says "answered", no more
    # The same browser: a friendly page instead of the form, on GET and on POST.
    again = browser.get(link(q))
    html = again.content.decode()
    assert again.status_code == 200 and "already answered" in html.lower()
    assert 'name="q-water"' not in html
    assert answer(browser, q, "second").status_code == 200
    assert Response.objects.filter(questionnaire=q).count() == 1
    # Another browser (or the same one with its cookies cleared) still answers.
    assert answer(Client(), q, "third").status_code == 302
    assert Response.objects.filter(questionnaire=q).count() == 2


def test_it_trusts_only_its_own_signed_cookie_for_that_questionnaire(world: World) -> None:
    q = public_questionnaire(world)
    other = public_questionnaire(world)
    browser = Client()
    response = answer(browser, q, "first")
    name = next(n for n in response.cookies if n.startswith("hsbp-answered-"))
    # Answering one questionnaire does not close another.
    assert 'name="q-water"' in browser.get(link(other)).content.decode()
    # A forged cookie is no answer.
    forger = Client()
    forger.cookies[name] = "1"
    assert 'name="q-water"' in forger.get(link(q)).content.decode()


def test_it_leaves_members_and_facilitated_sessions_alone(world: World) -> None:
    q = public_questionnaire(world)
    client = world.client_for("facilitator")
    assert answer(client, q, "public").status_code == 302
    # The cookie goes back only to the public link's pages: a session's paper
    # forms, entered by the same facilitator in the same browser, all count.
    session = services.create_session(
        by=world.facilitator,
        questionnaire=q,
        held_on=timezone.localdate(q.created_at),
        place="Escuela",
    )
    sheet = "gender,age_band,segment,locality,water\n" + "woman,,,,river\n" * 3
    url = f"/p/{world.own.slug}/consultations/sessions/{session.public_id}/entry/"
    assert client.post(url, {"sheet": sheet, "consented": "on"}).status_code == 302
    assert Response.objects.filter(questionnaire=q, channel=Channel.FACILITATED).count() == 3


# --- Counts of people in the room ------------------------------------------------------


def _three_responses(world: World) -> Questionnaire:
    q = public_questionnaire(world)
    for key in ("a", "b", "c"):
        answer(Client(), q, key)
    return q


@pytest.mark.parametrize("persona", ["company_rep", "participant", "observer"])
def test_it_hides_a_small_response_count_from_everyone_but_facilitators(
    world: World, persona: str
) -> None:
    q = _three_responses(world)
    base = f"/p/{world.own.slug}/consultations/"
    for url in (base, f"{base}{q.public_id}/"):
        html = world.client_for(persona).get(url).content.decode()
        assert WHY in html, (persona, url)
        html = world.client_for("facilitator").get(url).content.decode()
        assert WHY not in html, url  # the facilitators see the exact count
    body = Api(world, persona).get("/questionnaires").json()
    assert body["results"][0]["response_count"] is None
    assert (
        Api(world, "facilitator").get("/questionnaires").json()["results"][0]["response_count"] == 3
    )


def test_it_hides_small_attendance_counts_from_representatives(world: World) -> None:
    q = public_questionnaire(world)
    session = services.create_session(
        by=world.facilitator,
        questionnaire=q,
        held_on=timezone.localdate(q.created_at),
        place="Escuela",
        attendance={"total": 30, "woman": 27, "non_binary": 3},
    )
    url = f"/p/{world.own.slug}/consultations/sessions/{session.public_id}/"
    rep = world.client_for("company_rep").get(url).content.decode()
    # Three is small, and 27 would give it away by subtraction from 30.
    assert rep.count(WHY) >= 2 and ">27<" not in rep and ">3<" not in rep
    fac = world.client_for("facilitator").get(url).content.decode()
    assert ">27<" in fac and ">3<" in fac and WHY not in fac.split("Forms recorded")[0]
