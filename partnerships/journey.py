"""A member's own journey: what they can do now, and what came of it.

An extension point like ``stepper.register_alert``: each room registers
providers that, given a member, list the things that wait for that member
("vote in this conversation", "give your partner's position on this goal")
and the results they can read ("the opinion groups", "an adopted goal").
The partnership's home page shows them, role by role: participants and
partner representatives see their journey first; facilitators keep the
progress report and get "what needs you now".

Providers must be role-aware (they receive the member, with its role), name
no protected person, show no count of people (every count of people shown
beyond its owner goes through ``partnerships.suppression``), and cost a
constant number of queries whatever the partnership's size (the home page's
query count is asserted).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from partnerships.models import Member, Role
from partnerships.permissions import Action, can


@dataclass(frozen=True)
class JourneyItem:
    title: str  # what it is about: a conversation's title, a goal's
    url: str  # where to do it, or to read it
    action: str  # what to do there: "Vote", "Give your partner's position"
    detail: str = ""  # one short line more (a date, a state), never a count of people


JourneyFn = Callable[[Member], list[JourneyItem]]
_TO_DO: list[JourneyFn] = []
_RESULTS: list[JourneyFn] = []


def register_to_do(fn: JourneyFn) -> JourneyFn:
    """A room's "things you can do now" for a member."""
    _TO_DO.append(fn)
    return fn


def register_results(fn: JourneyFn) -> JourneyFn:
    """A room's "what came of it" for a member."""
    _RESULTS.append(fn)
    return fn


def to_do(member: Member) -> list[JourneyItem]:
    return [item for fn in _TO_DO for item in fn(member)]


def results(member: Member) -> list[JourneyItem]:
    return [item for fn in _RESULTS for item in fn(member)]


def sees_journey_first(member: Member) -> bool:
    """Participants and partner representatives get their journey as their
    home; facilitators and observers keep the progress report."""
    return member.role in (Role.PARTICIPANT, Role.PARTNER_REPRESENTATIVE)


# --- This room's own ---------------------------------------------------------------


def _core_to_do(member: Member) -> list[JourneyItem]:
    """Choosing the name others see (else one shows as #1a2b3c4d); for a
    facilitator, the step that is "now" and what it still lacks."""
    items = []
    if not member.user.display_name:
        items.append(
            JourneyItem(
                title=_("Your name as others see it"),
                url=reverse("accounts:profile"),
                action=_("Choose the name others see"),
                detail=_("Until then you appear as %(ref)s.") % {"ref": member.short_ref},
            )
        )
    if can(member, "step", Action.CHANGE):
        from partnerships import stepper

        current = stepper.current_step(member.partnership)
        if current is not None:
            items.append(
                JourneyItem(
                    title=_("Step %(n)s: %(title)s")
                    % {"n": current.number, "title": current.title},
                    url=reverse(
                        "partnerships:step", args=[member.partnership.slug, current.step.value]
                    ),
                    action=_("See what the step still needs, and mark it complete"),
                )
            )
    return items


def register() -> None:
    register_to_do(_core_to_do)
