"""The relations network: metrics, layout, picture, protection, cache, background."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from stakeholders import network, services
from stakeholders.display import actor_name
from stakeholders.models import Actor, Relation
from tests.conftest import World


def _actor(world: World, name: str, partnership=None) -> Actor:
    return services.create_actor(
        by=world.facilitator, partnership=partnership or world.own, name=name, kind="organisation"
    )


def _relate(world: World, source: Actor, target: Actor, partnership=None) -> Relation:
    return services.relate(
        by=world.facilitator,
        partnership=partnership or world.own,
        source=source,
        target=target,
        relation_type="works_with",
    )


def _two_triangles(world: World) -> dict[str, Actor]:
    """Two triangles joined through one bridge actor, and one actor alone."""
    names = ["North one", "North two", "North three", "South one", "South two", "South three"]
    actors = {name: _actor(world, name) for name in [*names, "Bridge actor", "Lonely actor"]}
    for group in (names[:3], names[3:]):
        for i, name in enumerate(group):
            _relate(world, actors[name], actors[group[(i + 1) % 3]])
    _relate(world, actors["North one"], actors["Bridge actor"])
    _relate(world, actors["Bridge actor"], actors["South one"])
    return actors


def _url(world: World, name: str) -> str:
    return reverse(f"stakeholders:{name}", args=[world.own.slug])


def test_it_finds_the_bridge_the_isolated_actor_and_two_clusters(world: World) -> None:
    actors = _two_triangles(world)
    layout = network.compute(network.build(world.own.pk))
    assert layout.brokers[0][0] == actors["Bridge actor"].pk
    assert layout.brokers[0][1] > layout.brokers[1][1]
    assert layout.isolated == [actors["Lonely actor"].pk]
    assert len(layout.clusters) == 2
    clusters = [set(members) for _size, members in layout.clusters]
    north = {actors[n].pk for n in ("North one", "North two", "North three")}
    south = {actors[n].pk for n in ("South one", "South two", "South three")}
    assert any(north <= c for c in clusters) and any(south <= c for c in clusters)
    assert sorted(size for size, _m in layout.clusters) in ([3, 4], [4, 3])


def test_it_lays_out_the_same_map_the_same_way(world: World) -> None:
    _two_triangles(world)
    first = network.compute(network.build(world.own.pk))
    second = network.compute(network.build(world.own.pk))
    assert np.array_equal(first.pos, second.pos)
    assert first.brokers == second.brokers and first.clusters == second.clusters
    other = network.compute(network.build(world.own.pk), seed=7)
    assert not np.array_equal(first.pos, other.pos)


def test_it_names_a_flagged_actor_only_for_those_with_clearance(world: World) -> None:
    actors = _two_triangles(world)
    bridge = actors["Bridge actor"]
    observer_client = world.client_for("observer")
    before = observer_client.get(_url(world, "network_svg")).content.decode()
    assert "Bridge actor" in before  # not flagged yet
    services.flag_at_risk(by=world.facilitator, actor=bridge, reason="Threatened last year")
    pseudonym = actor_name(Actor.objects.get(pk=bridge.pk), None)
    # The cleared picture is drawn first, so a shared cache entry would show.
    facilitator = world.client_for("facilitator").get(_url(world, "network_svg"))
    observer = observer_client.get(_url(world, "network_svg"))
    for response in (facilitator, observer):
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        body = response.content.decode()
        assert "<script" not in body.lower() and 'href="http' not in body
        assert "North one" in body
    assert "Bridge actor" in facilitator.content.decode()
    assert "Bridge actor" not in observer.content.decode()
    assert pseudonym in observer.content.decode()
    page = observer_client.get(_url(world, "network")).content.decode()
    assert "Bridge actor" not in page and pseudonym in page
    assert (
        "Bridge actor"
        in world.client_for("facilitator").get(_url(world, "network")).content.decode()
    )


def test_it_serves_the_second_picture_from_the_cache(world: World) -> None:
    _two_triangles(world)
    client = world.client_for("participant")
    with CaptureQueriesContext(connection) as first:
        assert client.get(_url(world, "network_svg")).status_code == 200
    with (
        mock.patch.object(network, "build", wraps=network.build) as build,
        mock.patch.object(network, "render_svg", wraps=network.render_svg) as render,
        CaptureQueriesContext(connection) as second,
    ):
        response = client.get(_url(world, "network_svg"))
    assert response.status_code == 200 and b"North one" in response.content
    assert build.call_count == 0 and render.call_count == 0
    assert len(second) < len(first)
    again = client.get(_url(world, "network_svg"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_it_draws_a_new_picture_when_a_relation_is_added(world: World) -> None:
    actors = _two_triangles(world)
    client = world.client_for("facilitator")
    before = client.get(_url(world, "network")).content.decode()
    assert "Lonely actor" in before.split('id="isolated"')[1].split("<h2")[0]
    _relate(world, actors["Lonely actor"], actors["North two"])
    after = client.get(_url(world, "network")).content.decode()
    assert "Every actor has at least one relation." in after


def test_it_shows_the_tables_and_pages_the_relations(world: World) -> None:
    hub = _actor(world, "Hub actor")
    spokes = [_actor(world, f"Spoke {i:03}") for i in range(105)]
    for spoke in spokes:
        _relate(world, hub, spoke)
    client = world.client_for("observer")
    page = client.get(_url(world, "network")).content.decode()
    assert '<img src="' in page and 'alt="Picture of the relations network: 106 actors' in page
    assert '<th scope="col">Betweenness</th>' in page and "Hub actor" in page
    assert page.count("<td>Hub actor</td>") == 100  # the first page of relations
    assert "Page 1 of 2" in page
    second = client.get(_url(world, "network") + "?page=2").content.decode()
    assert second.count("<td>Hub actor</td>") == 5
    assert "<script" not in page


def test_it_never_shows_another_partnerships_actors(world: World) -> None:
    _two_triangles(world)
    foreign_a = _actor(world, "Foreign actor one", world.foreign)
    foreign_b = _actor(world, "Foreign actor two", world.foreign)
    services.relate(
        by=world.foreign_facilitator,
        partnership=world.foreign,
        source=foreign_a,
        target=foreign_b,
        relation_type="works_with",
    )
    client = world.client_for("facilitator")
    page = client.get(_url(world, "network")).content.decode()
    svg = client.get(_url(world, "network_svg")).content.decode()
    assert "Foreign actor" not in page and "Foreign actor" not in svg
    layout = network.compute(network.build(world.own.pk))
    assert foreign_a.pk not in set(layout.ids.tolist())


def test_it_gives_outsiders_a_404_and_sends_strangers_to_sign_in(world: World) -> None:
    _two_triangles(world)
    for name in ("network", "network_svg"):
        assert world.client_for("outsider").get(_url(world, name)).status_code == 404
        response = world.client_for("anonymous").get(_url(world, name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Committed for real: the worker reads committed rows.
@pytest.mark.django_db(transaction=True)
def test_it_lays_out_a_large_map_in_the_background(world: World) -> None:
    Actor.objects.bulk_create(
        Actor(partnership=world.own, name=f"Bulk actor {i:04}", kind="organisation")
        for i in range(network.INLINE_MAX_ACTORS + 20)
    )
    pks = list(Actor.objects.filter(partnership=world.own).values_list("pk", flat=True))
    Relation.objects.bulk_create(
        Relation(partnership=world.own, source_id=a, target_id=b, relation_type="works_with")
        for a, b in zip(pks, pks[1:] + pks[:1], strict=True)
    )
    client = world.client_for("participant")
    page = client.get(_url(world, "network")).content.decode()
    assert "Laying out the map… 0%" in page
    assert '<meta http-equiv="refresh" content="5">' in page and "<progress" in page
    assert client.get(_url(world, "network_svg")).status_code == 202
    client.get(_url(world, "network"))
    layouts = DBTaskResult.objects.filter(task_path="stakeholders.tasks.layout_network")
    assert layouts.count() == 1  # queued once, not on every visit
    call_command("db_worker", batch=True, startup_delay=False, reload=False)
    assert layouts.get().status == "SUCCESSFUL"
    version = network.data_version(world.own.pk)
    assert network.progress(world.own.pk)["state"] == "done"
    with mock.patch.object(network, "render_svg") as render:
        svg = client.get(_url(world, "network_svg"))
    assert render.call_count == 0  # the task drew it already
    assert svg.status_code == 200 and b"Bulk actor" in svg.content
    page = client.get(_url(world, "network")).content.decode()
    assert "Laying out the map" not in page and 'http-equiv="refresh"' not in page
    assert 'id="brokers"' in page and "<caption" in page
    assert f"network.svg?v={version.key}" in page
