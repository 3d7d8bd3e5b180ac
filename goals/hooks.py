"""How this room plugs into the shared mechanisms (the stepper).

Step 3's goal checks: goals drafted, goals adopted by every partner type,
and goals aligned with the SDGs. One query.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, npgettext_lazy

from baseline.models import in_language
from discussion import targets as discussion_targets
from partnerships.models import Partner, Partnership, PartnerType, Step
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
            ngettext_lazy("%(n)s goal", "%(n)s goals", "n") % {"n": counts["drafted"]},
        ),
        Check(
            _("A goal adopted by every partner type"),
            counts["adopted"] > 0,
            npgettext_lazy("collective goals", "%(n)s adopted", "%(n)s adopted", "n")
            % {"n": counts["adopted"]},
        ),
        Check(
            _("Goals linked to the SDGs"),
            counts["aligned"] > 0,
            npgettext_lazy("collective goals", "%(n)s linked", "%(n)s linked", "n")
            % {"n": counts["aligned"]},
        ),
    ]


def adopted_goals(partnership_id: int) -> dict[str, Any]:
    """The adopted goals for the public portal: their texts, outcomes and SDG
    targets, where each partner type stands on the adopted version (every
    reservation with its reason), and the objections raised on the way to it,
    with their reasons, though withdrawn since. Partners are organisations, so
    their positions are public once a goal is adopted; the members who
    recorded them are never named here (an on-behalf position says so, with
    its mandate, without the facilitator's name). Five queries."""
    from goals.models import CollectiveGoal, Endorsement, SdgTarget

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
    partners_by_type: dict[str, int] = {}
    for partner in public_records(Partner, partnership_id):
        if partner["partner_type"] != PartnerType.FACILITATOR:
            kind = partner["partner_type"]
            partners_by_type[kind] = partners_by_type.get(kind, 0) + 1
    positions: dict[int, list[dict[str, Any]]] = {}
    for position in public_records(Endorsement, partnership_id):
        positions.setdefault(position["goal"], []).append(position)
    versions = {row["id"]: row["version"] for row in rows}
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
                **_stances(
                    partners_by_type,
                    [
                        p
                        for p in positions.get(row["id"], [])
                        if p["current"] and p["version"] == versions[row["id"]]
                    ],
                ),
                "objections": _withdrawn_objections(
                    p
                    for p in positions.get(row["id"], [])
                    if not (p["current"] and p["version"] == versions[row["id"]])
                ),
            }
            for row in rows
        ]
    }


def _withdrawn_objections(positions: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The objections no longer counting (replaced, or on an earlier version),
    oldest first: how the goal got to adoption is part of its record."""
    from goals.models import Position

    return [
        {
            "label": str(PartnerType(p["partner_type"]).label),
            "version": p["version"],
            "reason": p["reason"],
            "on_behalf": p["on_behalf"],
            "mandate": p["mandate"],
        }
        for p in sorted(positions, key=lambda p: p["recorded_at"])
        if p["position"] == Position.OBJECT
    ]


def _stances(partners_by_type: dict[str, int], positions: list[dict[str, Any]]) -> dict[str, Any]:
    """Each partner type's stance on a goal's adopted version, from the
    counting positions of its current partners. A type endorses when every one
    of its partners has endorsed (with or without reservations). ``summary``
    says "every partner type" only when that is true of the partners there
    are now (a partner that joined after the adoption has not spoken)."""
    from goals.models import Position

    stances = []
    for kind in PartnerType.values:
        count = partners_by_type.get(kind, 0)
        if not count:
            continue
        mine = [p for p in positions if p["partner_type"] == kind]
        endorsing = [p for p in mine if p["position"] in (Position.ENDORSE, Position.RESERVATIONS)]
        if any(p["position"] == Position.OBJECT for p in mine):
            stance = "objected"
        elif len(endorsing) < count:
            stance = "waiting"
        elif any(p["position"] == Position.RESERVATIONS for p in mine):
            stance = "reservations"
        else:
            stance = "endorsed"
        stances.append(
            {
                "label": str(PartnerType(kind).label),
                "stance": stance,
                # Only what needs saying: reasons, and positions recorded on behalf.
                "notes": [
                    {
                        "position": str(Position(p["position"]).label),
                        "reason": p["reason"],
                        "on_behalf": p["on_behalf"],
                        "mandate": p["mandate"],
                    }
                    for p in mine
                    if p["reason"] or p["on_behalf"]
                ],
            }
        )
    kinds = {s["stance"] for s in stances}
    if not stances or kinds - {"endorsed", "reservations"}:
        summary = "not_all"
    elif "reservations" in kinds:
        summary = "all_with_reservations"
    else:
        summary = "all"
    return {"stances": stances, "summary": summary}


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


def _goal_url(goal: Any) -> str:
    return reverse(
        "goals:detail", kwargs={"slug": goal.partnership.slug, "goal_id": goal.public_id}
    )


def register() -> None:
    from commonground.results import register_statement_links
    from goals.models import CollectiveGoal, Endorsement, GoalStatus

    register_statement_links(goals_behind)
    # Public once adopted: drafts, goals under endorsement and dropped ones stay inside.
    declare(
        CollectiveGoal,
        # "id" only joins the positions below to their goal; it is never shown.
        fields=("id", "public_id", "title", "description", "outcomes", "version", "adopted_at"),
        where=Q(status=GoalStatus.ADOPTED),
    )
    # The positions taken on an adopted goal: those that count on the adopted
    # version (of partners still in the partnership: a partner that left has
    # no stance now) and every earlier one, for the objections raised on the
    # way. Never who recorded them (members are people; partners are
    # organisations, whose positions are public once the goal is adopted).
    counting_now = Q(current=True, version=F("goal__version"))
    declare(
        Endorsement,
        fields=(
            "goal",
            "version",
            "partner_type",
            "position",
            "reason",
            "on_behalf",
            "mandate",
            "current",
            "recorded_at",
        ),
        where=Q(goal__status=GoalStatus.ADOPTED)
        & (~counting_now | Q(partner__left_on__isnull=True)),
    )
    declare_summary("goals", adopted_goals)
    progress(Step.COLLECTIVE_GOALS)(goal_checks)
    register_room(Step.COLLECTIVE_GOALS, "goals:list", _("Collective goals"))
    # A goal's page holds its discussion (templates/goals/detail.html).
    discussion_targets.register(CollectiveGoal, permission_kind="goal", url=_goal_url)
    from goals import demo

    demo.register()  # the demo partnership's step 3
