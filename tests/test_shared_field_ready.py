"""Shared pieces of the field-ready work: ISO dates in every language, the
two small entry points of suppression, how a hidden count reads, and the
confirmation page before a deletion."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from partnerships.forms import StepCompletionForm
from partnerships.suppression import TOTAL, suppress_count, suppress_line
from partnerships.templatetags.partnerships_tags import people
from stakeholders.models import Actor


@pytest.mark.parametrize("language", ["es", "en"])
def test_it_renders_dates_as_the_browser_reads_them_in_every_language(language: str) -> None:
    with translation.override(language):
        form = StepCompletionForm(initial={"completed_on": datetime.date(2026, 12, 7)})
        html = str(form["completed_on"])
    assert 'value="2026-12-07"' in html
    assert 'type="date"' in html


def test_it_hides_a_lone_small_count_and_keeps_zero() -> None:
    assert [suppress_count(n) for n in (0, 1, 4, 5, 120)] == [0, None, None, 5, 120]


def test_it_hides_a_line_so_no_small_count_comes_back_by_subtraction() -> None:
    assert suppress_line({"agree": 1}) == {"agree": None, TOTAL: None}
    line = suppress_line({"agree": 20, "disagree": 6, "pass": 1})
    assert line == {"agree": 20, "disagree": None, "pass": None, TOTAL: 27}
    assert suppress_line({"agree": 9, "disagree": 0, "pass": 7}) == {
        "agree": 9,
        "disagree": 0,
        "pass": 7,
        TOTAL: 16,
    }


def test_it_says_why_a_count_is_hidden_and_links_to_the_explanation(client: object) -> None:
    with translation.override("es"):
        assert people(1234) == '<data class="people" value="1234">1\xa0234</data>'
        hidden = people(None)
    assert hidden.startswith('<data class="people" value="hidden">')
    assert 'href="/portal/small-numbers/"' in hidden
    assert "5" in hidden


def test_it_explains_small_number_protection_to_the_public(client: object) -> None:
    response = client.get("/portal/small-numbers/")  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert b"1 to 4" in response.content


def test_it_asks_before_removing_an_actor_and_a_get_deletes_nothing(world: object) -> None:
    from stakeholders import services

    actor = services.create_actor(
        by=world.facilitator,
        partnership=world.own,
        name="Junta de acción comunal",  # type: ignore[attr-defined]
    )
    client = world.client_for("facilitator")  # type: ignore[attr-defined]
    url = f"/p/{world.own.slug}/map/actors/{actor.public_id}/delete/"  # type: ignore[attr-defined]
    page = client.get(url)
    assert page.status_code == 200
    assert b'class="danger"' in page.content
    assert Actor.objects.filter(pk=actor.pk).exists()
    done = client.post(url)
    assert done.status_code == 302
    assert not Actor.objects.filter(pk=actor.pk).exists()
