"""The pages: the checklist answers late / blocked / next this month and
filters in a constant number of queries; an action of another partnership is
a 404; deleting an action others depend on is refused naming them; the goal
page shows the computed progress; the sharing view and the portal."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions import commitments, services, strategies
from actions.models import Action, ActionStatus
from partnerships import services as partnership_services
from tests.actions_helpers import action, goal
from tests.conftest import World

TODAY = timezone.localdate()


def many(world: World, n: int) -> None:
    water = goal(world, f"Meta {n}")
    strategy = strategies.add_strategy(
        by=world.facilitator, partnership=world.own, title={"es": f"E{n}"}, kind="empowerment"
    )
    for i in range(n):
        top = action(
            world,
            f"Acción {n}-{i}",
            goals=[water],
            strategies=[strategy],
            starts_on=TODAY - datetime.timedelta(days=30),
            due_on=TODAY + datetime.timedelta(days=i),
        )
        action(world, f"Sub {n}-{i}", parent=top, weight=50)


def test_it_shows_the_checklist_in_constant_queries(world: World) -> None:
    client = world.client_for("facilitator")
    url = f"/p/{world.own.slug}/actions/"
    many(world, 2)
    client.get(url)  # the first request of a session reads a few things once
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    many(world, 8)
    with CaptureQueriesContext(connection) as more:
        response = client.get(url + "?status=planned")
    assert response.status_code == 200
    assert len(more) <= len(few) + 2  # the filter's own choices are read once
    with CaptureQueriesContext(connection) as again:
        client.get(url)
    assert len(again) == len(few)
    assert "<svg" in response.content.decode()


def test_it_answers_the_facilitators_questions_at_a_glance(world: World) -> None:
    late = action(
        world,
        "Atrasada",
        starts_on=TODAY - datetime.timedelta(days=20),
        due_on=TODAY - datetime.timedelta(days=1),
    )
    stuck = action(world, "Trabada")
    services.set_status(
        by=world.facilitator,
        action=stuck,
        status=ActionStatus.STALLED,
        reason="Sin permiso ambiental",
    )
    action(world, "Pronto", due_on=TODAY + datetime.timedelta(days=10))
    page = world.client_for("observer").get(f"/p/{world.own.slug}/actions/").content.decode()
    late_part = page.split('id="late-h"')[1].split("</section>")[0]
    blocked_part = page.split('id="blocked-h"')[1].split("</section>")[0]
    next_part = page.split('id="next-h"')[1].split("</section>")[0]
    assert "Atrasada" in late_part and "Trabada" not in late_part
    assert "Trabada" in blocked_part and "Sin permiso ambiental" in blocked_part
    assert "Pronto" in next_part
    assert late.owner.name in late_part


def test_it_refuses_a_reason_less_stall(world: World) -> None:
    stuck = action(world)
    response = world.client_for("facilitator").post(
        f"/p/{world.own.slug}/actions/{stuck.public_id}/status/",
        {"status": "stalled", "reason": ""},
        follow=True,
    )
    assert "Say why the action is stalled" in response.content.decode()
    stuck.refresh_from_db()
    assert stuck.status == ActionStatus.PLANNED


def test_it_hides_another_partnerships_action(world: World) -> None:
    other = services.add_action(
        by=world.foreign_facilitator,
        partnership=world.foreign,
        title={"es": "Ajena"},
        kind="long_term",
        owner=world.foreign_partner,
    )
    client = world.client_for("facilitator")
    assert client.get(f"/p/{world.own.slug}/actions/{other.public_id}/").status_code == 404
    assert (
        client.get(f"/p/{world.own.slug}/actions/new/?parent={other.public_id}").status_code == 404
    )


def test_it_refuses_to_delete_an_action_others_depend_on(world: World) -> None:
    top = action(world, "Acueducto")
    action(world, "Tubos", parent=top, weight=50)
    commitments.make_commitment(
        by=world.company_rep,
        partner=world.company,
        action=top,
        kind="equipment",
        description={"es": "Retroexcavadora"},
        due_on=TODAY,
    )
    response = world.client_for("facilitator").post(
        f"/p/{world.own.slug}/actions/{top.public_id}/delete/", follow=True
    )
    page = response.content.decode()
    assert "cannot be deleted" in page and "Tubos" in page and "Test company" in page
    assert Action.objects.filter(pk=top.pk).exists()
    lone = action(world, "Sola")
    world.client_for("facilitator").post(f"/p/{world.own.slug}/actions/{lone.public_id}/delete/")
    assert not Action.objects.filter(pk=lone.pk).exists()


def test_it_shows_the_goals_computed_progress_on_its_page(world: World) -> None:
    water = goal(world)
    done = action(world, "Hecha", goals=[water])
    action(world, "Pendiente", goals=[water])
    services.set_status(by=world.facilitator, action=done, status=ActionStatus.DONE)
    page = (
        world.client_for("observer")
        .get(f"/p/{world.own.slug}/goals/{water.public_id}/")
        .content.decode()
    )
    assert 'value="50"' in page and "computed from 2 actions" in page


@pytest.mark.parametrize("persona", ["facilitator", "observer"])
def test_it_shows_promised_against_delivered(world: World, persona: str) -> None:
    water = action(world)
    commitments.make_commitment(
        by=world.company_rep,
        partner=world.company,
        action=water,
        kind="money",
        amount_minor=1_000_000,
        currency="COP",
        due_on=TODAY,
    )
    page = world.client_for(persona).get(f"/p/{world.own.slug}/actions/sharing/").content.decode()
    assert "Test company" in page and "10,000.00 COP" in page


def test_it_shows_actions_on_the_portal_only_under_the_publication_rule(world: World) -> None:
    from charter.models import PlanRow
    from tests.matrix_charter import _in_force

    action(world, "Acueducto veredal")
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )
    _in_force(world.own, world.facilitator)
    client = world.client_for("anonymous")
    PlanRow.objects.filter(partnership=world.own, what="commitments").delete()
    assert "Acueducto veredal" not in client.get(f"/portal/{world.own.slug}/").content.decode()
    version = PlanRow.objects.filter(partnership=world.own).first().version  # type: ignore[union-attr]
    PlanRow.objects.create(
        partnership=world.own,
        version=version,
        what="commitments",
        audience="public",
        languages=["es"],
        frequency="monthly",
    )
    assert "Acueducto veredal" in client.get(f"/portal/{world.own.slug}/").content.decode()


def _commit(world: World, water: Action, made_at: datetime.datetime) -> None:
    made = commitments.make_commitment(
        by=world.company_rep,
        partner=world.company,
        action=water,
        kind="money",
        amount_minor=1_000_000,
        currency="COP",
        due_on=TODAY,
    )
    type(made).objects.filter(pk=made.pk).update(made_at=made_at)


def test_it_counts_commitments_by_local_month_as_the_database_truncates_them(
    world: World,
) -> None:
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from actions import reading
    from actions.models import Commitment

    water = action(world)
    bogota = timezone.get_current_timezone()
    for moment in (
        datetime.datetime(2026, 10, 31, 23, 30, tzinfo=bogota),  # 1 November in UTC
        datetime.datetime(2026, 11, 1, 0, 30, tzinfo=bogota),
        datetime.datetime(2026, 11, 30, 23, 59, tzinfo=bogota),
        datetime.datetime(2025, 6, 15, 12, tzinfo=bogota),
    ):
        _commit(world, water, moment)
    base = Commitment.objects.filter(partnership=world.own)
    truncated = {
        (row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]): (
            row["n"]
        )
        for row in base.annotate(month=TruncMonth("made_at"))
        .values("month")
        .annotate(n=Count("pk"))
    }
    first = datetime.datetime(2025, 6, 15, 12, tzinfo=bogota)
    months = reading.by_month(base, first, timezone.now())
    assert {month: promised for month, (promised, _d) in months} == truncated
    assert truncated[datetime.date(2026, 10, 1)] == 1 and truncated[datetime.date(2026, 11, 1)] == 2


def test_it_shows_the_sharing_view_in_constant_queries(world: World) -> None:
    client = world.client_for("facilitator")
    url = f"/p/{world.own.slug}/actions/sharing/"
    water = action(world)
    _commit(world, water, timezone.now())
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for months_ago in range(1, 30):
        _commit(world, water, timezone.now() - datetime.timedelta(days=31 * months_ago))
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert response.status_code == 200 and "<svg" in response.content.decode()
    assert len(more) == len(few)


def test_it_filters_the_checklist_by_partner_owner_or_contributor_each_action_once(
    world: World,
) -> None:
    action(world, "Vía terciaria", contributors=[world.company, world.community])
    action(world, "Huerta escolar", owner=world.community, contributors=[world.company])
    action(world, "Salón comunal", owner=world.community)
    url = f"/p/{world.own.slug}/actions/?partner={world.company.public_id}"
    page = world.client_for("facilitator").get(url).content.decode()
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    assert table.count("Vía terciaria") == 1 and table.count("Huerta escolar") == 1
    assert "Salón comunal" not in table


def test_it_answers_at_a_glance_over_every_action_not_only_those_shown(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actions import reading

    monkeypatch.setattr(reading, "CHECKLIST_SHOWN", 2)
    past = {"starts_on": TODAY - datetime.timedelta(days=200)}
    tops = [
        action(world, f"Al día {i}", due_on=TODAY + datetime.timedelta(days=90)) for i in range(3)
    ]
    action(world, "Subacción atrasada", parent=tops[0], weight=50, **past,
           due_on=TODAY - datetime.timedelta(days=100))  # fmt: skip
    for i in range(reading.GLANCE_SHOWN + 2):
        action(world, f"Vieja {i}", **past, due_on=TODAY - datetime.timedelta(days=30 + i))
    page = world.client_for("observer").get(f"/p/{world.own.slug}/actions/").content.decode()
    late_part = page.split('id="late-h"')[1].split("</section>")[0]
    # The ten most overdue of the 13 late actions, the sub-action (the most
    # overdue) among them though the table shows only the two first rows.
    assert "Subacción atrasada" in late_part and late_part.count("<li>") == reading.GLANCE_SHOWN
    assert "and 3 more" in late_part


def test_it_lists_each_action_right_before_its_sub_actions(world: World) -> None:
    from actions import reading

    first = action(world, "Primera")
    second = action(world, "Segunda")
    under_first = action(world, "Bajo la primera", parent=first, weight=50)
    under_second = action(world, "Bajo la segunda", parent=second, weight=50)
    deeper = action(world, "Más abajo", parent=under_first, weight=100)
    listed = [a.pk for a in reading.checklist(world.own, {})]
    assert listed == [first.pk, under_first.pk, deeper.pk, second.pk, under_second.pk]
    # Moved under the second action, a subtree follows it there.
    services.move_action(by=world.facilitator, action=under_first, parent=second, weight=50)
    listed = [a.pk for a in reading.checklist(world.own, {})]
    assert listed == [first.pk, second.pk, under_first.pk, deeper.pk, under_second.pk]


def test_it_pages_the_checklist_and_keeps_its_filters(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actions import reading

    monkeypatch.setattr(reading, "CHECKLIST_SHOWN", 2)
    for name in ("Uno", "Dos", "Tres"):
        action(world, name)
    client = world.client_for("observer")
    url = f"/p/{world.own.slug}/actions/?status=planned"
    first = client.get(url).content.decode()
    table = first.split("<tbody>")[1].split("</tbody>")[0]
    assert "Uno" in table and "Dos" in table and "Tres" not in table
    assert "status=planned&amp;page=2" in first
    second = client.get(url + "&page=2").content.decode()
    assert "Tres" in second.split("<tbody>")[1].split("</tbody>")[0]
