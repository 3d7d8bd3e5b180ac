"""How this room plugs into the shared mechanisms, and the hook it keeps.

``register_plan_check(fn)``: the charter (a higher floor) enforces its
communication plan through it, without this room importing the charter.
``fn(partnership, audience, languages)`` returns a refusal message, or None
to allow; ``audience`` is ``"members"`` or ``"public"``. With nothing
registered, every announcement is allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Frequency, Kind, register_kind
from notifications.models import Announcement, Scope
from partnerships.models import Partnership, Step
from partnerships.publication import declare
from partnerships.stepper import register_room

PlanCheck = Callable[[Partnership, str, Sequence[str]], str | None]
_PLAN_CHECKS: list[PlanCheck] = []


def register_plan_check(fn: PlanCheck) -> None:
    _PLAN_CHECKS.append(fn)


def plan_refusal(partnership: Partnership, audience: str, languages: Sequence[str]) -> str | None:
    """The first refusal of a registered plan check, or None."""
    for check in _PLAN_CHECKS:
        refusal = check(partnership, audience, languages)
        if refusal:
            return refusal
    return None


def _announcement_text(params: Mapping[str, Any]) -> str:
    return str(_("New announcement: %(title)s") % {"title": params.get("title", "")})


def register() -> None:
    register_kind(
        Kind(
            code="announcement",
            label=_("Announcements from the facilitators"),
            text=_announcement_text,
            default=Frequency.DAILY,
            params=("title",),
        )
    )
    register_room(Step.STRATEGIES, "notifications:announcements", _("Announcements"))
    # External announcements only, and not withdrawn; who posted is not public.
    declare(
        Announcement,
        fields=("public_id", "title", "body", "posted_at"),
        where=Q(scope=Scope.PUBLIC, withdrawn_at__isnull=True),
    )
