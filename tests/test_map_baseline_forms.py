"""Forms of the map and the baseline that used to redirect on a mistake, losing
what was typed behind a vague message: they now show the page again with the
bound form, each error on its own field in the reader's language, and write
nothing."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from baseline import services as baseline
from baseline.models import Dimension, Evidence, Threat, ThreatRating
from stakeholders import services as map_services
from stakeholders.models import Actor, Assessment, RiskFlag, Segment
from tests.conftest import World


def _client(world: World, persona: str, language: str) -> Client:
    user = getattr(world, persona)
    user.language = language
    user.save(update_fields=["language"])
    return world.client_for(persona)


def _field_errors(page: str) -> list[str]:
    """The ids of the fields that show an error (the _form.html layout)."""
    import re

    return re.findall(r'<div class="field invalid">\s*<label for="([^"]+)"', page)


@pytest.fixture
def actor(world: World) -> Actor:
    return map_services.create_actor(
        by=world.facilitator, partnership=world.own, name="Invented fishers' association"
    )


@pytest.fixture
def threat(world: World) -> Threat:
    economic = Dimension.objects.get(partnership=world.own, code="economic")
    return baseline.create_threat(
        by=world.facilitator,
        partnership=world.own,
        title="Invented flooding",
        dimensions=[economic],
    )


@pytest.mark.parametrize(
    ("language", "wrong_choice"),
    [("es", "Escoja una opción válida"), ("en", "Select a valid choice")],
)
def test_it_shows_the_actor_page_again_with_the_assessment_as_typed(
    world: World, actor: Actor, language: str, wrong_choice: str
) -> None:
    client = _client(world, "facilitator", language)
    url = f"/p/{world.own.slug}/map/actors/{actor.public_id}/assess/"
    typed = {
        "assessed_by": str(world.community.public_id),
        "assessed_on": "2026-03-02",
        "influence": "7",  # out of range
        "interest": "4",
        "capacity": "",  # missing
        "influence_note": "Sits on the water board",
        "stance": "supportive",
        "engagement": "involve",
    }
    response = client.post(url, typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in page
    assert sorted(_field_errors(page)) == ["id_capacity", "id_influence"]
    assert wrong_choice in page
    assert "1 a 5" not in page and "1 to 5" not in page  # no blanket, wrong reason
    # What was typed is still there, and the form is open.
    assert 'value="2026-03-02"' in page and "Sits on the water board" in page
    assert '<option value="4" selected>' in page and "<details open>" in page
    assert not Assessment.objects.filter(actor=actor).exists()


def test_it_puts_a_refusal_of_the_service_on_its_own_field_in_spanish(
    world: World, actor: Actor
) -> None:
    client = _client(world, "facilitator", "es")
    url = f"/p/{world.own.slug}/map/actors/{actor.public_id}/assess/"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        url,
        {
            "assessed_by": str(world.community.public_id),
            "assessed_on": tomorrow.isoformat(),
            "influence": "3",
            "interest": "3",
            "capacity": "3",
            "stance": "unknown",
            "engagement": "none",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and _field_errors(page) == ["id_assessed_on"]
    assert "fecha futura" in page and f'value="{tomorrow.isoformat()}"' in page
    assert not Assessment.objects.filter(actor=actor).exists()


def test_it_records_a_valid_assessment_and_goes_back_to_the_actor(
    world: World, actor: Actor
) -> None:
    client = _client(world, "company_rep", "es")
    url = f"/p/{world.own.slug}/map/actors/{actor.public_id}/assess/"
    response = client.post(
        url,
        {
            "assessed_by": str(world.company.public_id),
            "assessed_on": "2026-03-02",
            "influence": "3",
            "interest": "4",
            "capacity": "2",
            "stance": "neutral",
            "engagement": "consult",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(
        f"/actors/{actor.public_id}/"
    )
    assert Assessment.objects.get(actor=actor).assessed_on == datetime.date(2026, 3, 2)


def test_it_keeps_the_flag_s_form_when_the_reason_is_missing(world: World, actor: Actor) -> None:
    client = _client(world, "facilitator", "es")
    url = f"/p/{world.own.slug}/map/actors/{actor.public_id}/risk/"
    response = client.post(url, {"reason": "   "})
    page = response.content.decode()
    assert response.status_code == 200 and _field_errors(page) == ["id_reason"]
    assert "Explique por qué" in page
    assert not RiskFlag.objects.filter(actor=actor).exists()


def test_it_keeps_a_new_segment_s_description_when_its_name_is_taken(world: World) -> None:
    client = _client(world, "facilitator", "es")
    url = f"/p/{world.own.slug}/map/segments/new/"
    before = Segment.objects.filter(partnership=world.own).count()
    response = client.post(url, {"name": "Women", "description": "Written with care"})
    page = response.content.decode()
    assert response.status_code == 200 and _field_errors(page) == ["id_name"]
    assert "Written with care" in page and "Ya hay un grupo poblacional" in page
    assert Segment.objects.filter(partnership=world.own).count() == before


@pytest.mark.parametrize("language", ["es", "en"])
def test_it_shows_the_threat_page_again_with_the_rating_as_typed(
    world: World, threat: Threat, language: str
) -> None:
    client = _client(world, "facilitator", language)
    url = f"/p/{world.own.slug}/baseline/threats/{threat.public_id}/rate/"
    response = client.post(
        url,
        {
            "partner_type": "community",
            "segment": "women",  # both: refused by the service, on the partner type
            "severity": "4",
            "likelihood": "3",
            "source": "workshop",
            "rated_on": "2026-02-14",
            "note": "Heard at the assembly",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and _field_errors(page) == ["id_partner_type"]
    assert 'value="2026-02-14"' in page and "Heard at the assembly" in page
    assert not ThreatRating.objects.filter(threat=threat).exists()


def test_it_shows_the_threat_page_again_with_the_evidence_as_typed(
    world: World, threat: Threat
) -> None:
    client = _client(world, "facilitator", "es")
    url = f"/p/{world.own.slug}/baseline/threats/{threat.public_id}/evidence/"
    response = client.post(url, {"kind": "link", "title": "", "url": "not an address"})
    page = response.content.decode()
    assert response.status_code == 200
    assert sorted(_field_errors(page)) == ["id_evidence_title", "id_evidence_url"]
    assert 'value="not an address"' in page
    assert not Evidence.objects.filter(threat=threat).exists()
