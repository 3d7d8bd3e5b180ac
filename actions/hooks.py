"""How this room plugs into the shared mechanisms and the rooms below it:
step 5's checks and pages, the records a decision may link to (actions),
discussion threads on actions, the goal page's progress panel, the kind of
notification for overdue commitments, and what the portal may show."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from actions.models import (
    Action,
    Commitment,
    CommitmentStatus,
    GoalProgress,
    Strategy,
)
from decisions import links
from discussion import targets as discussion_targets
from partnerships.models import Partnership, Step
from partnerships.stepper import Check, progress, register_room

PANEL_SHOWN = 20


def _count(qs: Any) -> Any:
    """A count of ``qs``'s rows of the outer partnership, as a subquery."""
    return Coalesce(
        Subquery(
            qs.filter(partnership=OuterRef("pk"))
            .order_by()
            .values("partnership")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def action_checks(partnership: Partnership) -> list[Check]:
    """One query: strategies, actions, and commitments confirmed."""
    counts = (
        Partnership.objects.filter(pk=partnership.pk)
        .annotate(
            strategies=_count(Strategy.objects.all()),
            actions=_count(Action.objects.all()),
            confirmed=_count(Commitment.objects.filter(status=CommitmentStatus.CONFIRMED)),
        )
        .values("strategies", "actions", "confirmed")
        .get()
    )
    return [
        Check(
            _("Protection and empowerment strategies"),
            counts["strategies"] > 0,
            ngettext_lazy("%(n)s strategy", "%(n)s strategies", "n") % {"n": counts["strategies"]},
        ),
        Check(
            _("Actions on the checklist"),
            counts["actions"] > 0,
            ngettext_lazy("%(n)s action", "%(n)s actions", "n") % {"n": counts["actions"]},
        ),
        Check(
            _("Commitments delivered and confirmed by another partner type"),
            counts["confirmed"] > 0,
            ngettext_lazy("%(n)s confirmed", "%(n)s confirmed", "n") % {"n": counts["confirmed"]},
        ),
    ]


def _actions(partnership: Partnership, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, links.Target]:
    return {
        a.public_id: links.Target(
            "action",
            a.public_id,
            a.label,
            reverse("actions:detail", args=[partnership.slug, a.public_id]),
        )
        for a in Action.objects.filter(partnership=partnership, public_id__in=ids)
    }


def _action_url(action: Any) -> str:
    return reverse("actions:detail", args=[action.partnership.slug, action.public_id])


def goal_panel(goal: Any, ctx: Any) -> SafeString | str:
    """The goal's progress and the actions that serve it (two queries)."""
    row = GoalProgress.objects.filter(goal=goal).first()
    actions = list(
        Action.objects.filter(goals=goal)
        .select_related("owner")
        .order_by("due_on", "pk")[:PANEL_SHOWN]
    )
    return render_to_string(
        "actions/_goal_panel.html", {"ctx": ctx, "row": row, "actions": actions}
    )


def action_is_public(action: Any) -> bool:
    """An action is public where the charter in force publishes commitments
    and their progress on the portal, and the partnership is published."""
    from actions.publication import publishes

    return bool(action.partnership.is_published) and publishes(action.partnership_id)


def register() -> None:
    from actions import notices, publication
    from attachments import targets as attachment_targets
    from goals.panels import register_panel

    progress(Step.STRATEGIES)(action_checks)
    register_room(Step.STRATEGIES, "actions:strategies", _("Strategies"))
    register_room(Step.IMPLEMENTATION_TOOLS, "actions:checklist", _("Action checklist"))
    links.register("action", _("Action"), _actions)
    discussion_targets.register(Action, permission_kind="action", url=_action_url)
    register_panel(goal_panel)
    # Evidence of an action (files, photos with the consent of the people
    # they show, links): the attachments room, on the action's page.
    attachment_targets.register(
        Action, permission_kind="action", url=_action_url, is_public=action_is_public
    )
    notices.register()
    publication.register()
    from actions import demo

    demo.register()
