"""How this room plugs into the shared mechanisms (the stepper).

Step 3's goal checks: goals drafted, goals adopted by every partner type,
and goals aligned with the SDGs. One query.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership, Step
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


def register() -> None:
    progress(Step.COLLECTIVE_GOALS)(goal_checks)
    register_room(Step.COLLECTIVE_GOALS, "goals:list", _("Collective goals"))
