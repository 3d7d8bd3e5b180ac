"""Every deletion of the stakeholder map and the baseline asks first, on a page
of its own: a GET shows what goes and deletes nothing, only a POST deletes; a
role without the right is refused (403), and another partnership's id is not
found (404). The pages that hold these actions keep them apart, at the foot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models

from baseline.models import (
    AgeBand,
    Condition,
    Contribution,
    Dimension,
    Evidence,
    GenderOption,
    Threat,
    ThreatRating,
)
from partnerships.models import AuditEntry, Partnership
from stakeholders import services as map_services
from stakeholders.models import Actor, Relation
from tests import matrix_baseline
from tests.conftest import World


@dataclass(frozen=True)
class Deletion:
    key: str  # the URL argument, as tests/matrix_baseline.py names its objects
    model: type[models.Model]
    path: str  # under /p/<slug>/
    says: str  # a consequence the confirmation page states
    refused: str  # a persona whose role may not delete it


DELETIONS = [
    Deletion("actor_id", Actor, "map/actors/{id}/delete/", "assessments, relations", "observer"),
    Deletion("relation_id", Relation, "map/relations/{id}/delete/", "Both actors stay", "observer"),
    Deletion(
        "dimension_id",
        Dimension,
        "baseline/setup/dimensions/{id}/delete/",
        "Nothing uses it",
        "company_rep",
    ),
    Deletion(
        "age_band_id",
        AgeBand,
        "baseline/setup/age-bands/{id}/delete/",
        "Nothing uses it",
        "participant",
    ),
    Deletion(
        "gender_id",
        GenderOption,
        "baseline/setup/genders/{id}/delete/",
        "Nothing uses it",
        "observer",
    ),
    Deletion(
        "threat_id",
        Threat,
        "baseline/threats/{id}/delete/",
        "Its rating goes with it",
        "company_rep",
    ),
    Deletion(
        "rating_id",
        ThreatRating,
        "baseline/ratings/{id}/delete/",
        "worked out again",
        "company_rep",
    ),
    Deletion(
        "evidence_id",
        Evidence,
        "baseline/evidence/{id}/delete/",
        "The threat stays in the register",
        "participant",
    ),
    Deletion(
        "condition_id",
        Condition,
        "baseline/nvc/{id}/delete/",
        "It leaves the needs, vulnerabilities and capacities matrix",
        "observer",
    ),
    Deletion(
        "contribution_id",
        Contribution,
        "baseline/capacities/{id}/delete/",
        "other contributions stay",
        "participant",
    ),
]


def _objects(partnership: Partnership, facilitator: Any) -> dict[str, str]:
    """One of each kind of record, in ``partnership``, by URL argument."""
    ids = matrix_baseline.values(partnership, facilitator)
    first = map_services.create_actor(by=facilitator, partnership=partnership, name="First group")
    second = map_services.create_actor(by=facilitator, partnership=partnership, name="Second group")
    relation = map_services.relate(
        by=facilitator,
        partnership=partnership,
        source=first,
        target=second,
        relation_type="works_with",
    )
    return {**ids, "actor_id": str(first.public_id), "relation_id": str(relation.public_id)}


def _url(world: World, deletion: Deletion, public_id: str) -> str:
    return f"/p/{world.own.slug}/" + deletion.path.format(id=public_id)


@pytest.mark.parametrize("deletion", DELETIONS, ids=[d.key for d in DELETIONS])
def test_it_asks_on_a_page_of_its_own_then_deletes_only_on_post(
    world: World, deletion: Deletion
) -> None:
    public_id = _objects(world.own, world.facilitator)[deletion.key]
    client = world.client_for("facilitator")
    url = _url(world, deletion, public_id)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert deletion.says in body and 'class="danger"' in body
    assert "This cannot be undone from here." in body and "No, go back" in body
    assert deletion.model._default_manager.filter(public_id=public_id).exists()
    before = AuditEntry.objects.filter(action="delete").count()
    done = client.post(url)
    assert done.status_code == 302
    assert not deletion.model._default_manager.filter(public_id=public_id).exists()
    assert AuditEntry.objects.filter(action="delete").count() > before


@pytest.mark.parametrize("deletion", DELETIONS, ids=[d.key for d in DELETIONS])
def test_it_refuses_a_role_without_the_right_on_get_and_post(
    world: World, deletion: Deletion
) -> None:
    public_id = _objects(world.own, world.facilitator)[deletion.key]
    client = world.client_for(deletion.refused)
    url = _url(world, deletion, public_id)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert deletion.model._default_manager.filter(public_id=public_id).exists()


@pytest.mark.parametrize("deletion", DELETIONS, ids=[d.key for d in DELETIONS])
def test_it_finds_no_record_of_another_partnership(world: World, deletion: Deletion) -> None:
    public_id = _objects(world.foreign, world.foreign_facilitator)[deletion.key]
    client = world.client_for("facilitator")
    url = _url(world, deletion, public_id)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert deletion.model._default_manager.filter(public_id=public_id).exists()


def test_it_says_why_a_set_up_entry_in_use_stays_instead_of_asking(world: World) -> None:
    economic = Dimension.objects.get(partnership=world.own, code="economic")
    Threat.objects.create(partnership=world.own, title="Uses the dimension").dimensions.add(
        economic
    )
    client = world.client_for("facilitator")
    url = f"/p/{world.own.slug}/baseline/setup/dimensions/{economic.public_id}/delete/"
    for response in (client.get(url, follow=True), client.post(url, follow=True)):
        assert response.redirect_chain[-1][0].endswith(f"{economic.public_id}/edit/")
        assert "threat" in response.content.decode()
    assert Dimension.objects.filter(pk=economic.pk).exists()


@pytest.mark.parametrize(
    ("page", "link"),
    [
        ("map/actors/{actor_id}/", "map/actors/{actor_id}/delete/"),
        ("baseline/threats/{threat_id}/", "baseline/threats/{threat_id}/delete/"),
        ("baseline/nvc/{condition_id}/edit/", "baseline/nvc/{condition_id}/delete/"),
        (
            "baseline/capacities/{contribution_id}/edit/",
            "baseline/capacities/{contribution_id}/delete/",
        ),
        ("baseline/setup/genders/{gender_id}/edit/", "baseline/setup/genders/{gender_id}/delete/"),
    ],
)
def test_it_keeps_removal_apart_at_the_foot_of_the_page_as_a_link(
    world: World, page: str, link: str
) -> None:
    ids = _objects(world.own, world.facilitator)
    body = (
        world.client_for("facilitator")
        .get(f"/p/{world.own.slug}/" + page.format(**ids))
        .content.decode()
    )
    href = f'href="/p/{world.own.slug}/' + link.format(**ids) + '"'
    zone = body.index('class="danger-zone"')
    # The removal is a link to the confirmation page, in the danger zone, after
    # every everyday form of the page (the risk flag included): never a POST button.
    assert body.index(href) > zone
    assert body.rfind("<form", 0, body.index("</main>")) < zone
    assert f'action="/p/{world.own.slug}/' + link.format(**ids) not in body
