"""What the portal may show of this room, and only where the charter in
force publishes commitments to the public (its communication plan's line
"Commitments and their progress" → "The public portal"): the actions with
their progress and milestones, and commitments promised against delivered
by partner type. Counts of commitments, never of people; no member, no
report text, no mandate is declared."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from actions.models import Action, ActionStatus, Commitment, CommitmentStatus, Milestone
from charter.models import Audience, CharterStatus, PlanRow, Published
from partnerships.languages import in_language
from partnerships.models import PartnerType
from partnerships.publication import declare, declare_summary, public_queryset

PORTAL_SHOWN = 30


def _published() -> Q:
    return Q(
        partnership__in=PlanRow.objects.filter(
            what=Published.COMMITMENTS,
            audience=Audience.PUBLIC,
            version__status=CharterStatus.IN_FORCE,
        ).values("partnership_id")
    )


def publishes(partnership_id: int) -> bool:
    """Whether the charter in force publishes commitments on the portal."""
    return PlanRow.objects.filter(
        partnership_id=partnership_id,
        what=Published.COMMITMENTS,
        audience=Audience.PUBLIC,
        version__status=CharterStatus.IN_FORCE,
    ).exists()


def summary(partnership_id: int) -> dict[str, Any]:
    """Three queries: the actions, their milestones, commitments by type."""
    actions = list(
        public_queryset(Action, partnership_id)
        .exclude(status=ActionStatus.DROPPED)
        .order_by("depth", "due_on", "pk")[:PORTAL_SHOWN]
    )
    if not actions:
        return {}
    ids = [a["id"] for a in actions]
    milestones: dict[int, list[dict[str, Any]]] = {}
    for m in public_queryset(Milestone, partnership_id).filter(action_id__in=ids):
        milestones.setdefault(m["action"], []).append(
            {"title": in_language(m["title"]), "due_on": m["due_on"], "reached_on": m["reached_on"]}
        )
    statuses = dict(ActionStatus.choices)
    rows = [
        {
            "title": in_language(a["title"]),
            "status": str(statuses.get(a["status"], a["status"])),
            "percent": round(a["progress"] / 10),
            "due_on": a["due_on"],
            "sub": a["depth"] > 0,
            "milestones": milestones.get(a["id"], []),
        }
        for a in actions
    ]
    by_type = [
        {
            "label": str(PartnerType(r["partner_type"]).label),
            "promised": r["promised"],
            "delivered": r["delivered"],
        }
        for r in public_queryset(Commitment, partnership_id)
        .exclude(status=CommitmentStatus.WITHDRAWN)
        .values("partner_type")
        .annotate(
            promised=Count("pk"),
            delivered=Count("pk", filter=Q(status=CommitmentStatus.CONFIRMED)),
        )
        .order_by("partner_type")
    ]
    return {"actions": rows, "commitments": by_type}


def register() -> None:
    published = _published()
    # "id" only joins milestones to their action; never shown.
    declare(
        Action,
        fields=("id", "title", "status", "progress", "starts_on", "due_on", "depth"),
        where=published,
    )
    declare(Milestone, fields=("action", "title", "due_on", "reached_on"), where=published)
    declare(Commitment, fields=("partner_type", "status"), where=published)
    declare_summary("actions", summary)
