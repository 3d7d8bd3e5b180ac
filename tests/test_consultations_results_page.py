"""The results page tells the truth (issue 10, 4.3): it opens on the overall
row, and every hidden cell — on the pages, in the exports, on the portal —
says why, in words, with a link to how small numbers are protected."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baseline.services import set_baseline_published
from consultations import analysis
from consultations.models import QuestionKind
from partnerships import services as partnership_services
from tests import consultations_factories as f
from tests.conftest import World

SMALL_NUMBERS = "/portal/small-numbers/"
WHY = "hidden: fewer than 5 people, or it would reveal them"


@pytest.fixture
def survey(world: World):  # type: ignore[no-untyped-def]
    q = f.questionnaire(world.own)
    need = f.question(q, "main_need", QuestionKind.SINGLE_CHOICE)
    safety = f.question(q, "feel_safe", QuestionKind.SCALE)
    f.many(q, 3, {need: "water", safety: 2}, gender="woman")
    f.many(q, 9, {need: "jobs", safety: 4}, gender="woman")
    f.many(q, 9, {need: "jobs", safety: 3}, gender="man")
    f.many(q, 8, {need: "roads", safety: 5}, gender="man")
    analysis.refresh_aggregates(q.pk)
    q.refresh_from_db()
    return q, need, safety


def url(world: World, q, name: str = "results", **kwargs: str) -> str:  # type: ignore[no-untyped-def]
    return reverse(
        f"consultations:{name}",
        kwargs={"slug": world.own.slug, "questionnaire_id": q.public_id, **kwargs},
    )


def rows_of(html: str) -> list[str]:
    return re.findall(r'<tr class="overall">(.*?)</tr>', html, re.S)


def test_it_opens_on_the_overall_row_of_every_question(world: World) -> None:
    q = f.questionnaire(world.own)
    need = f.question(q, "main_need", QuestionKind.SINGLE_CHOICE)
    safety = f.question(q, "feel_safe", QuestionKind.SCALE)
    f.many(q, 6, {need: "water", safety: 2}, gender="woman")
    f.many(q, 9, {need: "jobs", safety: 4}, gender="woman")
    f.many(q, 9, {need: "jobs", safety: 3}, gender="man")
    f.many(q, 8, {need: "roads", safety: 5}, gender="man")
    analysis.refresh_aggregates(q.pk)
    for persona in ("facilitator", "participant", "observer"):
        html = world.client_for(persona).get(url(world, q)).content.decode()
        overall = rows_of(html)
        assert len(overall) == 2, persona  # one per question, before any breakdown
        assert "Everyone" in overall[0] and "<td>32</td>" in overall[0]
        assert "<td>6 (19%)</td><td>8 (25%)</td><td>18 (56%)</td>" in overall[0]
        assert "<td>3.59</td>" in overall[1]  # the scale's mean
    # A question's own page too: the overall row, with no breakdown chosen.
    page = world.client_for("observer").get(
        url(world, q, "results_question", question_key="main_need")
    )
    overall = rows_of(page.content.decode())
    assert len(overall) == 1 and "<td>18 (56%)</td>" in overall[0]


def test_it_says_why_each_hidden_cell_is_hidden(world: World, survey) -> None:  # type: ignore[no-untyped-def]
    q, _need, _safety = survey
    client = world.client_for("observer")
    page = client.get(url(world, q, "results_question", question_key="main_need") + "?by=gender")
    html = page.content.decode()
    body = html[html.index("<tbody>") :]
    # Women who need water (3) are hidden, and a complement with them: each says why.
    links = re.findall(rf'<a class="hidden-n" href="{SMALL_NUMBERS}">([^<]*)</a>', body)
    assert len(links) >= 2 and set(links) == {WHY}
    assert "<td>hidden</td>" not in html
    assert SMALL_NUMBERS in html[: html.index("<tbody>")]  # the page says it once, up top too


def test_it_says_why_a_whole_group_is_hidden(world: World) -> None:
    q = f.questionnaire(world.own)
    need = f.question(q, "main_need", QuestionKind.SINGLE_CHOICE)
    f.many(q, 12, {need: "water"}, gender="woman")
    f.many(q, 2, {need: "jobs"}, gender="man")  # a group of two: hidden whole
    f.many(q, 6, {need: "jobs"}, gender="prefer_not_to_say")
    analysis.refresh_aggregates(q.pk)
    html = (
        world.client_for("observer")
        .get(url(world, q, "results_question", question_key="main_need") + "?by=gender")
        .content.decode()
    )
    men = re.search(r"<tr><th scope=\"row\">Man</th>(.*?)</tr>", html, re.S)
    assert men is not None
    cells = re.findall(r"<td>(.*?)</td>", men.group(1), re.S)
    assert cells and all(WHY in cell for cell in cells)
    assert "groups hidden" in html or "group hidden" in html


def test_it_reads_the_overview_in_one_query_per_question(world: World, survey) -> None:  # type: ignore[no-untyped-def]
    q, need, safety = survey
    client = world.client_for("observer")
    client.get(url(world, q))
    with CaptureQueriesContext(connection) as first:
        client.get(url(world, q))
    f.many(q, 30, {need: "water", safety: 1}, gender="woman")
    analysis.refresh_aggregates(q.pk)
    with CaptureQueriesContext(connection) as second:
        client.get(url(world, q))
    assert len(second) == len(first)


def test_it_shows_hidden_counts_on_the_portal_with_the_reason(world: World, survey) -> None:  # type: ignore[no-untyped-def]
    set_baseline_published(by=world.facilitator, partnership=world.own, published=True)
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )
    from django.test import Client

    html = Client().get(f"/portal/{world.own.slug}/").content.decode()
    text = re.sub(r"<[^>]+>", "", html)  # counts are marked up as <data>
    assert "What the consultations heard" in html and "29 responses" in text
    section = html[html.index('id="consultations-h"') :]
    assert WHY in section and f'href="{SMALL_NUMBERS}"' in section
    assert ">hidden<" not in section


def test_it_publishes_new_answers_only_in_batches_of_five(world: World) -> None:
    """Rebuilt after each answer, two successive results would differ by one
    person's answers: whoever knew who answered in between would read them."""
    from consultations import services
    from consultations.analysis_results import question_results
    from consultations.models import Channel

    q = f.questionnaire(world.own)
    need = f.question(q, "main_need", QuestionKind.SINGLE_CHOICE)
    f.many(q, 10, {need: "water"}, gender="woman")
    analysis.refresh_aggregates(q.pk)

    def overall() -> dict[str, float | None]:
        q.refresh_from_db()
        [result] = question_results(q, need, [])
        assert result.overall is not None
        return {
            code: cell.count
            for (code, _l), cell in zip(result.columns, result.overall.cells, strict=True)
        }

    assert overall()["water"] == 10
    for i in range(4):  # one known person answers, then three more
        services.record_response(
            questionnaire=q,
            channel=Channel.WEB,
            idempotency_key=f"late-{i}",
            answers={"main_need": "jobs"},
            attributes={"gender": "man"},
            consented=True,
        )
        assert analysis.refresh_aggregates(q.pk) == 0
        assert overall().get("jobs", 0) == 0 and overall()["water"] == 10
    page = world.client_for("observer").get(url(world, q)).content.decode()
    assert "added once at least 5 have arrived" in page
    # The facilitator's "refresh now" cannot open the window either.
    fac = world.client_for("facilitator")
    fac.post(url(world, q, "results_refresh"))
    assert overall().get("jobs", 0) == 0
    services.record_response(
        questionnaire=q,
        channel=Channel.WEB,
        idempotency_key="late-5",
        answers={"main_need": "jobs"},
        attributes={"gender": "man"},
        consented=True,
    )
    assert analysis.refresh_aggregates(q.pk) > 0
    assert overall() == {"": 0, "water": 10, "roads": 0, "jobs": 5}
