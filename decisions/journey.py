"""The decisions' part of a member's journey (``partnerships.journey``): the
votes open to the member (as themselves, or for the partner they represent)
that they have not cast yet, and the decisions taken. Two queries."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from charter.rules import Voters
from decisions.electorate import VOTING_ROLES, member_keys
from partnerships.journey import JourneyItem, register_results, register_to_do
from partnerships.models import Member, PartnerType, Role
from partnerships.permissions import Action, can

SHOWN = 10


def _eligible(member: Member) -> Q | None:
    """The votes this member may cast, by the rule's kind of voter."""
    if member.role not in VOTING_ROLES:
        return None
    if member.partner is not None and member.partner.left_on is not None:
        return None
    kinds = Q(voters=Voters.MEMBERS)
    if (
        member.role == Role.PARTNER_REPRESENTATIVE
        and member.partner is not None
        and member.partner.partner_type != PartnerType.FACILITATOR
    ):
        kinds |= Q(voters__in=(Voters.PARTNERS, Voters.PARTNER_TYPES))
    return kinds


def to_do(member: Member) -> list[JourneyItem]:
    from decisions.models import Decision, DecisionStatus, Participation

    eligible = _eligible(member)
    if eligible is None:
        return []
    slug = member.partnership.slug
    waiting = (
        Decision.objects.filter(partnership_id=member.partnership_id, status=DecisionStatus.VOTING)
        .filter(eligible)
        .exclude(
            Exists(
                Participation.objects.filter(decision=OuterRef("pk"), voter__in=member_keys(member))
            )
        )
        .order_by("closes_at", "-pk")[:SHOWN]
    )
    return [
        JourneyItem(
            title=decision.label,
            url=reverse("decisions:detail", args=[slug, decision.public_id]),
            action=_("Vote on this proposal"),
            detail=_("The vote closes on %(when)s.")
            % {"when": date_format(localtime(decision.closes_at), "DATETIME_FORMAT")}
            if decision.closes_at
            else "",
        )
        for decision in waiting
    ]


def results(member: Member) -> list[JourneyItem]:
    from decisions.models import CLOSED, Decision

    if not can(member, "decision", Action.VIEW):
        return []
    slug = member.partnership.slug
    taken = Decision.objects.filter(
        partnership_id=member.partnership_id, status__in=CLOSED
    ).order_by("-closed_at", "-pk")[:SHOWN]
    return [
        JourneyItem(
            title=decision.label,
            url=reverse("decisions:detail", args=[slug, decision.public_id]),
            action=str(decision.get_status_display()),
        )
        for decision in taken
    ]


def register() -> None:
    register_to_do(to_do)
    register_results(results)
