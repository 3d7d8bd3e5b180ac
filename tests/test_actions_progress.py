"""Progress is computed, never typed, and kept incrementally: sub-actions roll
up to their action by weight, actions to their goals, each counted once; the
kept values always equal a recomputation from scratch."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import progress, services
from actions.models import Action, ActionStatus, GoalProgress
from partnerships.errors import ServiceError
from tests.actions_helpers import action, goal
from tests.conftest import World


def kept(world: World) -> tuple[list[tuple[int, int, int, int]], list[tuple[int, int, int, int]]]:
    actions = list(
        Action.objects.order_by("pk").values_list(
            "pk", "progress", "children_weight", "children_sum"
        )
    )
    goals = list(
        GoalProgress.objects.order_by("goal_id").values_list(
            "goal_id", "weight", "total", "progress"
        )
    )
    return actions, goals


def assert_kept_equals_scratch(world: World) -> None:
    before = kept(world)
    progress.recompute_action_tree(world.own.pk)
    progress.recompute_goals(GoalProgress.objects.values_list("goal_id", flat=True))
    assert kept(world) == before


def test_it_rolls_sub_actions_up_by_weight_and_actions_up_to_goals(world: World) -> None:
    water = goal(world)
    top = action(world, goals=[water])
    pipes = action(world, "Tubos", parent=top, weight=70, goals=[water])
    tank = action(world, "Tanque", parent=top)  # what is left: 30
    assert tank.weight == 30
    services.set_status(by=world.facilitator, action=pipes, status=ActionStatus.DONE)
    top.refresh_from_db()
    assert top.progress == 700
    row = GoalProgress.objects.get(goal=water)
    # The goal reaches the pipes through the top action: counted once.
    assert (row.actions, row.progress) == (1, 700)
    milestone = services.add_milestone(by=world.facilitator, action=tank, title={"es": "Base"})
    services.add_milestone(by=world.facilitator, action=tank, title={"es": "Techo"})
    import datetime

    services.mark_milestone(
        by=world.facilitator, milestone=milestone, reached_on=datetime.date(2026, 12, 1)
    )
    top.refresh_from_db()
    assert top.progress == 850  # 0.7 × 1000 + 0.3 × 500
    assert GoalProgress.objects.get(goal=water).progress == 850
    second = action(world, "Lavaderos", goals=[water])
    assert GoalProgress.objects.get(goal=water).progress == 425
    services.set_status(
        by=world.facilitator, action=second, status=ActionStatus.DROPPED, reason="Sin lote"
    )
    assert GoalProgress.objects.get(goal=water).progress == 850
    assert_kept_equals_scratch(world)


def test_it_refuses_weights_that_do_not_add_up(world: World) -> None:
    top = action(world)
    action(world, "Uno", parent=top, weight=60)
    with pytest.raises(ServiceError) as error:
        action(world, "Dos", parent=top, weight=50)
    assert error.value.field == "weight"
    assert "110%" in error.value.message and "at most 40%" in error.value.message
    assert Action.objects.count() == 2


def test_it_refuses_circular_sub_actions(world: World) -> None:
    top = action(world)
    child = action(world, "Hijo", parent=top, weight=50)
    grandchild = action(world, "Nieto", parent=child, weight=50)
    with pytest.raises(ServiceError) as error:
        services.move_action(by=world.facilitator, action=top, parent=grandchild)
    assert error.value.field == "parent" and "part of itself" in error.value.message
    with pytest.raises(ServiceError):
        services.move_action(by=world.facilitator, action=top, parent=top)
    top.refresh_from_db()
    assert top.parent_id is None and top.path == ""


def test_it_moves_an_action_and_keeps_progress_right(world: World) -> None:
    water, roads = goal(world), goal(world, "Vías")
    a = action(world, goals=[water])
    b = action(world, "Vía", goals=[roads])
    child = action(world, "Hijo", parent=a, weight=50, goals=[roads])
    services.set_status(by=world.facilitator, action=child, status=ActionStatus.DONE)
    services.move_action(by=world.facilitator, action=child, parent=b, weight=100)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.progress, b.progress) == (0, 1000)
    assert GoalProgress.objects.get(goal=roads).progress == 1000
    assert_kept_equals_scratch(world)


def test_it_refuses_due_before_start(world: World) -> None:
    import datetime

    with pytest.raises(ServiceError) as error:
        action(world, starts_on=datetime.date(2027, 3, 1), due_on=datetime.date(2027, 2, 1))
    assert error.value.field == "due_on"
    assert not Action.objects.exists()


def test_it_updates_a_goal_of_500_actions_in_constant_queries(world: World) -> None:
    water = goal(world)
    first = action(world, goals=[water])
    small = action(world, "Pequeña", goals=[goal(world, "Otra")])
    with CaptureQueriesContext(connection) as few:
        services.set_status(by=world.facilitator, action=small, status=ActionStatus.DONE)
    Action.goals.through.objects.bulk_create(
        [
            Action.goals.through(action_id=a.pk, collectivegoal_id=water.pk)
            for a in Action.objects.bulk_create(
                [
                    Action(
                        partnership=world.own,
                        title={"es": f"A{i}"},
                        kind="long_term",
                        owner=world.company,
                        weight=100,
                    )
                    for i in range(499)
                ]
            )
        ]
    )
    progress.recompute_goals([water.pk])
    assert GoalProgress.objects.get(goal=water).actions == 500
    with CaptureQueriesContext(connection) as queries:
        services.set_status(by=world.facilitator, action=first, status=ActionStatus.DONE)
    assert GoalProgress.objects.get(goal=water).progress == 2  # 1000 / 500
    # The same work as for a goal of one action: the chain and its goals only.
    assert len(queries) == len(few)


def test_it_refuses_another_partnerships_records_as_unknown(world: World) -> None:
    theirs = goal(world, "Ajena", partnership=world.foreign)
    for extra, field in (
        ({"goals": [theirs]}, "goals"),
        ({"owner": world.foreign_partner}, "owner"),
        ({"contributors": [world.foreign_partner]}, "contributors"),
    ):
        with pytest.raises(ServiceError) as error:
            action(world, **extra)
        assert error.value.field == field
    foreign_parent = services.add_action(
        by=world.foreign_facilitator,
        partnership=world.foreign,
        title={"es": "Ajena"},
        kind="long_term",
        owner=world.foreign_partner,
    )
    with pytest.raises(ServiceError) as error:
        action(world, parent=foreign_parent)
    assert error.value.field == "parent"
    assert not Action.objects.filter(partnership=world.own).exists()
    assert not GoalProgress.objects.filter(goal=theirs).exclude(actions=0).exists()
