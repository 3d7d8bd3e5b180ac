"""Progress, computed and kept incrementally (see ``actions.models_actions``).

An action's *share* is what it adds to its parent's and its goals' sums:
``(weight, weight × progress)``, or nothing when dropped. When an action
changes, ``settle`` recomputes its progress from its stored sums, then walks
up its ancestors adding the difference of shares to each (stopping where a
share no longer changes), and adds the differences to the goals each changed
action counts for. A change costs O(depth + goals), however many actions
serve a goal.

An action counts for a goal it serves unless one of its ancestors serves the
same goal (the goal then reaches it through that ancestor): each action is
counted once. A change of links or of place in the tree recomputes the goals
concerned from their actions (``recompute_goals``): rarer, and still only
those goals. ``recompute_action_tree`` and ``recompute_goals`` also rebuild
everything from scratch, which the tests compare with the kept values.
"""

from __future__ import annotations

from collections.abc import Iterable

from actions.models_actions import (
    FULL,
    Action,
    ActionStatus,
    GoalProgress,
)

Share = tuple[int, int]
NOTHING: Share = (0, 0)
STORED = ["progress", "children_weight", "children_sum", "milestones_total", "milestones_reached"]


def own_progress(action: Action) -> int:
    """An action's progress from what it stores: done is whole; with
    sub-actions, their weighted mean; else the share of milestones reached."""
    if action.status == ActionStatus.DONE:
        return FULL
    if action.children_weight > 0:
        return round(action.children_sum / action.children_weight)
    if action.milestones_total > 0:
        return round(action.milestones_reached * FULL / action.milestones_total)
    return 0


def share(action: Action) -> Share:
    if action.status == ActionStatus.DROPPED:
        return NOTHING
    return (action.weight, action.weight * action.progress)


def _goal_links(action_ids: Iterable[int]) -> dict[int, set[int]]:
    links: dict[int, set[int]] = {}
    rows = Action.goals.through.objects.filter(action_id__in=list(action_ids)).values_list(
        "action_id", "collectivegoal_id"
    )
    for action_id, goal_id in rows:
        links.setdefault(action_id, set()).add(goal_id)
    return links


def _set_goal_progress(row: GoalProgress) -> None:
    row.progress = round(row.total / row.weight) if row.weight > 0 else 0


def _save_goal_progress(row: GoalProgress) -> None:
    if row._state.adding:
        row.save()
    else:
        row.save(update_fields=["weight", "total", "progress", "actions"])


def _add_to_goals(partnership_id: int, deltas: dict[int, tuple[int, int, int]]) -> None:
    """``deltas``: goal id -> (weight, total, actions) to add."""
    if not deltas:
        return
    rows = {
        row.goal_id: row
        for row in GoalProgress.objects.select_for_update().filter(goal_id__in=list(deltas))
    }
    for goal_id, (weight, total, count) in deltas.items():
        row = rows.get(goal_id) or GoalProgress(partnership_id=partnership_id, goal_id=goal_id)
        row.weight += weight
        row.total += total
        row.actions += count
        _set_goal_progress(row)
        _save_goal_progress(row)


def settle(action: Action, *, was: Share, counted_before: bool = True) -> None:
    """``action`` changed (its status, its sums, its milestones, or it is
    new: ``counted_before=False``): store its progress and carry the change
    of its share up its ancestors and into its goals."""
    action.progress = own_progress(action)
    action.save(update_fields=STORED)
    now = share(action)
    changed: list[tuple[Action, Share, Share, bool]] = [(action, was, now, counted_before)]
    node = action
    while node.parent_id is not None and now != was:
        parent = Action.objects.select_for_update().get(pk=node.parent_id)
        parent_was = share(parent)
        parent.children_weight += now[0] - was[0]
        parent.children_sum += now[1] - was[1]
        parent.progress = own_progress(parent)
        parent.save(update_fields=STORED)
        was, now = parent_was, share(parent)
        changed.append((parent, was, now, True))
        node = parent
    chain_ids = {a.pk for a, *_rest in changed} | set(action.ancestor_ids)
    links = _goal_links(chain_ids)
    deltas: dict[int, tuple[int, int, int]] = {}
    for node, before, after, counted in changed:
        above: set[int] = set()
        for ancestor_id in node.ancestor_ids:
            above |= links.get(ancestor_id, set())
        for goal_id in links.get(node.pk, set()) - above:
            if before == after and counted:
                continue
            weight, total, count = deltas.get(goal_id, (0, 0, 0))
            deltas[goal_id] = (
                weight + after[0] - before[0],
                total + after[1] - before[1],
                count + (0 if counted else 1),
            )
    _add_to_goals(action.partnership_id, deltas)


def recompute_goals(goal_ids: Iterable[int]) -> None:
    """Each goal's progress from its actions, from scratch (one query for the
    actions, one for their ancestors' links): after links or the tree change."""
    goal_ids = set(goal_ids)
    if not goal_ids:
        return
    through = Action.goals.through.objects
    served = list(
        through.filter(collectivegoal_id__in=goal_ids).values_list("collectivegoal_id", "action_id")
    )
    actions = {
        a.pk: a
        for a in Action.objects.filter(pk__in={a for _g, a in served}).only(
            "pk", "partnership_id", "path", "weight", "progress", "status"
        )
    }
    ancestors = {i for a in actions.values() for i in a.ancestor_ids}
    links = _goal_links(ancestors)
    totals: dict[int, list[int]] = {g: [0, 0, 0] for g in goal_ids}
    for goal_id, action_id in served:
        action = actions[action_id]
        if any(goal_id in links.get(i, ()) for i in action.ancestor_ids):
            continue
        weight, total = share(action)
        totals[goal_id][0] += weight
        totals[goal_id][1] += total
        totals[goal_id][2] += 1
    existing = {
        row.goal_id: row
        for row in GoalProgress.objects.select_for_update().filter(goal_id__in=goal_ids)
    }
    from goals.models import CollectiveGoal

    partnerships = dict(
        CollectiveGoal.objects.filter(pk__in=goal_ids).values_list("pk", "partnership_id")
    )
    for goal_id, (weight, total, count) in totals.items():
        if goal_id not in partnerships:
            continue
        row = existing.get(goal_id) or GoalProgress(
            partnership_id=partnerships[goal_id], goal_id=goal_id
        )
        row.weight, row.total, row.actions = weight, total, count
        _set_goal_progress(row)
        _save_goal_progress(row)


def recompute_action_tree(partnership_id: int) -> None:
    """Every action's sums and progress from scratch, deepest first (for
    repairs and for the tests that check the kept values)."""
    from actions.models_actions import Milestone

    actions = list(Action.objects.filter(partnership_id=partnership_id).order_by("-depth"))
    reached: dict[int, list[int]] = {}
    for action_id, reached_on in Milestone.objects.filter(
        action__partnership_id=partnership_id
    ).values_list("action_id", "reached_on"):
        counts = reached.setdefault(action_id, [0, 0])
        counts[0] += 1
        counts[1] += reached_on is not None
    by_id = {a.pk: a for a in actions}
    for a in actions:
        a.children_weight = a.children_sum = 0
        a.milestones_total, a.milestones_reached = reached.get(a.pk, [0, 0])
    for a in actions:  # deepest first: children are final before their parent
        a.progress = own_progress(a)
        if a.parent_id is not None:
            weight, total = share(a)
            by_id[a.parent_id].children_weight += weight
            by_id[a.parent_id].children_sum += total
    Action.objects.bulk_update(actions, STORED)
