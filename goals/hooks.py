"""How this room plugs into the shared mechanisms (the stepper).

Step 3's goal checks: goals drafted, goals adopted by every partner type,
and goals aligned with the SDGs. One query.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from baseline.models import in_language
from partnerships.models import Partnership, Step
from partnerships.publication import declare, declare_summary, public_records
from partnerships.stepper import Check, progress, register_room


def goal_checks(partnership: Partnership) -> list[Check]:
    from goals.models import CollectiveGoal, GoalStatus

    counts = CollectiveGoal.objects.filter(partnership=partnership).aggregate(
        drafted=Count("pk", filter=~Q(status=GoalStatus.DROPPED), distinct=True),
        adopted=Count("pk", filter=Q(status=GoalStatus.ADOPTED), distinct=True),
        aligned=Count("pk", filter=Q(sdg_targets__isnull=False), distinct=True),
    )
    return [
        Check(
            _("Collective goals drafted"),
            counts["drafted"] > 0,
            _("%(n)s goals") % {"n": counts["drafted"]},
        ),
        Check(
            _("A goal adopted by every partner type"),
            counts["adopted"] > 0,
            _("%(n)s adopted") % {"n": counts["adopted"]},
        ),
        Check(
            _("Goals linked to the SDGs"),
            counts["aligned"] > 0,
            _("%(n)s linked") % {"n": counts["aligned"]},
        ),
    ]


def adopted_goals(partnership_id: int) -> dict[str, Any]:
    """The adopted goals for the public portal: their texts, outcomes and SDG
    targets (goals carry no people). Two queries."""
    from goals.models import CollectiveGoal, SdgTarget

    rows = public_records(CollectiveGoal, partnership_id)
    if not rows:
        return {}
    targets: dict[Any, list[str]] = {}
    links = CollectiveGoal.sdg_targets.through.objects.filter(
        collectivegoal__public_id__in=[r["public_id"] for r in rows]
    ).values_list("collectivegoal__public_id", "sdgtarget_id")
    labels = dict((t.pk, t.label) for t in SdgTarget.objects.filter(pk__in=[t for _g, t in links]))
    for goal_id, target_id in links:
        targets.setdefault(goal_id, []).append(labels.get(target_id, ""))
    return {
        "goals": [
            {
                "title": in_language(row["title"]),
                "description": in_language(row["description"]),
                "outcomes": [
                    line for line in in_language(row["outcomes"]).splitlines() if line.strip()
                ],
                "adopted_at": row["adopted_at"],
                "targets": sorted(targets.get(row["public_id"], [])),
            }
            for row in rows
        ]
    }


def goals_behind(statement_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """The goals each statement stands behind (for the common-ground pages). One query."""
    from django.urls import reverse

    from goals.models import CollectiveGoal, GoalStatus

    through = CollectiveGoal.statements.through.objects.filter(
        statement_id__in=statement_ids
    ).exclude(collectivegoal__status=GoalStatus.DROPPED)
    found: dict[int, list[tuple[str, str]]] = {}
    for statement_id, goal_id, title, slug in through.values_list(
        "statement_id",
        "collectivegoal__public_id",
        "collectivegoal__title",
        "collectivegoal__partnership__slug",
    ):
        url = reverse("goals:detail", kwargs={"slug": slug, "goal_id": goal_id})
        found.setdefault(statement_id, []).append((in_language(title), url))
    return found


def register() -> None:
    from commonground.results import register_statement_links
    from goals.models import CollectiveGoal, GoalStatus

    register_statement_links(goals_behind)
    # Public once adopted: drafts, goals under endorsement and dropped ones stay inside.
    declare(
        CollectiveGoal,
        fields=("public_id", "title", "description", "outcomes", "adopted_at"),
        where=Q(status=GoalStatus.ADOPTED),
    )
    declare_summary("goals", adopted_goals)
    progress(Step.COLLECTIVE_GOALS)(goal_checks)
    register_room(Step.COLLECTIVE_GOALS, "goals:list", _("Collective goals"))
    from goals import demo

    demo.register()  # the demo partnership's step 3
